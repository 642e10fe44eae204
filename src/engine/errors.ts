import type { EngineErrorCode } from './types.ts';

/** What the engine knows of the request behind an error (tus-js-client's DetailedError style). */
export interface EngineErrorRequest {
  method: string;
  url: string;
}

/** The engine's one error class: retry decisions read `code`, never the message. */
export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: EngineErrorCode;
  /** HTTP status of the answer, 0 when none came. */
  readonly status: number;
  readonly request?: EngineErrorRequest;
  /** The response body, when an answer came (S3 XML or the handler's JSON). */
  readonly body?: string;
  /** Milliseconds the server asked us to wait (its Retry-After header), when it said. */
  readonly retryAfter?: number;

  constructor(
    code: EngineErrorCode,
    message: string,
    init: {
      status?: number;
      request?: EngineErrorRequest;
      body?: string;
      retryAfter?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? 0;
    this.request = init.request;
    this.body = init.body;
    this.retryAfter = init.retryAfter;
  }
}

/** True for the AbortError a fetch, an XHR wrapper or an AbortSignal raises. */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}

/** An AbortError like the one DOM APIs throw (DOMException exists in browsers and Node 20). */
export function abortError(reason = 'aborted'): Error {
  return new DOMException(reason, 'AbortError');
}

/** Turns anything thrown into an EngineError, keeping the original as `cause`. */
export function toEngineError(error: unknown, fallback: EngineErrorCode = 'internal'): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(fallback, message, { cause: error });
}

/**
 * A Retry-After header in milliseconds: delta-seconds or an HTTP date (RFC 9110, 10.2.3); undefined when
 * absent or unreadable, 0 for a date in the past.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; Date.parse would also take '-1' or '2026' as dates.
  const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The one "file changed" error: the bytes on disk are no longer the ones picked (or hashed). */
export function fileChangedError(fileName: string, cause?: unknown): EngineError {
  return new EngineError('file-changed', `${fileName} changed on disk during the upload`, {
    cause,
  });
}

/** Thrown inside a run when the network is gone: the task pauses instead of failing. */
export class OfflineError extends Error {
  override name = 'OfflineError';
}
