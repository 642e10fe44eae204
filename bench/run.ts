// npm run bench [-- --size=512 --runs=3 --store=local|swift|both|none --part-size=8 --concurrency=4
//                    --workers=auto|N --chunk-kib=2048 --recycle-mib=2048 --read=slice|stream|byob
//                    --trace=/tmp/trace --net=LATENCY_MS:MBIT]
// (--store=none measures hashing only; --chunk-kib, --recycle-mib and --read tune the worker pools of the
// hashing and engine phases; --net emulates a link for the raw and engine phases.)
// Uploads a deterministic file (sizes in MiB) through the engine in headless Chromium to the local adapter
// and to Swift s3api, and measures, in the same browser and run: the engine end to end, the raw PUT
// ceiling, hashing per worker, the whole browser's CPU per GiB, the renderer's memory rise, the longest
// main-thread task and the sign-parts calls per file. Medians of runs. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { createUploadHandler } from '../src/server/index.ts';
import { createLocalStorage, createS3Storage } from '../src/server/storage/index.ts';
import type { HashImpl } from '../src/worker/protocol.ts';
import { launchChromium } from '../test/support/browser.ts';
import { startSwift, type SwiftServer } from '../test/support/swift.ts';
import { startApp, type App } from '../test/support/vite-app.ts';

const BENCH_PAGE = 'bench/pages/bench.html';
import { browserCpu } from './cpu.ts';
import { writeBenchFile, type BenchFile } from './file.ts';
import { benchConfig } from './flags.ts';
import { longTasks, measured, type Costs, type Timed } from './measure.ts';
import { emulateLink } from './net.ts';
import { signUpload } from './raw-parts.ts';
import { printTable, Results } from './report.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const MB = 1e6;
/** The engine's hasher when none is asked for and WebAssembly may run (the bench page has no CSP). */
const DEFAULT_IMPL: HashImpl = 'hash-wasm';

const config = benchConfig(process.argv.slice(2));
const { size, runs, partSize, concurrency, workers, storeKinds, poolOptions } = config;
const results = new Results();

interface Store {
  kind: 'local' | 'swift';
  app: App;
  handler: (request: Request) => Promise<Response>;
  /** POSTs the page made to each route of the upload handler ('sign-parts', ...), since the start. */
  calls: Map<string, number>;
  /** Parts in each sign-parts call the page made, in order. */
  signBatches: number[];
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
  // The page's calls are counted here; the raw phase signs through `handler` directly, uncounted.
  const calls = new Map<string, number>();
  const signBatches: number[] = [];
  // The bench page as built for production: the engine as users load it (one inlined worker script).
  const app = await startApp({
    build: [BENCH_PAGE],
    handler: async (request) => {
      if (request.method === 'POST') {
        const route = new URL(request.url).pathname.split('/').pop()!;
        calls.set(route, (calls.get(route) ?? 0) + 1);
        if (route === 'sign-parts') {
          const body = (await request
            .clone()
            .json()
            .catch(() => ({}))) as { parts?: unknown[] };
          signBatches.push(body.parts?.length ?? 0);
        }
      }
      return handler(request);
    },
  });
  return { kind, app, handler, calls, signBatches };
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

/** A phase's sample from its result; `bytes` is what it moved (the file, unless said otherwise). */
function sample(t: Timed & Costs, bytes = size) {
  return {
    mbps: bytes / MB / (t.ms / 1000),
    rssMiB: t.rssMiB,
    heapMiB: t.heapMiB,
    longestTask: t.longestTask,
    cpuPerGiB: t.cpuS / (bytes / GiB),
    putMbps: bytes / MB / (Math.max(1, t.ms - t.beforeFirstPutMs - t.afterLastPutMs) / 1000),
    machineBusy: t.machineBusy,
    machineCpuPerGiB: t.machineCpuS / (bytes / GiB),
  };
}

/** The whole machine over a phase: how busy its cores were (near 100 %: CPU-bound) and what it spent per GiB. */
function machineText(s: ReturnType<typeof sample>, t: Costs): string {
  const steal = t.steal >= 0.005 ? `, ${(t.steal * 100).toFixed(0)} % stolen` : '';
  return `machine ${(s.machineBusy * 100).toFixed(0)} % busy (${s.machineCpuPerGiB.toFixed(1)} CPU s/GiB${steal})`;
}

async function measureHashing(page: Page, run: number, counts: number[]): Promise<void> {
  // Reading alone (one worker, the same BYOB loop, no MD5): what the hashing rows spend on the Blob read.
  const r = await measured(page, () => call<Timed>(page, 'read', partSize));
  const rs = sample(r);
  results.record('read x1', rs);
  console.log(
    `run ${run}  read only (BYOB, no MD5) with 1 worker: ${rs.mbps.toFixed(1)} MB/s, ${rs.cpuPerGiB.toFixed(1)} CPU s/GiB, ` +
      `renderer +${r.rssMiB.toFixed(0)} MiB RSS, ${machineText(rs, r)}`,
  );
  for (const impl of config.impls) {
    for (const n of counts) {
      const t = await measured(page, () =>
        call<Timed>(page, 'hash', impl, n, partSize, poolOptions),
      );
      const s = sample(t);
      results.record(`hash ${impl} x${n}`, s);
      console.log(
        `run ${run}  hash ${impl} with ${n} worker(s): ${s.mbps.toFixed(1)} MB/s (${(s.mbps / n).toFixed(1)} per worker), ` +
          `${s.cpuPerGiB.toFixed(1)} CPU s/GiB, renderer +${t.rssMiB.toFixed(0)} MiB RSS, longest task ${t.longestTask.toFixed(0)} ms, ${machineText(s, t)}`,
      );
    }
  }
}

/** The engine phase's label: `no copy` marks the phase run with `opfsCopyMaxSize: 0` beside the default. */
const engineLabel = (hasher: HashImpl, copy: boolean) =>
  `engine ${hasher}${copy || config.copy === 'off' ? '' : ' no copy'}`;

async function measureEngine(
  page: Page,
  store: Store,
  hasher: HashImpl,
  run: number,
  engineWorkers: number,
  copy: boolean,
) {
  const trace = config.trace
    ? `${config.trace}-${store.kind}-${hasher}${copy ? '' : '-nocopy'}-run${run}.json`
    : '';
  const browser = page.context().browser()!;
  if (trace)
    await browser.startTracing(page, {
      path: trace,
      categories: ['toplevel', 'devtools.timeline'],
    });
  const signsBefore = store.calls.get('sign-parts') ?? 0;
  const batchesBefore = store.signBatches.length;
  const t = await measured(page, () =>
    call<Timed>(
      page,
      'engine',
      {
        hasher,
        partSize,
        concurrency,
        ...(workers ? { workers } : {}),
        ...(copy ? {} : { opfsCopyMaxSize: 0 }),
        ...(config.copyDelay === undefined ? {} : { opfsCopyDelay: config.copyDelay }),
      },
      Object.keys(poolOptions).length > 0 ? poolOptions : undefined,
    ),
  );
  const signCalls = (store.calls.get('sign-parts') ?? 0) - signsBefore;
  // The CPU check compares with hashing by this many workers: say so when the engine ran another number.
  if (t.peakWorkers !== engineWorkers)
    console.log(
      `run ${run}  warning: the engine ran ${t.peakWorkers} workers at once, the hashing phase compared with ${engineWorkers}`,
    );
  if (trace) {
    await browser.stopTracing();
    console.log(`run ${run}  ${store.kind} ${engineLabel(hasher, copy)}: ${longTasks(trace)}`);
  }
  const s = { ...sample(t), signCalls };
  results.record(`${store.kind} ${engineLabel(hasher, copy)}`, s);
  console.log(
    `run ${run}  ${store.kind} ${engineLabel(hasher, copy)}: ${s.mbps.toFixed(1)} MB/s, ${s.cpuPerGiB.toFixed(1)} CPU s/GiB, ` +
      `${signCalls} sign-parts calls [${store.signBatches.slice(batchesBefore).join(',')}], ${t.peakWorkers} workers, renderer +${t.rssMiB.toFixed(0)} MiB RSS, ` +
      `heap +${t.heapMiB.toFixed(0)} MiB, longest task ${t.longestTask.toFixed(0)} ms, ` +
      `${t.beforeFirstPutMs.toFixed(0)} ms before the first PUT, ${t.afterLastPutMs.toFixed(0)} ms after the last, ${machineText(s, t)}`,
  );
}

/**
 * One uncounted upload of `concurrency` parts before the measured phases. The first upload in a page grows
 * the renderer by about 19 MiB once, whatever makes it (fetch or XHR, with or without progress: a 256 MiB
 * upload from a fresh page, then five more in it, rose 19.1 MiB then 0.5-0.8, 7 Dec): without this, that
 * one-off cost fell on whichever phase came first, the engine in odd runs and the raw PUTs in even ones.
 */
async function warmUp(page: Page, store: Store, file: BenchFile): Promise<void> {
  const signed = await signUpload(store.handler, `${store.app.url}/api/upload`, file);
  await call<Timed>(page, 'raw', signed.parts.slice(0, concurrency), signed.partSize, concurrency);
  await signed.abort();
  await call<void>(page, 'engineWarmUp', {
    partSize,
    concurrency,
    ...(workers ? { workers } : {}),
  });
}

async function measureStore(
  page: Page,
  store: Store,
  file: BenchFile,
  run: number,
  engineWorkers: number,
): Promise<void> {
  await warmUp(page, store, file);
  // The emulated link holds while its CDP session lives: the raw and engine phases of this page.
  const link = config.net ? await emulateLink(page, config.net) : undefined;
  // Alternate the order between runs so neither phase always runs on a warmer disk cache or a busier store.
  const phases = ['engine', 'raw'];
  if (run % 2 === 0) phases.reverse();
  try {
    for (const phase of phases) {
      if (phase === 'engine') {
        const copies = { on: [true], off: [false], both: [true, false] }[config.copy];
        for (const hasher of config.impls)
          for (const copy of run % 2 ? copies : [...copies].reverse())
            await measureEngine(page, store, hasher, run, engineWorkers, copy);
        continue;
      }
      const signed = await signUpload(store.handler, `${store.app.url}/api/upload`, file);
      const t = await measured(page, () =>
        call<Timed>(page, 'raw', signed.parts, signed.partSize, concurrency),
      );
      await signed.abort();
      const s = sample(t);
      results.record(`${store.kind} raw`, s);
      console.log(
        `run ${run}  ${store.kind} raw PUTs (${concurrency} in flight): ${s.mbps.toFixed(1)} MB/s, ` +
          `${s.cpuPerGiB.toFixed(1)} CPU s/GiB, renderer +${t.rssMiB.toFixed(0)} MiB RSS, longest task ${t.longestTask.toFixed(0)} ms, ` +
          `${t.beforeFirstPutMs.toFixed(0)} ms before the first PUT, ${t.afterLastPutMs.toFixed(0)} ms after the last, ${machineText(s, t)}`,
      );
    }
  } finally {
    await link?.detach().catch(() => {});
  }
}

/**
 * The reload phase: a persisted upload (default hasher) is reloaded once half its parts are stored, the same
 * file is chosen again, and every PUT of both page lives is counted by its Content-MD5 (each part of the bench
 * file has its own), so a part sent twice, finished or cut off by the reload, counts as re-sent. The resumed
 * upload's time and whole-browser CPU show what checking the saved parts costs.
 */
async function measureReload(
  browser: Browser,
  store: Store,
  file: BenchFile,
  run: number,
): Promise<void> {
  const page = await openBench(browser, store.app, file);
  const puts: { md5: string; afterReload: boolean }[] = [];
  let afterReload = false;
  page.on('request', (request) => {
    const md5 = request.headers()['content-md5'];
    if (request.method() === 'PUT' && md5) puts.push({ md5, afterReload });
  });
  const options = { partSize, concurrency, ...(workers ? { workers } : {}) };
  const partCount = Math.ceil(size / partSize);
  const half = Math.max(1, Math.floor(partCount / 2));
  await call(page, 'engineUntil', options, half);
  await page.reload();
  afterReload = true;
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.setInputFiles('#file', file.path);
  const cpu = await browserCpu();
  const t = await call<Timed & { resumed: boolean }>(page, 'engineResume', options);
  const resumeCpuS = await cpu.stop();
  await page.close();
  if (!t.resumed) {
    // With few parts, the ones in flight can finish the upload before the reload lands (seen at 64 MiB on
    // a loaded machine): then there is nothing to resume, so no sample, but not a failure of the bench.
    const before = new Set(puts.filter((p) => !p.afterReload).map((p) => p.md5)).size;
    if (before === partCount) {
      console.log(
        `run ${run}  ${store.kind} reload: the upload finished before the reload (no sample)`,
      );
      return;
    }
    throw new Error(`${store.kind}: the upload after the reload did not resume`);
  }
  const distinct = new Set(puts.map((p) => p.md5)).size;
  if (distinct !== partCount)
    throw new Error(`${store.kind}: saw PUTs of ${distinct} distinct parts, expected ${partCount}`);
  const resentParts = puts.length - distinct;
  const sentAfter = new Set(puts.filter((p) => p.afterReload).map((p) => p.md5)).size;
  // What the parts sent after the reload cost at the engine phase's rate; the rest is checking the saved ones.
  const engineRate = results.m(`${store.kind} engine ${DEFAULT_IMPL}`, 'cpuPerGiB');
  const verifyCpuS = resumeCpuS - ((sentAfter * partSize) / GiB) * engineRate;
  const s = {
    resentParts,
    resentMiB: (resentParts * partSize) / MiB,
    savedParts: partCount - sentAfter,
    resumeS: t.ms / 1000,
    resumeCpuS,
    verifyCpuS,
  };
  results.recordReload(store.kind, s);
  console.log(
    `run ${run}  ${store.kind} reload after ${half} stored parts: ${resentParts} part(s) re-sent ` +
      `(${s.resentMiB.toFixed(1)} MiB; bound ${concurrency} parts = ${(concurrency * partSize) / MiB} MiB); ` +
      `resumed with ${s.savedParts} saved parts in ${s.resumeS.toFixed(1)} s, ${resumeCpuS.toFixed(1)} CPU s ` +
      `(~${verifyCpuS.toFixed(1)} beyond sending ${sentAfter} parts)`,
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
    if (stores.length === 0) plainApp = await startApp({ build: [BENCH_PAGE] });
    browser = await launchChromium();
    let engineWorkers = workers ?? 0;
    let hashCounts: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const hashPage = await openBench(browser, plainApp ?? stores[0].app, file);
      // The hashing phase also runs with the engine's worker count, for the CPU check against it.
      engineWorkers ||= await call<number>(hashPage, 'defaultWorkers');
      hashCounts = [...new Set([1, 2, engineWorkers])].sort((a, b) => a - b);
      await measureHashing(hashPage, run, hashCounts);
      await hashPage.close();
      for (const store of stores) {
        const page = await openBench(browser, store.app, file);
        await measureStore(page, store, file, run, engineWorkers);
        await page.close();
        await measureReload(browser, store, file, run);
      }
    }
    printTable(results, config, config.impls, hashCounts, engineWorkers);
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
