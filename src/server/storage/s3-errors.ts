import { StorageError, type StorageErrorCode } from './types.ts';

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
  const message = shape.message || name || 'The store failed.';
  let code: StorageErrorCode;
  if (PASSED_THROUGH.has(name as StorageErrorCode)) code = name as StorageErrorCode;
  else if (name === 'NotFound' && status === 404) code = 'NoSuchKey';
  else if (status === 503 && /slow ?down/i.test(`${name} ${message}`)) code = 'SlowDown';
  else if (status !== undefined && status >= 500) code = 'ServiceUnavailable';
  else if (status === 403 || name === 'SignatureDoesNotMatch' || name === 'InvalidAccessKeyId')
    code = 'AccessDenied';
  else if (
    status === undefined &&
    (NETWORK_CODES.has(shape.code ?? '') || name === 'TimeoutError' || name === 'AbortError')
  ) {
    code = 'ServiceUnavailable';
  } else code = 'Internal';
  return new StorageError(code, message, status, { cause: error });
}
