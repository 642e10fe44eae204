import { EngineError } from './errors.ts';
import type { FileCopies } from './file-copies.ts';
import { editedVersions } from './edited-files.ts';
import type { ResumeStore, UploadLock, UploadRecord } from './ports.ts';
import { fileFingerprint, toPending, withRelativePath } from './records.ts';
import type { BackendAdapter, PendingUpload, UploaderEventMap } from './types.ts';

/** What the saved uploads need from their Uploader. */
export interface SavedUploadsContext {
  store: ResumeStore;
  backend: BackendAdapter;
  lock: UploadLock;
  copies: FileCopies;
  /** The backend's identity in records (the endpoint URL). */
  endpointKey: string;
  /** Records not updated for this many ms are aborted and removed at startup. */
  maxRecordAge: number;
  /** Reads the File behind a stored handle, asking for permission when needed. */
  fileFromHandle?: (handle: FileSystemFileHandle) => Promise<File>;
  /** True when an upload of this page works on the record's id. */
  isActive(id: string): boolean;
  emit<K extends keyof UploaderEventMap>(name: K, detail: UploaderEventMap[K]): void;
}

/**
 * The unfinished uploads saved in the resume store: listing them, finding the file to resume one,
 * discarding them (aborted on the store, record removed) and the cleanup of old ones at startup.
 */
export class SavedUploads {
  constructor(private readonly ctx: SavedUploadsContext) {}

  /** Saved uploads of this endpoint that no upload in this page is working on. */
  async list(): Promise<PendingUpload[]> {
    const records = await this.ctx.store.list().catch(() => [] as UploadRecord[]);
    return records
      .filter((r) => r.endpoint === this.ctx.endpointKey && !this.ctx.isActive(r.id))
      .map(toPending);
  }

  /** Fires 'upload-pending' with the current list. */
  async announce(): Promise<void> {
    const pending = await this.list().catch(() => []);
    this.ctx.emit('upload-pending', { pending });
  }

  /**
   * The file to resume a saved upload from: its private copy, else the file behind its handle (a file
   * that changed since has its saved upload discarded, so it starts over).
   */
  async open(id: string): Promise<{ file: File; handle?: FileSystemFileHandle }> {
    const record = await this.ctx.store.get(id);
    if (!record) throw new EngineError('no-such-record', 'no saved upload with this id');
    const copied = await this.ctx.copies.fileFor(record);
    if (copied) return { file: copied };
    if (!record.handle)
      throw new EngineError(
        'no-file-handle',
        'this upload saved no file handle: select the file again',
      );
    if (!this.ctx.fileFromHandle)
      throw new EngineError('no-file-handle', 'file handles are not supported here');
    const handle = record.handle as FileSystemFileHandle;
    let file: File;
    try {
      file = withRelativePath(await this.ctx.fileFromHandle(handle), record.relativePath);
    } catch (error) {
      throw new EngineError(
        'file-unreadable',
        `could not read ${record.name}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (fileFingerprint(file) !== record.fingerprint) {
      // The file behind the handle changed: its saved parts are worthless, start it over.
      await this.discard(id);
    }
    return { file, handle };
  }

  /** Aborts a saved upload through the backend, removes its record and announces the list. */
  async discard(id: string): Promise<void> {
    const record = await this.ctx.store.get(id);
    if (record) await this.discardRecord(record);
    void this.announce();
  }

  /**
   * Drops the saved uploads of an earlier version of a file just added (see edited-files.ts): aborted
   * on the store, record removed, `upload-discarded` fired and the pending list announced again. One
   * this page or another tab is working on is left alone.
   */
  async discardEditedVersions(file: File): Promise<void> {
    const records = await this.ctx.store.list().catch(() => [] as UploadRecord[]);
    const stale = editedVersions(records, file, this.ctx.endpointKey).filter(
      (r) => !this.ctx.isActive(r.id),
    );
    for (const record of stale) {
      const lock = await this.ctx.lock.tryAcquire(record.id).catch(() => null);
      if (!lock) continue;
      try {
        await this.discardRecord(record);
      } finally {
        lock.release();
      }
      this.ctx.emit('upload-discarded', { pending: toPending(record), reason: 'file-changed' });
    }
    if (stale.length) await this.announce();
  }

  /** Aborts (through the backend) and removes records older than maxRecordAge, then lists what is pending. */
  async cleanUp(): Promise<void> {
    const records = await this.ctx.store.list().catch(() => [] as UploadRecord[]);
    const limit = Date.now() - this.ctx.maxRecordAge;
    const old = records.filter((r) => r.endpoint === this.ctx.endpointKey && r.updatedAt < limit);
    await Promise.all(old.map((r) => this.discardRecord(r)));
    await this.announce();
    await this.ctx.copies.prune(records.filter((r) => !old.includes(r)));
  }

  private async discardRecord(record: UploadRecord): Promise<void> {
    // The record goes first: a reload right after the store dropped the parts must not bring it back.
    await this.ctx.store.delete(record.id).catch(() => {});
    void this.ctx.copies.drop(record.id);
    // Single mode too: the server deletes what a PUT staged.
    if (record.tokenExpiresAt > Date.now()) {
      await this.ctx.backend.abortUpload({ token: record.token }).catch(() => {
        // Gone already or unreachable: the store's own lifecycle rules are left to clean up.
      });
    }
  }
}
