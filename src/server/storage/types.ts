import type { SignedPart, StoredPart } from '../../protocol/index.ts';
import type { CallbackOutbox } from '../callbacks/outbox.ts';

/**
 * The port every store implements (S3 via the AWS SDK, the embedded local store, ...).
 * Names follow the S3 operations. Errors are thrown as StorageError with a stable code.
 * One conformance suite (test/storage/conformance.ts) runs against every adapter.
 */
export interface StorageAdapter {
  /** Bucket (or folder) name reported to the browser and to callbacks. */
  readonly bucket: string;

  /** Starts a multipart upload and returns its id. */
  createUpload(input: {
    key: string;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<{ uploadId: string }>;

  /** Presigns a PUT of one part with its exact length and Content-MD5 signed in. */
  signPart(input: {
    key: string;
    uploadId: string;
    partNumber: number;
    size: number;
    contentMd5: string;
    expiresIn: number;
    context: SignContext;
  }): Promise<SignedPart>;

  /** Presigns a single PutObject of the whole object (files up to one part). */
  signPut(input: {
    key: string;
    size: number;
    contentMd5: string;
    contentType: string;
    metadata?: Record<string, string>;
    expiresIn: number;
    context: SignContext;
  }): Promise<SignedPart>;

  /** Lists every part the store holds for the upload, all pages merged, ascending. */
  listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]>;

  /** Completes the upload from the ordered (partNumber, etag) list. */
  completeUpload(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
    /** The current request's base URL (the local store's `location` when it has no `baseUrl`). */
    context?: SignContext;
  }): Promise<{ etag: string; location: string }>;

  /** Aborts the upload; the store drops its parts and the id is dead afterwards. */
  abortUpload(input: { key: string; uploadId: string }): Promise<void>;

  /** Copies an object's bytes to another key, with this content type and metadata (single-mode complete). */
  copyObject(input: {
    from: string;
    to: string;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<void>;

  /** Deletes an object; none is no error (as S3 answers). */
  deleteObject(input: { key: string }): Promise<void>;

  /** The object's facts, or null when there is no such object. */
  headObject(input: { key: string }): Promise<ObjectInfo | null>;

  /** The object's bytes (used by tests, the demo's store panel and callbacks that need them). */
  getObject(input: { key: string }): Promise<ReadableStream<Uint8Array>>;

  /** Unfinished multipart uploads under a prefix (used to prove abort left nothing). */
  listUploads(input: { prefix: string }): Promise<{ key: string; uploadId: string }[]>;

  /** Objects under a prefix (the demo's store panel). */
  listObjects(input: { prefix: string }): Promise<ObjectInfo[]>;

  /**
   * Adapters that serve their own part URLs (the local store) answer those requests here;
   * the handler calls it first and uses the answer when it is not null.
   */
  handle?(request: Request): Promise<Response | null>;

  /**
   * The store's own outbox of failed callbacks, shared by every instance on this store; the handler
   * uses it by default when callbacks are configured. `prefix`: where in the store (adapter-specific).
   */
  callbackOutbox?(prefix?: string): CallbackOutbox;
}

/** What the handler knows about the request a URL is signed in (the local store builds its URLs from it). */
export interface SignContext {
  /** Absolute URL of the handler's base path, e.g. `http://127.0.0.1:8080/api/upload`. */
  baseUrl: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  contentType: string;
  lastModified: Date;
  /** User metadata (x-amz-meta-*, names in lower case) where the store reports it (headObject). */
  metadata?: Record<string, string>;
}

/**
 * Stable codes of store failures, named as S3 names them; the handler maps them to its ErrorCode. The
 * last five are answered only by the local store's own URLs, to the browser (the S3 adapter reports a
 * store's SignatureDoesNotMatch as AccessDenied: the server's credentials are wrong).
 */
export type StorageErrorCode =
  | 'NoSuchUpload'
  | 'NoSuchKey'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'EntityTooSmall'
  | 'BadDigest'
  | 'InvalidDigest'
  | 'SlowDown'
  | 'ServiceUnavailable'
  | 'AccessDenied'
  | 'Internal'
  | 'SignatureDoesNotMatch'
  | 'InvalidArgument'
  | 'IncompleteBody'
  | 'InvalidURI'
  | 'MethodNotAllowed';

/** A store failure with a stable code, the store's HTTP status where known, and the cause. */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
