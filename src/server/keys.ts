/**
 * Object keys: the browser names a file, the server turns the name into one safe key segment.
 * Rules follow S3's "characters to avoid in key names" and what breaks file systems and terminals.
 */

/** Longest sanitized file name, in UTF-8 bytes (S3 keys are limited to 1,024 bytes in all). */
export const MAX_FILE_NAME_BYTES = 200;

/** What a name becomes when nothing safe is left of it (e.g. `...` or only control characters). */
export const FALLBACK_FILE_NAME = 'file';

// C0/C1 controls and DEL; bidi embeddings/overrides/isolates (U+202A-202E, U+2066-2069), the implicit
// marks (U+200E/F, U+061C), zero-width characters and the BOM: they hide or reorder what a person
// reads ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Path separators and characters S3 and common file systems handle badly in keys.
const UNSAFE = /[/\\:*?"<>|{}^%`[\]~#]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one: JSON may
// carry them (`"\ud800"`), but they have no UTF-8 form, so encodeURIComponent and stores refuse them.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const encoder = new TextEncoder();

/**
 * Sanitizes a browser-supplied file name into one safe key segment: lone surrogates become U+FFFD
 * (as TextEncoder and String.prototype.toWellFormed do), NFC, no control or bidi characters, no
 * separators or unsafe characters, no leading dots (so never `.` or `..`), at most 200 UTF-8 bytes
 * with the extension kept; `file` when nothing is left.
 */
export function sanitizeFileName(name: string): string {
  let clean = name
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  clean = truncateKeepingExtension(clean, MAX_FILE_NAME_BYTES).replace(/[\s.]+$/, '');
  return clean === '' ? FALLBACK_FILE_NAME : clean;
}

/** Cuts a name to `maxBytes` UTF-8 bytes at a code point boundary, keeping a short extension. */
function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (byteLength(name) <= maxBytes) return name;
  const match = /\.[\p{L}\p{N}]{1,16}$/u.exec(name);
  const ext = match && match.index > 0 ? match[0] : '';
  const base = ext ? name.slice(0, -ext.length) : name;
  return truncateBytes(base, maxBytes - byteLength(ext)) + ext;
}

/** The longest prefix of `text` (whole code points) that fits in `maxBytes` UTF-8 bytes. */
function truncateBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/** Whether a string has no lone surrogate, i.e. has a UTF-8 form (String.prototype.isWellFormed). */
export function isWellFormed(text: string): boolean {
  // search() ignores the g flag's lastIndex, so the shared regex stays stateless here.
  return text.search(LONE_SURROGATE) === -1;
}

/** UTF-8 length of a string. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** A random, URL-safe id (128 bits) for the default key. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Input of the object-key function. */
export interface KeyInput {
  /** The sanitized file name (see sanitizeFileName). */
  fileName: string;
  /** The name exactly as the browser sent it; never put it in a key unsanitized. */
  originalFileName: string;
  principal: string;
  contentType: string;
  /** The sanitized path inside the folder the file came from (see sanitizeRelativePath), if any. */
  relativePath?: string;
}

/** The default key: `${prefix}${randomId}/${relativePath or sanitizedFileName}`. */
export function defaultKey(prefix: string): (input: KeyInput) => string {
  return ({ fileName, relativePath }) => `${prefix}${randomId()}/${relativePath || fileName}`;
}

/** Most UTF-8 bytes of a sanitized relative path (S3's whole key limit: a key holds it and more). */
export const MAX_RELATIVE_PATH_BYTES = 1024;
/** Most levels (segments) of a relative path, its file name included. */
export const MAX_RELATIVE_PATH_LEVELS = 32;

/**
 * Sanitizes a folder-relative path ('photos/2024/a.jpg'; a backslash counts as `/` too): each segment
 * like a file name (sanitizeFileName), empty, `.` and `..` segments dropped, so the path can never
 * leave its folder; undefined when nothing is left. Throws RangeError past 1,024 bytes or 32 levels.
 */
export function sanitizeRelativePath(path: string): string | undefined {
  const segments = path
    .split(/[/\\]/)
    .filter((segment) => segment.trim() !== '' && !/^[\s.]*$/.test(segment))
    .map(sanitizeFileName);
  if (segments.length === 0) return undefined;
  if (segments.length > MAX_RELATIVE_PATH_LEVELS) {
    throw new RangeError(`the relative path is over ${MAX_RELATIVE_PATH_LEVELS} levels`);
  }
  const clean = segments.join('/');
  if (byteLength(clean) > MAX_RELATIVE_PATH_BYTES) {
    throw new RangeError(`the relative path is over ${MAX_RELATIVE_PATH_BYTES} UTF-8 bytes`);
  }
  return clean;
}

/**
 * Checks a key (from the default or a custom key function) before any store sees it; throws a
 * TypeError for keys that are not well-formed Unicode, could escape a folder on the local store
 * or break S3's limits.
 */
export function assertSafeKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '')
    throw new TypeError('the key function returned no key');
  if (!isWellFormed(key)) {
    throw new TypeError('the key is not well-formed Unicode (it has a lone surrogate)');
  }
  if (byteLength(key) > 1024) throw new TypeError('the key is over 1,024 UTF-8 bytes');
  if (key.startsWith('/')) throw new TypeError('the key must not start with "/"');
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new TypeError('the key contains control characters');
  if (key.split('/').some((segment) => segment === '.' || segment === '..' || segment === '')) {
    throw new TypeError('the key has an empty, "." or ".." segment');
  }
}
