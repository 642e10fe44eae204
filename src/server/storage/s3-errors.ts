/** S3's error vocabulary: its status and message for each code, and the mapping of AWS SDK errors. */
import { StorageError, type StorageErrorCode } from './types.ts';

/** S3's HTTP status and message for each code: what the local store answers, and the S3 adapter's default. */
export const STORAGE_ERRORS: Readonly<
  Record<StorageErrorCode, { readonly status: number; readonly message: string }>
> = {
  NoSuchUpload: {
    status: 404,
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  InvalidPart: {
    status: 400,
    message: 'One or more of the specified parts could not be found, or its ETag did not match.',
  },
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order.' },
  EntityTooSmall: {
    status: 400,
    message: 'Your proposed upload is smaller than the minimum allowed object size.',
  },
  BadDigest: {
    status: 400,
    message: 'The Content-MD5 you specified did not match what we received.',
  },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified was invalid.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
  ServiceUnavailable: { status: 503, message: 'Service is unable to handle request.' },
  AccessDenied: { status: 403, message: 'Access Denied' },
  Internal: { status: 500, message: 'We encountered an internal error. Please try again.' },
  SignatureDoesNotMatch: {
    status: 403,
    message: 'The request signature we calculated does not match the signature you provided.',
  },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  IncompleteBody: { status: 400, message: 'The request body ended before its signed length.' },
  InvalidURI: { status: 400, message: 'Could not parse the specified URI.' },
  MethodNotAllowed: {
    status: 405,
    message: 'The specified method is not allowed against this resource.',
  },
};

/** A StorageError of `code` with S3's status, and S3's message unless a more precise one is given. */
export function storageError(
  code: StorageErrorCode,
  message = STORAGE_ERRORS[code].message,
  options?: { cause?: unknown },
): StorageError {
  return new StorageError(code, message, STORAGE_ERRORS[code].status, options);
}

// S3 error names that keep their meaning for the handler.
const PASSED_THROUGH = new Set<StorageErrorCode>([
  'NoSuchUpload',
  'NoSuchKey',
  'InvalidPart',
  'InvalidPartOrder',
  'EntityTooSmall',
  'BadDigest',
  'InvalidDigest',
  'SlowDown',
  'AccessDenied',
]);

// Errors of the connection itself: the store is unreachable, which a retry later may fix.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an AWS SDK error to a StorageError with a stable code, keeping the store's HTTP status and the
 * SDK error as cause. 5xx answers become ServiceUnavailable (SlowDown stays SlowDown) so callers retry.
 */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const name = shape.Code ?? shape.name ?? '';
  let code: StorageErrorCode;
  if (PASSED_THROUGH.has(name as StorageErrorCode)) code = name as StorageErrorCode;
  else if (name === 'NotFound' && status === 404) code = 'NoSuchKey';
  else if (status === 503 && /slow ?down/i.test(`${name} ${shape.message ?? ''}`))
    code = 'SlowDown';
  else if (status !== undefined && status >= 500) code = 'ServiceUnavailable';
  else if (status === 403 || name === 'SignatureDoesNotMatch' || name === 'InvalidAccessKeyId')
    code = 'AccessDenied';
  else if (
    status === undefined &&
    (NETWORK_CODES.has(shape.code ?? '') || name === 'TimeoutError' || name === 'AbortError')
  ) {
    code = 'ServiceUnavailable';
  } else code = 'Internal';
  // A HEAD answer has no body, so no message: S3's own then, where the code says what happened.
  const message =
    shape.message ||
    (code === 'Internal' ? name || 'The store failed.' : STORAGE_ERRORS[code].message);
  return new StorageError(code, message, status, { cause: error });
}
