import { canRetry, planParts } from '../protocol/index.ts';
import { EngineError, OfflineError, abortError, toEngineError } from './errors.ts';
import type { Hasher, PartTransport, ResumeStore, UploadLock, UploadRecord } from './ports.ts';
import { isActivePhase } from './phases.ts';
import { SpeedMeter, eta } from './progress.ts';
import { trustedParts } from './records.ts';
import type { FileQueue, Throttle } from './scheduler.ts';
import type { ResolvedOptions } from './options.ts';
import type {
  BackendAdapter,
  EngineErrorCode,
  UploadPhase,
  UploadSnapshot,
  UploaderEventMap,
} from './types.ts';
import { UploadTransfer } from './upload-transfer.ts';

/** What an upload task needs from its Uploader. */
export interface TaskContext {
  options: ResolvedOptions;
  backend: BackendAdapter;
  hasher: Hasher;
  transport: PartTransport;
  store: ResumeStore;
  lock: UploadLock;
  throttle: Throttle;
  files: FileQueue;
  /** The backend's identity in records (the endpoint URL). */
  endpointKey: string;
  isOnline(): boolean;
  /** The task's bytes changed: the Uploader sends a throttled progress event. */
  changed(task: UploadTask): void;
  emit<K extends keyof UploaderEventMap>(name: K, detail: UploaderEventMap[K]): void;
}

/** Why an upload is paused; offline and busy pauses are lifted by the engine itself. */
type PauseReason = 'user' | 'offline' | 'busy';

/** Marks the abort of a pause so the run ends quietly. */
const PAUSE = 'paused';

/**
 * One file's upload: plan, resume check, hashing window, batched signing, `concurrency` parts in
 * flight with retries, complete. Finished parts live on only as their record.
 */
export class UploadTask extends UploadTransfer {
  pauseReason?: PauseReason;
  error?: { code: EngineErrorCode; message: string };
  resumed = false;

  private readonly meter = new SpeedMeter();
  private controller?: AbortController;
  private running?: Promise<void>;
  private lockHandle?: { release(): void } | null;

  protected changed(): void {
    this.ctx.changed(this);
  }

  /** A plain-data view for events and rendering. */
  snapshot(): UploadSnapshot {
    const size = this.file.size;
    const bytesUploaded = this.phase === 'done' ? size : this.bytes.value;
    const speed = this.phase === 'uploading' ? this.meter.speed : 0;
    return {
      id: this.id,
      name: this.file.name,
      size,
      type: this.file.type,
      phase: this.phase,
      bytesUploaded,
      progress: size === 0 ? (this.phase === 'done' ? 1 : 0) : bytesUploaded / size,
      speed,
      eta: this.phase === 'done' ? 0 : eta(size - bytesUploaded, speed),
      partCount: this.session?.partCount ?? planParts(size, this.ctx.options.partSize).partCount,
      partsDone: this.phase === 'done' ? (this.session?.partCount ?? 1) : this.done.size,
      key: this.session?.key,
      error:
        this.error && (this.phase === 'failed' || this.pauseReason === 'busy')
          ? { ...this.error, retryable: canRetry(this.error.code) }
          : undefined,
      result: this.result,
      resumed: this.resumed,
      ...(this.file.webkitRelativePath ? { relativePath: this.file.webkitRelativePath } : {}),
    };
  }

  /** Samples the speed meter (called with each progress event). */
  sampleSpeed(): void {
    this.meter.sample(this.bytes.value);
  }

  /** Bytes for overall progress. */
  get bytesUploaded(): number {
    return this.phase === 'done' ? this.file.size : this.bytes.value;
  }

  get active(): boolean {
    return isActivePhase(this.phase);
  }

  /** Starts (or continues) the upload unless it is running or finished. */
  start(): void {
    if (this.controller && !this.controller.signal.aborted) return;
    if (this.phase === 'done' || this.phase === 'aborted') return;
    const wasPaused = this.phase === 'paused';
    this.pauseReason = undefined;
    if (this.phase === 'failed') this.error = undefined;
    this.setPhase('waiting');
    if (wasPaused) this.ctx.emit('upload-resumed', { upload: this.snapshot() });
    const controller = new AbortController();
    this.controller = controller;
    const previous = this.running;
    this.running = this.run(controller.signal, previous);
  }

  /** Stops the parts in flight without an error; `reason` says who lifts the pause. */
  pause(reason: PauseReason = 'user'): void {
    // Complete is one short call; stopping it half-way could leave us unsure whether the object exists.
    if (this.phase === 'completing') return;
    if (!this.active || this.phase === 'paused') {
      if (this.phase === 'paused' && reason === 'user') this.pauseReason = 'user';
      return;
    }
    this.pauseReason = reason;
    this.controller?.abort(abortError(PAUSE));
    this.controller = undefined;
    this.meter.reset();
    this.setPhase('paused');
    this.ctx.emit('upload-paused', { upload: this.snapshot() });
  }

  /** Aborts on the store (the parts are dropped) and forgets the saved record. */
  async abort(): Promise<void> {
    if (this.phase === 'done' || this.phase === 'aborted') return;
    this.controller?.abort(abortError('aborted'));
    this.controller = undefined;
    await this.running?.catch(() => {});
    this.setPhase('aborted');
    const session = this.session;
    this.session = undefined;
    // The record goes first, so a reload during the abort call cannot resurrect the upload.
    await this.forget();
    // Single mode too: the server deletes what the PUT staged (issue 11).
    if (session) {
      await this.ctx.backend.abortUpload({ token: session.token }).catch(() => {
        // Already gone, or the backend is unreachable: the store's lifecycle rules are left to clean up.
      });
    }
    this.ctx.emit('upload-aborted', { upload: this.snapshot() });
  }

  /** Stops everything in flight without touching the store or the record (page teardown). */
  stop(): void {
    this.controller?.abort(abortError('destroyed'));
    this.controller = undefined;
    this.releaseLock();
  }

  /** Waits for the current run to end (tests and teardown). */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }

  protected setPhase(phase: UploadPhase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.ctx.emit('upload-state', { upload: this.snapshot() });
  }

  private releaseLock(): void {
    this.lockHandle?.release();
    this.lockHandle = undefined;
  }

  private async forget(): Promise<void> {
    await this.writes;
    await this.ctx.store.delete(this.id).catch(() => {});
    this.releaseLock();
  }

  private async run(signal: AbortSignal, previous?: Promise<void>): Promise<void> {
    await previous?.catch(() => {});
    let release: (() => void) | undefined;
    try {
      release = await this.ctx.files.acquire(signal);
      if (!this.lockHandle) {
        this.lockHandle = await this.ctx.lock.tryAcquire(this.lockName());
        if (signal.aborted) return;
        if (!this.lockHandle) {
          // Another tab works on this file: not a failure, the user may try again once it is done there.
          this.error = { code: 'busy-in-other-tab', message: 'another tab is uploading this file' };
          this.pause('busy');
          this.ctx.emit('upload-error', { upload: this.snapshot(), ...this.error });
          return;
        }
      }
      await this.execute(signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof OfflineError) {
        this.pause('offline');
        return;
      }
      this.fail(toEngineError(error));
    } finally {
      release?.();
    }
  }

  private lockName(): string {
    return this.id;
  }

  private fail(error: EngineError): void {
    this.controller?.abort(abortError('failed'));
    this.controller = undefined;
    this.error = { code: error.code, message: error.message };
    this.releaseLock();
    this.setPhase('failed');
    this.ctx.emit('upload-error', {
      upload: this.snapshot(),
      code: error.code,
      message: error.message,
    });
  }

  private async execute(signal: AbortSignal): Promise<void> {
    let restarted = false;
    for (;;) {
      try {
        if (!this.session) await this.prepare(signal);
        const session = this.session!;
        const parts =
          session.mode === 'single' ? await this.sendSingle(signal) : await this.sendParts(signal);
        await this.complete(parts, signal);
        return;
      } catch (error) {
        if (signal.aborted || !(error instanceof EngineError) || error.code !== 'no-such-upload')
          throw error;
        if (this.ctx.options.onUploadGone === 'fail' || restarted) {
          throw new EngineError(
            'upload-gone',
            `the store no longer knows this upload: ${error.message}`,
            {
              status: error.status,
              cause: error,
            },
          );
        }
        // The store dropped the upload (aborted elsewhere, expired): start over with a new one.
        restarted = true;
        await this.startOver();
      }
    }
  }

  /** Forgets the session and its parts; the next prepare creates a new upload. */
  private async startOver(): Promise<void> {
    this.session = undefined;
    this.done.clear();
    this.unchecked.clear();
    this.bytes.clear();
    this.resumed = false;
    await this.writes;
    await this.ctx.store.delete(this.id).catch(() => {});
  }

  /** Resumes from a saved record when the store and the file agree with it, or creates a new upload. */
  private async prepare(signal: AbortSignal): Promise<void> {
    // The first hash would wait for a worker to start: start it while the record is read and create travels.
    this.ctx.hasher.warm?.();
    const record = await this.ctx.store
      .find(this.fingerprint, this.ctx.endpointKey)
      .catch(() => undefined);
    if (record && (await this.adopt(record, signal))) return;
    await this.create(signal);
  }

  private async adopt(record: UploadRecord, signal: AbortSignal): Promise<boolean> {
    const discard = async (abortOnStore: boolean) => {
      if (abortOnStore)
        await this.ctx.backend.abortUpload({ token: record.token }, signal).catch(() => {});
      await this.ctx.store.delete(record.id).catch(() => {});
      return false;
    };
    // A token about to expire cannot finish the upload: abort it while the token still works.
    if (record.mode !== 'multipart' || record.tokenExpiresAt <= Date.now() + 60_000)
      return discard(record.mode === 'multipart' && record.tokenExpiresAt > Date.now());
    if (record.size !== this.file.size || record.lastModified !== this.file.lastModified)
      return discard(true);
    let listed;
    try {
      listed = await this.callBackend(
        () => this.ctx.backend.listParts({ token: record.token }, signal),
        signal,
      );
    } catch (error) {
      if (
        error instanceof EngineError &&
        (error.code === 'no-such-upload' || error.code === 'invalid-token')
      ) {
        return discard(false);
      }
      throw error;
    }
    // Same name, size and date can still be other bytes: every trusted part is hashed again before complete,
    // alongside the parts still to send (sendParts), and sent again where it differs.
    const trusted = trustedParts(record, listed.parts);
    this.session = {
      mode: 'multipart',
      uploadId: record.uploadId,
      key: record.key,
      bucket: record.bucket,
      token: record.token,
      tokenExpiresAt: record.tokenExpiresAt,
      partSize: record.partSize,
      partCount: record.partCount,
      createdAt: record.createdAt,
    };
    for (const part of trusted) {
      this.done.set(part.partNumber, part);
      this.unchecked.set(part.partNumber, part);
      this.bytes.confirm(part.partNumber, part.size);
    }
    if (!this.handle && record.handle) this.handle = record.handle as FileSystemFileHandle;
    this.resumed = true;
    this.persist();
    this.ctx.changed(this);
    return true;
  }

  private async complete(
    parts: { partNumber: number; etag: string }[],
    signal: AbortSignal,
  ): Promise<void> {
    const session = this.session!;
    this.setPhase('completing');
    let attempts = 0;
    const result = await this.callBackend(async () => {
      try {
        return await this.ctx.backend.completeUpload({ token: session.token, parts }, signal);
      } catch (error) {
        // A retried complete that finds no upload may mean the first attempt completed it (its answer
        // was lost): fail clearly rather than start over and store the file twice.
        if (attempts++ > 0 && error instanceof EngineError && error.code === 'no-such-upload') {
          throw new EngineError('upload-gone', 'the upload was gone when complete was retried', {
            status: error.status,
            cause: error,
          });
        }
        throw error;
      }
    }, signal);
    if (signal.aborted) return;
    this.result = result;
    this.controller = undefined;
    await this.forget();
    this.setPhase('done');
    this.ctx.changed(this);
    this.ctx.emit('upload-success', { upload: this.snapshot(), result });
  }
}
