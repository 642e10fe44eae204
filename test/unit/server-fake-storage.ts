// An in-memory StorageAdapter for unit tests of the handler's own logic (validation, tokens, errors).
// It keeps S3's semantics, so the storage conformance suite passes against it too
// (test/unit/server-fake-storage.test.ts); real stores are tested in test/storage.
import { createHash, createHmac } from 'node:crypto';
import { MIN_PART_SIZE, type SignedPart, type StoredPart } from '../../src/protocol/index.ts';
import { unquoteEtag } from '../../src/protocol/digest.ts';
import { singleMetadata, stagingKey } from '../../src/server/single.ts';
import type { UploadTokenPayload } from '../../src/server/token.ts';
import { checkExpiresIn, checkPartNumber, checkPartSize } from '../../src/server/storage/checks.ts';
import { multipartEtag, parseContentMd5 } from '../../src/server/storage/md5.ts';
import { storageError } from '../../src/server/storage/s3-errors.ts';
import {
  StorageError,
  type ObjectInfo,
  type StorageAdapter,
} from '../../src/server/storage/types.ts';

type Call = { method: string; input: unknown };
type FakeObject = {
  bytes: Uint8Array;
  etag: string;
  contentType: string;
  metadata?: Record<string, string>;
  lastModified?: Date;
};

export class FakeStorage implements StorageAdapter {
  readonly bucket = 'fake';
  readonly calls: Call[] = [];
  readonly uploads = new Map<
    string,
    {
      key: string;
      contentType?: string;
      metadata?: Record<string, string>;
      parts: Map<number, Uint8Array>;
    }
  >();
  readonly objects = new Map<string, FakeObject>();
  /** Makes the next call of a method throw. */
  failNext: Record<string, unknown> = {};
  private next = 0;

  /** `objectsUrl`: where single PUTs go (the conformance suite serves handle() there). */
  constructor(private readonly objectsUrl = 'https://fake.example') {}

  private record(method: string, input: unknown) {
    this.calls.push({ method, input });
    if (method in this.failNext) {
      const error = this.failNext[method];
      delete this.failNext[method];
      throw error;
    }
  }

  /** Calls that change the store (what a refused request must never make). */
  writes(): Call[] {
    return this.calls.filter((c) =>
      /^(createUpload|completeUpload|abortUpload|copyObject|deleteObject)$/.test(c.method),
    );
  }

  async createUpload(input: {
    key: string;
    contentType: string;
    metadata?: Record<string, string>;
  }) {
    this.record('createUpload', input);
    const uploadId = `up-${++this.next}`;
    const { key, contentType, metadata } = input;
    this.uploads.set(uploadId, { key, contentType, metadata, parts: new Map() });
    return { uploadId };
  }

  async signPart(input: {
    key: string;
    uploadId: string;
    partNumber: number;
    size: number;
    contentMd5: string;
    expiresIn: number;
    context: { baseUrl: string };
  }): Promise<SignedPart> {
    this.record('signPart', input);
    checkPartNumber(input.partNumber);
    checkPartSize(input.size);
    const url = new URL(`${input.context.baseUrl}/_fake/${input.uploadId}/${input.partNumber}`);
    url.search = signedQuery(url, input);
    return {
      partNumber: input.partNumber,
      url: url.toString(),
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5 },
      expiresAt: Date.now() + input.expiresIn * 1000,
    };
  }

  async signPut(input: {
    key: string;
    size: number;
    contentMd5: string;
    contentType: string;
    metadata?: Record<string, string>;
    expiresIn: number;
    context: { baseUrl: string };
  }): Promise<SignedPart> {
    this.record('signPut', input);
    checkPartSize(input.size);
    const url = new URL(`${this.objectsUrl}/${encodeURIComponent(input.key)}`);
    const meta = Buffer.from(JSON.stringify(input.metadata ?? {})).toString('base64url');
    const type = input.contentType || 'application/octet-stream';
    url.search = new URLSearchParams({ type, meta }).toString();
    url.search += `&${signedQuery(url, input)}`;
    return {
      partNumber: 1,
      url: url.toString(),
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5, 'Content-Type': input.contentType },
      expiresAt: Date.now() + input.expiresIn * 1000,
    };
  }

  /** What a browser's PUT to a part URL would do. */
  putPart(uploadId: string, partNumber: number, bytes: Uint8Array): string {
    this.uploads.get(uploadId)!.parts.set(partNumber, bytes);
    return md5Hex(bytes);
  }

  /** Writes an object as any writer of the store would (no metadata). */
  putObject(key: string, bytes: Uint8Array, contentType = 'application/octet-stream'): string {
    const etag = md5Hex(bytes);
    this.objects.set(key, { bytes, etag, contentType });
    return etag;
  }

  /** What a browser's PUT to a single-mode upload's signed URL would do: its staging key and metadata. */
  putSingle(token: string, bytes: Uint8Array, contentType = 'application/octet-stream'): string {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[0]!, 'base64url').toString(),
    ) as UploadTokenPayload;
    const etag = md5Hex(bytes);
    const metadata = singleMetadata(payload);
    this.objects.set(stagingKey(payload), { bytes, etag, contentType, metadata: { ...metadata } });
    return etag;
  }

  async copyObject(input: {
    from: string;
    to: string;
    contentType: string;
    metadata?: Record<string, string>;
  }): Promise<void> {
    this.record('copyObject', input);
    const object = this.objects.get(input.from);
    if (!object) throw storageError('NoSuchKey');
    const { contentType, metadata } = input;
    this.objects.set(input.to, { ...object, contentType, metadata: { ...metadata } });
  }

  async deleteObject(input: { key: string }): Promise<void> {
    this.record('deleteObject', input);
    this.objects.delete(input.key);
  }

  async listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]> {
    this.record('listParts', input);
    const upload = this.upload(input);
    return [...upload.parts]
      .map(([partNumber, bytes]) => ({ partNumber, size: bytes.length, etag: md5Hex(bytes) }))
      .sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeUpload(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
  }) {
    this.record('completeUpload', input);
    const upload = this.upload(input);
    let previous = 0;
    const chunks = input.parts.map((p) => {
      if (p.partNumber <= previous) throw storageError('InvalidPartOrder');
      previous = p.partNumber;
      const bytes = upload.parts.get(p.partNumber);
      if (!bytes || md5Hex(bytes) !== unquoteEtag(p.etag).toLowerCase())
        throw storageError('InvalidPart');
      return bytes;
    });
    if (chunks.slice(0, -1).some((c) => c.length < MIN_PART_SIZE))
      throw storageError('EntityTooSmall');
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const etag = multipartEtag(chunks.map(md5Hex));
    const { contentType = 'application/octet-stream', metadata } = upload;
    this.objects.set(upload.key, { bytes, etag, contentType, metadata, lastModified: new Date() });
    this.uploads.delete(input.uploadId);
    return { etag, location: `https://fake.example/${upload.key}` };
  }

  async abortUpload(input: { key: string; uploadId: string }) {
    this.record('abortUpload', input);
    this.upload(input);
    this.uploads.delete(input.uploadId);
  }

  async headObject(input: { key: string }): Promise<ObjectInfo | null> {
    this.record('headObject', input);
    const object = this.objects.get(input.key);
    if (!object) return null;
    return {
      key: input.key,
      size: object.bytes.length,
      etag: object.etag,
      contentType: object.contentType,
      lastModified: object.lastModified ?? new Date(),
      metadata: { ...object.metadata },
    };
  }

  async getObject(input: { key: string }): Promise<ReadableStream<Uint8Array>> {
    const object = this.objects.get(input.key);
    if (!object) throw storageError('NoSuchKey');
    return new Blob([new Uint8Array(object.bytes)]).stream();
  }

  async listUploads(input: { prefix: string }) {
    return [...this.uploads]
      .filter(([, u]) => u.key.startsWith(input.prefix))
      .map(([uploadId, u]) => ({ key: u.key, uploadId }))
      .sort((a, b) => compare(a.key, b.key) || compare(a.uploadId, b.uploadId));
  }

  async listObjects(input: { prefix: string }): Promise<ObjectInfo[]> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(input.prefix)).sort(compare);
    return Promise.all(keys.map(async (key) => (await this.headObject({ key }))!));
  }

  /** Serves the signed part and object URLs as a store would: signature, expiry, then the digest. */
  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    const part = /\/_fake\/(up-\d+)\/(\d+)$/.exec(url.pathname);
    const objects = new URL(this.objectsUrl);
    const isObject =
      url.origin === objects.origin && url.pathname.startsWith(`${objects.pathname}/`);
    if ((!part && !isObject) || request.method !== 'PUT') return null;
    try {
      const params = url.searchParams;
      const md5 = request.headers.get('content-md5') ?? '';
      const size = Number(params.get('size'));
      const expires = Number(params.get('expires'));
      if (params.get('signature') !== signature(url, size, md5, expires)) {
        throw storageError('SignatureDoesNotMatch');
      }
      if (Date.now() / 1000 > expires) throw storageError('AccessDenied', 'Request has expired');
      const digest = parseContentMd5(md5);
      if (!digest) throw storageError('InvalidDigest');
      const bytes = new Uint8Array(await request.arrayBuffer());
      if (bytes.length !== size || md5Hex(bytes) !== digest.toString('hex')) {
        throw storageError('BadDigest');
      }
      let etag: string;
      if (part) {
        const upload = this.uploads.get(part[1]!);
        if (!upload) throw storageError('NoSuchUpload');
        etag = this.putPart(part[1]!, Number(part[2]), bytes);
      } else {
        const key = decodeURIComponent(url.pathname.slice(objects.pathname.length + 1));
        const meta = JSON.parse(Buffer.from(params.get('meta') ?? '', 'base64url').toString());
        etag = md5Hex(bytes);
        const contentType = params.get('type') ?? '';
        this.objects.set(key, {
          bytes,
          etag,
          contentType,
          metadata: meta,
          lastModified: new Date(),
        });
      }
      return new Response(null, { headers: { ETag: `"${etag}"` } });
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      const body = `<Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>`;
      return new Response(body, { status: error.status ?? 500 });
    }
  }

  /** The upload of `input.uploadId` if it is one of `input.key`, as S3 checks both. */
  private upload(input: { key: string; uploadId: string }) {
    const upload = this.uploads.get(input.uploadId);
    if (!upload || upload.key !== input.key) throw storageError('NoSuchUpload');
    return upload;
  }
}

const SECRET = 'fake-storage-url-secret';

/** The signature of a URL's path and other parameters, its size, Content-MD5 and expiry. */
function signature(url: URL, size: number, md5: string, expires: number): string {
  const params = new URLSearchParams(url.searchParams);
  for (const name of ['size', 'expires', 'signature']) params.delete(name);
  const fields = [url.pathname, params.toString(), size, md5, expires];
  return createHmac('sha256', SECRET).update(fields.join('\n')).digest('hex');
}

/** The query that signs `url`: its size, Content-MD5 and expiry. */
function signedQuery(
  url: URL,
  input: { size: number; contentMd5: string; expiresIn: number },
): string {
  checkExpiresIn(input.expiresIn);
  const expires = Math.floor(Date.now() / 1000) + input.expiresIn;
  const sig = signature(url, input.size, input.contentMd5, expires);
  return new URLSearchParams({
    size: String(input.size),
    expires: String(expires),
    signature: sig,
  }).toString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

export function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
