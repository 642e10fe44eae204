/** The local store's objects: a data file or a folder of linked parts each, and a JSON sidecar. */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { partsBytes } from './local-complete.ts';
import {
  isNotFound,
  KeyedMutex,
  moveToTrash,
  readdirOrEmpty,
  readJson,
  receiveBody,
  writeJsonAtomic,
  type IncomingBody,
} from './local-files.ts';
import { encodeKey, isObjectPartsDir, type LocalLayout } from './local-paths.ts';
import { storageError } from './s3-errors.ts';
import { StorageError, type ObjectInfo } from './types.ts';

/** The sidecar of a stored object. */
export interface ObjectRecord {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  metadata: Record<string, string>;
  lastModified: string;
  /**
   * A completed multipart object has no `.data` file: its parts, hard-linked from the upload, are kept in
   * this folder of `objects/` as 00001, 00002, ..., `partCount` of them, read one after the other.
   */
  partsDir?: string;
  partCount?: number;
}

/** The objects folder: publishing, reading, listing and deleting objects. Writers of one key are ordered. */
export class LocalObjects {
  private readonly locks = new KeyedMutex();

  constructor(
    readonly layout: LocalLayout,
    private readonly trashDir: string,
  ) {}

  /** The sidecar of an object, or null. */
  async read(key: string): Promise<ObjectRecord | null> {
    const record = await readJson<ObjectRecord>(this.layout.objectFiles(key).meta);
    // The sidecar names a folder to read: never one outside objects/.
    if (record?.partsDir !== undefined && !isObjectPartsDir(record.partsDir)) {
      throw new StorageError('Internal', `object ${key}: invalid parts folder in its sidecar`);
    }
    return record;
  }

  /** The object's facts, or null. */
  async head(key: string): Promise<ObjectInfo | null> {
    const record = await this.read(key);
    return record && toObjectInfo(record);
  }

  /** Objects whose key starts with `prefix`, by key. */
  async list(prefix: string): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    for (const name of await readdirOrEmpty(this.layout.objectsDir)) {
      if (!name.endsWith('.json') || name.startsWith('.tmp-')) continue;
      const record = await readJson<ObjectRecord>(join(this.layout.objectsDir, name));
      if (record && record.key.startsWith(prefix)) found.push(toObjectInfo(record));
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** A stream of an object's bytes; throws NoSuchKey. */
  async open(key: string): Promise<Readable> {
    for (let attempt = 0; ; attempt++) {
      const record = await this.read(key);
      if (!record) throw storageError('NoSuchKey');
      try {
        if (record.partsDir) {
          const dir = join(this.layout.objectsDir, record.partsDir);
          return Readable.from(await partsBytes(dir, record.partCount ?? 0));
        }
        return await openStream(this.layout.objectFiles(key).data);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // Replaced between reading the sidecar and opening the bytes: the new sidecar names the new bytes.
        if (attempt === 0) continue;
        throw storageError('NoSuchKey');
      }
    }
  }

  /** Writes a whole object from a checked PUT; resolves with its MD5 in hex. */
  async receive(
    key: string,
    contentType: string,
    metadata: Record<string, string>,
    body: IncomingBody,
  ): Promise<string> {
    encodeKey(key);
    await mkdir(this.layout.objectsDir, { recursive: true });
    const temp = await receiveBody(this.layout.objectsDir, body);
    const etag = temp.md5.toString('hex');
    await this.publish(
      { file: temp.path },
      {
        key,
        size: temp.bytes,
        etag,
        contentType,
        metadata,
        lastModified: new Date().toISOString(),
      },
    );
    return etag;
  }

  /** Publishes a data file or parts folder as the object of `record.key`, replacing any. */
  async publish(
    data: { file: string } | { dir: string; partCount: number },
    record: ObjectRecord,
  ): Promise<void> {
    const files = this.layout.objectFiles(record.key);
    // Data, then sidecar: headObject and listObjects read the sidecar, so a reader never sees a
    // sidecar without its data. Writers of one key are ordered so the pair stays consistent.
    await this.locks.run(`object:${record.key}`, async () => {
      const previous = await this.read(record.key).catch(() => null);
      let published = record;
      const temp = 'file' in data ? data.file : data.dir;
      try {
        if ('file' in data) {
          await rename(data.file, files.data);
        } else {
          const partsDir = this.layout.objectPartsDir(record.key);
          await rename(data.dir, join(this.layout.objectsDir, partsDir));
          published = { ...record, partsDir, partCount: data.partCount };
        }
      } catch (error) {
        await rm(temp, { recursive: true, force: true });
        throw error;
      }
      await writeJsonAtomic(files.meta, this.layout.objectsDir, published);
      // Then the previous version's bytes go. A reader in the middle of an old file keeps it; one in the middle
      // of an old parts folder fails at its next part (the download breaks off, it never mixes versions).
      if (previous?.partsDir && isObjectPartsDir(previous.partsDir))
        await this.trash(join(this.layout.objectsDir, previous.partsDir));
      if (published.partsDir) await rm(files.data, { force: true });
    });
  }

  /** Deletes an object; none is no error. */
  async delete(key: string): Promise<void> {
    encodeKey(key);
    await this.locks.run(`object:${key}`, async () => {
      const record = await this.read(key);
      if (!record) return;
      const files = this.layout.objectFiles(key);
      // The sidecar first: readers stop seeing the object at once; its bytes go after.
      await this.trash(files.meta);
      if (record.partsDir) await this.trash(join(this.layout.objectsDir, record.partsDir));
      await this.trash(files.data);
    });
  }

  private async trash(path: string): Promise<void> {
    await moveToTrash(this.trashDir, path).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }
}

function toObjectInfo(record: ObjectRecord): ObjectInfo {
  return {
    key: record.key,
    size: record.size,
    etag: record.etag,
    contentType: record.contentType,
    lastModified: new Date(record.lastModified),
    metadata: { ...record.metadata },
  };
}

/** A read stream of `path`, once the file is open (so a missing file rejects here, not mid-stream). */
async function openStream(path: string): Promise<Readable> {
  const stream = createReadStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  return stream;
}
