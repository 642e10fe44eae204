import { expect, test } from 'vitest';
import { machineLine, median, pairedRatios, Results, type Sample } from '../../bench/report.ts';

function sample(mbps: number): Sample {
  return {
    mbps,
    rssMiB: 0,
    heapMiB: 0,
    longestTask: 0,
    cpuPerGiB: 0,
    putMbps: mbps,
    machineBusy: 1,
    machineCpuPerGiB: 0,
  };
}

test('engine/raw run by run pairs each run with its own raw PUTs, not the medians', () => {
  const results = new Results();
  // Run 3 ran on a slower machine: both phases dropped.
  const runs = [
    [42.5, 43.0],
    [43.7, 44.2],
    [30.0, 31.0],
  ];
  for (const [engine, raw] of runs) {
    results.record('local engine hash-wasm', sample(engine!));
    results.record('local raw', sample(raw!));
  }
  const paired = pairedRatios(results, 'local engine hash-wasm', 'local raw');
  expect(paired.map((r) => r.toFixed(3))).toEqual(['0.988', '0.989', '0.968']);
  expect(median(paired)).toBeCloseTo(0.988, 3);
  // The ratio of the medians mixes runs: 42.5 / 43.0.
  expect(results.m('local engine hash-wasm', 'mbps') / results.m('local raw', 'mbps')).toBeCloseTo(
    0.988,
    3,
  );
});

test('a phase without its raw run pairs only the runs both have', () => {
  const results = new Results();
  results.record('swift engine spark-md5', sample(30));
  results.record('swift engine spark-md5', sample(33));
  results.record('swift raw', sample(40));
  expect(pairedRatios(results, 'swift engine spark-md5', 'swift raw')).toEqual([0.75]);
  expect(pairedRatios(results, 'swift engine spark-md5', 'local raw')).toEqual([]);
});

test('the machine line gives a CPU-bound ceiling only when the engine kept the cores busy', () => {
  const results = new Results();
  const at = (mbps: number, machineCpuPerGiB: number, machineBusy: number): Sample => ({
    ...sample(mbps),
    machineCpuPerGiB,
    machineBusy,
  });
  // The engine needs 20 machine CPU s per GiB and kept 2 cores 95 % busy: at most 2 / 20 GiB/s = 107.4 MB/s.
  results.record('local raw', at(170, 10, 0.78));
  results.record('local engine hash-wasm', at(100, 20, 0.95));
  expect(machineLine(results, 'local', 'hash-wasm', 2)).toBe(
    'whole machine: raw 10.0 CPU s/GiB at 78 % busy, engine 20.0 at 95 %: CPU-bound, its work fits at most ' +
      '107.4 MB/s on 2 cores, engine/raw <= 0.63',
  );
  // On a link the cores are partly idle: no ceiling from CPU.
  results.record('swift raw', at(45, 25, 0.54));
  results.record('swift engine hash-wasm', at(42, 35, 0.7));
  expect(machineLine(results, 'swift', 'hash-wasm', 2)).toMatch(
    /engine 35.0 at 70 %: the engine was not CPU-bound$/,
  );
});
