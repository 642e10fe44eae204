/**
 * The JSON protocol between the browser (engine's backend client) and the upload handler.
 * Routes are named after the S3 operations; every route is `POST <base>/<route>` with a JSON body,
 * and every call after create carries the upload token the server signed.
 */

/** Route names, relative to the handler's base path. */
export const ROUTES = {
  createUpload: 'create',
  signParts: 'sign-parts',
  listParts: 'list-parts',
  completeUpload: 'complete',
  abortUpload: 'abort',
} as const;

/** At most this many parts can be signed in one sign-parts call. */
export const MAX_SIGN_BATCH = 100;

/** Browser -> server: start an upload. */
export interface CreateUploadRequest {
  fileName: string;
  size: number;
  /** MIME type; empty means application/octet-stream. */
  contentType: string;
  /** Part size the browser would like; the server may grow it (see PartPlan). */
  partSize?: number;
  /** Free-form metadata stored with the object (string values, small). */
  metadata?: Record<string, string>;
  /**
   * For a file that fits in one part: its base64 Content-MD5. With it, a single-mode answer
   * already carries the signed PUT, so a small file costs create + PUT + complete.
   */
  contentMd5?: string;
  /**
   * For a file of several parts: the size and base64 Content-MD5 of its first part, as the browser planned
   * it. When the server's plan keeps that first part (same size), a multipart answer already carries part
   * 1's signed PUT (`put`), so the first bytes leave one sign-parts round trip earlier.
   */
  firstPart?: { size: number; contentMd5: string };
  /**
   * The file's path inside a chosen or dropped folder, its name included ('photos/2024/a.jpg'), as
   * `webkitRelativePath` gives it; the server sanitizes each segment and puts it in the default key.
   */
  relativePath?: string;
  /** A callback target configured on the server, and the `x:` variables the browser sets. */
  callback?: { target: string; vars?: Record<string, string> };
}

/** A presigned request for one part (or for the whole object in single mode). */
export interface SignedPart {
  partNumber: number;
  url: string;
  method: 'PUT';
  /** Headers to send exactly as given (Content-MD5 among them). */
  headers: Record<string, string>;
  /** Epoch milliseconds after which the URL no longer works. */
  expiresAt: number;
}

/** Server -> browser: the upload's identity and plan. */
export interface CreateUploadResponse {
  /** `multipart`: S3 multipart session; `single`: one PUT of the whole file, then complete. */
  mode: 'multipart' | 'single';
  /** The multipart upload id; empty string in single mode. */
  uploadId: string;
  /** The object key the server chose. */
  key: string;
  bucket: string;
  partSize: number;
  partCount: number;
  /** Opaque upload token; send it with every later call. */
  token: string;
  /** Epoch milliseconds when the token stops working. */
  tokenExpiresAt: number;
  /**
   * Single mode with `contentMd5` given: the signed PUT for the whole file. Multipart mode with `firstPart`
   * given and the plan's first part of that size: the signed PUT of part 1.
   */
  put?: SignedPart;
}

/** One part to sign: its number, exact size, and base64 Content-MD5. */
export interface PartToSign {
  partNumber: number;
  size: number;
  contentMd5: string;
}

export interface SignPartsRequest {
  token: string;
  parts: PartToSign[];
}

export interface SignPartsResponse {
  parts: SignedPart[];
}

/** A part the store holds. ETags are given without quotes. */
export interface StoredPart {
  partNumber: number;
  size: number;
  etag: string;
}

export interface ListPartsRequest {
  token: string;
}

export interface ListPartsResponse {
  parts: StoredPart[];
}

export interface CompleteUploadRequest {
  token: string;
  /** Ascending part numbers with the ETags the store returned. In single mode: `[{partNumber: 1, etag}]`. */
  parts: { partNumber: number; etag: string }[];
}

/** The result of the server's callback to the application, when the upload named a target. */
export type CallbackResult =
  | { status: 'ok'; httpStatus: number; body: unknown }
  | {
      status: 'failed';
      /**
       * Stable reason: unreachable, timeout, http-status, not-json, too-large, redirect,
       * refused-address, unknown-target; not-queued when the outbox could not be written either (no retry).
       */
      reason: string;
      message: string;
      httpStatus?: number;
      /** The callback's webhook-id; the outbox retries it in the background (unless not-queued). */
      id: string;
    };

export interface CompleteUploadResponse {
  bucket: string;
  key: string;
  /** The object's ETag without quotes (multipart ETags end in `-N`). */
  etag: string;
  size: number;
  /** A URL of the object (the store's location, or the key's path on the local store). */
  location: string;
  contentType: string;
  /** Present when the upload named a callback target. */
  callback?: CallbackResult;
}

export interface AbortUploadRequest {
  token: string;
}

export interface AbortUploadResponse {
  aborted: true;
}
