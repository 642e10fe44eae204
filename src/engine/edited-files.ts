/**
 * A file chosen again after it was edited: same name and size as a saved upload of this endpoint,
 * another modification date. Its upload id (from the fingerprint, date included) differs, so the
 * resume lookup never finds the saved upload; without this, the old multipart upload would stay open
 * on the store and listed as unfinished until it expired.
 */
import type { UploadRecord } from './ports.ts';

/** The saved uploads of an earlier version of `file` on this endpoint. */
export function editedVersions(
  records: readonly UploadRecord[],
  file: { name: string; size: number; lastModified: number },
  endpoint: string,
): UploadRecord[] {
  return records.filter(
    (r) =>
      r.endpoint === endpoint &&
      r.name === file.name &&
      r.size === file.size &&
      r.lastModified !== file.lastModified,
  );
}
