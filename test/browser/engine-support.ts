// Shared setup of the engine's browser tests: the real upload handler on the local adapter or on
// Swift s3api, served with the engine test page by the Vite harness, plus files on disk and helpers.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Request as PwRequest, Route } from 'playwright';
import { expect } from 'vitest';
import { createUploadHandler } from '../../src/server/index.ts';
import {
  createLocalStorage,
  createS3Storage,
  type StorageAdapter,
} from '../../src/server/storage/index.ts';
import type { S3TestConfig } from '../support/swift.ts';
import { startApp, type App } from '../support/vite-app.ts';

export const MiB = 1024 * 1024;

/** Holds matching requests at the handler until released (to pause a request in the middle of a test). */
export class Gate {
  private rules: {
    match: (r: Request) => boolean;
    waiting: (() => void)[];
    seen: number;
    on: boolean;
  }[] = [];

  /** Holds every request matching `match` from now on. */
  hold(match: (r: Request) => boolean) {
    const rule = { match, waiting: [] as (() => void)[], seen: 0, on: true };
    this.rules.push(rule);
    return {
      /** Resolves once `n` requests are held. */
      held: async (n = 1) => {
        // Bounded, so a request that never comes fails here with a reason, not at the test's timeout.
        const until = Date.now() + 120_000;
        while (rule.seen < n) {
          if (Date.now() > until) throw new Error(`${rule.seen} of ${n} requests held after 120 s`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      /** Lets the held requests go, and stops holding. */
      release: () => {
        rule.on = false;
        for (const go of rule.waiting.splice(0)) go();
      },
    };
  }

  async pass(request: Request): Promise<void> {
    for (const rule of this.rules) {
      if (rule.on && rule.match(request)) {
        rule.seen++;
        await new Promise<void>((resolve) => rule.waiting.push(resolve));
      }
    }
  }
}

/** Whether a URL is a part PUT's: the local store's part path or S3's partNumber query. */
export const isPartUrl = (url: URL): boolean =>
  url.pathname.includes('/_local/uploads/') || url.searchParams.has('partNumber');

/**
 * Holds the part PUTs the page (or every page of the context) sends whose URL matches `match`, in
 * the browser, until released: this works for the local store and for Swift, whose part URLs the
 * app handler never sees. A held PUT whose XHR the engine aborts meanwhile fails harmlessly on release.
 */
export async function holdPuts(
  target: Page | BrowserContext,
  match: (url: string) => boolean = () => true,
): Promise<{ held(n?: number): Promise<void>; release(): void }> {
  const waiting: (() => void)[] = [];
  let seen = 0;
  let on = true;
  await target.route(isPartUrl, async (route: Route) => {
    const request = route.request();
    if (on && request.method() === 'PUT' && match(request.url())) {
      seen++;
      await new Promise<void>((go) => waiting.push(go));
    }
    await route.continue().catch(() => {});
  });
  return {
    /** Resolves once `n` PUTs are held. */
    held: async (n = 1) => {
      while (seen < n) await new Promise((r) => setTimeout(r, 20));
    },
    /** Lets the held PUTs go, and stops holding (later PUTs pass straight through). */
    release: () => {
      on = false;
      for (const go of waiting.splice(0)) go();
    },
  };
}

/** A running upload backend for the test page. */
export interface Backend {
  kind: 'local' | 'swift';
  storage: StorageAdapter;
  app: App;
  gate: Gate;
  /** Every API route called, in order ('create', 'sign-parts', ...). */
  routes: string[];
  /**
   * While true, sign-parts answers URLs that live `shortUrlsFor` seconds (the expired-URL test turns it
   * on for the first signing only, so no other URL races a short lifetime on a loaded machine).
   */
  shortUrls: boolean;
  close(): Promise<void>;
}

/** Starts the handler on `kind`'s storage behind the Vite app serving the test pages. */
export async function startBackend(
  kind: 'local' | 'swift',
  s3: S3TestConfig,
  options: { urlExpiresIn?: number; shortUrlsFor?: number } = {},
): Promise<Backend> {
  const root = await mkdtemp(join(tmpdir(), 'ru-engine-'));
  const storage =
    kind === 'local'
      ? createLocalStorage({ root, secret: randomBytes(16).toString('hex') })
      : createS3Storage({
          bucket: s3.bucket,
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: true,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        });
  const settings = {
    storage,
    tokenSecret: randomBytes(24).toString('hex'),
    keyPrefix: `engine-test/${randomBytes(4).toString('hex')}/`,
  };
  const handler = createUploadHandler({ ...settings, urlExpiresIn: options.urlExpiresIn });
  // Same secret: its tokens and URLs are the other's; only the URL lifetime differs.
  const short = createUploadHandler({ ...settings, urlExpiresIn: options.shortUrlsFor ?? 2 });
  const gate = new Gate();
  const routes: string[] = [];
  const app = await startApp({
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'POST') routes.push(path.split('/').pop()!);
      await gate.pass(request);
      return (backend.shortUrls ? short : handler)(request);
    },
  });
  const backend: Backend = {
    kind,
    storage,
    app,
    gate,
    routes,
    shortUrls: false,
    async close() {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return backend;
}

/** When a presigned URL expires (epoch ms): the local store's `expires`, or S3's X-Amz-Date + X-Amz-Expires. */
export function urlExpiry(url: string): number {
  const query = new URL(url).searchParams;
  const local = query.get('expires');
  if (local) return Number(local) * 1000;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  if (!date) throw new Error(`no expiry in ${url}`);
  const [, y, mo, d, h, mi, se] = date.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) + Number(query.get('X-Amz-Expires')) * 1000;
}

/** A file of random bytes on disk, and its MD5 (hex). */
export async function diskFile(
  dir: string,
  name: string,
  size: number,
): Promise<{ path: string; md5: string }> {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { path, md5: createHash('md5').update(bytes).digest('hex') };
}

/** MD5 (hex) of a stored object, read back through the storage adapter. */
export async function storedMd5(storage: StorageAdapter, key: string): Promise<string> {
  const hash = createHash('md5');
  const reader = (await storage.getObject({ key })).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return hash.digest('hex');
}

/** The part number a PUT goes to (S3's partNumber query, the local store's path, or 1 for a single PUT). */
export function partNumberOf(url: string): number {
  const u = new URL(url);
  const query = u.searchParams.get('partNumber');
  if (query) return Number(query);
  const local = /\/_local\/uploads\/[^/]+\/(\d+)$/.exec(u.pathname);
  return local ? Number(local[1]) : 1;
}

/** Records the part numbers of every PUT the page sends. */
export function countPuts(page: Page): number[] {
  const parts: number[] = [];
  page.on('request', (request: PwRequest) => {
    if (request.method() === 'PUT') parts.push(partNumberOf(request.url()));
  });
  return parts;
}

/** Records the part PUTs a page sends and how each ended, for the message of a wait that failed. */
export function tracePuts(page: Page): string[] {
  const trace: string[] = [];
  const start = Date.now();
  const note = (what: string) => (request: PwRequest) => {
    if (request.method() === 'PUT')
      trace.push(`${Date.now() - start} ms: part ${partNumberOf(request.url())} ${what}`);
  };
  page.on('request', note('sent'));
  page.on('requestfinished', note('answered'));
  page.on('requestfailed', note('failed'));
  return trace;
}

/** How long a test waits for parts to be saved: a PUT that stalls is retried after the 60 s stall timeout. */
export const SAVED_TIMEOUT = 150_000;

/**
 * Waits until the saved record of upload `id` lists at least `count` parts (what a reload would trust). On a
 * loaded machine a part's PUT may stall and be sent again after the transport's stall timeout, so the wait
 * outlasts one; when it fails, the error lists the PUTs in `trace` and the upload's events.
 */
export async function untilSaved(
  page: Page,
  id: string,
  count: number,
  trace: string[],
): Promise<void> {
  try {
    await expect
      .poll(() => page.evaluate((i) => window.engine.savedParts(i), id), {
        timeout: SAVED_TIMEOUT,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(count);
  } catch (error) {
    const events = await page
      .evaluate(() =>
        window.engine.log
          .filter((e) => e.name !== 'upload-progress')
          .map((e) => {
            const d = e.detail as {
              partNumber?: number;
              error?: { code?: string; message?: string };
            };
            return [
              e.name,
              d.partNumber ?? '',
              d.error ? `${d.error.code}: ${d.error.message}` : '',
            ]
              .join(' ')
              .trim();
          }),
      )
      .catch((e: unknown) => [`(events unreadable: ${String(e)})`]);
    throw new Error(`${String(error)}\nPUTs:\n${trace.join('\n')}\nEvents:\n${events.join('\n')}`, {
      cause: error,
    });
  }
}

/** Opens the engine test page and builds an Uploader with `options`. */
export async function openEngine(
  page: Page,
  backend: Backend,
  options: Record<string, unknown> = {},
): Promise<void> {
  await page.goto(`${backend.app.url}/test/browser/pages/engine.html`);
  await page.waitForFunction(() => 'engine' in window);
  await page.evaluate((o) => window.engine.make(o), options);
}

/** A temporary folder for test files. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ru-engine-files-'));
}

/** Holds the PUTs of the parts `held` names (they never reach the store) until the page or context goes away. */
export async function holdParts(
  target: Page | BrowserContext,
  held: (partNumber: number) => boolean,
): Promise<void> {
  await target.route(isPartUrl, async (route: Route) => {
    const request = route.request();
    if (request.method() === 'PUT' && held(partNumberOf(request.url()))) return; // left hanging on purpose
    await route.continue().catch(() => {});
  });
}
