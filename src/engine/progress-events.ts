import { SpeedMeter, eta } from './progress.ts';
import type { OverallProgress, UploaderEventMap } from './types.ts';
import type { UploadTask } from './upload-task.ts';

/** Progress events at most this often, so a fast upload does not flood the main thread. */
const PROGRESS_INTERVAL = 100;

/** Gathers the uploads whose bytes changed and sends their 'upload-progress' events, throttled. */
export class ProgressEvents {
  private readonly overallMeter = new SpeedMeter();
  private readonly dirty = new Set<UploadTask>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly tasks: () => Iterable<UploadTask>,
    private readonly emit: (
      name: 'upload-progress',
      detail: UploaderEventMap['upload-progress'],
    ) => void,
  ) {}

  /** The task's bytes changed: an event follows within PROGRESS_INTERVAL (at once when it is done). */
  changed(task: UploadTask): void {
    this.dirty.add(task);
    if (task.phase === 'done') return this.flush();
    this.timer ??= setTimeout(() => this.flush(), PROGRESS_INTERVAL);
  }

  /** Stops the pending timer. */
  destroy(): void {
    clearTimeout(this.timer);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tasks = [...this.dirty];
    this.dirty.clear();
    if (tasks.length === 0) return;
    for (const task of tasks) task.sampleSpeed();
    const overall = this.overall();
    for (const task of tasks) this.emit('upload-progress', { upload: task.snapshot(), overall });
  }

  private overall(): OverallProgress {
    let bytesUploaded = 0;
    let bytesTotal = 0;
    for (const task of this.tasks()) {
      if (task.phase === 'aborted') continue;
      bytesUploaded += task.bytesUploaded;
      bytesTotal += task.file.size;
    }
    this.overallMeter.sample(bytesUploaded);
    const speed = this.overallMeter.speed;
    return {
      bytesUploaded,
      bytesTotal,
      progress: bytesTotal === 0 ? 1 : bytesUploaded / bytesTotal,
      speed,
      eta: eta(bytesTotal - bytesUploaded, speed),
    };
  }
}
