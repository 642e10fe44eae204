import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  MAX_PART_SIZE,
  MAX_PARTS,
  type SignedPart,
  type StoredPart,
} from '../../protocol/index.ts';
import { checkCompleteList, linkParts, partsBytes } from './local-complete.ts';
import type { CallbackOutbox } from '../callbacks/outbox.ts';
import { handleLocalRequest } from './local-http.ts';
import { createLocalOutbox } from './local-outbox.ts';
import {
  isNotFound,
  KeyedMutex,
  readdirOrEmpty,
  readJson,
  writeJsonAtomic,
  writeTemp,
  TooLongError,
} from './local-files.ts';
import { copyLocalObject } from './local-copy.ts';
import { sweepLocalStore } from './local-sweep.ts';
import {
  encodeKey,
  isObjectPartsDir,
  isUploadId,
  LocalLayout,
  newUploadId,
  parsePartFileName,
  partFileName,
  tempName,
} from './local-paths.ts';
import { keySegment, objectFields, partFields, UrlSigner } from './local-signing.ts';
import { multipartEtag } from './md5.ts';
import { StorageError, type ObjectInfo, type SignContext, type StorageAdapter } from './types.ts';

/** Options of the embedded local store. */
export interface LocalStorageOptions {
  /** Folder that holds everything (created when missing). */
  root: string;
  /** Secret of the HMAC that signs the store's URLs. */
  secret: string;
  /** Name reported as the bucket. Default `local`. */
  bucket?: string;
  /**
   * Serve GET `<base>/_local/objects/<key>` to anybody, without a signature. Default false: objects
   * are private, served only through URLs signed by signGet(), as a private S3 bucket. The demo
   * server (`npm start`) sets it, so a completed upload's `location` opens the file.
   */
  publicRead?: boolean;
  /**
   * Seconds after which an unfinished multipart upload counts as abandoned and sweep() aborts it.
   * Default 7 days, the handler's default `tokenTtl`; keep it at least the handler's `tokenTtl`, since
   * no token can resume an upload after that.
   */
  uploadLifetime?: number;
  /**
   * Base URL used for `location` on complete; default: the base URL of the complete request itself
   * (never one remembered from another request, whose Host header anybody can forge).
   */
  baseUrl?: string;
}

interface UploadRecord {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: string;
}

/** @internal The sidecar of a stored object. */
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

/** What a PUT to a signed part or object URL carried, once its signature was checked. */
export interface IncomingBody {
  chunks: AsyncIterable<Uint8Array>;
  size: number;
  md5: Buffer;
}

// Longest lifetime S3 accepts for a presigned URL (7 days).
const MAX_EXPIRES_IN = 604_800;
const SWEEP_INTERVAL_MS = 3600 * 1000;

/**
 * The embedded store: S3 multipart semantics on the local filesystem, with its own signed part URLs
 * served by handle(). Single process: concurrent writers are ordered by in-process locks.
 */
export class LocalStorage implements StorageAdapter {
  readonly bucket: string;
  readonly publicRead: boolean;
  readonly uploadLifetime: number;
  /** @internal */ readonly layout: LocalLayout;
  /** @internal */ readonly signer: UrlSigner;
  private readonly locks = new KeyedMutex();
  /** @internal */ readonly trashDir: string;
  private readonly baseUrl: string | undefined;
  private sweeping: Promise<void> | undefined;
  private lastSweep = 0;

  constructor(options: LocalStorageOptions) {
    if (!options || typeof options.root !== 'string' || options.root === '') {
      throw new TypeError('createLocalStorage: `root` (a folder) is required');
    }
    if (typeof options.secret !== 'string' || options.secret.length < 16) {
      throw new TypeError(
        'createLocalStorage: `secret` must be a string of at least 16 characters',
      );
    }
    this.bucket = options.bucket ?? 'local';
    this.publicRead = options.publicRead ?? false;
    this.uploadLifetime = options.uploadLifetime ?? 7 * 24 * 3600;
    if (!Number.isFinite(this.uploadLifetime) || this.uploadLifetime <= 0) {
      throw new TypeError(
        'createLocalStorage: `uploadLifetime` must be a positive number of seconds',
      );
    }
    this.baseUrl = options.baseUrl?.replace(/\/+$/, '');
    this.layout = new LocalLayout(options.root);
    this.signer = new UrlSigner(options.secret);
    this.trashDir = join(options.root, 'trash');
  }

  /** The outbox of failed callbacks in `<root>/<folder>` (default `callbacks`), one JSON file each. */
  callbackOutbox(folder?: string): CallbackOutbox {
    return createLocalOutbox(this.layout.root, folder);
  }

  async createUpload(input: {
    key: string;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<{ uploadId: string }> {
    encodeKey(input.key);
    // In the background, at most once an hour: what a crash left behind and abandoned uploads.
    if (!this.sweeping && Date.now() - this.lastSweep > SWEEP_INTERVAL_MS) {
      this.lastSweep = Date.now();
      this.sweeping = this.sweep()
        .catch((error: unknown) => console.warn('local storage: sweep failed', error))
        .finally(() => (this.sweeping = undefined));
    }
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
    return { uploadId };
  }

  async signPart(input: {
    key: string;
    uploadId: string;
    partNumber: number;
    size: number;
    contentMd5: string;
    expiresIn: number;
    context: SignContext;
  }): Promise<SignedPart> {
    checkPartNumber(input.partNumber);
    checkSize(input.size);
    const expires = this.expiry(input.expiresIn);
    const base = baseOf(input.context);
    const uploadId = encodeURIComponent(input.uploadId);
    const signature = this.signer.sign(
      partFields(uploadId, input.partNumber, input.size, input.contentMd5, expires),
    );
    const query = new URLSearchParams({
      size: String(input.size),
      expires: String(expires),
      signature,
    });
    return {
      partNumber: input.partNumber,
      url: `${base}/_local/uploads/${uploadId}/${input.partNumber}?${query}`,
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5 },
      expiresAt: expires * 1000,
    };
  }

  async signPut(input: {
    key: string;
    size: number;
    contentMd5: string;
    contentType: string;
    metadata?: Record<string, string>;
    expiresIn: number;
    context: SignContext;
  }): Promise<SignedPart> {
    encodeKey(input.key);
    checkSize(input.size);
    const expires = this.expiry(input.expiresIn);
    const base = baseOf(input.context);
    const type = input.contentType || 'application/octet-stream';
    const meta = Buffer.from(JSON.stringify(input.metadata ?? {})).toString('base64url');
    const segment = keySegment(input.key);
    const signature = this.signer.sign(
      objectFields(segment, input.size, input.contentMd5, type, meta, expires),
    );
    const query = new URLSearchParams({
      size: String(input.size),
      type,
      meta,
      expires: String(expires),
      signature,
    });
    return {
      partNumber: 1,
      url: `${base}/_local/objects/${segment}?${query}`,
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5, 'Content-Type': type },
      expiresAt: expires * 1000,
    };
  }

  /** Presigns a GET of an object (for stores that do not serve objects publicly). */
  signGet(input: { key: string; expiresIn: number; context: SignContext }): string {
    const expires = this.expiry(input.expiresIn);
    const segment = keySegment(input.key);
    const signature = this.signer.sign(['GET', 'object', segment, expires]);
    const query = new URLSearchParams({ expires: String(expires), signature });
    return `${baseOf(input.context)}/_local/objects/${segment}?${query}`;
  }

  async listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]> {
    await this.readUpload(input.key, input.uploadId);
    const parts = await this.readParts(input.uploadId);
    return parts.map(({ partNumber, size, etag }) => ({ partNumber, size, etag }));
  }

  async completeUpload(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
    context?: SignContext;
  }): Promise<{ etag: string; location: string }> {
    return this.locks.run(`upload:${input.uploadId}`, async () => {
      const upload = await this.readUpload(input.key, input.uploadId);
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
      await this.publishObject(
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
      await this.discardUpload(input.uploadId);
      return { etag, location: this.location(upload.key, input.context) };
    });
  }

  async abortUpload(input: { key: string; uploadId: string }): Promise<void> {
    await this.locks.run(`upload:${input.uploadId}`, async () => {
      await this.readUpload(input.key, input.uploadId);
      await this.discardUpload(input.uploadId);
    });
  }

  async copyObject(input: Parameters<StorageAdapter['copyObject']>[0]): Promise<void> {
    encodeKey(input.to);
    await copyLocalObject(this, input);
  }

  async deleteObject(input: { key: string }): Promise<void> {
    encodeKey(input.key);
    await this.locks.run(`object:${input.key}`, async () => {
      const record = await this.readObject(input.key);
      if (!record) return;
      const files = this.layout.objectFiles(input.key);
      // The sidecar first: readers stop seeing the object at once; its bytes go after.
      await this.trash(files.meta);
      if (record.partsDir) await this.trash(join(this.layout.objectsDir, record.partsDir));
      await this.trash(files.data);
    });
  }

  async headObject(input: { key: string }): Promise<ObjectInfo | null> {
    const record = await this.readObject(input.key);
    return record && toObjectInfo(record);
  }

  async getObject(input: { key: string }): Promise<ReadableStream<Uint8Array>> {
    const stream = await this.openObject(input.key);
    return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  }

  async listUploads(input: { prefix: string }): Promise<{ key: string; uploadId: string }[]> {
    const found: { key: string; uploadId: string }[] = [];
    for (const uploadId of await readdirOrEmpty(this.layout.uploadsDir)) {
      if (!isUploadId(uploadId)) continue;
      const record = await readJson<UploadRecord>(this.layout.uploadFile(uploadId));
      if (record && record.key.startsWith(input.prefix)) found.push({ key: record.key, uploadId });
    }
    return found.sort((a, b) => a.key.localeCompare(b.key) || a.uploadId.localeCompare(b.uploadId));
  }

  async listObjects(input: { prefix: string }): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    for (const name of await readdirOrEmpty(this.layout.objectsDir)) {
      if (!name.endsWith('.json') || name.startsWith('.tmp-')) continue;
      const record = await readJson<ObjectRecord>(join(this.layout.objectsDir, name));
      if (record && record.key.startsWith(input.prefix)) found.push(toObjectInfo(record));
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Removes what crashed runs and abandoned uploads leave (see sweepLocalStore): folders of finished
   * or aborted uploads not yet deleted, temporary files older than `olderThanMs` (default one day),
   * and multipart uploads started more than `uploadLifetime` ago.
   */
  sweep(olderThanMs = 24 * 3600 * 1000): Promise<void> {
    return sweepLocalStore(this, { olderThanMs, uploadLifetimeMs: this.uploadLifetime * 1000 });
  }

  /** Serves the store's own URLs under `<base>/_local/`; null for any other request. */
  handle(request: Request): Promise<Response | null> {
    return handleLocalRequest(this, request);
  }

  /** @internal Writes one part from a checked PUT; resolves with its MD5 in hex. */
  async receivePart(uploadId: string, partNumber: number, body: IncomingBody): Promise<string> {
    if (!isUploadId(uploadId)) throw noSuchUpload();
    const dir = this.layout.uploadDir(uploadId);
    if (!(await readJson<UploadRecord>(this.layout.uploadFile(uploadId)))) throw noSuchUpload();
    const temp = await this.receive(dir, body).catch((error: unknown) => {
      throw isNotFound(error) ? noSuchUpload() : error;
    });
    const md5Hex = temp.md5.toString('hex');
    await this.locks.run(`part:${uploadId}:${partNumber}`, async () => {
      const name = partFileName(partNumber, md5Hex);
      try {
        await rename(temp.path, join(dir, name));
      } catch (error) {
        await rm(temp.path, { force: true });
        // The upload was completed or aborted while the bytes were arriving.
        throw isNotFound(error) ? noSuchUpload() : error;
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

  /** @internal Writes a whole object from a checked PUT; resolves with its MD5 in hex. */
  async receiveObject(
    key: string,
    contentType: string,
    metadata: Record<string, string>,
    body: IncomingBody,
  ): Promise<string> {
    await mkdir(this.layout.objectsDir, { recursive: true });
    const temp = await this.receive(this.layout.objectsDir, body);
    const etag = temp.md5.toString('hex');
    await this.publishObject(
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

  /** @internal A stream of an object's bytes; throws NoSuchKey. */
  async openObject(key: string): Promise<Readable> {
    for (let attempt = 0; ; attempt++) {
      const record = await this.readObject(key);
      if (!record) throw noSuchKey();
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
        throw noSuchKey();
      }
    }
  }

  /** @internal The sidecar of an object, or null. */
  async readObject(key: string): Promise<ObjectRecord | null> {
    const record = await readJson<ObjectRecord>(this.layout.objectFiles(key).meta);
    // The sidecar names a folder to read: never one outside objects/.
    if (record?.partsDir !== undefined && !isObjectPartsDir(record.partsDir)) {
      throw new StorageError('Internal', `object ${key}: invalid parts folder in its sidecar`);
    }
    return record;
  }

  private async receive(dir: string, body: IncomingBody) {
    const temp = await writeTemp(dir, body.chunks, body.size).catch((error: unknown) => {
      if (error instanceof TooLongError) {
        throw new StorageError(
          'BadDigest',
          'The body is longer than its signed Content-Length.',
          400,
        );
      }
      throw error;
    });
    const problem =
      temp.bytes !== body.size
        ? new StorageError('BadDigest', 'The body is shorter than its signed Content-Length.', 400)
        : !temp.md5.equals(body.md5)
          ? new StorageError(
              'BadDigest',
              'The Content-MD5 you specified did not match what we received.',
              400,
            )
          : null;
    if (problem) {
      await rm(temp.path, { force: true });
      throw problem;
    }
    return temp;
  }

  /** @internal Publishes a data file or parts folder as the object of `record.key`, replacing any. */
  async publishObject(
    data: { file: string } | { dir: string; partCount: number },
    record: ObjectRecord,
  ): Promise<void> {
    const files = this.layout.objectFiles(record.key);
    // Data, then sidecar: headObject and listObjects read the sidecar, so a reader never sees a
    // sidecar without its data. Writers of one key are ordered so the pair stays consistent.
    await this.locks.run(`object:${record.key}`, async () => {
      const previous = await this.readObject(record.key).catch(() => null);
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

  /** Moves a file or folder out of sight at once, then deletes it; sweep() removes what a failed delete leaves. */
  private async trash(path: string): Promise<void> {
    await mkdir(this.trashDir, { recursive: true });
    const target = join(this.trashDir, tempName());
    try {
      await rename(path, target);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await rm(target, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  }

  private async readUpload(key: string, uploadId: string): Promise<UploadRecord> {
    if (!isUploadId(uploadId)) throw noSuchUpload();
    const record = await readJson<UploadRecord>(this.layout.uploadFile(uploadId));
    // S3 answers NoSuchUpload too when the id exists under another key.
    if (!record || record.key !== key) throw noSuchUpload();
    return record;
  }

  private async readParts(
    uploadId: string,
  ): Promise<(StoredPart & { file: string; mtime: number })[]> {
    const dir = this.layout.uploadDir(uploadId);
    const byNumber = new Map<number, StoredPart & { file: string; mtime: number }>();
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

  private async discardUpload(uploadId: string): Promise<void> {
    // Renaming first makes the upload disappear at once, even for a part PUT still in flight.
    await mkdir(this.trashDir, { recursive: true });
    const trash = join(this.trashDir, `${uploadId}${tempName()}`);
    await rename(this.layout.uploadDir(uploadId), trash);
    // The upload is already gone; what a failed delete leaves in trash, sweep() removes later.
    await rm(trash, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  }

  private expiry(expiresIn: number): number {
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
      throw new RangeError(`expiresIn must be 1..${MAX_EXPIRES_IN} seconds, got ${expiresIn}`);
    }
    return Math.floor(Date.now() / 1000) + expiresIn;
  }

  private location(key: string, context: SignContext | undefined): string {
    const base = this.baseUrl ?? (context ? baseOf(context) : '');
    return `${base}/_local/objects/${keySegment(key)}`;
  }
}

function baseOf(context: SignContext): string {
  return context.baseUrl.replace(/\/+$/, '');
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

function noSuchKey(): StorageError {
  return new StorageError('NoSuchKey', 'The specified key does not exist.', 404);
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

function noSuchUpload(): StorageError {
  return new StorageError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
  );
}

function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new RangeError(`part number must be 1..${MAX_PARTS}, got ${partNumber}`);
  }
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_PART_SIZE) {
    throw new RangeError(`part size must be 0..${MAX_PART_SIZE} bytes, got ${size}`);
  }
}
