/** The forms of Content-MD5 and ETag values on the wire, checked the same way by every layer. */

// The base64 of 16 bytes: 22 characters, the last carrying only 2 bits (so A, Q, g or w), then "==".
const CONTENT_MD5 = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** True for a Content-MD5 value: the canonical, padded base64 of exactly 16 bytes. */
export function isContentMd5(value: string): boolean {
  return CONTENT_MD5.test(value);
}

/** An ETag without the double quotes stores put around it (and the W/ prefix of weak ones). */
export function unquoteEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
