/** CopyObject on the local store: the copy shares the source's bytes through hard links. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { linkFile, linkParts, objectPartName } from './local-complete.ts';
import { isNotFound } from './local-files.ts';
import { tempName } from './local-paths.ts';
import type { LocalStorage } from './local.ts';
import { StorageError, type StorageAdapter } from './types.ts';

/**
 * Copies object `from` to key `to` with the given content type and metadata (S3's REPLACE
 * directive); the bytes are linked, never rewritten. Throws NoSuchKey when `from` does not exist.
 */
export async function copyLocalObject(
  store: LocalStorage,
  input: Parameters<StorageAdapter['copyObject']>[0],
): Promise<void> {
  const { from, to } = input;
  const { objectsDir } = store.layout;
  const record = await store.readObject(from);
  if (!record) throw noSuchKey();
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
      await store.publishObject({ dir: staging, partCount: count }, copy);
    } else {
      await linkFile(store.layout.objectFiles(from).data, staging);
      await store.publishObject({ file: staging }, copy);
    }
  } catch (error) {
    // The source was replaced or deleted between reading its sidecar and linking its bytes.
    if (isNotFound(error)) throw noSuchKey();
    throw error;
  }
}

function noSuchKey(): StorageError {
  return new StorageError('NoSuchKey', 'The specified key does not exist.', 404);
}
