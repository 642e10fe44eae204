import type {
  CompleteUploadResponse,
  CreateUploadRequest,
  CreateUploadResponse,
  ListPartsResponse,
  SignPartsRequest,
  SignPartsResponse,
  CompleteUploadRequest,
  AbortUploadRequest,
  ErrorCode,
} from '../protocol/index.ts';

/** Where an upload stands. */
export type UploadPhase =
  'waiting' | 'hashing' | 'uploading' | 'paused' | 'completing' | 'done' | 'failed' | 'aborted';

/**
 * Stable codes of engine failures: the one table of src/protocol/errors.ts (ERROR_CODES), which also
 * holds the backend's codes and says who can retry each one.
 */
export type EngineErrorCode = ErrorCode;

/** A plain-data view of one upload, safe to render. */
export interface UploadSnapshot {
  /** Engine-local id, stable across reloads for a resumed upload. */
  id: string;
  name: string;
  size: number;
  type: string;
  phase: UploadPhase;
  /** Bytes the store confirmed plus bytes in flight; never goes backwards. */
  bytesUploaded: number;
  /** bytesUploaded / size (1 for a finished 0-byte file). */
  progress: number;
  /** Bytes per second over the last few seconds. */
  speed: number;
  /** Seconds left at the current speed, or null when unknown. */
  eta: number | null;
  partCount: number;
  partsDone: number;
  /** The object key, once the server chose it. */
  key?: string;
  /**
   * The last failure, when phase is 'failed' (or paused because another tab is busy with the file);
   * `retryable` says whether another attempt can help (ERROR_CODES' retry class is not 'none').
   */
  error?: { code: EngineErrorCode; message: string; retryable: boolean };
  /** The complete answer (with the callback's answer), when phase is 'done'. */
  result?: CompleteUploadResponse;
  /** True when this upload continues one saved before a reload. */
  resumed: boolean;
  /** The file's path inside a chosen or dropped folder ('photos/2024/a.jpg'), if it came from one. */
  relativePath?: string;
}

/** An unfinished upload saved in IndexedDB, listed after a reload. */
export interface PendingUpload {
  id: string;
  name: string;
  size: number;
  type: string;
  lastModified: number;
  key: string;
  partCount: number;
  partsDone: number;
  bytesDone: number;
  createdAt: number;
  updatedAt: number;
  /** A FileSystemFileHandle is stored: resume needs at most a permission prompt, no re-picking. */
  hasHandle: boolean;
  /** The file's path inside the folder it came from, if any. */
  relativePath?: string;
}

/** Overall progress of every upload the engine holds. */
export interface OverallProgress {
  bytesUploaded: number;
  bytesTotal: number;
  progress: number;
  speed: number;
  eta: number | null;
}

/** The engine's events and their details. */
export interface UploaderEventMap {
  'upload-added': { upload: UploadSnapshot };
  'upload-rejected': {
    file: { name: string; size: number; type: string };
    code: string;
    message: string;
  };
  'upload-progress': { upload: UploadSnapshot; overall: OverallProgress };
  'upload-part': { upload: UploadSnapshot; partNumber: number; size: number; etag: string };
  'upload-state': { upload: UploadSnapshot };
  'upload-paused': { upload: UploadSnapshot };
  'upload-resumed': { upload: UploadSnapshot };
  'upload-success': { upload: UploadSnapshot; result: CompleteUploadResponse };
  'upload-error': { upload: UploadSnapshot; code: EngineErrorCode; message: string };
  'upload-aborted': { upload: UploadSnapshot };
  /** IndexedDB (or Web Locks) is unavailable: uploads work, resume after a reload does not. */
  'upload-resume-unavailable': { reason: string };
  /** The list of unfinished saved uploads changed. */
  'upload-pending': { pending: PendingUpload[] };
  /** No copy of the file is kept for resume after a restart (not enough room, or the copy failed). */
  'upload-copy-skipped': {
    upload: UploadSnapshot;
    reason: 'no-space' | 'copy-failed';
    message: string;
  };
  /**
   * A saved unfinished upload was dropped (aborted on the store, its record removed) because the
   * same file (name and size) was chosen again with another modification date: it was edited.
   */
  'upload-discarded': { pending: PendingUpload; reason: 'file-changed' };
}

/** The protocol's operations; the default talks JSON to `endpoint`, users may plug in their own. */
export interface BackendAdapter {
  createUpload(req: CreateUploadRequest, signal?: AbortSignal): Promise<CreateUploadResponse>;
  signParts(req: SignPartsRequest, signal?: AbortSignal): Promise<SignPartsResponse>;
  listParts(req: { token: string }, signal?: AbortSignal): Promise<ListPartsResponse>;
  completeUpload(req: CompleteUploadRequest, signal?: AbortSignal): Promise<CompleteUploadResponse>;
  abortUpload(req: AbortUploadRequest, signal?: AbortSignal): Promise<unknown>;
}

/** Retry policy per part: exponential backoff with full jitter, bounded in count and time. */
export interface RetryPolicy {
  /** Attempts after the first (default 5). */
  retries: number;
  /** First delay in ms (default 500). */
  baseDelay: number;
  /** Largest delay in ms (default 20,000). */
  maxDelay: number;
  /** Give up on a part after this many ms of retrying (default 120,000). */
  maxElapsed: number;
}

/** Options of the Uploader; bad values throw a TypeError at once. */
export interface UploaderOptions {
  /** Base URL of the upload handler (e.g. '/api/upload'); required unless `backend` is given. */
  endpoint?: string;
  /** A custom backend in place of the JSON client for `endpoint`. */
  backend?: BackendAdapter;
  /** Extra headers for calls to the backend (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Parts in flight per file (default 4). */
  concurrency?: number;
  /** Preferred part size in bytes (default 8 MiB; the server may grow it). */
  partSize?: number;
  /** Hash workers (default: navigator.hardwareConcurrency - 1, at least 1, at most 4: a core stays free for the page and the network). */
  workers?: number;
  /** Parts hashed ahead of the parts being sent (default: concurrency + 64, two sign batches of 32). */
  hashWindow?: number;
  retry?: Partial<RetryPolicy>;
  metadata?: Record<string, string>;
  callback?: { target: string; vars?: Record<string, string> };
  /** Refuse files over this size (bytes) before any request. */
  maxFileSize?: number;
  /** Accept list like <input accept>: '.png,image/*'. */
  accept?: string;
  /** Refuse files under this size (bytes): `file-too-small`. */
  minFileSize?: number;
  /** Most uploads in the list, unfinished ones included (cancelled ones do not count): `too-many-files`. */
  maxFiles?: number;
  /** Most bytes of the uploads in the list together (cancelled ones do not count): `total-too-large`. */
  maxTotalSize?: number;
  /** When the store no longer knows a saved upload: 'restart' (default) or 'fail'. */
  onUploadGone?: 'restart' | 'fail';
  /** Saved uploads older than this (ms, default 7 days) are aborted and removed. */
  maxRecordAge?: number;
  /** Use IndexedDB to resume after reloads (default true). */
  persist?: boolean;
  /**
   * Files without a file handle (every file in Firefox and Safari) up to this many bytes are copied into
   * the origin private file system while they upload, so they resume after a browser restart without
   * being chosen again; the copy is deleted when the upload ends. Default 100 MiB; 0 turns copies off.
   */
  opfsCopyMaxSize?: number;
  /**
   * Milliseconds after a file is added before its private copy starts (default 3000; 0: at once). An upload
   * that ends sooner gets no copy: the copy reads and writes the whole file on the same cores as the upload,
   * which a short upload pays for and never uses.
   */
  opfsCopyDelay?: number;
  /** Forces an MD5 implementation; by default hash-wasm where WebAssembly may run, else spark-md5 (one console.info says which). */
  hasher?: 'spark-md5' | 'hash-wasm';
}

/** A typed CustomEvent of the engine (and of the element, which re-dispatches them bubbling and composed). */
export type UploaderEvent<K extends keyof UploaderEventMap> = CustomEvent<UploaderEventMap[K]>;

/**
 * The engine's public surface, implemented by `Uploader` (src/engine/uploader.ts, exported from
 * src/browser/engine.ts with the browser's default ports). An EventTarget: listen with addEventListener(name, (e: UploaderEvent<name>) => ...).
 * Methods without an id act on every upload.
 */
export interface UploaderApi extends EventTarget {
  /** Adds files (validated against maxFileSize/accept; rejected ones fire upload-rejected). Starts them unless autoStart is false. */
  add(
    files: Iterable<File> | ArrayLike<File>,
    opts?: { handles?: FileSystemFileHandle[] },
  ): UploadSnapshot[];
  start(id?: string): void;
  pause(id?: string): void;
  resume(id?: string): void;
  /** Aborts: the backend aborts the multipart upload (the store drops the parts) and the saved record is removed. */
  abort(id?: string): Promise<void>;
  /**
   * Starts a failed upload again, keeping the parts that made it. Returns false and does nothing when
   * there is no failed upload with this id, or when its error cannot be retried
   * (`snapshot.error.retryable` is false: the file changed, or the server refuses the file itself).
   */
  retry(id: string): boolean;
  /** Forgets a finished, failed or aborted upload from the list. */
  remove(id: string): void;
  /** Every upload the engine holds, in the order added. */
  readonly uploads: UploadSnapshot[];
  /** Unfinished uploads saved in IndexedDB that no upload in this page is working on. */
  listPending(): Promise<PendingUpload[]>;
  /** Resumes a saved upload from its stored file handle (call from a user gesture: it may prompt for permission). */
  resumePending(id: string): Promise<UploadSnapshot>;
  /** Aborts a saved upload through the backend and removes its record. */
  discardPending(id: string): Promise<void>;
  /**
   * Optional: starts a hash worker ahead of the first file, so that its first part is not held by the
   * worker's start (about 40 ms here). The element calls it when a person opens the picker or drags files in.
   */
  warm?(): void;
  /** Stops everything in flight (without aborting uploads on the store) and terminates the workers. */
  destroy(): void;
}

/** Options of the Uploader beyond UploaderOptions' transfer settings. */
export interface UploaderBehaviour {
  /** Start uploads as soon as they are added (default true). */
  autoStart?: boolean;
}
