// npm run bench [-- --size=512 --runs=3 --store=local|swift|both|none --part-size=8 --concurrency=4 --workers=2
//                    --chunk-kib=2048 --recycle-mib=2048 --read=slice|stream --trace=/tmp/trace]
// (--store=none measures hashing only; --chunk-kib, --recycle-mib and --read tune the worker pools of the
// hashing and engine phases.)
// Uploads a deterministic file (sizes in MiB) through the engine in headless Chromium to the local adapter
// and to Swift s3api, and measures, in the same browser and run: the engine end to end, the raw PUT
// ceiling, hashing per worker, the renderer's memory rise and the longest main-thread task. Medians of runs.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright';
import { createUploadHandler } from '../src/server/index.ts';
import { createLocalStorage, createS3Storage } from '../src/server/storage/index.ts';
import type { HashImpl } from '../src/worker/protocol.ts';
import { launchChromium } from '../test/support/browser.ts';
import { startSwift, type SwiftServer } from '../test/support/swift.ts';
import { startApp, type App } from '../test/support/vite-app.ts';
import { writeBenchFile, type BenchFile } from './file.ts';
import { ourRenderers, sampleRss } from './memory.ts';
import { signUpload } from './raw-parts.ts';

const MiB = 1024 * 1024;
const MB = 1e6;
const IMPLS: HashImpl[] = ['spark-md5', 'hash-wasm'];

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '512' },
    runs: { type: 'string', default: '3' },
    store: { type: 'string', default: 'both' },
    'part-size': { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '4' },
    workers: { type: 'string', default: '2' },
    'chunk-kib': { type: 'string' },
    'recycle-mib': { type: 'string' },
    read: { type: 'string' },
    trace: { type: 'string' },
  },
});
const size = Math.round(Number(flags.size) * MiB);
const runs = Number(flags.runs);
const partSize = Math.round(Number(flags['part-size']) * MiB);
const concurrency = Number(flags.concurrency);
const workers = Number(flags.workers);
const storeKinds: ('local' | 'swift')[] =
  flags.store === 'both'
    ? ['local', 'swift']
    : flags.store === 'none'
      ? []
      : [flags.store as 'local' | 'swift'];
const poolOptions = {
  ...(flags['chunk-kib'] ? { chunkSize: Number(flags['chunk-kib']) * 1024 } : {}),
  ...(flags['recycle-mib'] ? { recycleAfterBytes: Number(flags['recycle-mib']) * MiB } : {}),
  ...(flags.read ? { read: flags.read } : {}),
};
if (!(size > 0 && runs >= 1 && partSize >= 5 * MiB && concurrency >= 1 && workers >= 1)) {
  throw new TypeError(
    'bench: --size (MiB) > 0, --runs >= 1, --part-size (MiB) >= 5, --concurrency and --workers >= 1',
  );
}
if (!storeKinds.every((k) => k === 'local' || k === 'swift')) {
  throw new TypeError('bench: --store=local|swift|both|none');
}

interface Store {
  kind: 'local' | 'swift';
  app: App;
  handler: (request: Request) => Promise<Response>;
}

interface Timed {
  ms: number;
  longestTask: number;
}

/** One engine or raw measurement. */
interface Sample {
  mbps: number;
  rssMiB: number;
  heapMiB: number;
  longestTask: number;
}

const results = new Map<string, Sample[]>();
function record(name: string, sample: Sample): void {
  results.set(name, [...(results.get(name) ?? []), sample]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function startStore(
  kind: 'local' | 'swift',
  root: string,
  swift?: SwiftServer,
): Promise<Store> {
  const storage =
    kind === 'local'
      ? createLocalStorage({
          root: join(root, 'local-store'),
          secret: randomBytes(16).toString('hex'),
        })
      : createS3Storage({
          bucket: swift!.config.bucket,
          endpoint: swift!.config.endpoint,
          region: swift!.config.region,
          forcePathStyle: true,
          credentials: {
            accessKeyId: swift!.config.accessKeyId,
            secretAccessKey: swift!.config.secretAccessKey,
          },
        });
  const handler = createUploadHandler({
    storage,
    tokenSecret: randomBytes(24).toString('hex'),
    keyPrefix: 'bench/',
  });
  const app = await startApp({ handler });
  return { kind, app, handler };
}

async function openBench(browser: Browser, app: App, file: BenchFile): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  await page.goto(`${app.url}/bench/pages/bench.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.setInputFiles('#file', file.path);
  return page;
}

type BenchApi = Record<string, (...args: unknown[]) => Promise<unknown>>;
function call<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([fn, rest]) => (window as unknown as { bench: BenchApi }).bench[fn](...rest),
    [name, args] as const,
  ) as Promise<T>;
}

/** Runs `phase` while sampling the renderer's RSS and JS heap; returns its result and the peak rises. */
async function measured<T extends Timed>(
  page: Page,
  phase: () => Promise<T>,
): Promise<T & { rssMiB: number; heapMiB: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  };
  await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  const heapStart = await heap();
  let heapPeak = heapStart;
  const heapTimer = setInterval(
    () =>
      void heap().then(
        (h) => (heapPeak = Math.max(heapPeak, h)),
        () => {},
      ),
    250,
  );
  const rss = sampleRss(await ourRenderers());
  try {
    const result = await phase();
    return {
      ...result,
      rssMiB: (await rss.stop()) / MiB,
      heapMiB: (Math.max(heapPeak, await heap()) - heapStart) / MiB,
    };
  } finally {
    clearInterval(heapTimer);
    await rss.stop();
    await cdp.detach().catch(() => {});
  }
}

/**
 * The renderer main thread's tasks over 50 ms in a Chromium trace, with their CPU time: a task whose CPU time is
 * far below its wall time was descheduled (other processes had the cores), not busy.
 */
function longTasks(tracePath: string): string {
  type Event = {
    name: string;
    ph: string;
    pid: number;
    tid: number;
    dur?: number;
    tdur?: number;
    args?: { name?: string };
  };
  const { traceEvents } = JSON.parse(readFileSync(tracePath, 'utf8')) as { traceEvents: Event[] };
  const main = new Set(
    traceEvents
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  // Top-level tasks (ThreadControllerImpl::RunTask) and the timeline events inside them, longest first.
  const long = traceEvents
    .filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`) && (e.dur ?? 0) > 50_000)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
  if (long.length === 0) return 'no main-thread task over 50 ms in the trace';
  return `main-thread events over 50 ms (name wall/CPU ms): ${long
    .slice(0, 8)
    .map(
      (e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(0)}/${((e.tdur ?? 0) / 1000).toFixed(0)}`,
    )
    .join(', ')}`;
}

async function measureHashing(page: Page, run: number): Promise<void> {
  for (const impl of IMPLS) {
    for (const n of [1, 2]) {
      const t = await measured(page, () =>
        call<Timed>(page, 'hash', impl, n, partSize, poolOptions),
      );
      const mbps = size / MB / (t.ms / 1000);
      record(`hash ${impl} x${n}`, {
        mbps,
        rssMiB: t.rssMiB,
        heapMiB: t.heapMiB,
        longestTask: t.longestTask,
      });
      console.log(
        `run ${run}  hash ${impl} with ${n} worker(s): ${mbps.toFixed(1)} MB/s (${(mbps / n).toFixed(1)} per worker), ` +
          `renderer +${t.rssMiB.toFixed(0)} MiB RSS, longest task ${t.longestTask.toFixed(0)} ms`,
      );
    }
  }
}

async function measureStore(page: Page, store: Store, file: BenchFile, run: number): Promise<void> {
  // Alternate the order between runs so neither phase always runs on a warmer disk cache or a busier store.
  const phases = ['engine', 'raw'];
  if (run % 2 === 0) phases.reverse();
  for (const phase of phases) {
    if (phase === 'engine') {
      for (const hasher of IMPLS) {
        const trace = flags.trace ? `${flags.trace}-${store.kind}-${hasher}-run${run}.json` : '';
        if (trace)
          await page
            .context()
            .browser()!
            .startTracing(page, { path: trace, categories: ['toplevel', 'devtools.timeline'] });
        const t = await measured(page, () =>
          call<Timed>(
            page,
            'engine',
            { hasher, partSize, concurrency, workers },
            Object.keys(poolOptions).length > 0 ? poolOptions : undefined,
          ),
        );
        if (trace) {
          await page.context().browser()!.stopTracing();
          console.log(`run ${run}  ${store.kind} engine (${hasher}): ${longTasks(trace)}`);
        }
        const mbps = size / MB / (t.ms / 1000);
        record(`${store.kind} engine ${hasher}`, {
          mbps,
          rssMiB: t.rssMiB,
          heapMiB: t.heapMiB,
          longestTask: t.longestTask,
        });
        console.log(
          `run ${run}  ${store.kind} engine (${hasher}): ${mbps.toFixed(1)} MB/s, renderer +${t.rssMiB.toFixed(0)} MiB RSS, ` +
            `heap +${t.heapMiB.toFixed(0)} MiB, longest task ${t.longestTask.toFixed(0)} ms`,
        );
      }
    } else {
      const signed = await signUpload(store.handler, `${store.app.url}/api/upload`, file);
      const t = await measured(page, () =>
        call<Timed>(page, 'raw', signed.parts, signed.partSize, concurrency),
      );
      await signed.abort();
      const mbps = size / MB / (t.ms / 1000);
      record(`${store.kind} raw`, {
        mbps,
        rssMiB: t.rssMiB,
        heapMiB: t.heapMiB,
        longestTask: t.longestTask,
      });
      console.log(
        `run ${run}  ${store.kind} raw PUTs (${concurrency} in flight): ${mbps.toFixed(1)} MB/s, longest task ${t.longestTask.toFixed(0)} ms`,
      );
    }
  }
}

/** One reload measurement: parts PUT more than once across a reload mid-upload, and what they weighed. */
interface ReloadSample {
  resentParts: number;
  /** Re-sent parts x part size: an upper bound (the last part is smaller). */
  resentMiB: number;
}
const reloads = new Map<string, ReloadSample[]>();

/**
 * The reload phase: a persisted upload (spark-md5) is reloaded once half its parts are stored, the same file is
 * chosen again, and every PUT of both page lives is counted by its Content-MD5 (each part of the bench file has
 * its own), so a part sent twice, finished or cut off by the reload, counts as re-sent.
 */
async function measureReload(
  browser: Browser,
  store: Store,
  file: BenchFile,
  run: number,
): Promise<void> {
  const page = await openBench(browser, store.app, file);
  const puts: string[] = [];
  page.on('request', (request) => {
    const md5 = request.headers()['content-md5'];
    if (request.method() === 'PUT' && md5) puts.push(md5);
  });
  const options = { hasher: 'spark-md5', partSize, concurrency, workers };
  const partCount = Math.ceil(size / partSize);
  const half = Math.max(1, Math.floor(partCount / 2));
  await call(page, 'engineUntil', options, half);
  await page.reload();
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.setInputFiles('#file', file.path);
  const t = await call<Timed & { resumed: boolean }>(page, 'engineResume', options);
  await page.close();
  if (!t.resumed) throw new Error(`${store.kind}: the upload after the reload did not resume`);
  const distinct = new Set(puts).size;
  if (distinct !== partCount)
    throw new Error(`${store.kind}: saw PUTs of ${distinct} distinct parts, expected ${partCount}`);
  const resentParts = puts.length - distinct;
  const sample = { resentParts, resentMiB: (resentParts * partSize) / MiB };
  reloads.set(store.kind, [...(reloads.get(store.kind) ?? []), sample]);
  console.log(
    `run ${run}  ${store.kind} reload after ${half} stored parts: ${resentParts} part(s) re-sent ` +
      `(${sample.resentMiB.toFixed(1)} MiB; bound ${concurrency} parts = ${(concurrency * partSize) / MiB} MiB)`,
  );
}

function printTable(): void {
  const m = (name: string, key: keyof Sample) =>
    median((results.get(name) ?? []).map((s) => s[key]));
  const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
  console.log(
    `\nMedians of ${runs} run(s): ${size / MiB} MiB file, ${partSize / MiB} MiB parts, ${concurrency} in flight, ${workers} workers\n`,
  );
  console.log('hashing (read + MD5 of every part in workers, no upload)');
  console.log('  impl        workers  MB/s    per worker  RSS rise MiB  longest task ms');
  for (const impl of IMPLS) {
    for (const n of [1, 2]) {
      const name = `hash ${impl} x${n}`;
      const v = m(name, 'mbps');
      console.log(
        `  ${impl.padEnd(10)}  ${String(n).padEnd(7)}  ${fmt(v).padStart(6)}  ${fmt(v / n).padStart(10)}  ` +
          `${fmt(m(name, 'rssMiB'), 0).padStart(12)}  ${fmt(m(name, 'longestTask'), 0).padStart(15)}`,
      );
    }
  }
  console.log('\nupload');
  console.log(
    '  store  hasher      engine MB/s  raw MB/s  hash MB/s  engine/min(hash,raw)  engine/serial  private RSS rise MiB  heap rise MiB  longest task ms',
  );
  for (const kind of storeKinds) {
    const raw = m(`${kind} raw`, 'mbps');
    for (const impl of IMPLS) {
      const name = `${kind} engine ${impl}`;
      const engine = m(name, 'mbps');
      const hash = m(`hash ${impl} x${Math.min(workers, 2)}`, 'mbps');
      const ceiling = Math.min(hash, raw);
      // On few cores hashing and uploading share the CPU: their serial time is the floor of what a pipeline can do.
      const serial = 1 / (1 / hash + 1 / raw);
      console.log(
        `  ${kind.padEnd(5)}  ${impl.padEnd(10)}  ${fmt(engine).padStart(11)}  ${fmt(raw).padStart(8)}  ${fmt(hash).padStart(9)}  ` +
          `${fmt((engine / ceiling) * 100, 0).padStart(19)} %  ${fmt((engine / serial) * 100, 0).padStart(12)} %  ` +
          `${fmt(m(name, 'rssMiB'), 0).padStart(20)}  ` +
          `${fmt(m(name, 'heapMiB'), 0).padStart(13)}  ${fmt(m(name, 'longestTask'), 0).padStart(15)}`,
      );
    }
  }
  console.log(
    `\nreload mid-upload (spark-md5; bound: ${concurrency} parts, ${(concurrency * partSize) / MiB} MiB)`,
  );
  console.log('  store  parts re-sent  MiB re-sent  max parts re-sent');
  for (const kind of storeKinds) {
    const samples = reloads.get(kind) ?? [];
    const r = (key: keyof ReloadSample) => median(samples.map((s) => s[key]));
    console.log(
      `  ${kind.padEnd(5)}  ${fmt(r('resentParts')).padStart(13)}  ${fmt(r('resentMiB')).padStart(11)}  ` +
        `${String(Math.max(...samples.map((s) => s.resentParts))).padStart(17)}`,
    );
  }
  if (workers > 2)
    console.log(
      '  (hash MB/s is the 2-worker figure: the bench measures hashing with 1 and 2 workers)',
    );
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'ru-bench-'));
  const stores: Store[] = [];
  let swift: SwiftServer | undefined;
  let browser: Browser | undefined;
  let plainApp: App | undefined;
  try {
    console.log(`bench: writing a ${size / MiB} MiB file`);
    const file = await writeBenchFile(join(dir, 'bench.bin'), size, partSize);
    if (storeKinds.includes('swift')) {
      console.log('bench: starting Swift s3api');
      swift = await startSwift();
    }
    for (const kind of storeKinds) stores.push(await startStore(kind, dir, swift));
    if (stores.length === 0) plainApp = await startApp();
    browser = await launchChromium();
    for (let run = 1; run <= runs; run++) {
      const hashPage = await openBench(browser, plainApp ?? stores[0].app, file);
      await measureHashing(hashPage, run);
      await hashPage.close();
      for (const store of stores) {
        const page = await openBench(browser, store.app, file);
        await measureStore(page, store, file, run);
        await page.close();
        await measureReload(browser, store, file, run);
      }
    }
    printTable();
    console.log(`\nbench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser?.close();
    for (const store of stores) await store.app.close();
    await plainApp?.close();
    await swift?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
