import { ERROR_CODES, type ErrorBody, type HandlerErrorCode } from '../protocol/index.ts';

/** An error the handler answers with: a stable code, its HTTP status and a message safe to show. */
export class HandlerError extends Error {
  override name = 'HandlerError';
  readonly status: number;
  constructor(
    readonly code: HandlerErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status ?? ERROR_CODES[code].status;
    this.details = options?.details;
  }
  readonly details: unknown;

  /** The JSON body of the error response. */
  toJSON(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}
