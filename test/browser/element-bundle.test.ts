import { createServer, type Server } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { createUploadHandler } from '../../src/server/index.ts';
import { createLocalStorage } from '../../src/server/storage/index.ts';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { md5Hex, storedMd5, testBytes } from './element-fixture.ts';

// The library bundle as a consumer without a bundler gets it: dist files and node_modules served
// as they are, the dependencies mapped by an import map, the hash worker from inside the bundle.
const repo = join(import.meta.dirname, '../..');
const importMap = {
  imports: {
    lit: '/node_modules/lit/index.js',
    'lit/': '/node_modules/lit/',
    'lit-html': '/node_modules/lit-html/lit-html.js',
    'lit-html/': '/node_modules/lit-html/',
    'lit-element/': '/node_modules/lit-element/',
    '@lit/reactive-element': '/node_modules/@lit/reactive-element/reactive-element.js',
    '@lit/reactive-element/': '/node_modules/@lit/reactive-element/',
    'idb-keyval': '/node_modules/idb-keyval/dist/index.js',
  },
};
const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bundle</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">import '/dist/resumable-upload.js';</script>
</head><body><main><resumable-upload multiple part-size="5MiB"></resumable-upload></main></body></html>`;
// The tagless entry next to the define entry: the same class under an application's own tag name.
const twoTags = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>two tags</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">
import '/dist/resumable-upload.js';
import { ResumableUpload } from '/dist/element.js';
customElements.define('acme-uploader', class extends ResumableUpload {});
</script>
</head><body><main>
<resumable-upload part-size="5MiB"></resumable-upload>
<acme-uploader part-size="5MiB"></acme-uploader>
</main></body></html>`;
const types: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json' };

let dir: string;
let server: Server;
let url: string;
let browser: Browser;
let storage: ReturnType<typeof createLocalStorage>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-bundle-'));
  const outDir = join(dir, 'dist');
  await build({
    configFile: join(repo, 'vite.lib.config.ts'),
    root: repo,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  storage = createLocalStorage({
    root: join(dir, 'store'),
    secret: 'bundle-test-secret-0123456789',
  });
  const api = getRequestListener(
    createUploadHandler({ storage, tokenSecret: 'bundle-test-token-secret-0123456789abcdef' }),
    { overrideGlobalObjects: false },
  );
  server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path.startsWith('/api/upload')) return void api(req, res);
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (path === '/two-tags') {
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(twoTags);
    }
    const file = path.startsWith('/dist/')
      ? join(outDir, normalize(path.slice('/dist/'.length)))
      : path.startsWith('/node_modules/')
        ? join(repo, normalize(path))
        : null;
    if (!file || file.includes('..')) return void res.writeHead(404).end();
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('the built element bundle', () => {
  it('loads in a plain page with only an import map and uploads with its bundled hash worker', async () => {
    const p = await browser.newPage();
    const errors = collectErrors(p);
    await p.goto(url);
    await p.waitForFunction(() => customElements.get('resumable-upload') !== undefined);
    const size = 6 * 1024 * 1024 + 17;
    await p.evaluate((size) => {
      const bytes = new Uint8Array(size);
      let x = 41 * 2654435761;
      for (let i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 255;
      }
      document.querySelector('resumable-upload')!.addFiles([new File([bytes], 'bundled.bin')]);
    }, size);
    await expect
      .poll(() => p.locator('resumable-upload li.item').getAttribute('data-phase'), {
        timeout: 60_000,
      })
      .toBe('done');
    const keys = await p.evaluate(() => document.querySelector('resumable-upload')!.value);
    expect(keys).toHaveLength(1);
    // Two parts, each hashed by the worker for its Content-MD5, which the store checked.
    expect(await storedMd5(storage, keys[0]!)).toBe(md5Hex(testBytes(size, 41)));
    expect(errors.messages).toEqual([]);
    await p.close();
  });

  it('defines the class of resumable-upload/element under a second tag; both tags upload on one page', async () => {
    const p = await browser.newPage();
    const errors = collectErrors(p);
    await p.goto(`${url}/two-tags`);
    await p.waitForFunction(() => customElements.get('acme-uploader') !== undefined);
    const sizes = { 'resumable-upload': 6 * 1024 * 1024 + 3, 'acme-uploader': 1024 * 1024 + 9 };
    await p.evaluate((sizes) => {
      for (const [tag, size] of Object.entries(sizes)) {
        const bytes = new Uint8Array(size);
        let x = size * 2654435761;
        for (let i = 0; i < size; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          bytes[i] = x & 255;
        }
        const el = document.querySelector(tag) as HTMLElementTagNameMap['resumable-upload'];
        el.addFiles([new File([bytes], `${tag}.bin`)]);
      }
    }, sizes);
    for (const [tag, size] of Object.entries(sizes)) {
      await expect
        .poll(() => p.locator(`${tag} li.item`).getAttribute('data-phase'), { timeout: 60_000 })
        .toBe('done');
      const keys = await p.evaluate(
        (tag) => (document.querySelector(tag) as HTMLElementTagNameMap['resumable-upload']).value,
        tag,
      );
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`/${tag}\\.bin$`));
      expect(await storedMd5(storage, keys[0]!)).toBe(md5Hex(testBytes(size, size)));
    }
    // Two elements of two different tags, each with its own shadow root and list.
    expect(await p.locator('acme-uploader').evaluate((el) => el.shadowRoot !== null)).toBe(true);
    expect(errors.messages).toEqual([]);
    await p.close();
  });
});
