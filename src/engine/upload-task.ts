import {
  MAX_SIGN_BATCH,
  partRange,
  planParts,
  type CompleteUploadResponse,
  type CreateUploadResponse,
  type PartPlan,
  type SignedPart,
} from '../protocol/index.ts';
import { EngineError, abortError, isAbortError, toEngineError } from './errors.ts';
import { classifyPut } from './part-response.ts';
import type {
  Hasher,
  Md5Digest,
  PartTransport,
  RecordedPart,
  ResumeStore,
  UploadLock,
  UploadRecord,
} from './ports.ts';
import { ByteCounter, SpeedMeter, eta } from './progress.ts';
import { fileFingerprint, trustedParts } from './records.ts';
import { RetryBudget, sleep, withRetry } from './retry.ts';
import type { Slots, Throttle } from './scheduler.ts';
import type { ResolvedOptions } from './options.ts';
import type {
  BackendAdapter,
  EngineErrorCode,
  UploadPhase,
  UploadSnapshot,
  UploaderEventMap,
} from './types.ts';

/** What an upload task needs from its Uploader. */
export interface TaskContext {
  options: ResolvedOptions;
  backend: BackendAdapter;
  hasher: Hasher;
  transport: PartTransport;
  store: ResumeStore;
  lock: UploadLock;
  throttle: Throttle;
  slots: Slots;
  /** The backend's identity in records (the endpoint URL). */
  endpointKey: string;
  isOnline(): boolean;
  /** The task's bytes changed: the Uploader sends a throttled progress event. */
  changed(task: UploadTask): void;
  emit<K extends keyof UploaderEventMap>(name: K, detail: UploaderEventMap[K]): void;
}

/** The upload's session on the server, as create answered it (or as a record saved it). */
interface Session {
  mode: 'multipart' | 'single';
  uploadId: string;
  key: string;
  bucket: string;
  token: string;
  tokenExpiresAt: number;
  partSize: number;
  partCount: number;
  createdAt: number;
  put?: SignedPart;
}

/** One part between hashing and the store's answer; dropped once the part is done. */
interface PartState {
  partNumber: number;
  start: number;
  end: number;
  md5?: Md5Digest;
  hashing?: Promise<Md5Digest>;
  signed?: SignedPart;
  signedAt?: number;
  signing?: Promise<void>;
}

/** Why an upload is paused; offline and busy pauses are lifted by the engine itself. */
type PauseReason = 'user' | 'offline' | 'busy';

/** Marks the abort of a pause so the run ends quietly. */
const PAUSE = 'paused';

/** A URL is re-signed when less than this share of its lifetime (at most 30 s) is left. */
function expiring(state: PartState, now: number): boolean {
  if (!state.signed) return true;
  const lifetime = state.signed.expiresAt - (state.signedAt ?? now);
  return state.signed.expiresAt - now < Math.min(30_000, lifetime / 4);
}

/**
 * One file's upload: plan, resume check, hashing window, batched signing, `concurrency` parts in
 * flight with retries, complete. Finished parts live on only as their record.
 */
export class UploadTask {
  readonly fingerprint: string;
  phase: UploadPhase = 'waiting';
  pauseReason?: PauseReason;
  error?: { code: EngineErrorCode; message: string };
  result?: CompleteUploadResponse;
  resumed = false;

  private session?: Session;
  private readonly done = new Map<number, RecordedPart>();
  private bytes: ByteCounter;
  private readonly meter = new SpeedMeter();
  private controller?: AbortController;
  private running?: Promise<void>;
  private lockHandle?: { release(): void } | null;
  private singleMd5?: Md5Digest;
  private writes: Promise<void> = Promise.resolve();
  private writing = false;
  private recordDirty = false;

  constructor(
    readonly id: string,
    readonly file: File,
    private handle: FileSystemFileHandle | undefined,
    private readonly ctx: TaskContext,
  ) {
    this.fingerprint = fileFingerprint(file);
    this.bytes = new ByteCounter(file.size);
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
      error: this.phase === 'failed' || this.pauseReason === 'busy' ? this.error : undefined,
      result: this.result,
      resumed: this.resumed,
      ...(this.file.webkitRelativePath ? { relativePath: this.file.webkitRelativePath } : {}),
    };
  }

  /** Samples the speed meter (called with each progress event). */
  sampleSpeed(): void {
    this.meter.sample(this.bytes.value);
  }

  /**
   * Runs a backend call under the retry policy; a throttled handler (429, slow-down) also slows every
   * upload's parts before the call is tried again.
   */
  private callBackend<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return withRetry(call, this.ctx.options.retry, signal, (error) => {
      if (error.status === 429 || error.code === 'slow-down') this.ctx.throttle.slowDown();
    });
  }

  /** Bytes for overall progress. */
  get bytesUploaded(): number {
    return this.phase === 'done' ? this.file.size : this.bytes.value;
  }

  get active(): boolean {
    return this.phase !== 'done' && this.phase !== 'failed' && this.phase !== 'aborted';
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
    if (session?.mode === 'multipart') {
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

  private setPhase(phase: UploadPhase): void {
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
      release = await this.ctx.slots.acquire(signal);
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
    this.bytes.clear();
    this.resumed = false;
    await this.writes;
    await this.ctx.store.delete(this.id).catch(() => {});
  }

  /** Resumes from a saved record when the store and the file agree with it, or creates a new upload. */
  private async prepare(signal: AbortSignal): Promise<void> {
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
    const plan: PartPlan = {
      size: record.size,
      partSize: record.partSize,
      partCount: record.partCount,
    };
    const trusted = trustedParts(record, listed.parts);
    const sample = trusted[trusted.length - 1];
    if (sample) {
      // Same name, size and date can still be other bytes: one re-hashed part catches most edits.
      this.setPhase('hashing');
      const range = partRange(plan, sample.partNumber);
      const md5 = await this.hash(this.file.slice(range.start, range.end), signal);
      if (md5.base64 !== sample.md5) return discard(true);
    }
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
      this.bytes.confirm(part.partNumber, part.size);
    }
    if (!this.handle && record.handle) this.handle = record.handle as FileSystemFileHandle;
    this.resumed = true;
    this.persist();
    this.ctx.changed(this);
    return true;
  }

  private async create(signal: AbortSignal): Promise<void> {
    const { options } = this.ctx;
    const plan = planParts(this.file.size, options.partSize);
    if (plan.partCount === 1) {
      // One part: hash first, so create already answers with the signed PUT (create + PUT + complete).
      this.setPhase('hashing');
      this.singleMd5 = await this.hash(this.file, signal);
    }
    const answer = await this.callCreate(this.singleMd5?.base64, signal);
    this.session = this.toSession(answer);
    this.ctx.changed(this);
    this.persist();
  }

  /** The create call for this file (with its Content-MD5 when it fits in one part), retried. */
  private callCreate(contentMd5: string | undefined, signal: AbortSignal) {
    const { options } = this.ctx;
    const request = {
      fileName: this.file.name,
      size: this.file.size,
      contentType: this.file.type,
      partSize: options.partSize,
      metadata: options.metadata,
      contentMd5,
      callback: options.callback,
      ...(this.file.webkitRelativePath ? { relativePath: this.file.webkitRelativePath } : {}),
    };
    return this.callBackend(() => this.ctx.backend.createUpload(request, signal), signal);
  }

  private toSession(answer: CreateUploadResponse): Session {
    if (answer.partCount < 1 || answer.partSize < 1) {
      throw new EngineError('invalid-response', 'create answered an impossible part plan');
    }
    return { ...answer, createdAt: Date.now() };
  }

  /**
   * Saves the record (multipart only: a single PUT has nothing to resume). While one write runs, later
   * changes coalesce into the next one, so a 10,000-part upload does not clone its part list 10,000 times.
   */
  private persist(): void {
    if (!this.ctx.options.persist || this.session?.mode !== 'multipart') return;
    this.recordDirty = true;
    if (this.writing) return;
    this.writing = true;
    this.writes = (async () => {
      while (this.recordDirty) {
        this.recordDirty = false;
        const record = this.toRecord();
        // The Uploader's store wrapper already warned when writes fail: resume is off, uploading goes on.
        if (record) await this.ctx.store.put(record).catch(() => {});
      }
      this.writing = false;
    })();
  }

  private toRecord(): UploadRecord | undefined {
    const session = this.session;
    if (session?.mode !== 'multipart') return undefined;
    return {
      id: this.id,
      fingerprint: this.fingerprint,
      name: this.file.name,
      size: this.file.size,
      type: this.file.type,
      lastModified: this.file.lastModified,
      ...(this.file.webkitRelativePath ? { relativePath: this.file.webkitRelativePath } : {}),
      endpoint: this.ctx.endpointKey,
      mode: session.mode,
      uploadId: session.uploadId,
      key: session.key,
      bucket: session.bucket,
      token: session.token,
      tokenExpiresAt: session.tokenExpiresAt,
      partSize: session.partSize,
      partCount: session.partCount,
      parts: [...this.done.values()].sort((a, b) => a.partNumber - b.partNumber),
      handle: this.handle,
      createdAt: session.createdAt,
      updatedAt: Date.now(),
    };
  }

  private async hash(blob: Blob, signal: AbortSignal): Promise<Md5Digest> {
    try {
      return await this.ctx.hasher.md5(blob, signal);
    } catch (error) {
      if (signal.aborted || isAbortError(error)) throw error;
      if (error instanceof EngineError) throw error;
      const name = (error as { name?: string }).name;
      // Chromium raises NotReadableError when the file changed or vanished on disk after it was picked.
      const code =
        name === 'NotReadableError' || name === 'NotFoundError'
          ? 'file-unreadable'
          : 'worker-failed';
      throw new EngineError(code, `could not read the file: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private async sendSingle(signal: AbortSignal): Promise<{ partNumber: number; etag: string }[]> {
    let session = this.session!;
    const md5 = this.singleMd5 ?? (await this.hash(this.file, signal));
    this.singleMd5 = md5;
    if (session.mode === 'single' && !session.put) {
      throw new EngineError('invalid-response', 'create answered single mode without a signed PUT');
    }
    const state: PartState = {
      partNumber: 1,
      start: 0,
      end: this.file.size,
      md5,
      signed: session.put,
      signedAt: Date.now(),
    };
    const resign = async () => {
      // A single PUT is re-signed by creating again: nothing exists on the store before complete.
      const answer = await this.callCreate(state.md5!.base64, signal);
      session = this.session = this.toSession(answer);
      state.signed = answer.put;
      state.signedAt = Date.now();
    };
    await this.sendPart(state, signal, resign);
    return [{ partNumber: 1, etag: this.done.get(1)!.etag }];
  }

  /** The pipeline: a hashing window ahead, batched signing, `concurrency` slots sending parts. */
  private async sendParts(signal: AbortSignal): Promise<{ partNumber: number; etag: string }[]> {
    const session = this.session!;
    const { options } = this.ctx;
    const plan: PartPlan = {
      size: this.file.size,
      partSize: session.partSize,
      partCount: session.partCount,
    };
    const todo: number[] = [];
    for (let n = 1; n <= plan.partCount; n++) if (!this.done.has(n)) todo.push(n);
    const states = new Map<number, PartState>();
    const inner = new AbortController();
    const onOuterAbort = () => inner.abort(signal.reason);
    signal.addEventListener('abort', onOuterAbort, { once: true });
    const pipeSignal = inner.signal;
    let next = 0;
    if (todo.length > 0 && this.phase !== 'uploading') this.setPhase('hashing');

    const stateOf = (n: number): PartState => {
      let state = states.get(n);
      if (!state) {
        const range = partRange(plan, n);
        state = { partNumber: n, start: range.start, end: range.end };
        states.set(n, state);
      }
      return state;
    };
    const startHash = (state: PartState) => {
      if (state.hashing) return;
      state.hashing = this.hash(this.file.slice(state.start, state.end), pipeSignal).then((md5) => {
        state.md5 = md5;
        signSoon();
        return md5;
      });
      state.hashing.catch(() => {});
    };
    // Hash at most hashWindow parts ahead of the next one a slot will take.
    const hashAhead = () => {
      for (let i = next; i < Math.min(todo.length, next + options.hashWindow); i++)
        startHash(stateOf(todo[i]!));
    };
    // Parts hashed in the same turn are signed in one call, ahead of need, so a slot rarely waits for a URL.
    let signTimer: ReturnType<typeof setTimeout> | undefined;
    const signSoon = () => {
      signTimer ??= setTimeout(() => {
        signTimer = undefined;
        const ready = [...states.values()].find(
          (s) => s.md5 && !s.signing && expiring(s, Date.now()),
        );
        if (ready && !pipeSignal.aborted) sign(ready).catch(() => {});
      }, 0);
    };
    const sign = async (state: PartState): Promise<void> => {
      const now = Date.now();
      const batch = [state];
      // Sign, in the same call, the hashed parts that will need a URL soon.
      for (const other of states.values()) {
        if (batch.length >= MAX_SIGN_BATCH) break;
        if (other !== state && other.md5 && !other.signing && expiring(other, now))
          batch.push(other);
      }
      const call = this.callBackend(
        () =>
          this.ctx.backend.signParts(
            {
              token: session.token,
              parts: batch.map((s) => ({
                partNumber: s.partNumber,
                size: s.end - s.start,
                contentMd5: s.md5!.base64,
              })),
            },
            pipeSignal,
          ),
        pipeSignal,
      ).then((answer) => {
        const signedAt = Date.now();
        for (const part of answer.parts) {
          const s = states.get(part.partNumber);
          if (s) {
            s.signed = part;
            s.signedAt = signedAt;
          }
        }
      });
      const settled = call.finally(() => {
        for (const s of batch) if (s.signing === settled) s.signing = undefined;
      });
      for (const s of batch) s.signing = settled;
      await settled;
    };
    const resignFor = (state: PartState) => async () => {
      await state.hashing;
      while (state.signing) await state.signing;
      if (state.signed && !expiring(state, Date.now())) return;
      state.signed = undefined;
      await sign(state);
      if (!state.signed)
        throw new EngineError(
          'invalid-response',
          `sign-parts did not sign part ${state.partNumber}`,
        );
    };

    const slot = async (index: number) => {
      for (;;) {
        await this.ctx.throttle.admit(
          index,
          options.concurrency,
          pipeSignal,
          () => next >= todo.length,
        );
        if (next >= todo.length) return;
        const state = stateOf(todo[next++]!);
        startHash(state);
        hashAhead();
        await state.hashing;
        await this.sendPart(state, pipeSignal, resignFor(state));
        states.delete(state.partNumber);
        this.ctx.throttle.poke();
      }
    };
    try {
      hashAhead();
      const slots = Array.from({ length: Math.min(options.concurrency, todo.length) }, (_, i) =>
        slot(i).catch((error) => {
          // One part failed for good: stop the others, report the first cause.
          if (!inner.signal.aborted) inner.abort(error);
          throw error;
        }),
      );
      const results = await Promise.allSettled(slots);
      const failure = results.find((r) => r.status === 'rejected');
      if (failure) throw inner.signal.reason ?? (failure as PromiseRejectedResult).reason;
    } finally {
      clearTimeout(signTimer);
      signal.removeEventListener('abort', onOuterAbort);
    }
    return [...this.done.values()]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
  }

  /** Sends one part until the store confirms it: retries, re-signs expired URLs, re-hashes on BadDigest. */
  private async sendPart(
    state: PartState,
    signal: AbortSignal,
    resign: () => Promise<void>,
  ): Promise<void> {
    const budget = new RetryBudget(this.ctx.options.retry);
    const size = state.end - state.start;
    let rehashed = false;
    let expiries = 0;
    const retryOrThrow = async (error: EngineError) => {
      const delay = budget.next();
      if (delay === null) {
        const code = error.code === 'etag-mismatch' ? 'etag-mismatch' : 'retries-exhausted';
        throw new EngineError(
          code,
          `part ${state.partNumber}: gave up after ${budget.used + 1} attempts: ${error.message}`,
          {
            status: error.status,
            request: error.request,
            cause: error,
          },
        );
      }
      await sleep(delay, signal);
    };
    for (;;) {
      if (!state.signed || expiring(state, Date.now())) await resign();
      const signed = state.signed!;
      const md5 = state.md5!;
      this.setPhase('uploading');
      let result;
      try {
        result = await this.ctx.transport.put(
          signed,
          this.file.slice(state.start, state.end),
          (loaded) => {
            this.bytes.progress(state.partNumber, loaded, size);
            this.ctx.changed(this);
          },
          signal,
        );
      } catch (error) {
        this.bytes.drop(state.partNumber);
        if (signal.aborted || isAbortError(error)) throw signal.reason ?? error;
        // Offline is a pause, not a failure: the Uploader resumes on 'online'.
        if (!this.ctx.isOnline()) throw new OfflineError();
        await this.assertReadable(state);
        await retryOrThrow(toEngineError(error, 'network'));
        continue;
      }
      const outcome = classifyPut(result, signed, md5);
      switch (outcome.kind) {
        case 'ok': {
          this.bytes.confirm(state.partNumber, size);
          this.done.set(state.partNumber, {
            partNumber: state.partNumber,
            size,
            md5: md5.base64,
            etag: outcome.etag,
          });
          this.persist();
          this.ctx.changed(this);
          this.ctx.emit('upload-part', {
            upload: this.snapshot(),
            partNumber: state.partNumber,
            size,
            etag: outcome.etag,
          });
          return;
        }
        case 'expired':
          // Not a failure and not counted, unless the clock is so far off that every fresh URL is dead.
          this.bytes.drop(state.partNumber);
          if (++expiries > this.ctx.options.retry.retries + 3) {
            throw new EngineError(
              'url-expired',
              `part ${state.partNumber}: every signed URL was expired (clock skew?)`,
              { status: 403 },
            );
          }
          state.signed = undefined;
          continue;
        case 'bad-digest': {
          this.bytes.drop(state.partNumber);
          // The bytes sent were not the bytes hashed: has the file changed on disk?
          if (rehashed) throw outcome.error;
          rehashed = true;
          const again = await this.rehash(state, signal);
          if (again.base64 !== md5.base64) {
            throw new EngineError(
              'file-changed',
              `${this.file.name} changed on disk during the upload`,
              { cause: outcome.error },
            );
          }
          state.signed = undefined;
          await retryOrThrow(outcome.error);
          continue;
        }
        case 'gone':
          this.bytes.drop(state.partNumber);
          throw outcome.error;
        case 'retry':
          this.bytes.drop(state.partNumber);
          if (outcome.slowDown) this.ctx.throttle.slowDown();
          await retryOrThrow(outcome.error);
          continue;
        case 'fail':
          this.bytes.drop(state.partNumber);
          throw outcome.error;
      }
    }
  }

  /**
   * Chromium fails an upload whose file changed on disk after it was picked (ERR_UPLOAD_FILE_CHANGED) the same
   * way as a dropped connection; reading one byte tells the two apart, so a changed file is not retried in vain.
   */
  private async assertReadable(state: PartState): Promise<void> {
    try {
      await this.file.slice(state.start, Math.min(state.end, state.start + 1)).arrayBuffer();
    } catch (error) {
      throw new EngineError('file-changed', `${this.file.name} changed on disk during the upload`, {
        cause: error,
      });
    }
  }

  /** Reads the part again; a file whose size or date changed, or that cannot be read, has changed. */
  private async rehash(state: PartState, signal: AbortSignal): Promise<Md5Digest> {
    if (this.handle) {
      const current = await this.handle.getFile().catch(() => undefined);
      if (
        !current ||
        current.size !== this.file.size ||
        current.lastModified !== this.file.lastModified
      ) {
        throw new EngineError(
          'file-changed',
          `${this.file.name} changed on disk during the upload`,
        );
      }
    }
    try {
      return await this.hash(this.file.slice(state.start, state.end), signal);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'file-unreadable') {
        throw new EngineError(
          'file-changed',
          `${this.file.name} changed on disk during the upload`,
          { cause: error },
        );
      }
      throw error;
    }
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

/** Thrown inside a run when the network is gone: the task pauses instead of failing. */
class OfflineError extends Error {
  override name = 'OfflineError';
}
