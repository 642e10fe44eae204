import { createHash } from 'node:crypto';
import { isContentMd5 } from '../../protocol/digest.ts';

/** Decodes a Content-MD5 header (base64 of 16 bytes) or returns null when it is malformed. */
export function parseContentMd5(value: string): Buffer | null {
  return isContentMd5(value) ? Buffer.from(value, 'base64') : null;
}

/** The S3 multipart ETag: MD5 of the concatenated binary part MD5s, then `-<part count>`. */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  const hash = createHash('md5');
  for (const hex of partMd5Hex) hash.update(Buffer.from(hex, 'hex'));
  return `${hash.digest('hex')}-${partMd5Hex.length}`;
}
