import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
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

// The CDN file as a page with no bundler and no import map uses it: one <script type="module" src>,
// and only the build's own files served (no node_modules), so anything not inside it would fail.
const repo = join(import.meta.dirname, '../..');
const page = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>cdn</title>
<script type="module" src="/cdn/resumable-upload.js"></script>
</head><body><main><resumable-upload part-size="5MiB"></resumable-upload></main></body></html>`;

let dir: string;
let outDir: string;
let server: Server;
let url: string;
let browser: Browser;
let storage: ReturnType<typeof createLocalStorage>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-cdn-'));
  outDir = join(dir, 'cdn');
  await build({
    configFile: join(repo, 'vite.cdn.config.ts'),
    root: repo,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  storage = createLocalStorage({ root: join(dir, 'store'), secret: 'cdn-test-secret-0123456789' });
  const api = getRequestListener(
    createUploadHandler({ storage, tokenSecret: 'cdn-test-token-secret-0123456789abcdef' }),
    { overrideGlobalObjects: false },
  );
  server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path.startsWith('/api/upload')) return void api(req, res);
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    const file = path.startsWith('/cdn/') ? join(outDir, normalize(path.slice(5))) : null;
    if (!file || file.includes('..') || extname(file) !== '.js')
      return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
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

describe('the CDN file dist/cdn/resumable-upload.js', () => {
  it('is one minified module (plus a chunk per locale) within its gzip budget', async () => {
    const files = await readdir(outDir, { recursive: true });
    expect(files.filter((f) => f.endsWith('.js') && !f.startsWith('locales')).sort()).toEqual([
      'resumable-upload.js',
    ]);
    expect(files.filter((f) => f.startsWith('locales/'))).toHaveLength(10);
    const code = await readFile(join(outDir, 'resumable-upload.js'), 'utf8');
    // No bare import is left for an import map to resolve; minified: no indented statements.
    expect(code).not.toMatch(/\bfrom\s*["'`](lit|idb-keyval|spark-md5|hash-wasm)/);
    expect(code).not.toMatch(/\n\s+(let|const|return|if) /);
    // scripts/cdn-size.mjs exits 1 over the budget (the build's own check).
    execFileSync('node', [join(repo, 'scripts/cdn-size.mjs'), join(outDir, 'resumable-upload.js')]);
  });

  it('loads from <script type="module" src> with no import map, speaks the page language, and uploads', async () => {
    const p = await browser.newPage();
    const errors = collectErrors(p);
    const requested: string[] = [];
    p.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await p.goto(url);
    await p.waitForFunction(() => customElements.get('resumable-upload') !== undefined);
    // <html lang="de">: the German chunk, fetched next to the file, and no other.
    await expect
      .poll(() => p.locator('resumable-upload').locator('.drop-zone-label').textContent())
      .toBe('Dateien hierher ziehen oder auswählen');
    const size = 7 * 1024 * 1024 + 5;
    await p.evaluate((size) => {
      const bytes = new Uint8Array(size);
      let x = 43 * 2654435761;
      for (let i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 255;
      }
      document.querySelector('resumable-upload')!.addFiles([new File([bytes], 'cdn.bin')]);
    }, size);
    await expect
      .poll(() => p.locator('resumable-upload li.item').getAttribute('data-phase'), {
        timeout: 60_000,
      })
      .toBe('done');
    const keys = await p.evaluate(() => document.querySelector('resumable-upload')!.value);
    expect(keys).toHaveLength(1);
    // Two parts, each hashed by the inlined worker for its Content-MD5, which the store checked.
    expect(await storedMd5(storage, keys[0]!)).toBe(md5Hex(testBytes(size, 43)));
    const scripts = requested.filter((path) => path.startsWith('/cdn/'));
    expect(scripts[0]).toBe('/cdn/resumable-upload.js');
    expect(scripts.slice(1)).toEqual([expect.stringMatching(/^\/cdn\/locales\/de-[\w-]+\.js$/)]);
    expect(errors.messages).toEqual([]);
    await p.close();
  });
});
