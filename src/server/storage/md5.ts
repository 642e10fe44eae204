import { createHash } from 'node:crypto';

/** Decodes a Content-MD5 header (base64 of 16 bytes) or returns null when it is malformed. */
export function parseContentMd5(value: string): Buffer | null {
  // Strict base64 of exactly 16 bytes: 22 characters and two '=' of padding.
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) return null;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 16 ? bytes : null;
}

/** The S3 multipart ETag: MD5 of the concatenated binary part MD5s, then `-<part count>`. */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  const hash = createHash('md5');
  for (const hex of partMd5Hex) hash.update(Buffer.from(hex, 'hex'));
  return `${hash.digest('hex')}-${partMd5Hex.length}`;
}

/** Removes the double quotes S3 puts around ETags (and the W/ prefix of weak ones). */
export function unquoteEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
