/**
 * Every error code of the product, once: the upload handler's answers, the codes the engine reads from
 * a store's answer, and the engine's own. For each, the HTTP status the handler (or the local store)
 * answers it with, or null for a code that never travels in an answer; and who can retry it:
 *
 * - 'engine': retried automatically with backoff (a part PUT or a backend call); when the retries run
 *   out the upload fails with 'retries-exhausted', which a person can retry.
 * - 'person': the upload fails, and another attempt (the element's Retry button, `Uploader.retry`)
 *   may succeed, after waiting, signing in, or as the text says.
 * - 'none': the same request is refused again (the file itself or the page's settings): only choosing
 *   another file or fixing the page helps, so there is no Retry button and `Uploader.retry` refuses.
 *
 * A code this table does not know (from a newer or another server, an S3 store's other codes such as
 * AccessDenied, a custom part endpoint) is read as 'unknown-error', with the original code kept at the
 * start of the message; its HTTP status still makes it retried automatically when it is 408, 429 or 5xx.
 * The README's "Error codes" section documents each code.
 */
export const ERROR_CODES = {
  // Answers of the upload handler, body `{ "error": { "code", "message" } }`.
  /** The body is not JSON. */
  'invalid-json': { status: 400, retry: 'none' },
  /** A field is missing, of the wrong type, or out of its range. */
  'invalid-request': { status: 400, retry: 'none' },
  /** The request body is over the handler's JSON size limit. */
  'payload-too-large': { status: 413, retry: 'none' },
  /** The declared file size is over the configured (or 5 TiB) limit. */
  'file-too-large': { status: 413, retry: 'none' },
  /** The declared file size is under the handler's `minFileSize`. */
  'file-too-small': { status: 400, retry: 'none' },
  /** The requested part size breaks 5 MiB..5 GiB or the plan needs over 10,000 parts. */
  'invalid-part-size': { status: 400, retry: 'none' },
  /** The content type is not in the allowed list. */
  'content-type-not-allowed': { status: 415, retry: 'none' },
  /** The file name cannot make a safe key (empty after sanitizing). */
  'invalid-file-name': { status: 400, retry: 'none' },
  /** The relative path is over 1,024 UTF-8 bytes or 32 levels once sanitized, or has no file name. */
  'invalid-relative-path': { status: 400, retry: 'none' },
  /** A part number is outside 1..partCount of the upload's plan. */
  'part-number-out-of-range': { status: 400, retry: 'person' },
  /** A part's declared size differs from the plan. */
  'part-size-mismatch': { status: 400, retry: 'person' },
  /** Content-MD5 is not the base64 of 16 bytes. */
  'invalid-digest': { status: 400, retry: 'person' },
  /** The authorize hook refused: nobody is logged in. */
  unauthorized: { status: 401, retry: 'person' },
  /** The authorize hook refused this principal. */
  forbidden: { status: 403, retry: 'person' },
  /** The upload token is forged, altered, belongs to someone else or has expired. */
  'invalid-token': { status: 403, retry: 'person' },
  /** The store does not know the upload (finished, aborted or never started; a completed single upload). */
  'no-such-upload': { status: 404, retry: 'person' },
  /** Complete named a part the store does not have, or with another ETag. */
  'invalid-part': { status: 400, retry: 'person' },
  /** Complete listed the parts out of ascending order. */
  'invalid-part-order': { status: 400, retry: 'person' },
  /** A part other than the last is under 5 MiB. */
  'entity-too-small': { status: 400, retry: 'person' },
  /** The bytes do not match their Content-MD5 (the engine re-hashes and re-sends the part once itself). */
  'bad-digest': { status: 400, retry: 'person' },
  /** The signed part URL has expired (the engine re-signs it itself). */
  'url-expired': { status: 403, retry: 'person' },
  /** The part URL's signature does not match. */
  'signature-mismatch': { status: 403, retry: 'person' },
  /** The store is overloaded or failing (SlowDown, 5xx); retry later. */
  'store-unavailable': { status: 503, retry: 'engine' },
  /** The browser named a callback target the server does not configure. */
  'unknown-callback-target': { status: 400, retry: 'none' },
  /** The browser passed an `x:` variable the target does not allow, or an invalid value. */
  'invalid-callback-variable': { status: 400, retry: 'none' },
  /** No such route. */
  'not-found': { status: 404, retry: 'person' },
  /** The route exists but not with this method. */
  'method-not-allowed': { status: 405, retry: 'person' },
  /** Anything unexpected; the message says no more than that. */
  internal: { status: 500, retry: 'engine' },

  // Read by the engine from a store's answer to a part PUT (S3 XML codes).
  /** S3 RequestTimeout: the store waited too long for the bytes. */
  'request-timeout': { status: null, retry: 'engine' },
  /** S3 SlowDown: the store asks for fewer requests (the engine also lowers its pace). */
  'slow-down': { status: null, retry: 'engine' },
  /** A code this table does not know, or none; the message starts with the original one. */
  'unknown-error': { status: null, retry: 'person' },

  // The engine's own.
  /** No answer: the connection failed, or a part made no progress for too long. */
  network: { status: null, retry: 'engine' },
  /** The store's ETag was not the part's MD5. */
  'etag-mismatch': { status: null, retry: 'engine' },
  /** A part or backend call failed on every attempt within the retry policy. */
  'retries-exhausted': { status: null, retry: 'person' },
  /** The backend answered something the protocol does not allow. */
  'invalid-response': { status: null, retry: 'person' },
  /** A hash worker failed. */
  'worker-failed': { status: null, retry: 'person' },
  /** The store no longer knows the upload and `onUploadGone` is 'fail'. */
  'upload-gone': { status: null, retry: 'person' },
  /** Another tab works on this file (the upload stays paused). */
  'busy-in-other-tab': { status: null, retry: 'person' },
  /**
   * The file changed on disk during the upload. Chromium keeps refusing a File whose file was modified
   * after it was picked, so only choosing it again (a new File) helps.
   */
  'file-changed': { status: null, retry: 'none' },
  /** The file (or its handle) can no longer be read; as for 'file-changed', only choosing it again helps. */
  'file-unreadable': { status: null, retry: 'none' },
  /** resumePending: no saved upload has this id. */
  'no-such-record': { status: null, retry: 'none' },
  /** resumePending: the saved upload kept no file handle (or handles are unsupported here). */
  'no-file-handle': { status: null, retry: 'none' },
  /** resumePending: the file is already in the list and unfinished. */
  duplicate: { status: null, retry: 'none' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Who can retry a failure: the engine by itself, a person (Retry), or nobody. */
export type RetryClass = 'engine' | 'person' | 'none';

/** One row of ERROR_CODES. */
export interface ErrorCodeInfo {
  /** The HTTP status the handler (or the local store) answers the code with; null when never answered. */
  status: number | null;
  retry: RetryClass;
}

/** A stable error code: a key of ERROR_CODES (a misspelled code does not compile). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes the upload handler answers with: those with an HTTP status. */
export type HandlerErrorCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['status'] extends number ? K : never;
}[ErrorCode];

/** True for a code of ERROR_CODES. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** Who can retry a failure with this code. */
export function retryClass(code: ErrorCode): RetryClass {
  return ERROR_CODES[code].retry;
}

/** True when another attempt, automatic or a person's, may succeed ('engine' or 'person'). */
export function canRetry(code: ErrorCode): boolean {
  return ERROR_CODES[code].retry !== 'none';
}

/**
 * A code and message read from an answer: a known code as it is, an unknown or missing one as
 * 'unknown-error' with the original code leading the message.
 */
export function knownCode(
  code: string | undefined,
  message: string,
): { code: ErrorCode; message: string } {
  if (isErrorCode(code)) return { code, message };
  return {
    code: 'unknown-error',
    message: code && code !== message ? `${code}: ${message}` : message,
  };
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: HandlerErrorCode; message: string; details?: unknown };
}
