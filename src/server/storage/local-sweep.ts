/** The local store's cleanup: what crashed runs leave behind, and multipart uploads nobody finished. */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readdirOrEmpty, readJson } from './local-files.ts';
import { isUploadId } from './local-paths.ts';
import type { LocalUploads } from './local-uploads.ts';
import { StorageError } from './types.ts';

/**
 * Removes folders of finished or aborted uploads not yet deleted, temporary files older than
 * `olderThanMs` (longer than any part PUT takes), parts folders and data files no sidecar names, and
 * aborts multipart uploads started more than `uploadLifetimeMs` ago: their token has expired, so
 * nobody can finish them (S3 leaves that to a lifecycle rule; this store has none).
 */
export async function sweepLocalStore(
  uploads: LocalUploads,
  { olderThanMs, uploadLifetimeMs }: { olderThanMs: number; uploadLifetimeMs: number },
): Promise<void> {
  const { layout, trashDir } = uploads;
  for (const name of await readdirOrEmpty(trashDir)) {
    await rm(join(trashDir, name), { recursive: true, force: true });
  }
  await abortAbandoned(uploads, Date.now() - uploadLifetimeMs);
  const folders = [layout.objectsDir];
  for (const uploadId of await readdirOrEmpty(layout.uploadsDir)) {
    if (isUploadId(uploadId)) folders.push(layout.uploadDir(uploadId));
  }
  const cutoff = Date.now() - olderThanMs;
  const old = async (path: string) => {
    const info = await stat(path).catch(() => null);
    return info !== null && info.mtimeMs < cutoff;
  };
  for (const folder of folders) {
    for (const name of await readdirOrEmpty(folder)) {
      const path = join(folder, name);
      // Unfinished objects of a complete are folders of linked parts, hence recursive.
      if (name.startsWith('.tmp-') && (await old(path)))
        await rm(path, { recursive: true, force: true });
    }
  }
  // A crash between publishing an object's new parts folder and switching its sidecar leaves a folder
  // no sidecar names; one between the switch and the cleanup leaves an unused `.data` file.
  for (const name of await readdirOrEmpty(layout.objectsDir)) {
    const owner = layout.objectOfPartsDir(name) ?? layout.objectOfDataFile(name);
    if (owner === null || !(await old(join(layout.objectsDir, name)))) continue;
    const record = await readJson<{ partsDir?: string }>(join(layout.objectsDir, owner));
    const unused = name.endsWith('.data')
      ? record?.partsDir !== undefined
      : record?.partsDir !== name;
    if (unused) await rm(join(layout.objectsDir, name), { recursive: true, force: true });
  }
}

/** Aborts (as abortUpload does, under its lock) every multipart upload initiated before `cutoff`. */
async function abortAbandoned(uploads: LocalUploads, cutoff: number): Promise<void> {
  for (const uploadId of await readdirOrEmpty(uploads.layout.uploadsDir)) {
    if (!isUploadId(uploadId)) continue;
    const record = await readJson<{ key: string; initiated: string }>(
      uploads.layout.uploadFile(uploadId),
    );
    if (!record || !(Date.parse(record.initiated) < cutoff)) continue;
    await uploads.abort(record.key, uploadId).catch((error: unknown) => {
      // Completed or aborted meanwhile: nothing left to remove.
      if (!(error instanceof StorageError && error.code === 'NoSuchUpload')) throw error;
    });
  }
}
