import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isContentMd5, unquoteEtag } from '../../src/protocol/digest.ts';
import { isPartNumber, MAX_PARTS, MAX_URL_EXPIRES_IN } from '../../src/protocol/index.ts';
import { checkExpiresIn, checkPartNumber, checkPartSize } from '../../src/server/storage/checks.ts';
import { parseContentMd5 } from '../../src/server/storage/md5.ts';

const digest = createHash('md5').update('abc').digest();

describe('the part-number range', () => {
  it('is 1..10,000 integers', () => {
    expect([1, 2, 9_999, MAX_PARTS].map(isPartNumber)).toEqual([true, true, true, true]);
    expect([0, -1, MAX_PARTS + 1, 1.5, Number.NaN, Infinity].map(isPartNumber)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('is what the adapters check before signing', () => {
    expect(() => checkPartNumber(MAX_PARTS)).not.toThrow();
    expect(() => checkPartNumber(MAX_PARTS + 1)).toThrow(/part number must be 1\.\.10000/);
    expect(() => checkPartSize(-1)).toThrow(RangeError);
  });
});

describe('the URL expiry limit', () => {
  it('is 7 days, the longest a SigV4 presigned URL lives', () => {
    expect(MAX_URL_EXPIRES_IN).toBe(604_800);
    expect(() => checkExpiresIn(604_800)).not.toThrow();
    expect(() => checkExpiresIn(604_801)).toThrow(/expiresIn must be 1\.\.604800 seconds/);
    expect(() => checkExpiresIn(0)).toThrow(RangeError);
    expect(() => checkExpiresIn(1.5)).toThrow(RangeError);
  });
});

describe('Content-MD5', () => {
  it('accepts the canonical base64 of 16 bytes, and the store decodes it to those bytes', () => {
    const value = digest.toString('base64');
    expect(isContentMd5(value)).toBe(true);
    expect(parseContentMd5(value)).toEqual(digest);
  });

  it('refuses other lengths, hex, missing padding and non-canonical last characters', () => {
    const value = digest.toString('base64');
    // Same bytes once decoded, but with the 4 unused bits of the last character set.
    const loose = `${value.slice(0, 21)}${value[21] === 'B' ? 'C' : 'B'}==`;
    for (const bad of [
      digest.toString('hex'),
      value.slice(0, 22),
      loose,
      `${value.slice(0, 20)}==`,
      Buffer.alloc(17).toString('base64'),
    ]) {
      expect(isContentMd5(bad), bad).toBe(false);
      expect(parseContentMd5(bad), bad).toBeNull();
    }
  });
});

describe('unquoteEtag', () => {
  it('removes the quotes and a weak prefix, and keeps a bare ETag', () => {
    expect(unquoteEtag('"0cc175b9c0f1b6a831c399e269772661"')).toBe(
      '0cc175b9c0f1b6a831c399e269772661',
    );
    expect(unquoteEtag('W/"abc-2"')).toBe('abc-2');
    expect(unquoteEtag('abc')).toBe('abc');
    expect(unquoteEtag('')).toBe('');
  });
});
