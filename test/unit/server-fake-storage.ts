// An in-memory StorageAdapter for unit tests of the handler's own logic (validation, tokens, errors).
// Anything about real stores is tested in test/storage against Swift and the local adapter.
import { createHash } from 'node:crypto';
import type { SignedPart, StoredPart } from '../../src/protocol/index.ts';
import { singleMetadata, stagingKey } from '../../src/server/single.ts';
import type { UploadTokenPayload } from '../../src/server/token.ts';
import {
  StorageError,
  type ObjectInfo,
  type StorageAdapter,
} from '../../src/server/storage/types.ts';

type Call = { method: string; input: unknown };

export class FakeStorage implements StorageAdapter {
  readonly bucket = 'fake';
  readonly calls: Call[] = [];
  readonly uploads = new Map<string, { key: string; parts: Map<number, Uint8Array> }>();
  readonly objects = new Map<
    string,
    { bytes: Uint8Array; etag: string; contentType: string; metadata?: Record<string, string> }
  >();
  /** Makes the next call of a method throw. */
  failNext: Record<string, unknown> = {};
  private next = 0;

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

  async createUpload(input: { key: string; contentType: string }) {
    this.record('createUpload', input);
    const uploadId = `up-${++this.next}`;
    this.uploads.set(uploadId, { key: input.key, parts: new Map() });
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
    return {
      partNumber: input.partNumber,
      url: `${input.context.baseUrl}/_fake/${input.uploadId}/${input.partNumber}?sig=x`,
      method: 'PUT',
      headers: { 'Content-MD5': input.contentMd5 },
      expiresAt: Date.now() + input.expiresIn * 1000,
    };
  }

  async signPut(input: {
    key: string;
    contentMd5: string;
    contentType: string;
    metadata?: Record<string, string>;
    expiresIn: number;
    context: { baseUrl: string };
  }): Promise<SignedPart> {
    this.record('signPut', input);
    return {
      partNumber: 1,
      url: `https://fake.example/${encodeURIComponent(input.key)}?sig=x`,
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
    if (!object) throw new StorageError('NoSuchKey', 'no such key', 404);
    const { contentType, metadata } = input;
    this.objects.set(input.to, { ...object, contentType, metadata: { ...metadata } });
  }

  async deleteObject(input: { key: string }): Promise<void> {
    this.record('deleteObject', input);
    this.objects.delete(input.key);
  }

  async listParts(input: { key: string; uploadId: string }): Promise<StoredPart[]> {
    this.record('listParts', input);
    const upload = this.uploads.get(input.uploadId);
    if (!upload) throw new StorageError('NoSuchUpload', 'no such upload', 404);
    return [...upload.parts].map(([partNumber, bytes]) => ({
      partNumber,
      size: bytes.length,
      etag: md5Hex(bytes),
    }));
  }

  async completeUpload(input: {
    key: string;
    uploadId: string;
    parts: { partNumber: number; etag: string }[];
  }) {
    this.record('completeUpload', input);
    const upload = this.uploads.get(input.uploadId);
    if (!upload) throw new StorageError('NoSuchUpload', 'no such upload', 404);
    const chunks = input.parts.map((p) => {
      const bytes = upload.parts.get(p.partNumber);
      if (!bytes || md5Hex(bytes) !== p.etag)
        throw new StorageError('InvalidPart', 'bad part', 400);
      return bytes;
    });
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const etag = `${md5Hex(Buffer.concat(input.parts.map((p) => Buffer.from(p.etag, 'hex'))))}-${input.parts.length}`;
    this.objects.set(upload.key, { bytes, etag, contentType: 'application/octet-stream' });
    this.uploads.delete(input.uploadId);
    return { etag: `"${etag}"`, location: `https://fake.example/${upload.key}` };
  }

  async abortUpload(input: { key: string; uploadId: string }) {
    this.record('abortUpload', input);
    if (!this.uploads.delete(input.uploadId)) {
      throw new StorageError('NoSuchUpload', 'no such upload', 404);
    }
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
      lastModified: new Date(),
      metadata: { ...object.metadata },
    };
  }

  async getObject(input: { key: string }): Promise<ReadableStream<Uint8Array>> {
    const object = this.objects.get(input.key);
    if (!object) throw new StorageError('NoSuchKey', 'no such key', 404);
    return new Blob([new Uint8Array(object.bytes)]).stream();
  }

  async listUploads() {
    return [...this.uploads].map(([uploadId, u]) => ({ key: u.key, uploadId }));
  }

  async listObjects(): Promise<ObjectInfo[]> {
    return [];
  }
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

export function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
