import type { FileCopier, ResumeStore, UploadRecord } from './ports.ts';
import { updateRecord } from './records.ts';
import { timerDelay } from './retry.ts';
import type { UploadSnapshot, UploaderEventMap } from './types.ts';

/** Room left beside a copy: the browser's estimate is rough, and IndexedDB records need space too. */
const SPARE_BYTES = 16 * 1024 * 1024;

type Emit = <K extends keyof UploaderEventMap>(name: K, detail: UploaderEventMap[K]) => unknown;

/**
 * The Uploader's copies of files without handles, kept beside their resume records: started when such a
 * file is added (multipart and up to `maxSize` bytes), named in the record once complete (`copy`), read
 * back by resumePending after a restart, and deleted after complete, abort or discard. The part pipeline
 * knows nothing of them: the copy runs beside it, and the record gains its `copy` field in the store.
 */
export class FileCopies {
  /** Ids whose copy is complete (or was found at resume): their records name it. */
  private readonly complete = new Set<string>();
  private readonly running = new Map<string, AbortController>();
  /** Ids ended (complete, abort, discard): no record of theirs may be written again by us. */
  private readonly ended = new Set<string>();
  /** Ids whose record we rewrote ourselves to name the copy. */
  private readonly attached = new Set<string>();
  /** Copies waiting for their upload to have run `delayMs`. */
  private readonly waiting = new Map<string, ReturnType<typeof setTimeout>>();
  private store: ResumeStore | undefined;

  constructor(
    private readonly copier: FileCopier | undefined,
    private readonly maxSize: number,
    private readonly partSize: number,
    private readonly emit: Emit,
    /** How long after a file is added its copy starts: an upload that ends sooner gets none (`opfsCopyDelay`). */
    private readonly delayMs = 0,
  ) {}

  /**
   * Copies `file` for upload `id`, `delayMs` from now unless the upload ended by then, when it has no handle,
   * has a record (multipart) and is small enough.
   */
  start(id: string, file: File, hasHandle: boolean, snapshot: () => UploadSnapshot): void {
    // A single-PUT file keeps no record, so a copy could never be used; a handle needs no copy.
    if (!this.copier || hasHandle || file.size <= this.partSize || file.size > this.maxSize) return;
    if (this.complete.has(id) || this.running.has(id) || this.waiting.has(id)) return;
    this.ended.delete(id);
    if (this.delayMs <= 0) return this.copy(id, file, snapshot);
    this.waiting.set(
      id,
      setTimeout(() => {
        this.waiting.delete(id);
        this.copy(id, file, snapshot);
      }, timerDelay(this.delayMs)),
    );
  }

  private copy(id: string, file: File, snapshot: () => UploadSnapshot): void {
    const copier = this.copier!;
    const controller = new AbortController();
    this.running.set(id, controller);
    void (async () => {
      try {
        const free = await copier.available();
        if (free !== undefined && free < file.size + SPARE_BYTES) {
          this.emit('upload-copy-skipped', {
            upload: snapshot(),
            reason: 'no-space',
            message: `${file.name} is not kept for resume after a restart: the browser has room for ${free} more bytes only`,
          });
          return;
        }
        await copier.copy(id, file, controller.signal);
        if (controller.signal.aborted) return;
        this.complete.add(id);
        await this.attach(id);
      } catch (error) {
        if (controller.signal.aborted) return;
        await copier.remove(id).catch(() => {});
        this.emit('upload-copy-skipped', {
          upload: snapshot(),
          reason: 'copy-failed',
          message: `${file.name} is not kept for resume after a restart: ${(error as Error)?.message ?? String(error)}`,
        });
      } finally {
        if (this.running.get(id) === controller) this.running.delete(id);
      }
    })();
  }

  /** The store every task writes through: a record whose copy is complete names it. */
  wrap(store: ResumeStore): ResumeStore {
    this.store = store;
    const named = (record: UploadRecord): UploadRecord =>
      this.complete.has(record.id) && !record.handle ? { ...record, copy: record.id } : record;
    return {
      ...store,
      put: (record) => store.put(named(record)),
      update: (id, change) =>
        updateRecord(store, id, (record) => {
          const next = change(record);
          return next && named(next);
        }),
    };
  }

  /**
   * Names the finished copy in the saved record now: no later part may rewrite it (the last ones may be
   * in flight). Read, checked and written in one step (ResumeStore.update), so neither a part saved
   * meanwhile is lost nor an upload that ended meanwhile brought back; undone by drop().
   */
  private async attach(id: string): Promise<void> {
    if (!this.store) return;
    await updateRecord(this.store, id, (record) => {
      if (!record || record.handle || record.copy || this.ended.has(id) || !this.complete.has(id))
        return undefined;
      this.attached.add(id);
      return { ...record, copy: id };
    }).catch(() => {});
  }

  /** The file to resume `record` from, read from its copy (name, type and date of the original), if any. */
  async fileFor(record: UploadRecord): Promise<File | undefined> {
    if (!this.copier || !record.copy) return undefined;
    const copy = await this.copier.read(record.copy).catch(() => undefined);
    if (!copy || copy.size !== record.size) return undefined;
    this.complete.add(record.id);
    // The copy's own date is when it was written: the original's keeps the fingerprint (and the id).
    return new File([copy], record.name, { type: record.type, lastModified: record.lastModified });
  }

  /** Cancels the copies still waiting to start (the Uploader is destroyed); copies running finish. */
  destroy(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  /** At startup: deletes the copies no saved record names any more (nor a copy running here). */
  async prune(records: UploadRecord[]): Promise<void> {
    const keep = new Set([...records.map((r) => r.id), ...this.running.keys()]);
    await this.copier?.prune?.(keep).catch(() => {});
  }

  /** Stops and deletes the copy of upload `id` (after complete, abort or discard). */
  async drop(id: string): Promise<void> {
    this.ended.add(id);
    clearTimeout(this.waiting.get(id));
    this.waiting.delete(id);
    this.running.get(id)?.abort();
    this.running.delete(id);
    this.complete.delete(id);
    if (this.attached.delete(id)) await this.store?.delete(id).catch(() => {});
    await this.copier?.remove(id).catch(() => {});
  }
}
