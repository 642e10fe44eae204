import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { startApp, type App } from '../support/vite-app.ts';

let dir: string;
let app: App;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-worker-build-'));
  // Library mode with the worker settings of vite.lib.config.ts, nothing else: what a consumer downloads.
  await build({
    configFile: false,
    root: join(import.meta.dirname, '..', '..'),
    logLevel: 'error',
    publicDir: false,
    build: {
      outDir: dir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      lib: { entry: 'src/worker/index.ts', formats: ['es'], fileName: 'worker' },
    },
    worker: { format: 'es' },
  });
  app = await startApp({
    basePath: '/built',
    handler: async (request) => {
      const name = new URL(request.url).pathname.replace('/built/', '');
      if (name !== 'worker.js') return new Response('not found', { status: 404 });
      return new Response(await readFile(join(dir, name)), {
        headers: { 'content-type': 'text/javascript' },
      });
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

test('the library build hashes in its inlined workers with no bundler on the page', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${app.url}/test/browser/pages/harness/blank.html`);
  // A string, not a function: Vitest would rewrite a dynamic import() in the test's own code.
  const digests = (await page.evaluate(`(async () => {
    const { createWorkerHasher } = await import('/built/worker.js');
    const out = {};
    for (const impl of ['spark-md5', 'hash-wasm']) {
      const hasher = createWorkerHasher({ impl, workers: 1 });
      out[impl] = hasher.impl + ' ' + (await hasher.md5(new Blob(['built bundle']))).hex;
      hasher.destroy();
    }
    return out;
  })()`)) as Record<string, string>;
  const hex = createHash('md5').update('built bundle').digest('hex');
  expect(digests).toEqual({ 'spark-md5': `spark-md5 ${hex}`, 'hash-wasm': `hash-wasm ${hex}` });
  expect(errors.messages).toEqual([]);
  await page.close();
});
