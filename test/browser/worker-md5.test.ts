import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { collectErrors, launchChromium, type PageErrors } from '../support/browser.ts';
import { startApp, type App } from '../support/vite-app.ts';
import { testBytes } from './pages/harness/bytes.ts';

type Outcome =
  | { ok: true; hex: string; base64: string; impl: string }
  | { ok: false; name: string; message: string };
type Harness = Record<string, (...args: never[]) => Promise<unknown>>;

const MiB = 1024 * 1024;
let app: App;
let browser: Browser;
let dir: string;
let page: Page;
let errors: PageErrors;

function md5(bytes: Uint8Array): { hex: string; base64: string } {
  const digest = createHash('md5').update(bytes).digest();
  return { hex: digest.toString('hex'), base64: digest.toString('base64') };
}

function call<T>(name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([fn, rest]) =>
      (
        (window as unknown as { harness: Harness }).harness[fn] as (
          ...a: unknown[]
        ) => Promise<unknown>
      )(...rest),
    [name, args] as const,
  ) as Promise<T>;
}

let fileCount = 0;
async function chooseFile(bytes: Uint8Array): Promise<string> {
  // A new name each time: Chromium snapshots a file's size and mtime when it is chosen.
  const path = join(dir, `test-${++fileCount}.bin`);
  await writeFile(path, bytes);
  await page.setInputFiles('#file', path);
  // The snapshot is taken by then; tests that change the file afterwards rely on it.
  await page.waitForFunction(
    (size) => (document.getElementById('file') as HTMLInputElement).files?.[0]?.size === size,
    bytes.length,
  );
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-worker-'));
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await page?.close().catch(() => {});
  await browser?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Opens the harness page at `url`. */
async function openHarness(url: string): Promise<Page> {
  const opened = await browser.newPage();
  await opened.goto(`${url}/test/browser/pages/harness/worker.html`);
  await opened.waitForSelector('body[data-ready]');
  return opened;
}

// One page for the whole file: every harness call builds its own pool and destroys it, so tests share
// nothing but the page (a fresh one cost about 2 s per test). A page that crashed or closed is replaced.
beforeEach(async () => {
  if (!page || page.isClosed()) {
    page = await openHarness(app.url);
    errors = collectErrors(page);
  }
  errors.messages.length = 0;
});

describe.each(['spark-md5', 'hash-wasm'] as const)(
  'worker MD5 with %s, default reading (slice)',
  (impl) => {
    test.each([0, 1, 5 * MiB - 1])(
      'a %i-byte Blob hashes to the same MD5 as Node crypto',
      async (size) => {
        const result = await call<Outcome>('hashBytes', size, impl);
        expect(result).toEqual({ ok: true, impl, ...md5(testBytes(size)) });
        expect(errors.messages).toEqual([]);
      },
    );

    test('a 64 MiB file from disk hashes to the same MD5 as Node crypto', async () => {
      const bytes = testBytes(64 * MiB, 7);
      await chooseFile(bytes);
      expect(await call<Outcome>('hashFile', impl)).toEqual({ ok: true, impl, ...md5(bytes) });
      expect(errors.messages).toEqual([]);
    });
  },
);

describe.each([
  ['spark-md5', 'stream'],
  ['hash-wasm', 'stream'],
  ['spark-md5', 'byob'],
  ['hash-wasm', 'byob'],
] as const)('worker MD5 with %s reading with %s', (impl, read) => {
  test.each([0, 1, 5 * MiB - 1])(
    'a %i-byte Blob hashes to the same MD5 as Node crypto',
    async (size) => {
      const result = await call<Outcome>('hashBytes', size, impl, { read });
      expect(result).toEqual({ ok: true, impl, ...md5(testBytes(size)) });
    },
  );

  test('a 64 MiB file from disk hashes to the same MD5 as Node crypto', async () => {
    const bytes = testBytes(64 * MiB, 5);
    await chooseFile(bytes);
    expect(await call<Outcome>('hashFile', impl, { read })).toEqual({
      ok: true,
      impl,
      ...md5(bytes),
    });
  });
});

test('parts hashed concurrently by 2 recycled workers match Node crypto part by part', async () => {
  const bytes = testBytes(20 * MiB + 12345, 3);
  await chooseFile(bytes);
  const partSize = 5 * MiB;
  // Recycling after 6 MiB makes every worker retire after at most two parts.
  const results = await call<Outcome[]>('hashParts', 'spark-md5', partSize, 2, 6 * MiB);
  const expected = [];
  for (let offset = 0; offset < bytes.length; offset += partSize) {
    expected.push({
      ok: true,
      impl: 'spark-md5',
      ...md5(bytes.subarray(offset, offset + partSize)),
    });
  }
  expect(results).toEqual(expected);
});

test.each(['spark-md5', 'hash-wasm'] as const)(
  'with %s, parts given as ranges of the whole file (the worker slices) match Node crypto part by part',
  async (impl) => {
    const bytes = testBytes(13 * MiB + 777, 4);
    await chooseFile(bytes);
    const partSize = 5 * MiB;
    const results = await call<Outcome[]>('hashParts', impl, partSize, 2, undefined, true);
    const expected = [];
    for (let offset = 0; offset < bytes.length; offset += partSize) {
      expected.push({ ok: true, impl, ...md5(bytes.subarray(offset, offset + partSize)) });
    }
    expect(results).toHaveLength(3);
    expect(results).toEqual(expected);
  },
);

test.each(['byob', 'stream', 'slice'] as const)(
  'a file changed on disk after it was chosen rejects with NotReadableError (%s)',
  async (read) => {
    const path = await chooseFile(testBytes(MiB));
    await appendFile(path, 'changed');
    const result = await call<Outcome>('hashFile', 'spark-md5', { read });
    expect(result).toMatchObject({ ok: false, name: 'NotReadableError' });
  },
);

test('a worker that crashes rejects its job with WorkerError, and the next job too, instead of hanging', async () => {
  const [first, second] = await call<Outcome[]>('hashWithBrokenWorker');
  expect(first).toMatchObject({ ok: false, name: 'WorkerError' });
  expect(second).toMatchObject({ ok: false, name: 'WorkerError' });
});

test('when workers cannot be created, every queued job rejects with the reason', async () => {
  const results = await call<Outcome[]>('hashWhenWorkersCannotStart');
  expect(results).toEqual(
    Array(3).fill({ ok: false, name: 'SecurityError', message: 'blocked by CSP' }),
  );
});

test('a worker that never answers fails its job with TimeoutError', async () => {
  expect(await call<Outcome>('hashWithSilentWorker')).toMatchObject({
    ok: false,
    name: 'TimeoutError',
  });
});

test('abort rejects running and queued jobs with AbortError and the pool keeps working', async () => {
  await chooseFile(testBytes(64 * MiB, 11));
  const result = await call<Record<string, Outcome>>('abortThenHash', 'spark-md5');
  expect(result.running).toMatchObject({ ok: false, name: 'AbortError' });
  expect(result.queued).toMatchObject({ ok: false, name: 'AbortError' });
  expect(result.preAborted).toMatchObject({ ok: false, name: 'AbortError' });
  expect(result.after).toEqual({
    ok: true,
    impl: 'spark-md5',
    ...md5(new TextEncoder().encode('abc')),
  });
});

test('destroy rejects a pending job with AbortError', async () => {
  await chooseFile(testBytes(8 * MiB));
  expect(await call<Outcome>('destroyWhileHashing')).toMatchObject({
    ok: false,
    name: 'AbortError',
  });
});

test('hash-wasm falls back to spark-md5 when the CSP forbids WebAssembly', async () => {
  // A header, not a meta tag: a worker loaded from a URL follows its own response's CSP.
  const strict = await startApp({
    headers: {
      'Content-Security-Policy': "script-src 'self' blob: data:; worker-src 'self' blob: data:",
    },
  });
  const shared = page;
  try {
    page = await openHarness(strict.url);
    const result = await call<Outcome>('hashBytes', MiB, 'hash-wasm');
    expect(result).toEqual({ ok: true, impl: 'spark-md5', ...md5(testBytes(MiB)) });
  } finally {
    await page.close();
    page = shared;
    await strict.close();
  }
});
