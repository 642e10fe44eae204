import { availableParallelism } from 'node:os';
import type { HashImpl } from '../src/worker/protocol.ts';
import type { BenchConfig } from './flags.ts';
import { DEFAULT_OPFS_COPY_MAX_SIZE } from '../src/engine/options.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const MB = 1e6;

/** One hashing, engine or raw measurement. */
export interface Sample {
  mbps: number;
  rssMiB: number;
  heapMiB: number;
  longestTask: number;
  /** Whole-browser CPU seconds per GiB of the file. */
  cpuPerGiB: number;
  /** sign-parts calls the upload made (engine phases only). */
  signCalls?: number;
  /** MB/s from the first part PUT's start to the last one's end: the phase without its fixed start and end. */
  putMbps: number;
  /** Busy share of the machine's cores over the phase (every process): near 1, the phase was CPU-bound. */
  machineBusy: number;
  /** The whole machine's CPU seconds per GiB (browser, store, Swift, the bench's Node). */
  machineCpuPerGiB: number;
}

/** One reload measurement. */
export interface ReloadSample {
  /** Parts PUT more than once across the reload. */
  resentParts: number;
  /** Re-sent parts x part size: an upper bound (the last part is smaller). */
  resentMiB: number;
  /** Parts the resumed upload did not PUT again: the saved ones it verified. */
  savedParts: number;
  /** Wall time of the resumed upload, from adding the file again to upload-success. */
  resumeS: number;
  /** Whole-browser CPU seconds of the resumed upload. */
  resumeCpuS: number;
  /** resumeCpuS minus what sending the parts it PUT costs at the engine phase's CPU per GiB: the checking. */
  verifyCpuS: number;
}

/** The median of `values` (NaN for none). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Every sample of a bench, by phase name: `hash <impl> x<n>`, `<store> raw`, `<store> engine <impl>`. */
export class Results {
  readonly samples = new Map<string, Sample[]>();
  readonly reloads = new Map<string, ReloadSample[]>();

  record(name: string, sample: Sample): void {
    this.samples.set(name, [...(this.samples.get(name) ?? []), sample]);
  }

  recordReload(kind: string, sample: ReloadSample): void {
    this.reloads.set(kind, [...(this.reloads.get(kind) ?? []), sample]);
  }

  /** The median of `key` over the samples of `name`. */
  m(name: string, key: keyof Sample): number {
    return median((this.samples.get(name) ?? []).map((s) => s[key] ?? NaN));
  }
}

/** `name`'s MB/s over `base`'s, run by run (the samples of both are recorded once per run, in run order). */
export function pairedRatios(results: Results, name: string, base: string): number[] {
  const a = results.samples.get(name) ?? [];
  const b = results.samples.get(base) ?? [];
  return a.slice(0, b.length).map((s, i) => s.mbps / b[i]!.mbps);
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** A phase that kept the machine's cores at least this busy was CPU-bound. */
export const CPU_BOUND_SHARE = 0.85;

/**
 * Not a check: the whole machine (browser, store, Swift, the bench). A CPU-bound phase cannot go faster than
 * its cores can do its work: `cores / machine CPU s per GiB` GiB/s. For the engine that work includes the
 * hashing, however well it overlaps with the PUTs, so this ceiling over the raw PUTs' speed is the most the
 * speed check can show on this machine.
 */
export function machineLine(results: Results, kind: string, impl: string, cores: number): string {
  const raw = results.m(`${kind} raw`, 'machineCpuPerGiB');
  const engine = results.m(`${kind} engine ${impl}`, 'machineCpuPerGiB');
  const rawBusy = results.m(`${kind} raw`, 'machineBusy');
  const engineBusy = results.m(`${kind} engine ${impl}`, 'machineBusy');
  const text =
    `whole machine: raw ${fmt(raw)} CPU s/GiB at ${fmt(100 * rawBusy, 0)} % busy, ` +
    `engine ${fmt(engine)} at ${fmt(100 * engineBusy, 0)} %`;
  if (!(engineBusy >= CPU_BOUND_SHARE)) return `${text}: the engine was not CPU-bound`;
  const ceiling = (cores / engine) * (GiB / MB);
  const rawMbps = results.m(`${kind} raw`, 'mbps');
  return (
    `${text}: CPU-bound, its work fits at most ${fmt(ceiling)} MB/s on ${cores} cores, ` +
    `engine/raw <= ${fmt(ceiling / rawMbps, 2)}`
  );
}

/**
 * The checks on the medians: whole-browser CPU per GiB, engine <= raw + hashing (same workers and
 * hasher) + 1 s; speed, engine >= 0.97 x raw on an emulated link and >= 0.75 x raw on loopback.
 */
export function checks(
  results: Results,
  config: BenchConfig,
  impls: HashImpl[],
  engineWorkers: number,
  cores = availableParallelism(),
): string[] {
  const lines: string[] = [];
  const minRatio = config.net ? 0.97 : 0.75;
  const link = config.net ? `${config.net.latencyMs} ms + ${config.net.mbit} Mbit/s` : 'loopback';
  const ok = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  for (const kind of config.storeKinds) {
    const raw = results.m(`${kind} raw`, 'cpuPerGiB');
    const rawMbps = results.m(`${kind} raw`, 'mbps');
    for (const impl of impls) {
      const engine = results.m(`${kind} engine ${impl}`, 'cpuPerGiB');
      const hash = results.m(`hash ${impl} x${engineWorkers}`, 'cpuPerGiB');
      const bound = raw + hash + 1;
      lines.push(
        `  ${kind} ${impl}: CPU engine ${fmt(engine)} <= raw ${fmt(raw)} + hashing x${engineWorkers} ${fmt(hash)} + 1 = ` +
          `${fmt(bound)} s/GiB: ${ok(engine <= bound)}`,
      );
      const ratio = results.m(`${kind} engine ${impl}`, 'mbps') / rawMbps;
      lines.push(
        `  ${kind} ${impl}: speed engine/raw ${fmt(ratio, 2)} >= ${minRatio} (${link}): ${ok(ratio >= minRatio)}`,
      );
      // Not a check either: each run's engine against the raw PUTs of the same run (measured side by side, a
      // minute apart), which a machine whose speed drifts between runs moves less than the ratio of medians.
      const paired = pairedRatios(results, `${kind} engine ${impl}`, `${kind} raw`);
      if (paired.length > 1)
        lines.push(
          `  ${kind} ${impl}: (engine/raw run by run: ${paired.map((r) => fmt(r, 2)).join(', ')}; median ${fmt(median(paired), 2)})`,
        );
      // Not a check of the issue: what the ratio is once the fixed costs of one upload (create, the first hash
      // and sign call before the first PUT; complete after the last) are left out.
      const puts =
        results.m(`${kind} engine ${impl}`, 'putMbps') / results.m(`${kind} raw`, 'putMbps');
      lines.push(`  ${kind} ${impl}: (between the first and the last PUT: ${fmt(puts, 2)})`);
      lines.push(`  ${kind} ${impl}: (${machineLine(results, kind, impl, cores)})`);
    }
  }
  return lines;
}

/** Prints the medians of every phase and the checks. */
export function printTable(
  results: Results,
  config: BenchConfig,
  impls: HashImpl[],
  hashWorkerCounts: number[],
  engineWorkers: number,
): void {
  const { size, partSize, concurrency, runs, storeKinds } = config;
  const link = config.net
    ? `link emulated at ${config.net.mbit} Mbit/s up + ${config.net.latencyMs} ms (raw and engine phases)`
    : 'loopback';
  console.log(
    `\nMedians of ${runs} run(s): ${size / MiB} MiB file, ${partSize / MiB} MiB parts, ${concurrency} in flight, ` +
      `${engineWorkers} engine workers${config.workers === undefined ? ' (the default)' : ''}, ${link}, ` +
      `${
        size > DEFAULT_OPFS_COPY_MAX_SIZE
          ? 'no OPFS copy (the file is over 100 MiB)'
          : {
              on: 'the engine copies the file into OPFS beside the upload (the default up to 100 MiB)',
              off: 'no OPFS copy (--copy=off)',
              both: 'engine rows with and without (no copy) the OPFS copy of the file',
            }[config.copy]
      }\n`,
  );
  console.log('hashing (read + MD5 of every part in workers, no upload)');
  console.log(
    '  impl        workers  MB/s    per worker  CPU s/GiB  RSS rise MiB  longest task ms',
  );
  const hashRow = (label: string, n: number, name: string) => {
    const v = results.m(name, 'mbps');
    console.log(
      `  ${label.padEnd(10)}  ${String(n).padEnd(7)}  ${fmt(v).padStart(6)}  ${fmt(v / n).padStart(10)}  ` +
        `${fmt(results.m(name, 'cpuPerGiB')).padStart(9)}  ` +
        `${fmt(results.m(name, 'rssMiB'), 0).padStart(12)}  ${fmt(results.m(name, 'longestTask'), 0).padStart(15)}`,
    );
  };
  for (const impl of impls) {
    for (const n of hashWorkerCounts) hashRow(impl, n, `hash ${impl} x${n}`);
  }
  if (results.samples.has('read x1')) {
    hashRow('read only', 1, 'read x1');
    const read = results.m('read x1', 'cpuPerGiB');
    for (const impl of impls) {
      const hash = results.m(`hash ${impl} x1`, 'cpuPerGiB');
      console.log(
        `  (${impl} x1: ${fmt(hash)} CPU s/GiB, of which the read alone costs about ${fmt(read)}: see bench/README.md)`,
      );
    }
  }
  const partCount = Math.ceil(size / partSize);
  console.log('\nupload (CPU: whole browser, s per GiB; sign calls: sign-parts requests per file)');
  console.log(
    '  store  phase             MB/s    /raw   CPU s/GiB  sign calls  engine/serial  private RSS rise MiB  heap rise MiB  longest task ms',
  );
  for (const kind of storeKinds) {
    const raw = results.m(`${kind} raw`, 'mbps');
    const row = (label: string, name: string, serial: number) =>
      console.log(
        `  ${kind.padEnd(5)}  ${label.padEnd(16)}  ${fmt(results.m(name, 'mbps')).padStart(6)}  ` +
          `${fmt(results.m(name, 'mbps') / raw, 2).padStart(5)}  ${fmt(results.m(name, 'cpuPerGiB')).padStart(9)}  ` +
          `${fmt(results.m(name, 'signCalls'), 0).padStart(10)}  ${fmt((results.m(name, 'mbps') / serial) * 100, 0).padStart(11)} %  ` +
          `${fmt(results.m(name, 'rssMiB'), 0).padStart(20)}  ${fmt(results.m(name, 'heapMiB'), 0).padStart(13)}  ` +
          `${fmt(results.m(name, 'longestTask'), 0).padStart(15)}`,
      );
    row('raw PUTs', `${kind} raw`, NaN);
    for (const impl of impls) {
      const hash = results.m(`hash ${impl} x${engineWorkers}`, 'mbps');
      // On few cores hashing and uploading share the CPU: their serial time is the floor of what a pipeline can do.
      row(`engine ${impl}`, `${kind} engine ${impl}`, 1 / (1 / hash + 1 / raw));
      if (results.samples.has(`${kind} engine ${impl} no copy`))
        row(`  no copy`, `${kind} engine ${impl} no copy`, 1 / (1 / hash + 1 / raw));
    }
  }
  console.log(`  (${partCount} parts per file; engine/serial: against 1 / (1/hash + 1/raw))`);
  console.log(
    `\nreload mid-upload (default hasher; bound: ${concurrency} parts re-sent, ${(concurrency * partSize) / MiB} MiB)`,
  );
  console.log(
    '  store  parts re-sent  MiB re-sent  max re-sent  saved parts  resume s  resume CPU s  of which checking saved parts',
  );
  for (const kind of storeKinds) {
    const samples = results.reloads.get(kind) ?? [];
    const r = (key: keyof ReloadSample) => median(samples.map((s) => s[key]));
    console.log(
      `  ${kind.padEnd(5)}  ${fmt(r('resentParts')).padStart(13)}  ${fmt(r('resentMiB')).padStart(11)}  ` +
        `${String(Math.max(...samples.map((s) => s.resentParts))).padStart(11)}  ${fmt(r('savedParts'), 0).padStart(11)}  ` +
        `${fmt(r('resumeS')).padStart(8)}  ${fmt(r('resumeCpuS')).padStart(12)}  ~${fmt(r('verifyCpuS'))} CPU s`,
    );
  }
  console.log('\nchecks (issue 10)');
  for (const line of checks(results, config, impls, engineWorkers)) console.log(line);
}
