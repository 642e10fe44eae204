import { describe, expect, it } from 'vitest';
import { assertSafeKey, byteLength, defaultKey, sanitizeFileName } from '../../src/server/keys.ts';

describe('sanitizeFileName', () => {
  it('keeps ordinary names, spaces and non-Latin letters', () => {
    expect(sanitizeFileName('holiday photo.jpg')).toBe('holiday photo.jpg');
    expect(sanitizeFileName('отчёт 2024.pdf')).toBe('отчёт 2024.pdf');
  });

  it('turns path traversal into one harmless segment', () => {
    const name = sanitizeFileName('../../etc/passwd');
    expect(name).toBe('_.._etc_passwd');
    expect(name).not.toContain('/');
    expect(sanitizeFileName('..\\..\\boot.ini')).toBe('_.._boot.ini');
  });

  it('removes NUL and control characters', () => {
    expect(sanitizeFileName('a\u0000b\u0007c\r\n.txt')).toBe('abc.txt');
    expect(sanitizeFileName('x\u009b1m.txt')).toBe('x1m.txt');
  });

  it('removes right-to-left overrides and other bidi controls', () => {
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('\u2066a\u2069\u200Eb\u200F.txt')).toBe('ab.txt');
  });

  it('gives names made only of dots (or nothing safe) the fallback name', () => {
    expect(sanitizeFileName('...')).toBe('file');
    expect(sanitizeFileName('..')).toBe('file');
    expect(sanitizeFileName('\u0000\u202E')).toBe('file');
  });

  it('never starts with a dot', () => {
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('...hidden.txt')).toBe('hidden.txt');
  });

  it('caps a 2,000-byte name at 200 UTF-8 bytes and keeps the extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(2000)}.tar`);
    expect(byteLength(name)).toBeLessThanOrEqual(200);
    expect(name.endsWith('.tar')).toBe(true);
    const wide = sanitizeFileName(`${'日本'.repeat(400)}.png`);
    expect(byteLength(wide)).toBeLessThanOrEqual(200);
    expect(wide.endsWith('.png')).toBe(true);
    // No half characters: every code point survives whole.
    expect(wide.replace('.png', '')).toMatch(/^(日本)*日?$/);
  });

  it('never splits a surrogate pair when cutting', () => {
    const name = sanitizeFileName('😀'.repeat(300));
    expect(byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toBe('😀'.repeat(50));
  });

  it('replaces lone surrogates with U+FFFD and keeps whole surrogate pairs', () => {
    expect(sanitizeFileName('a\ud800b.txt')).toBe('a\ufffdb.txt');
    expect(sanitizeFileName('a\udc00b\ud83d.txt')).toBe('a\ufffdb\ufffd.txt');
    expect(sanitizeFileName('\udc00\ud800.txt')).toBe('\ufffd\ufffd.txt');
    expect(sanitizeFileName('😀\ud800.txt')).toBe('😀\ufffd.txt');
    const cut = sanitizeFileName('\ud800'.repeat(300));
    expect(cut).toBe('\ufffd'.repeat(66));
    expect(() => assertSafeKey(`u/${cut}`)).not.toThrow();
    expect(() => encodeURIComponent(sanitizeFileName('x\udfff'))).not.toThrow();
  });

  it('normalizes to NFC', () => {
    expect(sanitizeFileName('cafe\u0301.txt')).toBe('caf\u00e9.txt');
  });

  it('replaces characters S3 keys should avoid', () => {
    expect(sanitizeFileName('a:b*c?d"e<f>g|h{i}^%`[]~#.txt')).toBe('a_b_c_d_e_f_g_h_i________.txt');
  });
});

describe('default key', () => {
  it('is prefix, a random id and the sanitized name', () => {
    const key = defaultKey('uploads/')({
      fileName: 'a.txt',
      originalFileName: 'a.txt',
      principal: 'p',
      contentType: 'text/plain',
    });
    expect(key).toMatch(/^uploads\/[0-9a-f]{32}\/a\.txt$/);
    expect(() => assertSafeKey(key)).not.toThrow();
  });

  it('refuses keys that could escape a folder', () => {
    expect(() => assertSafeKey('a/../b')).toThrow(TypeError);
    expect(() => assertSafeKey('/abs')).toThrow(TypeError);
    expect(() => assertSafeKey('a//b')).toThrow(TypeError);
    expect(() => assertSafeKey('a\u0000b')).toThrow(TypeError);
    expect(() => assertSafeKey('')).toThrow(TypeError);
  });

  it('refuses a key that is not well-formed Unicode, as a custom key function could return', () => {
    expect(() => assertSafeKey('u/a\ud800b.txt')).toThrow(/not well-formed Unicode/);
    expect(() => assertSafeKey('u/\udc00')).toThrow(TypeError);
    expect(() => assertSafeKey('u/😀.txt')).not.toThrow();
    // Twice in a row: the check keeps no state between calls.
    expect(() => assertSafeKey('u/\ud800')).toThrow(TypeError);
    expect(() => assertSafeKey('u/\ud800')).toThrow(TypeError);
  });
});
