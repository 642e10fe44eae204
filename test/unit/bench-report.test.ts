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

test('the machine line gives a CPU-bound ceiling only when the raw PUTs kept the cores busy', () => {
  const results = new Results();
  const at = (mbps: number, machineCpuPerGiB: number, machineBusy: number): Sample => ({
    ...sample(mbps),
    machineCpuPerGiB,
    machineBusy,
  });
  // Raw: 10 machine CPU s per GiB at 90 % busy; the engine adds 8 s of hashing and keeps the cores 95 % busy.
  results.record('local raw', at(170, 10, 0.9));
  results.record('local engine hash-wasm', at(100, 18, 0.95));
  expect(machineLine(results, 'local', 'hash-wasm')).toBe(
    "whole machine: raw 10.0 CPU s/GiB at 90 % busy, engine 18.0 at 95 %: CPU-bound, the engine's work allows engine/raw <= 0.59",
  );
  // On a link the raw PUTs leave the cores half idle: no ceiling from CPU.
  results.record('swift raw', at(45, 25, 0.54));
  results.record('swift engine hash-wasm', at(42, 35, 0.7));
  expect(machineLine(results, 'swift', 'hash-wasm')).toMatch(/at 54 % busy.*not CPU-bound$/);
});
