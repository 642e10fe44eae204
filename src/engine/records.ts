import {
  HEX_MD5,
  hexToBase64,
  partRange,
  unquoteEtag,
  type StoredPart,
} from '../protocol/index.ts';
import type { RecordedPart, ResumeStore, UploadRecord } from './ports.ts';
import type { PendingUpload } from './types.ts';

/**
 * name, size, lastModified and type joined: what "the same file" means for resume. A file from a
 * folder adds its relative path, so two equal files in two folders are two uploads.
 */
export function fileFingerprint(file: {
  name: string;
  size: number;
  lastModified: number;
  type: string;
  webkitRelativePath?: string;
}): string {
  const fields = [file.name, file.size, file.lastModified, file.type];
  if (file.webkitRelativePath) fields.push(file.webkitRelativePath);
  return fields.join('\u0000');
}

/**
 * Gives a File the path it has inside a chosen or dropped folder, as `<input webkitdirectory>` does
 * for its own files: walked folders (File System Access handles, webkitGetAsEntry) give Files with
 * an empty `webkitRelativePath`, a read-only getter, so the path is set as the File's own property.
 * The engine reads it from there: one File carries its path wherever it goes.
 */
export function withRelativePath(file: File, relativePath: string | undefined): File {
  if (relativePath && file.webkitRelativePath !== relativePath) {
    Object.defineProperty(file, 'webkitRelativePath', { value: relativePath, configurable: true });
  }
  return file;
}

/**
 * The upload id of a file on a backend: a hash of the endpoint and the fingerprint, so the same file
 * gets the same id after a reload (snapshots, records and locks agree without a lookup).
 */
export function uploadId(endpoint: string, fingerprint: string): string {
  // cyrb53: a fast 53-bit string hash; collisions only matter between files of one browser profile.
  const text = `${endpoint}\u0001${fingerprint}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 'u' + (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The plain-data view of a saved upload that listPending() returns. */
export function toPending(record: UploadRecord): PendingUpload {
  return {
    id: record.id,
    name: record.name,
    size: record.size,
    type: record.type,
    lastModified: record.lastModified,
    key: record.key,
    partCount: record.partCount,
    partsDone: record.parts.length,
    bytesDone: record.parts.reduce((sum, p) => sum + p.size, 0),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    // A private copy resumes with no re-pick, as a handle does.
    hasHandle: (record.handle !== undefined && record.handle !== null) || !!record.copy,
    ...(record.relativePath ? { relativePath: record.relativePath } : {}),
  };
}

/** ETags compared without quotes and case, as stores differ in both. */
export function sameEtag(a: string, b: string): boolean {
  return unquoteEtag(a).toLowerCase() === unquoteEtag(b).toLowerCase();
}

/**
 * The parts a resume may skip, each to be checked against the file before complete:
 * - the recorded parts the store lists with the recorded size and ETag, and whose size fits the record's plan;
 * - the parts the store lists that the record missed (the page closed between a part's answer and the
 *   record's write), when their size fits the plan and their ETag is a plain MD5 (S3, Swift and the local
 *   store give a part's MD5 as its ETag): the ETag stands in for the recorded MD5, so the check re-hashes the
 *   file's bytes and sends the part again if they differ.
 * Anything else is sent again.
 */
export function trustedParts(record: UploadRecord, stored: StoredPart[]): RecordedPart[] {
  const plan = { size: record.size, partSize: record.partSize, partCount: record.partCount };
  const fits = (partNumber: number, size: number) => {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount)
      return false;
    const range = partRange(plan, partNumber);
    return size === range.end - range.start;
  };
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const trusted = record.parts.filter((p) => {
    const s = byNumber.get(p.partNumber);
    return !!s && fits(p.partNumber, p.size) && s.size === p.size && sameEtag(s.etag, p.etag);
  });
  const recorded = new Set(record.parts.map((p) => p.partNumber));
  for (const s of stored) {
    const etag = unquoteEtag(s.etag);
    if (recorded.has(s.partNumber) || !fits(s.partNumber, s.size) || !HEX_MD5.test(etag)) continue;
    trusted.push({ partNumber: s.partNumber, size: s.size, etag, md5: hexToBase64(etag) });
  }
  return trusted.sort((a, b) => a.partNumber - b.partNumber);
}

/** `store.update`, or a read then a put for a store that has none (see ResumeStore.update). */
export async function updateRecord(
  store: ResumeStore,
  id: string,
  change: (record: UploadRecord | undefined) => UploadRecord | undefined,
): Promise<void> {
  if (store.update) return store.update(id, change);
  const next = change(await store.get(id));
  if (next) await store.put(next);
}
