import { describe, expect, it } from 'vitest';
import {
  encodeKey,
  isUploadId,
  newUploadId,
  parsePartFileName,
  partFileName,
} from '../../src/server/storage/local-paths.ts';

const hostile = [
  '../../etc/passwd',
  '/etc/passwd',
  'a/../../b',
  '..',
  '.',
  '.hidden',
  'a\0b',
  '..\\..\\windows\\system32',
  'C:\\boot.ini',
  'name\u202Egnp.exe',
  'x'.repeat(5_000),
  '字'.repeat(300),
  'a%2F..%2Fb',
  'file.data',
  'file.json',
];

describe('encodeKey (a key as one file name)', () => {
  it.each(hostile.map((key) => [JSON.stringify(key).slice(0, 40), key]))(
    'makes %s a single safe file name',
    (_label, key) => {
      const name = encodeKey(key);
      expect(name).not.toMatch(/[/\\\0]/);
      expect(['.', '..']).not.toContain(name);
      expect(name.startsWith('.')).toBe(false);
      // NAME_MAX is 255 bytes; the adapter adds a 5-byte suffix (.data / .json).
      expect(Buffer.byteLength(name) + 5).toBeLessThanOrEqual(255);
    },
  );

  it('gives different keys different names', () => {
    const keys = [...hostile, 'a/b', 'a%2Fb', 'A/b', 'x'.repeat(4_999), '%2E', '.'];
    const names = new Set(keys.map(encodeKey));
    expect(names.size).toBe(new Set(keys).size);
  });

  it('refuses an empty key and one that is not well-formed Unicode', () => {
    expect(() => encodeKey('')).toThrow(TypeError);
    expect(() => encodeKey('bad\uD800')).toThrow(TypeError);
  });
});

describe('upload ids and part file names', () => {
  it('accepts only ids it makes', () => {
    expect(isUploadId(newUploadId())).toBe(true);
    for (const id of [
      '',
      '..',
      '../x',
      'ABCDEF0123456789abcdef0123456789',
      'a'.repeat(31),
      `${'a'.repeat(32)}/`,
    ]) {
      expect(isUploadId(id)).toBe(false);
    }
  });

  it('round-trips a part number and its MD5 through the file name', () => {
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    expect(parsePartFileName(partFileName(10_000, md5))).toEqual({
      partNumber: 10_000,
      md5Hex: md5,
    });
    expect(parsePartFileName('.tmp-0123456789abcdef')).toBeNull();
    expect(parsePartFileName('upload.json')).toBeNull();
  });
});
