import {
  planParts,
  type CompleteUploadResponse,
  type CreateUploadResponse,
  type PartPlan,
  type SignedPart,
} from '../protocol/index.ts';
import { EngineError, fileChangedError } from './errors.ts';
import { assertReadable, hashBlob, rehashRange } from './file-check.ts';
import { PartSender } from './part-sender.ts';
import { expiring, type PartState } from './part-state.ts';
import { runPipeline } from './pipeline.ts';
import type { ByteRange, Md5Digest, RecordedPart, UploadRecord } from './ports.ts';
import { ByteCounter } from './progress.ts';
import { fileFingerprint } from './records.ts';
import { withRetry } from './retry.ts';
import type { UploadPhase, UploadSnapshot } from './types.ts';
import type { TaskContext } from './upload-task.ts';

/** The upload's session on the server, as create answered it (or as a record saved it). */
export interface Session {
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

/**
 * The transfer half of an upload task: create, the record, hashing, the single PUT and the multipart
 * pipeline. UploadTask adds the lifecycle (start, pause, abort, resume from a record, complete).
 */
export abstract class UploadTransfer {
  readonly fingerprint: string;
  phase: UploadPhase = 'waiting';
  result?: CompleteUploadResponse;

  protected session?: Session;
  protected readonly done = new Map<number, RecordedPart>();
  /** Parts trusted from a saved record and not yet hashed again in this page (checked before complete). */
  protected readonly unchecked = new Map<number, RecordedPart>();
  protected bytes: ByteCounter;
  protected singleMd5?: Md5Digest;
  /** The first part's MD5, hashed before create (multipart), until the pipeline takes it. */
  private prehashed?: { end: number; md5: Md5Digest };
  protected writes: Promise<void> = Promise.resolve();
  private writing = false;
  private recordDirty = false;
  /** A read of this file has succeeded (see hash()). */
  private readOnce = false;

  constructor(
    readonly id: string,
    readonly file: File,
    protected handle: FileSystemFileHandle | undefined,
    protected readonly ctx: TaskContext,
  ) {
    this.fingerprint = fileFingerprint(file);
    this.bytes = new ByteCounter(file.size);
  }

  /** A plain-data view for events and rendering. */
  abstract snapshot(): UploadSnapshot;
  protected abstract setPhase(phase: UploadPhase): void;
  /** The task's bytes changed: a throttled progress event follows. */
  protected abstract changed(): void;

  /**
   * Runs a backend call under the retry policy; a throttled handler (429, slow-down) also slows every
   * upload's parts before the call is tried again.
   */
  protected callBackend<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return withRetry(call, this.ctx.options.retry, signal, (error) => {
      if (error.status === 429 || error.code === 'slow-down') this.ctx.throttle.slowDown();
    });
  }

  protected async create(signal: AbortSignal): Promise<void> {
    const { options } = this.ctx;
    const plan = planParts(this.file.size, options.partSize);
    // Hash first, so create already answers with a signed PUT: of the whole file when it fits in one part
    // (create + PUT + complete), else of part 1 (its bytes leave one sign-parts round trip earlier).
    this.setPhase('hashing');
    let firstPart: { size: number; contentMd5: string } | undefined;
    if (plan.partCount === 1) {
      this.singleMd5 = await this.hash(signal);
    } else {
      const md5 = await this.hash(signal, { start: 0, end: plan.partSize });
      this.prehashed = { end: plan.partSize, md5 };
      firstPart = { size: plan.partSize, contentMd5: md5.base64 };
    }
    const answer = await this.callCreate(this.singleMd5?.base64, signal, firstPart);
    this.session = this.toSession(answer);
    this.changed();
    this.persist();
  }

  /** The create call for this file (with its Content-MD5 when it fits in one part, else its first part's), retried. */
  protected callCreate(
    contentMd5: string | undefined,
    signal: AbortSignal,
    firstPart?: { size: number; contentMd5: string },
  ) {
    const { options } = this.ctx;
    const request = {
      fileName: this.file.name,
      size: this.file.size,
      contentType: this.file.type,
      partSize: options.partSize,
      metadata: options.metadata,
      contentMd5,
      ...(firstPart ? { firstPart } : {}),
      callback: options.callback,
      ...(this.file.webkitRelativePath ? { relativePath: this.file.webkitRelativePath } : {}),
    };
    return this.callBackend(() => this.ctx.backend.createUpload(request, signal), signal);
  }

  protected toSession(answer: CreateUploadResponse): Session {
    if (answer.partCount < 1 || answer.partSize < 1) {
      throw new EngineError('invalid-response', 'create answered an impossible part plan');
    }
    return { ...answer, createdAt: Date.now() };
  }

  /**
   * Saves the record (multipart only: a single PUT has nothing to resume). While one write runs, later
   * changes coalesce into the next one, so a 10,000-part upload does not clone its part list 10,000 times.
   */
  protected persist(): void {
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

  protected toRecord(): UploadRecord | undefined {
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

  /**
   * Hashes the file, or its bytes `range` (the workers slice it). Once a read of this file succeeded, a read
   * that fails means the file changed or moved on disk since (Chromium answers NotReadableError for both):
   * 'file-changed', not 'file-unreadable'.
   */
  protected async hash(signal: AbortSignal, range?: ByteRange): Promise<Md5Digest> {
    try {
      const md5 = await hashBlob(this.ctx.hasher, this.file, signal, range);
      this.readOnce = true;
      return md5;
    } catch (error) {
      if (this.readOnce && error instanceof EngineError && error.code === 'file-unreadable')
        throw fileChangedError(this.file.name, error);
      throw error;
    }
  }

  /** Hashes bytes [start, end) of the file, or answers the first part's MD5 taken before create (once). */
  private hashPart(start: number, end: number, signal: AbortSignal): Promise<Md5Digest> {
    const first = this.prehashed;
    if (first && start === 0) {
      // Part 1 is asked for once per run: the MD5 from before create answers it, unless the server's plan
      // changed the part size; either way it is not kept.
      this.prehashed = undefined;
      if (end === first.end) return Promise.resolve(first.md5);
    }
    return this.hash(signal, { start, end });
  }

  /** The unit that sends one part; its callbacks keep this task's progress, record and events. */
  protected sender(): PartSender {
    return new PartSender({
      file: this.file,
      transport: this.ctx.transport,
      retry: this.ctx.options.retry,
      bytes: this.bytes,
      isOnline: () => this.ctx.isOnline(),
      slowDown: () => this.ctx.throttle.slowDown(),
      rehash: (state, signal) =>
        rehashRange(this.ctx.hasher, this.file, this.handle, state.start, state.end, signal),
      assertReadable: (state) => assertReadable(this.file, state.start, state.end),
      sending: () => this.setPhase('uploading'),
      progressed: () => this.changed(),
      stored: (state, etag) => this.stored(state, etag),
    });
  }

  /** The store confirmed a part: record it, save, tell. */
  protected stored(state: PartState, etag: string): void {
    const size = state.end - state.start;
    this.done.set(state.partNumber, {
      partNumber: state.partNumber,
      size,
      md5: state.md5!.base64,
      etag,
    });
    this.unchecked.delete(state.partNumber);
    this.persist();
    this.changed();
    this.ctx.emit('upload-part', {
      upload: this.snapshot(),
      partNumber: state.partNumber,
      size,
      etag,
    });
  }

  protected async sendSingle(signal: AbortSignal): Promise<{ partNumber: number; etag: string }[]> {
    const md5 = this.singleMd5 ?? (await this.hash(signal));
    this.singleMd5 = md5;
    if (!this.session!.put) {
      throw new EngineError('invalid-response', 'create answered single mode without a signed PUT');
    }
    const state: PartState = {
      partNumber: 1,
      start: 0,
      end: this.file.size,
      md5,
      signed: this.session!.put,
      signedAt: Date.now(),
    };
    const urlFor = async () => {
      if (state.signed && !expiring(state, Date.now())) return;
      // A single PUT is re-signed by creating again: nothing exists on the store before complete.
      const answer = await this.callCreate(md5.base64, signal);
      this.session = this.toSession(answer);
      state.signed = answer.put;
      state.signedAt = Date.now();
    };
    await this.sender().send(state, signal, urlFor);
    return [{ partNumber: 1, etag: this.done.get(1)!.etag }];
  }

  /**
   * The multipart pipeline (src/engine/pipeline.ts): hashes ahead, signs in batches, sends `concurrency`
   * parts at once, and checks every part trusted from a saved record against the file before complete.
   */
  protected async sendParts(signal: AbortSignal): Promise<{ partNumber: number; etag: string }[]> {
    const session = this.session!;
    const { options } = this.ctx;
    const plan: PartPlan = {
      size: this.file.size,
      partSize: session.partSize,
      partCount: session.partCount,
    };
    const send: number[] = [];
    for (let n = 1; n <= plan.partCount; n++) if (!this.done.has(n)) send.push(n);
    const verify = [...this.unchecked.values()].sort((a, b) => a.partNumber - b.partNumber);
    if ((send.length > 0 || verify.length > 0) && this.phase !== 'uploading')
      this.setPhase('hashing');
    // Part 1's URL from create, used once (a later run signs it again if it still needs sending).
    const presigned = session.put;
    session.put = undefined;
    await runPipeline(
      {
        plan,
        send,
        verify,
        concurrency: options.concurrency,
        hashWindow: options.hashWindow,
        throttle: this.ctx.throttle,
        hash: (start, end, pipe) => this.hashPart(start, end, pipe),
        presigned,
        signParts: (parts, pipe) =>
          this.callBackend(
            () => this.ctx.backend.signParts({ token: session.token, parts }, pipe),
            pipe,
          ).then((answer) => answer.parts),
        sender: this.sender(),
        checked: (part, _md5, same) => this.checked(part, same),
      },
      signal,
    );
    return [...this.done.values()]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
  }

  /** A trusted part was hashed again: a part whose bytes differ from its record is no longer done. */
  protected checked(part: RecordedPart, same: boolean): void {
    this.unchecked.delete(part.partNumber);
    if (same || !this.done.has(part.partNumber)) return;
    this.done.delete(part.partNumber);
    this.bytes.unconfirm(part.size);
    this.persist();
  }
}
