import { knownCode, type ErrorCode, type SignedPart } from '../protocol/index.ts';
import { EngineError } from './errors.ts';
import type { Md5Digest, PutResult } from './ports.ts';

/** S3 error codes (XML `<Code>`) that mean one of ERROR_CODES, so every store reads the same. */
const S3_CODES: Record<string, ErrorCode> = {
  BadDigest: 'bad-digest',
  InvalidDigest: 'invalid-digest',
  NoSuchUpload: 'no-such-upload',
  SignatureDoesNotMatch: 'signature-mismatch',
  SlowDown: 'slow-down',
  ServiceUnavailable: 'store-unavailable',
  InternalError: 'store-unavailable',
  RequestTimeout: 'request-timeout',
  EntityTooSmall: 'entity-too-small',
};

/**
 * The store's error code and message from an S3 XML error body (S3, Swift s3api and the local store all
 * answer so), or from a JSON `{ error: { code, message } }` body (a custom part endpoint). Any other
 * code (AccessDenied, a custom one) or none is 'unknown-error', its message led by the original code.
 */
export function readStoreError(body: string): { code: ErrorCode; message: string } {
  const xmlCode = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const xmlMessage = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '';
  if (xmlCode) {
    const known = S3_CODES[xmlCode];
    if (known) return { code: known, message: xmlMessage || xmlCode };
    return knownCode(xmlCode, xmlMessage || xmlCode);
  }
  try {
    const json = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (json.error?.code) return knownCode(json.error.code, json.error.message ?? json.error.code);
  } catch {
    // Not JSON: fall through to the status alone.
  }
  return knownCode(undefined, body.slice(0, 200));
}

/** What the engine does after one PUT answer. */
export type PartOutcome =
  | { kind: 'ok'; etag: string }
  | { kind: 'expired' }
  | { kind: 'bad-digest'; error: EngineError }
  | { kind: 'gone'; error: EngineError }
  | { kind: 'retry'; error: EngineError; slowDown: boolean }
  | { kind: 'fail'; error: EngineError };

/** A plain (non-multipart, unencrypted) S3 ETag is the MD5 of the bytes in hex. */
const PLAIN_MD5_ETAG = /^[0-9a-f]{32}$/i;

/**
 * Classifies one PUT answer: expiry is told by the body ("Request has expired") or by the URL's own
 * expiresAt (stores that hide the body), a plain-MD5 ETag is checked against the part's MD5.
 */
export function classifyPut(
  result: PutResult,
  part: SignedPart,
  md5: Md5Digest,
  now: number = Date.now(),
): PartOutcome {
  const request = { method: part.method, url: part.url };
  const { status, body } = result;
  if (status >= 200 && status < 300) {
    const etag = result.etag;
    if (PLAIN_MD5_ETAG.test(etag) && etag.toLowerCase() !== md5.hex) {
      const error = new EngineError(
        'etag-mismatch',
        `part ${part.partNumber}: store ETag ${etag} is not its MD5 ${md5.hex}`,
        { status, request },
      );
      return { kind: 'retry', error, slowDown: false };
    }
    return { kind: 'ok', etag };
  }
  const store = readStoreError(body);
  const error = new EngineError(
    store.code,
    `part ${part.partNumber}: ${status} ${store.message}`.trim(),
    { status, request, body },
  );
  if (
    status === 403 &&
    (/request has expired/i.test(body) || store.code === 'url-expired' || part.expiresAt <= now)
  ) {
    return { kind: 'expired' };
  }
  if (store.code === 'bad-digest') return { kind: 'bad-digest', error };
  if (status === 404 || store.code === 'no-such-upload') {
    return {
      kind: 'gone',
      error: new EngineError('no-such-upload', error.message, { status, request, body }),
    };
  }
  if (status === 408 || status === 429 || status >= 500 || store.code === 'slow-down') {
    return { kind: 'retry', error, slowDown: status === 429 || store.code === 'slow-down' };
  }
  return { kind: 'fail', error };
}
