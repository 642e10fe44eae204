import { MAX_OBJECT_SIZE, canRetry } from '../protocol/index.ts';
import { createBackendClient } from './backend-client.ts';
import { EngineError } from './errors.ts';
import { FileCopies } from './file-copies.ts';
import { memoryStore } from './memory-store.ts';
import { checkLimits, type ListUsage } from './limits.ts';
import { accepts, resolveOptions, type ResolvedOptions } from './options.ts';
import { pageLock } from './page-lock.ts';
import type { FileCopier, Hasher, PartTransport, ResumeStore, UploadLock } from './ports.ts';
import { ProgressEvents } from './progress-events.ts';
import { fileFingerprint, updateRecord, uploadId } from './records.ts';
import { SavedUploads } from './saved-uploads.ts';
import { FileQueue, Throttle } from './scheduler.ts';
import { UploadTask, type TaskContext } from './upload-task.ts';
import type {
  BackendAdapter,
  PendingUpload,
  UploadSnapshot,
  UploaderApi,
  UploaderBehaviour,
  UploaderEventMap,
  UploaderOptions,
} from './types.ts';

/** Where the engine learns about the network (the browser entry: navigator.onLine and window's online/offline events). */
export interface OnlineSource {
  isOnline(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** The ports an Uploader runs on; the browser entry (src/browser/ports.ts) supplies defaults, tests supply fakes. */
export interface UploaderPorts {
  /** The MD5 hasher port; the public option of the same name (an implementation's name) is read by the browser entry. */
  hasher?: Hasher;
  transport?: PartTransport;
  /** A resume store, or a promise of one (IndexedDB opens asynchronously); a rejected one means memory only. */
  store?: ResumeStore | Promise<ResumeStore>;
  lock?: UploadLock;
  online?: OnlineSource;
  /** Reads the File behind a stored handle, asking for permission when needed (resumePending). */
  fileFromHandle?: (handle: FileSystemFileHandle) => Promise<File>;
  /** Keeps private copies of files without handles, for resume after a restart (OPFS). */
  copier?: FileCopier;
}

/** Everything the constructor takes: the public options plus injected ports. */
export type UploaderInit = Omit<UploaderOptions, 'hasher'> &
  UploaderBehaviour &
  Omit<UploaderPorts, 'hasher'> & {
    /** Either the MD5 implementation's name (public option) or a Hasher port (injection). */
    hasher?: UploaderOptions['hasher'] | Hasher;
  };

/** How many files upload at the same time; the rest wait their turn in the order added. */
const ACTIVE_FILES = 3;

/** Without an online port (tests, a non-browser host) the network is taken as always there. */
const ALWAYS_ONLINE: OnlineSource = { isOnline: () => true, subscribe: () => () => {} };

/**
 * The upload engine: an EventTarget that uploads files in parts to S3-compatible storage through
 * presigned URLs, with retries, pause/resume, and resume after a reload from the saved records.
 */
export class Uploader extends EventTarget implements UploaderApi {
  /** The options after validation and defaults. */
  readonly options: ResolvedOptions;
  private readonly tasks = new Map<string, UploadTask>();
  private readonly ctx: TaskContext;
  private readonly backend: BackendAdapter;
  private readonly hasher: Hasher;
  private destroyed = false;
  private readonly online: OnlineSource;
  private readonly progress: ProgressEvents;
  private readonly saved: SavedUploads;
  private unsubscribeOnline: () => void;
  private storeReady: Promise<ResumeStore>;
  private resumeWarned = false;
  private readonly copies: FileCopies;
  /** Resolves when old records have been cleaned up at startup (tests wait on it). */
  readonly ready: Promise<void>;

  constructor(init: UploaderInit) {
    super();
    const hasher = typeof init?.hasher === 'object' ? init.hasher : undefined;
    this.options = resolveOptions(hasher ? { ...init, hasher: undefined } : init);
    const { transport } = init;
    if (!hasher || typeof hasher.md5 !== 'function')
      throw new TypeError('Uploader: a hasher port is required');
    if (!transport || typeof transport.put !== 'function')
      throw new TypeError('Uploader: a transport is required');
    this.hasher = hasher;
    this.backend =
      this.options.backend ??
      createBackendClient({ endpoint: this.options.endpoint!, headers: this.options.headers });
    this.online = init.online ?? ALWAYS_ONLINE;
    this.storeReady = this.openStore(init.store);
    this.copies = new FileCopies(
      this.options.persist ? init.copier : undefined,
      this.options.opfsCopyMaxSize,
      this.options.partSize,
      (name, detail) => this.emit(name, detail),
      this.options.opfsCopyDelay,
    );
    const store = this.copies.wrap(this.guardedStore());
    this.progress = new ProgressEvents(
      () => this.tasks.values(),
      (name, detail) => this.emit(name, detail),
    );
    this.ctx = {
      options: this.options,
      backend: this.backend,
      hasher,
      transport,
      store,
      lock: init.lock ?? pageLock(),
      throttle: new Throttle(),
      files: new FileQueue(ACTIVE_FILES),
      endpointKey: this.endpointKey(),
      isOnline: () => this.online.isOnline(),
      changed: (task) => this.progress.changed(task),
      emit: (name, detail) => this.emit(name, detail),
    };
    this.unsubscribeOnline = this.online.subscribe((online) => this.onNetworkChange(online));
    this.saved = new SavedUploads({
      store,
      backend: this.backend,
      lock: this.ctx.lock,
      copies: this.copies,
      endpointKey: this.ctx.endpointKey,
      maxRecordAge: this.options.maxRecordAge,
      fileFromHandle: init.fileFromHandle,
      isActive: (id) => !!this.tasks.get(id)?.active,
      emit: (name, detail) => this.emit(name, detail),
    });
    this.ready = this.saved.cleanUp();
  }

  /** Dispatches a typed engine event. */
  emit<K extends keyof UploaderEventMap>(name: K, detail: UploaderEventMap[K]): boolean {
    // An ended upload's private copy goes (a failed one keeps it: it may be retried or resumed).
    if (name === 'upload-success' || name === 'upload-aborted') {
      void this.copies.drop((detail as UploaderEventMap['upload-aborted']).upload.id);
    }
    return this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  get uploads(): UploadSnapshot[] {
    return [...this.tasks.values()].map((t) => t.snapshot());
  }

  add(
    files: Iterable<File> | ArrayLike<File>,
    opts: { handles?: FileSystemFileHandle[] } = {},
  ): UploadSnapshot[] {
    const list = Array.from(files as ArrayLike<File>);
    const added: UploadSnapshot[] = [];
    const usage = this.usage();
    list.forEach((file, index) => {
      const rejection = this.check(file) ?? checkLimits(file, this.options.limits, usage);
      if (rejection) {
        this.emit('upload-rejected', {
          file: { name: file.name, size: file.size, type: file.type },
          ...rejection,
        });
        return;
      }
      const id = uploadId(this.ctx.endpointKey, fileFingerprint(file));
      const existing = this.tasks.get(id);
      if (existing?.active) {
        this.emit('upload-rejected', {
          file: { name: file.name, size: file.size, type: file.type },
          code: 'duplicate',
          message: `${file.name} is already in the list`,
        });
        return;
      }
      // The same file again after it finished (or failed): a new upload replaces the old entry.
      if (existing) this.tasks.delete(id);
      if (!existing || existing.phase === 'aborted') {
        usage.count++;
        usage.bytes += file.size;
      }
      const task = new UploadTask(id, file, opts.handles?.[index], this.ctx);
      this.tasks.set(id, task);
      this.copies.start(id, file, !!opts.handles?.[index], () => task.snapshot());
      const snapshot = task.snapshot();
      added.push(snapshot);
      this.emit('upload-added', { upload: snapshot });
      if (this.options.autoStart) this.startTask(task);
      void this.saved.discardEditedVersions(file);
    });
    return added;
  }

  start(id?: string): void {
    for (const task of this.select(id)) this.startTask(task);
  }

  pause(id?: string): void {
    for (const task of this.select(id)) task.pause('user');
  }

  resume(id?: string): void {
    for (const task of this.select(id)) if (task.phase === 'paused') this.startTask(task);
  }

  async abort(id?: string): Promise<void> {
    await Promise.all(this.select(id).map((task) => task.abort()));
    void this.saved.announce();
  }

  /**
   * Starts a failed upload again, keeping the parts that made it; false (nothing happens) when no failed
   * upload has this id or its error cannot be retried (`snapshot.error.retryable`, ERROR_CODES' 'none').
   */
  retry(id: string): boolean {
    const task = this.tasks.get(id);
    if (task?.phase !== 'failed' || (task.error && !canRetry(task.error.code))) return false;
    this.startTask(task);
    return true;
  }

  remove(id: string): void {
    const task = this.tasks.get(id);
    // Only finished, failed or aborted uploads leave the list; a running one must be aborted first.
    if (task && !task.active) this.tasks.delete(id);
  }

  listPending(): Promise<PendingUpload[]> {
    return this.saved.list();
  }

  async resumePending(id: string): Promise<UploadSnapshot> {
    const { file, handle } = await this.saved.open(id);
    const [snapshot] = this.add([file], handle ? { handles: [handle] } : {});
    if (!snapshot) throw new EngineError('duplicate', `${file.name} is already in the list`);
    return snapshot;
  }

  discardPending(id: string): Promise<void> {
    return this.saved.discard(id);
  }

  /**
   * Starts a hash worker ahead of the first file (its script loaded, its hasher compiled), so the first
   * part's MD5 does not wait for it: call it when a person starts choosing files. Does nothing after
   * destroy() or with a hasher that cannot warm up.
   */
  warm(): void {
    if (!this.destroyed) this.hasher.warm?.();
  }

  destroy(): void {
    this.destroyed = true;
    for (const task of this.tasks.values()) task.stop();
    this.unsubscribeOnline();
    this.ctx.throttle.destroy();
    this.progress.destroy();
    this.hasher.destroy();
    this.copies.destroy();
  }

  /** Waits until no upload has work in flight (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.tasks.values()].map((t) => t.settled()));
  }

  private select(id?: string): UploadTask[] {
    if (id === undefined) return [...this.tasks.values()];
    const task = this.tasks.get(id);
    return task ? [task] : [];
  }

  private startTask(task: UploadTask): void {
    // Started while offline: wait for the network instead of failing the first request.
    if (!this.online.isOnline()) {
      if (task.phase !== 'paused') task.pause('offline');
      else task.pauseReason = 'offline';
      return;
    }
    task.start();
  }

  /** What the list holds for the limits: every upload but the cancelled ones. */
  private usage(): ListUsage {
    const counted = [...this.tasks.values()].filter((t) => t.phase !== 'aborted');
    return { count: counted.length, bytes: counted.reduce((sum, t) => sum + t.file.size, 0) };
  }

  private check(file: File): { code: string; message: string } | undefined {
    if (!(file instanceof Blob) || typeof file.name !== 'string') {
      return { code: 'invalid-file', message: 'not a File' };
    }
    if (file.size > Math.min(this.options.maxFileSize, MAX_OBJECT_SIZE)) {
      return { code: 'file-too-large', message: `${file.name} is over the size limit` };
    }
    if (!accepts(this.options.accept, file)) {
      return { code: 'type-not-accepted', message: `${file.name} is not an accepted type` };
    }
    return undefined;
  }

  private onNetworkChange(online: boolean): void {
    for (const task of this.tasks.values()) {
      if (!online) task.pause('offline');
      else if (task.phase === 'paused' && task.pauseReason === 'offline') task.start();
    }
  }

  private endpointKey(): string {
    if (this.options.endpoint === undefined) return 'custom-backend';
    try {
      return typeof location === 'undefined'
        ? this.options.endpoint
        : new URL(this.options.endpoint, location.href).href.replace(/\/+$/, '');
    } catch {
      return this.options.endpoint;
    }
  }

  private async openStore(store: UploaderPorts['store']): Promise<ResumeStore> {
    if (!this.options.persist) return memoryStore();
    try {
      if (!store) throw new Error('no resume store was given');
      return await store;
    } catch (error) {
      this.warnResumeOff(error);
      return memoryStore();
    }
  }

  private warnResumeOff(error: unknown): void {
    if (this.resumeWarned) return;
    this.resumeWarned = true;
    const reason = error instanceof Error ? error.message : String(error);
    // Dispatched on a microtask so listeners added right after the constructor hear it.
    queueMicrotask(() => this.emit('upload-resume-unavailable', { reason }));
  }

  /**
   * The store every task uses: it waits for the real store to open and falls back to memory for good
   * when a write fails (IndexedDB full or gone), after one 'upload-resume-unavailable' warning.
   */
  private guardedStore(): ResumeStore {
    const fallback = memoryStore();
    let broken = false;
    const use = async <T>(op: (s: ResumeStore) => Promise<T>): Promise<T> => {
      const store = broken ? fallback : await this.storeReady;
      try {
        return await op(store);
      } catch (error) {
        if (store === fallback) throw error;
        broken = true;
        this.warnResumeOff(error);
        return op(fallback);
      }
    };
    return {
      get: (id) => use((s) => s.get(id)),
      find: (fingerprint, endpoint) => use((s) => s.find(fingerprint, endpoint)),
      put: (record) => use((s) => s.put(record)),
      update: (id, change) => use((s) => updateRecord(s, id, change)),
      delete: (id) => use((s) => s.delete(id)),
      list: () => use((s) => s.list()),
    };
  }
}
