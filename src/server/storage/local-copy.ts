/** CopyObject on the local store: the copy shares the source's bytes through hard links. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { linkFile, linkParts, objectPartName } from './local-complete.ts';
import { isNotFound } from './local-files.ts';
import { tempName } from './local-paths.ts';
import type { LocalObjects } from './local-objects.ts';
import { storageError } from './s3-errors.ts';
import type { StorageAdapter } from './types.ts';

/**
 * Copies object `from` to key `to` with the given content type and metadata (S3's REPLACE
 * directive); the bytes are linked, never rewritten. Throws NoSuchKey when `from` does not exist.
 */
export async function copyLocalObject(
  objects: LocalObjects,
  input: Parameters<StorageAdapter['copyObject']>[0],
): Promise<void> {
  const { from, to } = input;
  const { objectsDir } = objects.layout;
  const record = await objects.read(from);
  if (!record) throw storageError('NoSuchKey');
  await mkdir(objectsDir, { recursive: true });
  const staging = join(objectsDir, tempName());
  const { partsDir, partCount, ...facts } = record;
  const copy = {
    ...facts,
    key: to,
    contentType: input.contentType || 'application/octet-stream',
    metadata: { ...input.metadata },
    lastModified: new Date().toISOString(),
  };
  try {
    if (partsDir) {
      const count = partCount ?? 0;
      const paths = Array.from({ length: count }, (_, i) =>
        join(objectsDir, partsDir, objectPartName(i + 1)),
      );
      await linkParts(paths, staging);
      await objects.publish({ dir: staging, partCount: count }, copy);
    } else {
      await linkFile(objects.layout.objectFiles(from).data, staging);
      await objects.publish({ file: staging }, copy);
    }
  } catch (error) {
    // The source was replaced or deleted between reading its sidecar and linking its bytes.
    if (isNotFound(error)) throw storageError('NoSuchKey');
    throw error;
  }
}
