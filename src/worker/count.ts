/**
 * The default number of MD5 workers: one per core but one, at least 1 and at most 4. The spare core is for
 * the page's main thread and Chromium's network service, which together take about a core while uploading:
 * with as many workers as cores on 2 cores, main-thread tasks waited up to 75-125 ms for a core, and one
 * hash-wasm worker hashes faster than such a machine uploads (bench/README.md, "Memory, long tasks, workers").
 */
export function defaultWorkerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.min(4, Math.max(1, cores - 1));
}
