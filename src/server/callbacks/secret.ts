/**
 * The HMAC key of a callback secret, shared by the signer and verifyCallback so both read a secret
 * the same way. Web APIs only (atob, TextEncoder): verifyCallback runs in edge runtimes.
 */

/** Prefix of Standard Webhooks secrets, whose rest is the base64 of the key bytes. */
export const WHSEC_PREFIX = 'whsec_';

// Canonical base64 with padding, as the Standard Webhooks libraries decode it: atob alone would
// also take spaces and missing padding, and a lenient decoder would silently drop bad characters.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;

/**
 * The key bytes of a secret: `whsec_<base64>` is decoded, as the Standard Webhooks libraries do,
 * any other secret is its UTF-8 bytes; a `whsec_` secret that is not base64 throws a TypeError.
 */
export function secretKey(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(WHSEC_PREFIX)) return new TextEncoder().encode(secret);
  const base64 = secret.slice(WHSEC_PREFIX.length);
  if (!BASE64.test(base64)) {
    throw new TypeError(`a ${WHSEC_PREFIX} secret must be followed by padded standard base64`);
  }
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
