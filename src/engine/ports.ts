import type { SignedPart } from '../protocol/index.ts';

/**
 * The engine's ports (tus-js-client style): the browser entry (src/browser/ports.ts) supplies the
 * defaults (worker pool, XHR transport, IndexedDB store, Web Locks, OPFS copies), unit tests supply fakes.
 */

/** An MD5 of some bytes, in the two encodings the protocol uses. */
export interface Md5Digest {
  /** Base64 of the 16 bytes: the Content-MD5 header value. */
  base64: string;
  /** 32 lowercase hex digits: what a plain S3 ETag holds. */
  hex: string;
}

/** Bytes [start, end) of a Blob. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Computes MD5s off the main thread (default: a pool of Web Workers running hash-wasm, or spark-md5 where WebAssembly is refused). */
export interface Hasher {
  /**
   * Hashes a Blob, or only its bytes `range` when given; rejects with the worker's error, never hangs. The
   * engine passes the File and a range rather than a slice: in Chromium a File.slice() costs the calling
   * thread about 0.7 ms (the new Blob is registered with the browser), so the workers slice, off the page's
   * main thread (64 parts sliced at once held it for 45 ms before part 1's PUT could start).
   */
  md5(blob: Blob, signal?: AbortSignal, range?: ByteRange): Promise<Md5Digest>;
  /** Terminates the workers (their heaps are returned to the browser). */
  destroy(): void;
  /** Optional: starts a worker (its script loaded, its code compiled) ahead of the first part to hash. */
  warm?(): void;
}

/** What the transport learned from one PUT. */
export interface PutResult {
  status: number;
  /** The ETag response header, quotes removed, or '' when the store exposed none. */
  etag: string;
  /** The response body, for error responses (S3 XML or JSON). */
  body: string;
}

/** Sends one part's bytes to its presigned URL with per-byte progress. */
export interface PartTransport {
  /**
   * PUTs `body` to `part.url` with `part.headers`. Resolves with any HTTP answer (including 4xx/5xx);
   * rejects with an EngineError code 'network' when no answer came, or an AbortError when aborted.
   */
  put(
    part: SignedPart,
    body: Blob,
    onProgress: (loadedBytes: number) => void,
    signal: AbortSignal,
  ): Promise<PutResult>;
}

/** A finished part as recorded for resume. */
export interface RecordedPart {
  partNumber: number;
  size: number;
  /** Base64 Content-MD5. */
  md5: string;
  /** ETag without quotes. */
  etag: string;
}

/** One saved upload in IndexedDB. */
export interface UploadRecord {
  id: string;
  /** name, size, lastModified and type of the file, joined: identifies "the same file". */
  fingerprint: string;
  name: string;
  size: number;
  type: string;
  lastModified: number;
  /** The backend it belongs to (endpoint URL, or a custom backend's name). */
  endpoint: string;
  mode: 'multipart' | 'single';
  uploadId: string;
  key: string;
  bucket: string;
  token: string;
  tokenExpiresAt: number;
  partSize: number;
  partCount: number;
  parts: RecordedPart[];
  /** A FileSystemFileHandle (structured-cloneable in Chromium), when the file came from one. */
  handle?: unknown;
  /** The name of the file's private copy (OPFS) when it had no handle: resume reads it after a restart. */
  copy?: string;
  /** The file's path inside the folder it came from (webkitRelativePath), if any. */
  relativePath?: string;
  createdAt: number;
  updatedAt: number;
}

/** Where upload records live (default: IndexedDB through idb-keyval, in a store of our own). */
export interface ResumeStore {
  get(id: string): Promise<UploadRecord | undefined>;
  /** Finds a record for a file fingerprint and endpoint. */
  find(fingerprint: string, endpoint: string): Promise<UploadRecord | undefined>;
  put(record: UploadRecord): Promise<void>;
  /**
   * Reads record `id` and writes what `change` returns in one step, so no put made meanwhile is lost; when
   * `change` returns undefined nothing is written. Optional for a store of your own: without it the engine
   * reads then puts, and a put made between the two is overwritten (IndexedDB and memory have it).
   */
  update?(
    id: string,
    change: (record: UploadRecord | undefined) => UploadRecord | undefined,
  ): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<UploadRecord[]>;
}

/** Makes sure only one tab works on an upload (default: Web Locks). */
export interface UploadLock {
  /** Holds the lock for `id` until `release` is called; resolves null when another tab holds it. */
  tryAcquire(id: string): Promise<{ release(): void } | null>;
}

/**
 * The port that keeps a private copy of a file (in the browser: the origin private file system, OPFS),
 * so an upload whose file came without a FileSystemFileHandle (Firefox, Safari, any `<input type=file>`)
 * can resume after a browser restart without the person choosing the file again.
 */
export interface FileCopier {
  /** Bytes the origin may still store (quota minus usage), or undefined when the browser does not say. */
  available(): Promise<number | undefined>;
  /** Copies `file` as `name` (off the main thread); rejects when it cannot, or when `signal` aborts. */
  copy(name: string, file: File, signal: AbortSignal): Promise<void>;
  /** The copy named `name`, or undefined when there is none. */
  read(name: string): Promise<File | undefined>;
  /** Deletes the copy named `name` (nothing when there is none). */
  remove(name: string): Promise<void>;
  /** Deletes every copy whose name is not in `keep` (copies left behind by a crash or a failed delete). */
  prune?(keep: Set<string>): Promise<void>;
}
