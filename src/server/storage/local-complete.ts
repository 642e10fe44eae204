import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MIN_PART_SIZE, type StoredPart } from '../../protocol/index.ts';
import { unquoteEtag } from '../../protocol/digest.ts';
import { storageError } from './s3-errors.ts';

/**
 * Checks a complete request against the stored parts the way S3 does: ascending part numbers
 * (InvalidPartOrder), every named part present with its ETag (InvalidPart), every part but the last
 * at least 5 MiB (EntityTooSmall). Returns the stored parts in the request's order.
 */
export function checkCompleteList(
  parts: { partNumber: number; etag: string }[],
  stored: Map<number, StoredPart & { file: string }>,
): (StoredPart & { file: string })[] {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw storageError('InvalidPart', 'Complete needs at least one part.');
  }
  const chosen: (StoredPart & { file: string })[] = [];
  let previous = 0;
  for (const part of parts) {
    if (part.partNumber <= previous) {
      throw storageError('InvalidPartOrder');
    }
    previous = part.partNumber;
    const found = stored.get(part.partNumber);
    if (!found || found.etag !== unquoteEtag(String(part.etag)).toLowerCase()) {
      throw storageError(
        'InvalidPart',
        `Part ${part.partNumber} could not be found or its ETag did not match.`,
      );
    }
    chosen.push(found);
  }
  // S3 limit: every part but the last is at least 5 MiB.
  for (const part of chosen.slice(0, -1)) {
    if (part.size < MIN_PART_SIZE) {
      throw storageError(
        'EntityTooSmall',
        `Part ${part.partNumber} is smaller than the minimum 5 MiB.`,
      );
    }
  }
  return chosen;
}

/** Name of the `index`-th (1-based) part in a multipart object's parts folder. */
export function objectPartName(index: number): string {
  return String(index).padStart(5, '0');
}

// Filesystems without hard links (some network and FAT-like ones) answer these: copy there instead.
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

/** Hard-links `path` as `target`, or makes a synced copy where the filesystem refuses links. */
export async function linkFile(path: string, target: string): Promise<void> {
  try {
    await link(path, target);
  } catch (error) {
    if (!NO_LINKS.has((error as { code?: string }).code ?? '')) throw error;
    await copyFile(path, target);
    const copy = await open(target, 'r+');
    await copy.sync().finally(() => copy.close());
  }
}

/**
 * Makes folder `dir` holding the files of `paths` as 00001, 00002, ... in that order: hard links (the parts
 * were written and fsynced once, on arrival), or synced copies where links are refused. Removes `dir` on failure.
 */
export async function linkParts(paths: string[], dir: string): Promise<void> {
  await mkdir(dir);
  try {
    for (const [i, path] of paths.entries()) await linkFile(path, join(dir, objectPartName(i + 1)));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The bytes of the `count` parts in folder `dir`, one after the other, each opened when its turn comes. The
 * first part is looked up before this resolves, so an object replaced meanwhile rejects at once (ENOENT).
 */
export async function partsBytes(dir: string, count: number): Promise<AsyncIterable<Uint8Array>> {
  if (count > 0) await stat(join(dir, objectPartName(1)));
  return (async function* () {
    for (let i = 1; i <= count; i++)
      yield* createReadStream(join(dir, objectPartName(i))) as AsyncIterable<Uint8Array>;
  })();
}
