/**
 * The default number of MD5 workers: one per core, at least 1 and at most 4. Four spark-md5 workers hash
 * about 4 x 85 MB/s, more than an upload from one tab carries, and each further worker costs its own heap.
 */
export function defaultWorkerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.min(4, Math.max(1, cores));
}
