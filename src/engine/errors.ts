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

  constructor(
    code: EngineErrorCode,
    message: string,
    init: { status?: number; request?: EngineErrorRequest; body?: string; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? 0;
    this.request = init.request;
    this.body = init.body;
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
