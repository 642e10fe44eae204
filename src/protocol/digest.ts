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

/** An MD5 in hex, as S3, Swift and the local store give a part's (and a single-request object's) ETag. */
export const HEX_MD5 = /^[0-9a-f]{32}$/i;

/** The base64 of the 16 bytes whose hex is `hex` (Content-MD5 wants base64). */
export function hexToBase64(hex: string): string {
  let binary = '';
  for (let i = 0; i < hex.length; i += 2)
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}
