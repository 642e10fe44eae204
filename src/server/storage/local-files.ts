import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempName } from './local-paths.ts';
import { storageError } from './s3-errors.ts';

/** Thrown by writeTemp when the source yields more bytes than allowed. */
export class TooLongError extends Error {
  override name = 'TooLongError';
}

/** A fully written and synced temporary file. */
export interface TempFile {
  path: string;
  md5: Buffer;
  bytes: number;
}

/**
 * Streams `chunks` into a new temporary file in `dir`, hashing as it goes, then fsyncs it, so that a
 * later rename publishes complete bytes only. The file is removed when anything fails.
 */
export async function writeTemp(
  dir: string,
  chunks: AsyncIterable<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<TempFile> {
  const path = join(dir, tempName());
  const file = await open(path, 'wx');
  const hash = createHash('md5');
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.byteLength;
      if (bytes > limit) throw new TooLongError(`more than ${limit} bytes`);
      hash.update(chunk);
      await file.write(chunk);
    }
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(path, { force: true });
    throw error;
  }
  return { path, md5: hash.digest(), bytes };
}

/** What a PUT to a signed part or object URL carried, once its signature was checked. */
export interface IncomingBody {
  chunks: AsyncIterable<Uint8Array>;
  size: number;
  md5: Buffer;
}

/**
 * Writes a checked PUT's body to a temporary file in `dir`; a body of another length than its signed
 * one, or other bytes than its Content-MD5, is a BadDigest and leaves no file.
 */
export async function receiveBody(dir: string, body: IncomingBody): Promise<TempFile> {
  const temp = await writeTemp(dir, body.chunks, body.size).catch((error: unknown) => {
    if (error instanceof TooLongError) {
      throw storageError('BadDigest', 'The body is longer than its signed Content-Length.');
    }
    throw error;
  });
  const problem =
    temp.bytes !== body.size
      ? storageError('BadDigest', 'The body is shorter than its signed Content-Length.')
      : !temp.md5.equals(body.md5)
        ? storageError('BadDigest')
        : null;
  if (problem) {
    await rm(temp.path, { force: true });
    throw problem;
  }
  return temp;
}

/**
 * Moves a file or folder into `trashDir` as `name`, out of sight at once, then deletes it; sweep()
 * removes what a failed delete leaves. Rejects (ENOENT) when there is nothing at `path`.
 */
export async function moveToTrash(
  trashDir: string,
  path: string,
  name = tempName(),
): Promise<void> {
  await mkdir(trashDir, { recursive: true });
  const target = join(trashDir, name);
  await rename(path, target);
  await rm(target, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
}

/** Writes JSON through a temporary file and a rename, so readers see the old or the new file, never half. */
export async function writeJsonAtomic(path: string, dir: string, value: unknown): Promise<void> {
  const temp = join(dir, tempName());
  try {
    await writeFile(temp, JSON.stringify(value), { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** True for a "no such file or directory" error. */
export function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Runs tasks with the same name one after another (in this process); other names run freely. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task of `name` has settled. */
  async run<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const result = previous.catch(() => {}).then(task);
    this.tails.set(name, result);
    try {
      return await result;
    } finally {
      if (this.tails.get(name) === result) this.tails.delete(name);
    }
  }
}

/** The names in a folder, or none when the folder does not exist. */
export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** A JSON file's value, or null when the file does not exist. */
export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
