import { expect, test } from 'vitest';
import { median, pairedRatios, Results, type Sample } from '../../bench/report.ts';

function sample(mbps: number): Sample {
  return { mbps, rssMiB: 0, heapMiB: 0, longestTask: 0, cpuPerGiB: 0, putMbps: mbps };
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
