import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { SignedPart, StoredPart } from '../../protocol/index.ts';
import type { CallbackOutbox } from '../callbacks/outbox.ts';
import { checkExpiresIn, checkPartNumber, checkPartSize } from './checks.ts';
import { copyLocalObject } from './local-copy.ts';
import { handleLocalRequest, type LocalHttpStore } from './local-http.ts';
import { LocalObjects } from './local-objects.ts';
import { createLocalOutbox } from './local-outbox.ts';
import { encodeKey, LocalLayout } from './local-paths.ts';
import { keySegment, objectFields, partFields, UrlSigner } from './local-signing.ts';
import { sweepLocalStore } from './local-sweep.ts';
import { LocalUploads } from './local-uploads.ts';
import type { ObjectInfo, SignContext, StorageAdapter } from './types.ts';

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

const SWEEP_INTERVAL_MS = 3600 * 1000;

/**
 * The embedded store: S3 multipart semantics on the local filesystem, with its own signed part URLs
 * served by handle(). Single process: concurrent writers are ordered by in-process locks.
 */
export class LocalStorage implements StorageAdapter {
  readonly bucket: string;
  readonly publicRead: boolean;
  readonly uploadLifetime: number;
  private readonly root: string;
  private readonly signer: UrlSigner;
  private readonly objects: LocalObjects;
  private readonly uploads: LocalUploads;
  /** What handle() may do with the store: check a signature, take in a PUT's bytes, read an object. */
  private readonly http: LocalHttpStore;
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
    this.root = options.root;
    this.signer = new UrlSigner(options.secret);
    const layout = new LocalLayout(options.root);
    const trashDir = join(options.root, 'trash');
    this.objects = new LocalObjects(layout, trashDir);
    this.uploads = new LocalUploads(layout, trashDir, this.objects);
    const { signer, objects, uploads } = this;
    this.http = {
      publicRead: this.publicRead,
      verify: (fields, signature) => signer.verify(fields, signature),
      receivePart: (uploadId, partNumber, body) => uploads.receivePart(uploadId, partNumber, body),
      receiveObject: (key, contentType, metadata, body) =>
        objects.receive(key, contentType, metadata, body),
      headObject: (key) => objects.head(key),
      openObject: (key) => objects.open(key),
    };
  }

  /** The outbox of failed callbacks in `<root>/<folder>` (default `callbacks`), one JSON file each. */
  callbackOutbox(folder?: string): CallbackOutbox {
    return createLocalOutbox(this.root, folder);
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
    return { uploadId: await this.uploads.create(input) };
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
    checkPartSize(input.size);
    const expires = expiry(input.expiresIn);
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
    checkPartSize(input.size);
    const expires = expiry(input.expiresIn);
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
    const expires = expiry(input.expiresIn);
    const segment = keySegment(input.key);
    const signature = this.signer.sign(['GET', 'object', segment, expires]);
    const query = new URLSearchParams({ expires: String(expires), signature });
    return `${baseOf(input.context)}/_local/objects/${segment}?${query}`;
  }

  listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]> {
    return this.uploads.listParts(input.key, input.uploadId);
  }

  async completeUpload(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
    context?: SignContext;
  }): Promise<{ etag: string; location: string }> {
    const etag = await this.uploads.complete(input);
    return { etag, location: this.location(input.key, input.context) };
  }

  abortUpload(input: { key: string; uploadId: string }): Promise<void> {
    return this.uploads.abort(input.key, input.uploadId);
  }

  async copyObject(input: Parameters<StorageAdapter['copyObject']>[0]): Promise<void> {
    encodeKey(input.to);
    await copyLocalObject(this.objects, input);
  }

  deleteObject(input: { key: string }): Promise<void> {
    return this.objects.delete(input.key);
  }

  headObject(input: { key: string }): Promise<ObjectInfo | null> {
    return this.objects.head(input.key);
  }

  async getObject(input: { key: string }): Promise<ReadableStream<Uint8Array>> {
    const stream = await this.objects.open(input.key);
    return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  }

  listUploads(input: { prefix: string }): Promise<{ key: string; uploadId: string }[]> {
    return this.uploads.list(input.prefix);
  }

  listObjects(input: { prefix: string }): Promise<ObjectInfo[]> {
    return this.objects.list(input.prefix);
  }

  /**
   * Removes what crashed runs and abandoned uploads leave (see sweepLocalStore): folders of finished
   * or aborted uploads not yet deleted, temporary files older than `olderThanMs` (default one day),
   * and multipart uploads started more than `uploadLifetime` ago.
   */
  sweep(olderThanMs = 24 * 3600 * 1000): Promise<void> {
    return sweepLocalStore(this.uploads, {
      olderThanMs,
      uploadLifetimeMs: this.uploadLifetime * 1000,
    });
  }

  /** Serves the store's own URLs under `<base>/_local/`; null for any other request. */
  handle(request: Request): Promise<Response | null> {
    return handleLocalRequest(this.http, request);
  }

  private location(key: string, context: SignContext | undefined): string {
    const base = this.baseUrl ?? (context ? baseOf(context) : '');
    return `${base}/_local/objects/${keySegment(key)}`;
  }
}

/** The URL's expiry time in Unix seconds, `expiresIn` seconds from now. */
function expiry(expiresIn: number): number {
  checkExpiresIn(expiresIn);
  return Math.floor(Date.now() / 1000) + expiresIn;
}

function baseOf(context: SignContext): string {
  return context.baseUrl.replace(/\/+$/, '');
}
