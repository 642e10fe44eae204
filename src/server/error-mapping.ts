/**
 * Turns anything thrown while answering into the one error shape of the protocol:
 * HandlerErrors pass through, store failures map to stable codes, the rest is a generic 500.
 */
import type { HandlerErrorCode } from '../protocol/index.ts';
import { HandlerError } from './errors.ts';
import { StorageError, type StorageErrorCode } from './storage/types.ts';

const STORE_CODES: Partial<Record<StorageErrorCode, [HandlerErrorCode, string]>> = {
  NoSuchUpload: [
    'no-such-upload',
    'the store does not know this upload (finished, aborted or never started)',
  ],
  NoSuchKey: ['no-such-upload', 'the store has no such object'],
  InvalidPart: [
    'invalid-part',
    'the store does not have one of the listed parts, or its ETag differs',
  ],
  InvalidPartOrder: ['invalid-part-order', 'the parts are not listed in ascending order'],
  EntityTooSmall: ['entity-too-small', 'a part other than the last is smaller than 5 MiB'],
  BadDigest: ['bad-digest', 'the bytes do not match their Content-MD5'],
  InvalidDigest: ['invalid-digest', 'the Content-MD5 is malformed'],
  SlowDown: ['store-unavailable', 'the store asks to slow down; retry later'],
  ServiceUnavailable: ['store-unavailable', 'the store is unavailable; retry later'],
};

/** The HandlerError to answer for any thrown value; unexpected ones are logged with their cause. */
export function toHandlerError(error: unknown): HandlerError {
  if (error instanceof HandlerError) return error;
  if (error instanceof StorageError) {
    const known = STORE_CODES[error.code];
    if (known) return new HandlerError(known[0], known[1], { cause: error });
    if (error.status !== undefined && error.status >= 500) {
      return new HandlerError('store-unavailable', 'the store failed; retry later', {
        cause: error,
      });
    }
  }
  // AccessDenied from the store means the server's own credentials are wrong: not the browser's fault.
  console.error('upload handler: unexpected error', error);
  return new HandlerError('internal', 'internal error', { cause: error });
}

/** The JSON response of an error. */
export function errorResponse(error: HandlerError): Response {
  return Response.json(error.toJSON(), { status: error.status });
}
