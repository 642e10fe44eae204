import { EngineError, fileChangedError, isAbortError } from './errors.ts';
import type { ByteRange, Hasher, Md5Digest } from './ports.ts';

/**
 * Hashes a Blob (its bytes `range` only, when given); a read failure becomes 'file-unreadable', anything else
 * from the workers 'worker-failed'.
 */
export async function hashBlob(
  hasher: Hasher,
  blob: Blob,
  signal: AbortSignal,
  range?: ByteRange,
): Promise<Md5Digest> {
  try {
    return await hasher.md5(blob, signal, range);
  } catch (error) {
    if (signal.aborted || isAbortError(error)) throw error;
    if (error instanceof EngineError) throw error;
    const name = (error as { name?: string }).name;
    // Chromium raises NotReadableError when the file changed or vanished on disk after it was picked.
    const code =
      name === 'NotReadableError' || name === 'NotFoundError' ? 'file-unreadable' : 'worker-failed';
    throw new EngineError(code, `could not read the file: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Reads bytes [start, end) of the file again; a file whose size or date changed (seen through its handle),
 * or that can no longer be read, has changed.
 */
export async function rehashRange(
  hasher: Hasher,
  file: File,
  handle: FileSystemFileHandle | undefined,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<Md5Digest> {
  if (handle) {
    const current = await handle.getFile().catch(() => undefined);
    if (!current || current.size !== file.size || current.lastModified !== file.lastModified)
      throw fileChangedError(file.name);
  }
  try {
    return await hashBlob(hasher, file, signal, { start, end });
  } catch (error) {
    if (error instanceof EngineError && error.code === 'file-unreadable')
      throw fileChangedError(file.name, error);
    throw error;
  }
}

/**
 * Chromium fails an upload whose file changed on disk after it was picked (ERR_UPLOAD_FILE_CHANGED) the same
 * way as a dropped connection; reading one byte tells the two apart, so a changed file is not retried in vain.
 */
export async function assertReadable(file: File, start: number, end: number): Promise<void> {
  try {
    await file.slice(start, Math.min(end, start + 1)).arrayBuffer();
  } catch (error) {
    throw fileChangedError(file.name, error);
  }
}
