// Callbacks end to end: the element in headless Chromium uploads, the real handler completes and
// calls a real receiver on 127.0.0.1, and the receiver's answer arrives in the upload-success event.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallback } from '../../src/server/callbacks/index.ts';
import { createUploadHandler } from '../../src/server/index.ts';
import { createLocalStorage, type LocalStorage } from '../../src/server/storage/index.ts';
import { launchChromium } from '../support/browser.ts';
import {
  asRequest,
  closedPortUrl,
  startReceiver,
  type Receiver,
} from '../support/callback-receiver.ts';
import { startApp, type App } from '../support/vite-app.ts';
import { dropFiles, item, openElementPage, recordedEvents } from './element-fixture.ts';

const SECRET = 'callback-secret-0123456789';

let dir: string;
let storage: LocalStorage;
let receiver: Receiver;
let app: App;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-callbacks-element-'));
  storage = createLocalStorage({
    root: join(dir, 'store'),
    secret: 'element-callbacks-0123456789',
  });
  receiver = await startReceiver((request, response) => {
    const { object, album } = JSON.parse(request.body) as { object: string; album: string };
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ saved: object, album }));
  });
  const handler = createUploadHandler({
    storage,
    tokenSecret: 'element-callbacks-token-secret-0123456789',
    callbacks: {
      secrets: [SECRET],
      targets: {
        gallery: {
          urls: receiver.url,
          bodyType: 'json',
          body: { object: '${object}', size: '${size}', album: '${x:album}' },
          vars: { 'x:album': { maxLength: 40 } },
          allowPrivateAddresses: true,
        },
        offline: { urls: await closedPortUrl(), allowPrivateAddresses: true },
      },
      retry: { attempts: 0 },
    },
  });
  app = await startApp({ handler });
  browser = await launchChromium();
  context = await browser.newContext();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

async function uploadWith(attrs: Record<string, string>, vars: Record<string, string> | null) {
  const page = await openElementPage(context, app.url, attrs);
  await page.evaluate((v) => {
    (
      document.querySelector('resumable-upload') as unknown as { callbackVars: unknown }
    ).callbackVars = v;
  }, vars);
  await dropFiles(page, [{ name: 'photo.jpg', size: 3000, type: 'image/jpeg' }]);
  await expect
    .poll(() => item(page, 'photo.jpg').getAttribute('data-phase'), { timeout: 60_000 })
    .toBe('done');
  const success = (await recordedEvents(page)).find((e) => e.type === 'upload-success');
  const warnings = await item(page, 'photo.jpg')
    .locator('[part="callback-warning"]')
    .allTextContents();
  await page.close();
  const result = success?.detail.result as { key: string; callback?: Record<string, unknown> };
  return { result, warnings };
}

describe('callbacks from the element to the receiver and back', () => {
  it('brings the receiver answer into the upload-success event', async () => {
    const { result, warnings } = await uploadWith(
      { 'callback-target': 'gallery' },
      { 'x:album': 'Summer' },
    );
    expect(warnings).toEqual([]);

    expect(result.callback).toEqual({
      status: 'ok',
      httpStatus: 200,
      body: { saved: result.key, album: 'Summer' },
    });
    expect(receiver.received).toHaveLength(1);
    const { payload } = await verifyCallback(asRequest(receiver.received[0]!), SECRET);
    expect(payload).toEqual({ object: result.key, size: 3000, album: 'Summer' });
  });

  it('reports a failed callback in the success event while the object stays stored', async () => {
    const { result, warnings } = await uploadWith({ 'callback-target': 'offline' }, null);

    expect(result.callback).toMatchObject({ status: 'failed', reason: 'unreachable' });
    // Shown apart from an upload failure: the file is done, with a warning that names the reason.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('photo.jpg is stored');
    expect(warnings[0]).toContain('unreachable');
    expect((await storage.headObject({ key: result.key }))?.size).toBe(3000);
  });
});
