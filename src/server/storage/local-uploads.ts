/** The local store's multipart uploads: a folder per upload, holding its record and its finished parts. */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredPart } from '../../protocol/index.ts';
import { checkCompleteList, linkParts } from './local-complete.ts';
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
import type { LocalObjects } from './local-objects.ts';
import {
  encodeKey,
  isUploadId,
  newUploadId,
  parsePartFileName,
  partFileName,
  tempName,
  type LocalLayout,
} from './local-paths.ts';
import { multipartEtag } from './md5.ts';
import { storageError } from './s3-errors.ts';

/** `<root>/uploads/<uploadId>/upload.json`. */
interface UploadRecord {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: string;
}

type PartFile = StoredPart & { file: string; mtime: number };

/**
 * Starts, receives the parts of, completes and aborts multipart uploads. Complete and abort of one
 * upload are ordered, and so are two PUTs of one part.
 */
export class LocalUploads {
  private readonly locks = new KeyedMutex();

  constructor(
    readonly layout: LocalLayout,
    readonly trashDir: string,
    private readonly objects: LocalObjects,
  ) {}

  /** Starts an upload; resolves with its id. */
  async create(input: {
    key: string;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<string> {
    encodeKey(input.key);
    const uploadId = newUploadId();
    const dir = this.layout.uploadDir(uploadId);
    await mkdir(dir, { recursive: true });
    const record: UploadRecord = {
      key: input.key,
      contentType: input.contentType || 'application/octet-stream',
      metadata: { ...input.metadata },
      initiated: new Date().toISOString(),
    };
    await writeJsonAtomic(this.layout.uploadFile(uploadId), dir, record);
    return uploadId;
  }

  /** The finished parts of an upload of `key`, ascending; NoSuchUpload for any other. */
  async listParts(key: string, uploadId: string): Promise<StoredPart[]> {
    await this.read(key, uploadId);
    const parts = await this.readParts(uploadId);
    return parts.map(({ partNumber, size, etag }) => ({ partNumber, size, etag }));
  }

  /** Writes one part from a checked PUT, replacing an earlier one of its number; resolves with its MD5 in hex. */
  async receivePart(uploadId: string, partNumber: number, body: IncomingBody): Promise<string> {
    if (!isUploadId(uploadId)) throw storageError('NoSuchUpload');
    const dir = this.layout.uploadDir(uploadId);
    if (!(await readJson<UploadRecord>(this.layout.uploadFile(uploadId)))) {
      throw storageError('NoSuchUpload');
    }
    const temp = await receiveBody(dir, body).catch((error: unknown) => {
      throw isNotFound(error) ? storageError('NoSuchUpload') : error;
    });
    const md5Hex = temp.md5.toString('hex');
    await this.locks.run(`part:${uploadId}:${partNumber}`, async () => {
      const name = partFileName(partNumber, md5Hex);
      try {
        await rename(temp.path, join(dir, name));
      } catch (error) {
        await rm(temp.path, { force: true });
        // The upload was completed or aborted while the bytes were arriving.
        throw isNotFound(error) ? storageError('NoSuchUpload') : error;
      }
      // A part sent again replaces the earlier one, like S3.
      for (const other of await readdirOrEmpty(dir)) {
        if (other !== name && parsePartFileName(other)?.partNumber === partNumber) {
          await rm(join(dir, other), { force: true });
        }
      }
    });
    return md5Hex;
  }

  /** Completes an upload from the ordered (partNumber, etag) list; resolves with the object's ETag. */
  async complete(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
  }): Promise<string> {
    return this.locks.run(`upload:${input.uploadId}`, async () => {
      const upload = await this.read(input.key, input.uploadId);
      const stored = new Map((await this.readParts(input.uploadId)).map((p) => [p.partNumber, p]));
      const chosen = checkCompleteList(input.parts, stored);
      const dir = this.layout.uploadDir(input.uploadId);
      await mkdir(this.layout.objectsDir, { recursive: true });
      // The parts become the object by hard links, as S3 and Swift keep parts rather than copy them: complete
      // costs one link per part, not a rewrite (and an fsync) of every byte, which took seconds per GiB.
      const staging = join(this.layout.objectsDir, tempName());
      await linkParts(
        chosen.map((p) => join(dir, p.file)),
        staging,
      );
      const etag = multipartEtag(chosen.map((p) => p.etag));
      await this.objects.publish(
        { dir: staging, partCount: chosen.length },
        {
          key: upload.key,
          size: chosen.reduce((sum, p) => sum + p.size, 0),
          etag,
          contentType: upload.contentType,
          metadata: upload.metadata,
          lastModified: new Date().toISOString(),
        },
      );
      await this.discard(input.uploadId);
      return etag;
    });
  }

  /** Aborts an upload of `key`: its folder and parts go, its id is dead. */
  async abort(key: string, uploadId: string): Promise<void> {
    await this.locks.run(`upload:${uploadId}`, async () => {
      await this.read(key, uploadId);
      await this.discard(uploadId);
    });
  }

  /** Unfinished uploads whose key starts with `prefix`, by key then id. */
  async list(prefix: string): Promise<{ key: string; uploadId: string }[]> {
    const found: { key: string; uploadId: string }[] = [];
    for (const uploadId of await readdirOrEmpty(this.layout.uploadsDir)) {
      if (!isUploadId(uploadId)) continue;
      const record = await readJson<UploadRecord>(this.layout.uploadFile(uploadId));
      if (record && record.key.startsWith(prefix)) found.push({ key: record.key, uploadId });
    }
    return found.sort((a, b) => a.key.localeCompare(b.key) || a.uploadId.localeCompare(b.uploadId));
  }

  private async read(key: string, uploadId: string): Promise<UploadRecord> {
    if (!isUploadId(uploadId)) throw storageError('NoSuchUpload');
    const record = await readJson<UploadRecord>(this.layout.uploadFile(uploadId));
    // S3 answers NoSuchUpload too when the id exists under another key.
    if (!record || record.key !== key) throw storageError('NoSuchUpload');
    return record;
  }

  private async readParts(uploadId: string): Promise<PartFile[]> {
    const dir = this.layout.uploadDir(uploadId);
    const byNumber = new Map<number, PartFile>();
    for (const name of await readdirOrEmpty(dir)) {
      const parsed = parsePartFileName(name);
      if (!parsed) continue;
      const info = await stat(join(dir, name)).catch(() => null);
      if (!info) continue;
      const previous = byNumber.get(parsed.partNumber);
      // Two files of one part only after a crash between rename and cleanup: the newer one won.
      if (previous && previous.mtime >= info.mtimeMs) continue;
      byNumber.set(parsed.partNumber, {
        partNumber: parsed.partNumber,
        size: info.size,
        etag: parsed.md5Hex,
        file: name,
        mtime: info.mtimeMs,
      });
    }
    return [...byNumber.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Renaming first makes the upload disappear at once, even for a part PUT still in flight. */
  private async discard(uploadId: string): Promise<void> {
    await moveToTrash(this.trashDir, this.layout.uploadDir(uploadId), `${uploadId}${tempName()}`);
  }
}
