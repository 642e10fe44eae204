import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { startApp, type App } from '../support/vite-app.ts';

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({
    handler: async (request) => {
      const url = new URL(request.url);
      return new Response(`${request.method} ${url.pathname}${url.search} ${await request.text()}`);
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test('serves repo TypeScript to a page and routes the API path to the fetch handler', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${app.url}/test/browser/pages/harness/hello.html`);
  const result = await page.waitForFunction(
    () => (window as unknown as { harnessResult?: unknown }).harnessResult,
  );
  expect(await result.jsonValue()).toEqual({
    answer: 42,
    status: 200,
    body: 'POST /api/upload/echo?x=1 ping',
  });
  expect(errors.messages).toEqual([]);
  await page.close();
});
