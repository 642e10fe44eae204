// Test page of the engine: browser tests drive a real Uploader through `window.engine`.
import {
  Uploader,
  createXhrTransport,
  type UploaderEventMap,
  type UploaderInit,
} from '../../../src/browser/engine.ts';
import { createIdbResumeStore } from '../../../src/persistence/idb-store.ts';

type EventName = keyof UploaderEventMap;
const NAMES: EventName[] = [
  'upload-added',
  'upload-rejected',
  'upload-progress',
  'upload-part',
  'upload-state',
  'upload-paused',
  'upload-resumed',
  'upload-success',
  'upload-error',
  'upload-aborted',
  'upload-resume-unavailable',
  'upload-pending',
  'upload-discarded',
];

interface Logged {
  name: EventName;
  detail: Record<string, unknown>;
}

const log: Logged[] = [];
/** One connection for the tests' reads of saved records (a new store per read would open one each time). */
const records = createIdbResumeStore();
const longTasks: number[] = [];
let uploader: Uploader | undefined;
const input = document.querySelector<HTMLInputElement>('#file')!;

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

function current(): Uploader {
  if (!uploader) throw new Error('call engine.make() first');
  return uploader;
}

function uploadIdOf(entry: Logged): string | undefined {
  return (entry.detail.upload as { id?: string } | undefined)?.id;
}

const engine = {
  log,
  longTasks,
  /** How many finished parts the saved record of an upload lists (what a reload would trust). */
  async savedParts(id: string): Promise<number> {
    return (await records.get(id))?.parts.length ?? 0;
  },
  make(options: Partial<UploaderInit> & { stallTimeout?: number } = {}) {
    uploader?.destroy();
    const { stallTimeout, ...rest } = options;
    const transport = stallTimeout ? createXhrTransport({ stallTimeout }) : undefined;
    uploader = new Uploader({
      endpoint: '/api/upload',
      partSize: 5 * 1024 * 1024,
      transport,
      ...rest,
    });
    for (const name of NAMES) {
      uploader.addEventListener(name, (event) => {
        // Progress events are many: keep only what tests read.
        const detail = JSON.parse(JSON.stringify((event as CustomEvent).detail)) as Record<
          string,
          unknown
        >;
        log.push({ name, detail });
      });
    }
  },
  /** Adds the files of the <input>; returns their upload ids. */
  addInput(): string[] {
    return current()
      .add(input.files ?? [])
      .map((s) => s.id);
  },
  /** Adds a File from the origin private file system by name, with its handle (as a picker would give it). */
  async addOpfs(name: string): Promise<string[]> {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(name);
    return current()
      .add([await handle.getFile()], { handles: [handle] })
      .map((s) => s.id);
  },
  /** Resolves with the first event named `name` (for `id`, when given) after `from` entries of the log. */
  waitFor(name: EventName, id?: string, from = 0, timeoutMs = 60_000): Promise<Logged> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        const hit = log
          .slice(from)
          .find((e) => e.name === name && (id === undefined || uploadIdOf(e) === id));
        if (hit) return resolve(hit);
        if (Date.now() - started > timeoutMs)
          return reject(new Error(`no ${name} within ${timeoutMs} ms`));
        setTimeout(check, 20);
      };
      check();
    });
  },
  /** Resolves with upload-success or upload-error (other than busy) for `id`. */
  settle(id: string, from = 0, timeoutMs = 110_000): Promise<Logged> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        const hit = log
          .slice(from)
          .find(
            (e) =>
              uploadIdOf(e) === id &&
              (e.name === 'upload-success' ||
                (e.name === 'upload-error' && e.detail.code !== 'busy-in-other-tab')),
          );
        if (hit) return resolve(hit);
        if (Date.now() - started > timeoutMs)
          return reject(new Error(`upload ${id} did not settle`));
        setTimeout(check, 20);
      };
      check();
    });
  },
  count(name: EventName, id?: string): number {
    return log.filter((e) => e.name === name && (id === undefined || uploadIdOf(e) === id)).length;
  },
  uploads: () => current().uploads,
  pause: (id?: string) => current().pause(id),
  resume: (id?: string) => current().resume(id),
  abort: (id?: string) => current().abort(id),
  listPending: () => current().listPending(),
  resumePending: (id: string) => current().resumePending(id),
  discardPending: (id: string) => current().discardPending(id),
};

declare global {
  interface Window {
    engine: typeof engine;
  }
}
window.engine = engine;
