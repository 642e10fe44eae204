import { describe, expect, it } from 'vitest';
import { compileTemplate, templateValues } from '../../src/server/callbacks/template.ts';
import type { CallbackFacts } from '../../src/server/callbacks/types.ts';
import { defaultKey, sanitizeRelativePath } from '../../src/server/keys.ts';

const FACTS: CallbackFacts = {
  bucket: 'media',
  object: 'uploads/a1/2024/beach.jpg',
  etag: 'e',
  size: 1,
  mimeType: 'image/jpeg',
  uploadId: 'u',
  parts: 1,
  principal: 'alice',
  relativePath: '2024/beach.jpg',
};

describe('relative paths of files from folders', () => {
  it('sanitizes each segment like a file name and never leaves the folder', () => {
    expect(sanitizeRelativePath('a/b/c.txt')).toBe('a/b/c.txt');
    expect(sanitizeRelativePath('/../../etc/passwd')).toBe('etc/passwd');
    expect(sanitizeRelativePath('..\\win\\.\\x:y.txt')).toBe('win/x_y.txt');
    expect(sanitizeRelativePath('a//b/\u202Egpj.exe')).toBe('a/b/gpj.exe');
    expect(sanitizeRelativePath('../..')).toBeUndefined();
    expect(() => sanitizeRelativePath(`${'d/'.repeat(32)}f`)).toThrow(RangeError);
    expect(() => sanitizeRelativePath(`${'é'.repeat(100)}/`.repeat(6) + 'f')).toThrow(RangeError);
  });

  it('puts the path in the default key in place of the file name', () => {
    const key = defaultKey('uploads/');
    const base = { fileName: 'c.txt', originalFileName: 'c.txt', principal: 'p', contentType: '' };
    expect(key({ ...base, relativePath: 'a/b/c.txt' })).toMatch(
      /^uploads\/[0-9a-f]{32}\/a\/b\/c\.txt$/,
    );
    expect(key(base)).toMatch(/^uploads\/[0-9a-f]{32}\/c\.txt$/);
  });

  it('offers ${relativePath} to callback templates, and keeps it out of the default bodies', () => {
    const form = compileTemplate('form', 'path=${relativePath}&o=${object}', new Set());
    expect(form.render(templateValues(FACTS, {}))).toBe(
      'path=2024%2Fbeach.jpg&o=uploads%2Fa1%2F2024%2Fbeach.jpg',
    );
    const json = compileTemplate('json', undefined, new Set());
    expect(JSON.parse(json.render(templateValues(FACTS, {})))).not.toHaveProperty('relativePath');
    const loose = { ...FACTS, relativePath: undefined };
    expect(form.render(templateValues(loose, {}))).toBe('path=&o=uploads%2Fa1%2F2024%2Fbeach.jpg');
  });
});
