import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { StorageError, toStorageError } from '../../src/server/storage/index.ts';
import { STORAGE_ERRORS, storageError } from '../../src/server/storage/s3-errors.ts';

function sdkError(name: string, status: number, message = `${name} happened`) {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

describe('toStorageError (AWS SDK errors to stable codes)', () => {
  it.each([
    ['NoSuchUpload', 404, 'NoSuchUpload'],
    ['NoSuchKey', 404, 'NoSuchKey'],
    ['NotFound', 404, 'NoSuchKey'],
    ['InvalidPart', 400, 'InvalidPart'],
    ['InvalidPartOrder', 400, 'InvalidPartOrder'],
    ['EntityTooSmall', 400, 'EntityTooSmall'],
    ['BadDigest', 400, 'BadDigest'],
    ['InvalidDigest', 400, 'InvalidDigest'],
    ['SlowDown', 503, 'SlowDown'],
    ['ServiceUnavailable', 503, 'ServiceUnavailable'],
    ['InternalError', 500, 'ServiceUnavailable'],
    ['Unknown', 502, 'ServiceUnavailable'],
    ['AccessDenied', 403, 'AccessDenied'],
    ['SignatureDoesNotMatch', 403, 'AccessDenied'],
    ['MalformedXML', 400, 'Internal'],
  ])('maps %s (HTTP %i) to %s, keeping the status and the cause', (name, status, code) => {
    const cause = sdkError(name, status);
    const error = toStorageError(cause);
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.cause).toBe(cause);
  });

  it('treats a refused connection as the store being unavailable', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
    });
    expect(toStorageError(cause)).toMatchObject({
      code: 'ServiceUnavailable',
      status: undefined,
      cause,
    });
  });

  it("gives an error without a message S3's message for its code, as the local store answers it", () => {
    // A HEAD answer has no body: the SDK's NotFound carries no message.
    const error = toStorageError(sdkError('NotFound', 404, ''));
    expect(error.code).toBe('NoSuchKey');
    expect(error.message).toBe('The specified key does not exist.');
    expect(error.message).toBe(STORAGE_ERRORS.NoSuchKey.message);
    expect(storageError('NoSuchKey')).toMatchObject({ status: 404, message: error.message });
    // Where the code says nothing more, the store's own name stays.
    expect(toStorageError(sdkError('MalformedXML', 400, '')).message).toBe('MalformedXML');
  });

  it('passes a StorageError through unchanged', () => {
    const error = new StorageError('InvalidPart', 'x', 400);
    expect(toStorageError(error)).toBe(error);
  });
});
