import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { collectErrors, launchChromium, launchPersistent } from '../support/browser.ts';
import { startApp, type App } from '../support/vite-app.ts';

type Harness = Record<string, (...args: never[]) => Promise<unknown> | unknown>;

let app: App;
let browser: Browser;
let dir: string;

function call<T>(target: Page | Frame, name: string, ...args: unknown[]): Promise<T> {
  return target.evaluate(
    ([fn, rest]) =>
      (
        (window as unknown as { harness: Harness }).harness[fn] as (
          ...a: unknown[]
        ) => Promise<unknown>
      )(...rest),
    [name, args] as const,
  ) as Promise<T>;
}

async function open(context: BrowserContext | Browser): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/test/browser/pages/harness/persistence.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return page;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-persist-'));
  // CORS for the sandboxed-frame test: its opaque origin fetches the harness modules cross-origin.
  app = await startApp({ headers: { 'Access-Control-Allow-Origin': '*' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

test('records round-trip through IndexedDB and survive a reload', async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const errors = collectErrors(page);
  await call(page, 'put', 'a', 'http://one', 2, 1000);
  await call(page, 'put', 'b', 'http://two', 0, 2000);
  await page.reload();
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  expect(await call(page, 'get', 'a')).toEqual(
    await call(page, 'record', 'a', 'http://one', 2, 1000),
  );
  expect(await call(page, 'list')).toEqual([
    await call(page, 'record', 'a', 'http://one', 2, 1000),
    await call(page, 'record', 'b', 'http://two', 0, 2000),
  ]);
  await call(page, 'delete', 'a');
  expect(await call(page, 'get', 'a')).toBeUndefined();
  expect(errors.messages).toEqual([]);
  await context.close();
});

test('find matches fingerprint and endpoint, newest first', async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const fp = await call<string>(page, 'fingerprintOf', 'f');
  await call(page, 'put', 'f', 'http://one', 1, 1000);
  expect(await call(page, 'find', fp, 'http://one')).toMatchObject({
    id: 'f',
    endpoint: 'http://one',
  });
  expect(await call(page, 'find', fp, 'http://other')).toBeUndefined();
  expect(await call(page, 'find', 'another file', 'http://one')).toBeUndefined();
  await context.close();
});

test('puts issued together are stored in the order they were issued', async () => {
  const context = await browser.newContext();
  const page = await open(context);
  await call(page, 'putMany', 'o', 'http://one', 25);
  expect(await call(page, 'get', 'o')).toMatchObject({ parts: expect.any(Array), updatedAt: 1024 });
  expect((await call<{ parts: unknown[] }>(page, 'get', 'o')).parts.length).toBe(25);
  await context.close();
});

test('an update reads the put issued before it and writes in the same transaction; no change, no write', async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const result = await call<{
    record: { parts: unknown[]; copy?: string };
    ids: string[];
    seen: number[];
  }>(page, 'updateBesidePuts', 'u');
  expect(result.seen).toEqual([2, -1]);
  expect(result.record.copy).toBe('u');
  expect(result.record.parts).toHaveLength(2);
  expect(result.ids).toEqual(['u']);
  await context.close();
});

test('a record holding an OPFS file handle reads its file back after a browser restart', async () => {
  const profile = join(dir, 'profile');
  let context = await launchPersistent(profile);
  let page = await open(context);
  await call(page, 'putWithOpfsHandle', 'h', 'bytes kept in OPFS');
  expect(await call(page, 'get', 'h')).toMatchObject({ id: 'h', handle: 'handle:h.txt' });
  await context.close();

  context = await launchPersistent(profile);
  page = await open(context);
  expect(await call(page, 'readStoredHandle', 'h')).toEqual({
    isHandle: true,
    name: 'h.txt',
    text: 'bytes kept in OPFS',
  });
  await context.close();
});

test('a second page cannot take a held upload lock until it is released', async () => {
  const context = await browser.newContext();
  const first = await open(context);
  const second = await open(context);
  expect(await call(first, 'acquire', 'u1')).toBe(true);
  expect(await call(second, 'acquire', 'u1')).toBe(false);
  expect(await call(second, 'acquire', 'u2')).toBe(true);
  await call(first, 'release', 'u1');
  expect(await call(second, 'acquire', 'u1')).toBe(true);
  // Closing the holder's page frees its locks (the browser does it, asynchronously): a closed tab blocks nothing.
  await second.close();
  await expect.poll(() => call(first, 'acquire', 'u2'), { timeout: 10_000 }).toBe(true);
  await context.close();
});

test('persistence is reported available in a normal page and unavailable in an opaque origin', async () => {
  const context = await browser.newContext();
  const page = await open(context);
  expect(await call(page, 'isPersistenceAvailable')).toBe(true);
  await page.goto(`${app.url}/test/browser/pages/harness/persistence-sandbox.html`);
  const frame = page.frames()[1];
  await frame.waitForSelector('body[data-ready]', { state: 'attached' });
  expect(await call(frame, 'isPersistenceAvailable')).toBe(false);
  expect(await call(frame, 'persistenceProblem')).toMatch(/denied|security|opaque|access/i);
  await context.close();
});

test('the memory fallback store answers like IndexedDB and keeps its own copies', async () => {
  const context = await browser.newContext();
  const page = await open(context);
  expect(await call(page, 'memoryStoreRoundTrip')).toEqual({
    parts: 2,
    found: 'a',
    ids: ['a', 'a2'],
    afterDelete: undefined,
  });
  await context.close();
});
