import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  canRetry,
  isErrorCode,
  knownCode,
  retryClass,
  type ErrorCode,
  type HandlerErrorCode,
} from '../../src/protocol/index.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { isRetryable } from '../../src/engine/retry.ts';
import { readStoreError } from '../../src/engine/part-response.ts';
import { HandlerError } from '../../src/server/errors.ts';
import { defaultStrings, type UploadStringsOverride } from '../../src/element/strings.ts';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

// Type-level checks, run by `tsc --noEmit` (the test files are part of the project).
// @ts-expect-error a misspelled code does not compile
const misspelled: ErrorCode = 'netwrok';
// @ts-expect-error the handler cannot answer a code that has no HTTP status
const notAnswered: HandlerErrorCode = 'network';
// @ts-expect-error nor can an engine error carry one
const notThrown = () => new EngineError('upload-gon', 'x');
// @ts-expect-error a text for a misspelled code does not compile
const badText: UploadStringsOverride = { errors: { 'url-expird': 'x' } };
void [misspelled, notAnswered, notThrown, badText];

describe('the error table', () => {
  it('gives every code an HTTP status of an error (or none) and one of three retry classes', () => {
    for (const code of codes) {
      const { status, retry } = ERROR_CODES[code];
      expect([null, 'number']).toContain(status === null ? null : typeof status);
      if (status !== null) expect(status >= 400 && status <= 599, code).toBe(true);
      expect(['engine', 'person', 'none']).toContain(retry);
    }
  });

  it('answers every handler code with its status', () => {
    for (const code of codes) {
      const status = ERROR_CODES[code].status;
      if (status === null) continue;
      expect(new HandlerError(code as HandlerErrorCode, 'x').status).toBe(status);
    }
    expect(new HandlerError('store-unavailable', 'x').status).toBe(503);
    expect(new HandlerError('invalid-token', 'x').status).toBe(403);
  });

  it('lets the engine retry exactly the engine class (plus any 408, 429 and 5xx answer)', () => {
    const engine = codes.filter((c) => isRetryable(new EngineError(c, 'x')));
    expect(engine.sort()).toEqual(
      [
        'etag-mismatch',
        'internal',
        'network',
        'request-timeout',
        'slow-down',
        'store-unavailable',
      ].sort(),
    );
    for (const code of engine) expect(retryClass(code)).toBe('engine');
    expect(isRetryable(new EngineError('unknown-error', 'x', { status: 429 }))).toBe(true);
    expect(isRetryable(new EngineError('unknown-error', 'x', { status: 502 }))).toBe(true);
    expect(isRetryable(new EngineError('unknown-error', 'x', { status: 403 }))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });

  it('offers no retry for refusals of the file or the page, nor for a changed file', () => {
    expect(codes.filter((c) => !canRetry(c)).sort()).toEqual(
      [
        'content-type-not-allowed',
        'duplicate',
        'file-changed',
        'file-too-large',
        'file-too-small',
        'file-unreadable',
        'invalid-callback-variable',
        'invalid-file-name',
        'invalid-json',
        'invalid-part-size',
        'invalid-relative-path',
        'invalid-request',
        'no-file-handle',
        'no-such-record',
        'payload-too-large',
        'unknown-callback-target',
      ].sort(),
    );
    expect(canRetry('retries-exhausted')).toBe(true);
    expect(canRetry('invalid-token')).toBe(true);
  });

  it('reads an unknown code as unknown-error and keeps the original in the message', () => {
    expect(isErrorCode('bad-digest')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('AccessDenied')).toBe(false);
    expect(knownCode('bad-digest', 'damaged')).toEqual({ code: 'bad-digest', message: 'damaged' });
    expect(knownCode('quota-exceeded', 'over quota')).toEqual({
      code: 'unknown-error',
      message: 'quota-exceeded: over quota',
    });
    expect(knownCode(undefined, 'HTTP 418')).toEqual({
      code: 'unknown-error',
      message: 'HTTP 418',
    });
    const xml = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
    expect(readStoreError(xml)).toEqual({
      code: 'unknown-error',
      message: 'AccessDenied: Access Denied',
    });
    expect(readStoreError('<Error><Code>SlowDown</Code><Message>m</Message></Error>')).toEqual({
      code: 'slow-down',
      message: 'm',
    });
    expect(readStoreError('{"error":{"code":"url-expired","message":"late"}}')).toEqual({
      code: 'url-expired',
      message: 'late',
    });
  });

  it('explains in plain words every code a person can meet, in English and every locale', () => {
    const explained = Object.keys(defaultStrings.errors);
    for (const code of explained) expect(isErrorCode(code), code).toBe(true);
    // Each code a person sees on its own with a Retry button or a refusal has its own text.
    for (const code of ['network', 'file-changed', 'invalid-token', 'store-unavailable'])
      expect(explained).toContain(code);
  });
});
