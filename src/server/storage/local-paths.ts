import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where the local store keeps things. Every path is built from a validated upload id or from an
 * encoded key that holds no path separator, so no key or id can reach outside `root`.
 *
 * <root>/uploads/<uploadId>/upload.json          the upload's key, content type, metadata
 * <root>/uploads/<uploadId>/part-<n>-<md5hex>    a finished part (renamed into place atomically)
 * <root>/uploads/<uploadId>/.tmp-*               a part being written (never listed)
 * <root>/objects/<encoded key>.data / .json      an object and its metadata sidecar
 * <root>/objects/<encoded key>.parts-<hex>/<n>   a completed multipart object's parts (named by its sidecar,
 *                                                 then it has no .data)
 */

const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PARTS_DIR = /^([^/\\\0]+)\.parts-[0-9a-f]{16}$/;

/** A fresh random upload id (128 bits, hex). */
export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

/** True when `id` has the shape newUploadId() makes; anything else is never used in a path. */
export function isUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}

/** A random suffix for temporary files. */
export function tempName(): string {
  return `.tmp-${randomBytes(8).toString('hex')}`;
}

// Longest encoded key kept readable; longer ones are hashed so the name stays under NAME_MAX (255).
const MAX_READABLE = 200;

/**
 * Encodes a key as one file name: percent-encoding leaves no '/', '\\' or NUL, a leading '.'
 * is encoded so no name is '.', '..' or hidden, and long keys become `#<sha256>` (encodeURIComponent
 * always escapes '#', so hashed names never collide with readable ones). Throws a TypeError for an
 * empty key or one that is not well-formed Unicode.
 */
export function encodeKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0)
    throw new TypeError('object key must be a non-empty string');
  let encoded: string;
  try {
    encoded = encodeURIComponent(key);
  } catch (error) {
    throw new TypeError('object key must be well-formed Unicode', { cause: error });
  }
  encoded = encoded.replace(/^\./, '%2E');
  if (encoded.length > MAX_READABLE) return `#${createHash('sha256').update(key).digest('hex')}`;
  return encoded;
}

/** The file paths of one upload and one object inside `root`. */
export class LocalLayout {
  readonly uploadsDir: string;
  readonly objectsDir: string;
  constructor(readonly root: string) {
    this.uploadsDir = join(root, 'uploads');
    this.objectsDir = join(root, 'objects');
  }

  /** Folder of a validated upload id. */
  uploadDir(uploadId: string): string {
    if (!isUploadId(uploadId)) throw new TypeError('invalid upload id');
    return join(this.uploadsDir, uploadId);
  }

  /** Metadata file of an upload. */
  uploadFile(uploadId: string): string {
    return join(this.uploadDir(uploadId), 'upload.json');
  }

  /** Data and sidecar files of an object. */
  objectFiles(key: string): { data: string; meta: string } {
    const name = encodeKey(key);
    return {
      data: join(this.objectsDir, `${name}.data`),
      meta: join(this.objectsDir, `${name}.json`),
    };
  }

  /** A fresh name for a multipart object's parts folder in objectsDir (each version its own folder). */
  objectPartsDir(key: string): string {
    return `${encodeKey(key)}.parts-${randomBytes(8).toString('hex')}`;
  }

  /** The sidecar's file name of the object owning a parts folder named `name`, or null for other names. */
  objectOfPartsDir(name: string): string | null {
    const match = PARTS_DIR.exec(name);
    return match ? `${match[1]}.json` : null;
  }

  /** The sidecar's file name of the object owning a data file named `name`, or null for other names. */
  objectOfDataFile(name: string): string | null {
    return name.endsWith('.data') && !name.startsWith('.tmp-') ? `${name.slice(0, -5)}.json` : null;
  }
}

/** True for a name objectPartsDir() makes: one folder name inside objects/, never a path. */
export function isObjectPartsDir(name: string): boolean {
  return PARTS_DIR.test(name);
}

/** File name of a finished part: its number and MD5 together, so one rename publishes both. */
export function partFileName(partNumber: number, md5Hex: string): string {
  return `part-${String(partNumber).padStart(5, '0')}-${md5Hex}`;
}

/** Parses a finished part's file name, or null for any other file. */
export function parsePartFileName(name: string): { partNumber: number; md5Hex: string } | null {
  const match = /^part-(\d{5})-([0-9a-f]{32})$/.exec(name);
  return match ? { partNumber: Number(match[1]), md5Hex: match[2]! } : null;
}
