/**
 * The upload token: every call after create carries it, so the browser can name its upload but
 * never change the key, size, plan or owner. `base64url(JSON payload) + "." + base64url(HMAC-SHA256)`,
 * computed with WebCrypto so the handler also runs on edge runtimes.
 */
import type { CallbackChoice } from './callbacks/types.ts';
import { HandlerError } from './errors.ts';

/** What the server signed at create time. */
export interface UploadTokenPayload {
  /** Format version, so a later format can refuse older tokens clearly. */
  v: 1;
  mode: 'multipart' | 'single';
  /** Empty in single mode. */
  uploadId: string;
  key: string;
  principal: string;
  size: number;
  partSize: number;
  partCount: number;
  contentType: string;
  /** Single mode: the upload's id, naming its staging key (src/server/single.ts); absent in older tokens. */
  singleId?: string;
  /** Kept for single mode, whose PUT carries the metadata (multipart stores it at create). */
  metadata?: Record<string, string>;
  callback?: CallbackChoice;
  /** The sanitized relative path (files from a folder), for the callback's `${relativePath}`. */
  relativePath?: string;
  /** Epoch milliseconds. */
  exp: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Signs and verifies upload tokens with the first secret; older secrets still verify (rotation). */
export class TokenSigner {
  readonly #keys: Promise<CryptoKey[]>;

  constructor(secrets: readonly string[]) {
    this.#keys = Promise.all(
      secrets.map((secret) =>
        crypto.subtle.importKey(
          'raw',
          encoder.encode(secret),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign', 'verify'],
        ),
      ),
    );
  }

  /** Returns the signed token of a payload. */
  async sign(payload: UploadTokenPayload): Promise<string> {
    const [key] = await this.#keys;
    const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
    const mac = await crypto.subtle.sign('HMAC', key!, encoder.encode(body));
    return `${body}.${toBase64Url(new Uint8Array(mac))}`;
  }

  /**
   * Verifies a token (in constant time, through WebCrypto's verify), its expiry and its owner;
   * throws HandlerError('invalid-token') otherwise.
   */
  async verify(token: string, principal: string, now = Date.now()): Promise<UploadTokenPayload> {
    const parts = token.split('.');
    const mac = parts.length === 2 ? fromBase64Url(parts[1]!) : null;
    if (!mac || mac.length !== 32) throw invalid('the upload token is malformed');
    const body = encoder.encode(parts[0]!);
    let valid = false;
    for (const key of await this.#keys) {
      if (await crypto.subtle.verify('HMAC', key, mac, body)) valid = true;
    }
    if (!valid) throw invalid('the upload token is not valid');
    const payload = parsePayload(parts[0]!);
    if (!(payload.exp > now)) throw invalid('the upload token has expired; start the upload again');
    if (payload.principal !== principal) throw invalid('the upload token belongs to another user');
    return payload;
  }
}

function invalid(message: string): HandlerError {
  return new HandlerError('invalid-token', message);
}

function parsePayload(body: string): UploadTokenPayload {
  try {
    const bytes = fromBase64Url(body);
    const payload = bytes && (JSON.parse(decoder.decode(bytes)) as UploadTokenPayload);
    if (payload && payload.v === 1) return payload;
  } catch {
    // A validly signed token always parses; fall through to the refusal.
  }
  throw invalid('the upload token is malformed');
}

/** Base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes base64url (no padding); null when the text is not the canonical base64url of its bytes.
 * atob ignores the spare low bits of the last character, so 4 texts decode to the same signature:
 * only the one toBase64Url writes is accepted, so a token has exactly one spelling.
 */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return toBase64Url(bytes) === text ? bytes : null;
}
