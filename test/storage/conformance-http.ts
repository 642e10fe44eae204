import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { SignedPart } from '../../src/protocol/index.ts';
import type { StorageAdapter } from '../../src/server/storage/index.ts';

/** MD5 of bytes in the encodings the protocol uses. */
export function md5(bytes: Uint8Array): { base64: string; hex: string } {
  const digest = createHash('md5').update(bytes).digest();
  return { base64: digest.toString('base64'), hex: digest.toString('hex') };
}

/** Deterministic pseudo-random bytes (so a failure reproduces). */
export function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** What the store answered to a PUT, read the way the engine reads it. */
export interface PutAnswer {
  status: number;
  etag: string;
  body: string;
  /** The S3 error code from an XML (or JSON) error body, '' when none. */
  code: string;
}

/** PUTs bytes to a presigned URL with its headers, as a browser's fetch would. */
export async function putSigned(
  signed: SignedPart,
  body: Uint8Array<ArrayBuffer>,
  headers = signed.headers,
): Promise<PutAnswer> {
  const response = await fetch(signed.url, { method: signed.method, headers, body });
  const text = await response.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
  return {
    status: response.status,
    etag: (response.headers.get('etag') ?? '').replaceAll('"', ''),
    body: text,
    code,
  };
}

/** Reads an object's bytes back through the adapter and returns their MD5 (hex) and length. */
export async function storedMd5(
  adapter: StorageAdapter,
  key: string,
): Promise<{ hex: string; size: number }> {
  const hash = createHash('md5');
  let size = 0;
  const reader = (await adapter.getObject({ key })).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    size += value.byteLength;
  }
  return { hex: hash.digest('hex'), size };
}

/** Serves an adapter's own URLs (handle()) on a loopback port, so tests PUT over real HTTP like a browser. */
export async function serveAdapter(
  adapter: StorageAdapter,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const handle = adapter.handle?.bind(adapter);
  if (!handle) throw new TypeError('this adapter serves no URLs of its own');
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve(
        {
          fetch: async (request) =>
            (await handle(request)) ?? new Response('not found', { status: 404 }),
          hostname: '127.0.0.1',
          port: 0,
        },
        (info: AddressInfo) => resolve({ server, port: info.port }),
      );
    },
  );
  return {
    baseUrl: `http://127.0.0.1:${port}/api/upload`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
