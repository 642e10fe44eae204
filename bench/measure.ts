import { readFileSync } from 'node:fs';
import type { Page } from 'playwright';
import { browserCpu, machineCpu } from './cpu.ts';
import { ourRenderers, sampleRss } from './memory.ts';

const MiB = 1024 * 1024;

/** A phase's result as the page reports it: wall time, the longest main-thread task, the most workers alive. */
export interface Timed {
  ms: number;
  longestTask: number;
  peakWorkers: number;
  /** From the phase's start to the first part PUT's start (create, first hash, first sign call). */
  beforeFirstPutMs: number;
  /** From the last part PUT's end to the phase's end (complete). */
  afterLastPutMs: number;
}

/** What measured() adds to a phase's result. */
export interface Costs {
  /** Peak rise of the renderers' private RSS. */
  rssMiB: number;
  /** Peak rise of the page's JS heap. */
  heapMiB: number;
  /** CPU seconds of the whole browser (every process of its tree) over the phase. */
  cpuS: number;
  /** Share of the machine's core time that was busy (any process: browser, store, Swift, the bench). */
  machineBusy: number;
  /** CPU seconds of the whole machine over the phase. */
  machineCpuS: number;
  /** Share of the core time the hypervisor gave to someone else. */
  steal: number;
}

/**
 * Runs `phase` while sampling the renderer's RSS and JS heap and counting the whole browser's CPU (the same
 * way for every phase: the heap polling's own CDP calls are in every figure alike); returns its result and costs.
 */
export async function measured<T extends Timed>(
  page: Page,
  phase: () => Promise<T>,
): Promise<T & Costs> {
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
  const cpu = await browserCpu();
  const machine = await machineCpu();
  try {
    const result = await phase();
    const cpuS = await cpu.stop();
    const { busyShare, busyS, stealShare } = await machine.stop();
    return {
      ...result,
      cpuS,
      machineBusy: busyShare,
      machineCpuS: busyS,
      steal: stealShare,
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
export function longTasks(tracePath: string): string {
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
