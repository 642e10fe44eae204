import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { createUploadHandler } from '../../src/server/index.ts';
import {
  createLocalStorage,
  createS3Storage,
  type StorageAdapter,
} from '../../src/server/storage/index.ts';
import { hasherMessage } from '../../src/worker/announce.ts';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { md5Hex, storedMd5, testBytes } from './element-fixture.ts';

// Which MD5 implementation the built bundle picks under a page's Content-Security-Policy. The bundle's
// workers start from blob: URLs, which follow the page's policy: without 'wasm-unsafe-eval' in script-src
// a worker may not compile WebAssembly, so hash-wasm must give way to spark-md5 and say so once.
const repo = join(import.meta.dirname, '../..');
const NONCE = 'ru-csp-test';
const POLICIES = {
  none: undefined,
  strict: `script-src 'self' 'nonce-${NONCE}'; worker-src blob: 'self'`,
  wasm: `script-src 'self' 'nonce-${NONCE}' 'wasm-unsafe-eval'; worker-src blob: 'self'`,
  noblob: `script-src 'self' 'nonce-${NONCE}' 'wasm-unsafe-eval'; worker-src 'self'`,
} as const;
type Policy = keyof typeof POLICIES;

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

/** The element's page, or with `hasher` an engine-only page that passes the option and adds `window.file`. */
function pageHtml(hasher: string | null): string {
  const script = hasher
    ? `import { Uploader } from '/dist/engine.js';
       const uploader = new Uploader({ endpoint: '/api/upload', partSize: 5 * 1024 * 1024, hasher: ${JSON.stringify(hasher)} });
       window.upload = (file) => new Promise((resolve, reject) => {
         uploader.addEventListener('upload-success', (e) => resolve(e.detail.result.key));
         uploader.addEventListener('upload-error', (e) => reject(new Error(e.detail.code)));
         uploader.add([file]);
       });`
    : `import '/dist/resumable-upload.js';`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>csp</title>
<script type="importmap" nonce="${NONCE}">${JSON.stringify(importMap)}</script>
<script type="module" nonce="${NONCE}">${script}</script>
</head><body><main><resumable-upload part-size="5MiB"></resumable-upload></main></body></html>`;
}

const types: Record<string, string> = { '.js': 'text/javascript' };
const SIZE = 6 * 1024 * 1024 + 17;
const SEED = 43;

let dir: string;
let outDir: string;
let browser: Browser;
const servers: Server[] = [];

/** Serves the bundle, node_modules, the upload handler on `storage` and the test pages with their CSP. */
async function serve(storage: StorageAdapter): Promise<string> {
  const api = getRequestListener(
    createUploadHandler({
      storage,
      tokenSecret: randomBytes(24).toString('hex'),
      keyPrefix: `csp-test/${randomBytes(4).toString('hex')}/`,
    }),
    { overrideGlobalObjects: false },
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    if (path.startsWith('/api/upload')) return void api(req, res);
    if (path === '/') {
      const policy = POLICIES[(url.searchParams.get('csp') ?? 'none') as Policy];
      return void res
        .writeHead(200, {
          'content-type': 'text/html',
          ...(policy ? { 'content-security-policy': policy } : {}),
        })
        .end(pageHtml(url.searchParams.get('hasher')));
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
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Every console.info of the page (and its workers) that names this project. */
function infos(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'info' && message.text().startsWith('resumable-upload:'))
      seen.push(message.text());
  });
  return seen;
}

/** Puts the test file (the same bytes as testBytes(SIZE, SEED)) on `window.file` (no eval: the CSP forbids it). */
async function makeFile(page: Page): Promise<void> {
  await page.evaluate(
    ([size, seed]) => {
      const bytes = new Uint8Array(size);
      let x = seed * 2654435761;
      for (let i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 255;
      }
      (window as unknown as { file: File }).file = new File([bytes], 'csp.bin');
    },
    [SIZE, SEED] as const,
  );
}

/** Uploads the test file through the element; resolves with the stored key. */
async function uploadWithElement(page: Page): Promise<string> {
  await page.waitForFunction(() => customElements.get('resumable-upload') !== undefined);
  await makeFile(page);
  await page.evaluate(() =>
    document
      .querySelector('resumable-upload')!
      .addFiles([(window as unknown as { file: File }).file]),
  );
  await expect
    .poll(() => page.locator('resumable-upload li.item').getAttribute('data-phase'), {
      timeout: 90_000,
    })
    .toBe('done');
  const keys = await page.evaluate(() => document.querySelector('resumable-upload')!.value);
  expect(keys).toHaveLength(1);
  return keys[0]!;
}

/** Uploads the test file through the engine-only page; resolves with the stored key. */
async function uploadWithEngine(page: Page): Promise<string> {
  await page.waitForFunction(() => 'upload' in window);
  await makeFile(page);
  return page.evaluate(() => {
    const w = window as unknown as { file: File; upload(f: File): Promise<string> };
    return w.upload(w.file);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-csp-'));
  outDir = join(dir, 'dist');
  await build({
    configFile: join(repo, 'vite.lib.config.ts'),
    root: repo,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const expected = md5Hex(testBytes(SIZE, SEED));

describe.each(['local', 'swift'] as const)('the bundle on the %s store', (kind) => {
  let url: string;
  let storage: StorageAdapter;

  beforeAll(async () => {
    if (kind === 'local') {
      storage = createLocalStorage({
        root: join(dir, 'store'),
        secret: randomBytes(16).toString('hex'),
      });
    } else {
      const s3 = inject('s3');
      storage = createS3Storage({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
    }
    url = await serve(storage);
  });

  it("falls back to spark-md5 under a CSP without 'wasm-unsafe-eval', says so once, and stores the right bytes", async () => {
    const page = await browser.newPage();
    const said = infos(page);
    await page.goto(`${url}/?csp=strict`);
    const key = await uploadWithElement(page);
    expect(await storedMd5(storage, key)).toBe(expected);
    expect(said).toEqual([hasherMessage('spark-md5', undefined)]);
    await page.close();
  });

  it('hashes with hash-wasm by default where WebAssembly may run', async () => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    const said = infos(page);
    await page.goto(`${url}/?csp=none`);
    const key = await uploadWithElement(page);
    expect(await storedMd5(storage, key)).toBe(expected);
    expect(said).toEqual([hasherMessage('hash-wasm', undefined)]);
    expect(errors.messages).toEqual([]);
    await page.close();
  });
});

describe('the bundle on the local store', () => {
  let url: string;
  let storage: StorageAdapter;

  beforeAll(async () => {
    storage = createLocalStorage({
      root: join(dir, 'store-2'),
      secret: randomBytes(16).toString('hex'),
    });
    url = await serve(storage);
  });

  it("uses hash-wasm under a CSP that allows 'wasm-unsafe-eval'", async () => {
    const page = await browser.newPage();
    const said = infos(page);
    await page.goto(`${url}/?csp=wasm`);
    const key = await uploadWithElement(page);
    expect(await storedMd5(storage, key)).toBe(expected);
    expect(said).toEqual([hasherMessage('hash-wasm', undefined)]);
    await page.close();
  });

  it("hasher: 'spark-md5' forces spark-md5 where WebAssembly may run", async () => {
    const page = await browser.newPage();
    const said = infos(page);
    await page.goto(`${url}/?csp=none&hasher=spark-md5`);
    const key = await uploadWithEngine(page);
    expect(await storedMd5(storage, key)).toBe(expected);
    expect(said).toEqual([hasherMessage('spark-md5', 'spark-md5')]);
    await page.close();
  });

  it("hasher: 'hash-wasm' still falls back under a CSP without 'wasm-unsafe-eval' (an upload that works beats one that fails)", async () => {
    const page = await browser.newPage();
    const said = infos(page);
    await page.goto(`${url}/?csp=strict&hasher=hash-wasm`);
    const key = await uploadWithEngine(page);
    expect(await storedMd5(storage, key)).toBe(expected);
    expect(said).toEqual([hasherMessage('spark-md5', 'hash-wasm')]);
    await page.close();
  });

  it('fails with worker-failed, not a hang, under a CSP whose worker-src lacks blob:', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/?csp=noblob&hasher=hash-wasm`);
    await expect(uploadWithEngine(page)).rejects.toThrow(/worker-failed/);
    await page.close();
  });
});
