import { createReadStream } from 'node:fs';
import { MIN_PART_SIZE, type StoredPart } from '../../protocol/index.ts';
import { unquoteEtag } from './md5.ts';
import { StorageError } from './types.ts';

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
    throw new StorageError('InvalidPart', 'Complete needs at least one part.', 400);
  }
  const chosen: (StoredPart & { file: string })[] = [];
  let previous = 0;
  for (const part of parts) {
    if (part.partNumber <= previous) {
      throw new StorageError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order.',
        400,
      );
    }
    previous = part.partNumber;
    const found = stored.get(part.partNumber);
    if (!found || found.etag !== unquoteEtag(String(part.etag)).toLowerCase()) {
      throw new StorageError(
        'InvalidPart',
        `Part ${part.partNumber} could not be found or its ETag did not match.`,
        400,
      );
    }
    chosen.push(found);
  }
  // S3 limit: every part but the last is at least 5 MiB.
  for (const part of chosen.slice(0, -1)) {
    if (part.size < MIN_PART_SIZE) {
      throw new StorageError(
        'EntityTooSmall',
        `Part ${part.partNumber} is smaller than the minimum 5 MiB.`,
        400,
      );
    }
  }
  return chosen;
}

/** The bytes of the files one after the other, streamed (never a whole file in memory). */
export async function* concatFiles(paths: string[]): AsyncIterable<Uint8Array> {
  for (const path of paths) yield* createReadStream(path) as AsyncIterable<Buffer>;
}
