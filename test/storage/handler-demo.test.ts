// The demo server behind `npm start` (startDemo reads the same variables), on the embedded local
// store and, with the S3 variables set, on Swift s3api: a curl-level upload stores the exact bytes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startDemo, type Demo } from '../../src/cli/serve.ts';
import { MiB } from '../../src/protocol/index.ts';
import {
  bytesOf,
  md5,
  SECRET,
  storedMd5,
  uploadFile,
  type Harness,
  type Json,
} from './handler-support.ts';

/** The demo as a harness for uploadFile. */
function asHarness(demo: Demo): Harness {
  return {
    kind: 'local',
    url: demo.server.url,
    storage: demo.storage,
    handler: demo.handler,
    prefix: 'uploads/',
    async post(route, body) {
      const response = await fetch(`${demo.server.url}/api/upload/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Json };
    },
    close: () => demo.server.close(),
  };
}

describe('the demo server (npm start)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('serves the handler on the local store in UPLOAD_DIR and the demo page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ru-demo-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const demo = await startDemo({ PORT: '0', UPLOAD_DIR: dir, UPLOAD_TOKEN_SECRET: SECRET });
    cleanup.push(() => demo.server.close());
    expect(demo.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.where).toContain(dir);

    const bytes = bytesOf(6 * MiB, 11);
    const { created, completed } = await uploadFile(asHarness(demo), bytes, { partSize: 5 * MiB });
    expect(created.mode).toBe('multipart');
    expect(completed.body.size).toBe(bytes.length);
    expect(await storedMd5(demo.storage, created.key)).toEqual({
      hex: md5(bytes).hex,
      size: bytes.length,
    });
    // The completed object is readable at its location on the same server.
    const stored = await fetch(completed.body.location);
    expect(md5(new Uint8Array(await stored.arrayBuffer())).hex).toBe(md5(bytes).hex);

    const page = await fetch(`${demo.server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    for (const path of [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/no-such-file.js',
    ]) {
      expect((await fetch(`${demo.server.url}${path}`)).status).toBe(404);
    }
  });

  it('uses the S3 store when S3_BUCKET is set', async () => {
    const s3 = inject('s3');
    const demo = await startDemo({
      PORT: '0',
      UPLOAD_TOKEN_SECRET: SECRET,
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
    cleanup.push(() => demo.server.close());
    expect(demo.where).toContain(s3.endpoint);
    const bytes = bytesOf(3000, 12);
    const { created, completed } = await uploadFile(asHarness(demo), bytes, {
      contentMd5: md5(bytes).base64,
    });
    expect(completed.status).toBe(200);
    expect(new URL(completed.body.location).origin).toBe(s3.endpoint);
    expect(await storedMd5(demo.storage, created.key)).toEqual({ hex: md5(bytes).hex, size: 3000 });
  });

  it('answers the demo callback target itself with DEMO_CALLBACK=1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ru-demo-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const demo = await startDemo({
      PORT: '0',
      UPLOAD_DIR: dir,
      UPLOAD_TOKEN_SECRET: SECRET,
      DEMO_CALLBACK: '1',
    });
    cleanup.push(() => demo.server.close());
    cleanup.push(async () => demo.handler.callbacks?.close());
    const bytes = bytesOf(100, 14);
    const { created, completed } = await uploadFile(asHarness(demo), bytes, {
      fileName: 'with-callback.txt',
      contentType: 'text/plain',
      callback: { target: 'demo', vars: { 'x:note': 'hello' } },
    });
    expect(completed.body.callback).toMatchObject({
      status: 'ok',
      httpStatus: 200,
      body: {
        received: true,
        payload: { object: created.key, size: 100, etag: md5(bytes).hex, note: 'hello' },
      },
    });
  });

  it('refuses malformed settings with the variable named', async () => {
    await expect(startDemo({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
    await expect(startDemo({ PORT: '0', UPLOAD_TOKEN_SECRET: 'short' })).rejects.toThrow(
      /UPLOAD_TOKEN_SECRET/,
    );
  });
});
