/**
 * Every error code the backend answers with, and its HTTP status. The body is always
 * `{ "error": { "code": "...", "message": "..." } }`. The README documents each one.
 */
export const ERROR_STATUS = {
  /** The body is not JSON. */
  'invalid-json': 400,
  /** A field is missing, of the wrong type, or out of its range. */
  'invalid-request': 400,
  /** The request body is over the handler's JSON size limit. */
  'payload-too-large': 413,
  /** The declared file size is over the configured (or 5 TiB) limit. */
  'file-too-large': 413,
  /** The declared file size is under the handler's `minFileSize`. */
  'file-too-small': 400,
  /** The requested part size breaks 5 MiB..5 GiB or the plan needs over 10,000 parts. */
  'invalid-part-size': 400,
  /** The content type is not in the allowed list. */
  'content-type-not-allowed': 415,
  /** The file name cannot make a safe key (empty after sanitizing). */
  'invalid-file-name': 400,
  /** The relative path is over 1,024 UTF-8 bytes or 32 levels once sanitized, or has no file name. */
  'invalid-relative-path': 400,
  /** A part number is outside 1..partCount of the upload's plan. */
  'part-number-out-of-range': 400,
  /** A part's declared size differs from the plan. */
  'part-size-mismatch': 400,
  /** Content-MD5 is not the base64 of 16 bytes. */
  'invalid-digest': 400,
  /** The authorize hook refused: nobody is logged in. */
  unauthorized: 401,
  /** The authorize hook refused this principal. */
  forbidden: 403,
  /** The upload token is forged, altered, belongs to someone else or has expired. */
  'invalid-token': 403,
  /** The store does not know the upload (finished, aborted or never started; a completed single upload). */
  'no-such-upload': 404,
  /** Complete named a part the store does not have, or with another ETag. */
  'invalid-part': 400,
  /** Complete listed the parts out of ascending order. */
  'invalid-part-order': 400,
  /** A part other than the last is under 5 MiB. */
  'entity-too-small': 400,
  /** The bytes do not match their Content-MD5. */
  'bad-digest': 400,
  /** The signed part URL has expired. */
  'url-expired': 403,
  /** The part URL's signature does not match. */
  'signature-mismatch': 403,
  /** The store is overloaded or failing (SlowDown, 5xx); retry later. */
  'store-unavailable': 503,
  /** The browser named a callback target the server does not configure. */
  'unknown-callback-target': 400,
  /** The browser passed an `x:` variable the target does not allow, or an invalid value. */
  'invalid-callback-variable': 400,
  /** No such route. */
  'not-found': 404,
  /** The route exists but not with this method. */
  'method-not-allowed': 405,
  /** Anything unexpected; the message says no more than that. */
  internal: 500,
} as const;

/** A stable error code of the backend. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
