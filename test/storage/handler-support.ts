// The real upload handler behind a real HTTP server on 127.0.0.1, on the local adapter or on Swift
// s3api, driven with curl-level requests (fetch): JSON to the handler, bytes to the presigned URLs.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignedPart } from '../../src/protocol/index.ts';
import { startServer } from '../../src/cli/server.ts';
import {
  createLocalStorage,
  createS3Storage,
  createUploadHandler,
  type StorageAdapter,
  type UploadHandler,
  type UploadHandlerOptions,
} from '../../src/server/index.ts';
import type { S3TestConfig } from '../support/swift.ts';

export const SECRET = 'handler-test-secret-of-more-than-32-characters';
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type StoreKind = 'local' | 'swift';

export interface Harness {
  kind: StoreKind;
  url: string;
  storage: StorageAdapter;
  handler: UploadHandler;
  /** Every key of this harness starts with it. */
  prefix: string;
  /** The local store's folder (local only). */
  dir?: string;
  /** POSTs JSON to a route as user `user` (the test authorize hook reads x-user). */
  post(route: string, body: unknown, user?: string): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

/** Starts the handler on a store of the given kind, behind a real HTTP server. */
export async function startHarness(
  kind: StoreKind,
  s3: S3TestConfig,
  options: Partial<UploadHandlerOptions> = {},
): Promise<Harness> {
  const prefix = `handler-test/${randomBytes(6).toString('hex')}/`;
  let dir: string | undefined;
  let storage: StorageAdapter;
  if (kind === 'local') {
    dir = await mkdtemp(join(tmpdir(), 'ru-handler-'));
    storage = createLocalStorage({ root: join(dir, 'store'), secret: `${SECRET}-local` });
  } else {
    storage = createS3Storage({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  }
  const handler = createUploadHandler({
    storage,
    tokenSecret: SECRET,
    keyPrefix: prefix,
    authorize: (request) => request.headers.get('x-user') ?? 'alice',
    ...options,
  });
  const server = await startServer({ handler, port: 0 });
  return {
    kind,
    url: server.url,
    storage,
    handler,
    prefix,
    dir,
    async post(route, body, user = 'alice') {
      const response = await fetch(`${server.url}/api/upload/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': user },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Json };
    },
    async close() {
      await server.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** MD5 of bytes, as base64 (Content-MD5) and hex (ETag). */
export function md5(bytes: Uint8Array): { base64: string; hex: string } {
  const digest = createHash('md5').update(bytes).digest();
  return { base64: digest.toString('base64'), hex: digest.toString('hex') };
}

/** Deterministic pseudo-random bytes. */
export function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** PUTs bytes to a presigned URL with exactly the headers it came with; returns status, ETag and S3 code. */
export async function put(
  signed: SignedPart,
  body: Uint8Array<ArrayBuffer>,
): Promise<{ status: number; etag: string; code: string }> {
  const response = await fetch(signed.url, {
    method: signed.method,
    headers: signed.headers,
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: (response.headers.get('etag') ?? '').replaceAll('"', ''),
    code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '',
  };
}

/** MD5 (hex) and length of an object's stored bytes, read back through the adapter. */
export async function storedMd5(storage: StorageAdapter, key: string) {
  const hash = createHash('md5');
  let size = 0;
  const reader = (await storage.getObject({ key })).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    size += value.byteLength;
  }
  return { hex: hash.digest('hex'), size };
}

/** Uploads a whole file through the handler: create, sign, PUT every part, complete. */
export async function uploadFile(
  h: Harness,
  bytes: Uint8Array<ArrayBuffer>,
  create: Json = {},
): Promise<{ created: Json; completed: { status: number; body: Json } }> {
  const created = await h.post('create', {
    fileName: 'file.bin',
    size: bytes.length,
    contentType: 'application/octet-stream',
    ...create,
  });
  if (created.status !== 200) throw new Error(`create: ${JSON.stringify(created.body)}`);
  const { token, partSize, partCount } = created.body;
  const slices = Array.from({ length: partCount }, (_, i) =>
    bytes.slice(i * partSize, Math.min((i + 1) * partSize, bytes.length)),
  );
  const signed = await h.post('sign-parts', {
    token,
    parts: slices.map((slice, i) => ({
      partNumber: i + 1,
      size: slice.length,
      contentMd5: md5(slice).base64,
    })),
  });
  if (signed.status !== 200) throw new Error(`sign-parts: ${JSON.stringify(signed.body)}`);
  const parts = [];
  for (const [i, part] of (signed.body.parts as SignedPart[]).entries()) {
    const answer = await put(part, slices[i]!);
    if (answer.status !== 200)
      throw new Error(`PUT part ${i + 1}: ${answer.status} ${answer.code}`);
    parts.push({ partNumber: part.partNumber, etag: answer.etag });
  }
  const completed = await h.post('complete', { token, parts });
  return { created: created.body, completed };
}
