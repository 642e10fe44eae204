// The spark-md5 worker: pure JavaScript, so it runs under any CSP that allows the worker itself.
import SparkMD5 from 'spark-md5';
import { serveMd5, type WorkerScope } from './worker-loop.ts';

serveMd5(self as unknown as WorkerScope, () => {
  let spark = new SparkMD5.ArrayBuffer();
  return {
    reset: () => {
      spark = new SparkMD5.ArrayBuffer();
    },
    // append() copies its argument into a fresh Uint8Array, so a view (a stream chunk) works as well.
    update: (chunk) => spark.append(chunk as unknown as ArrayBuffer),
    hexDigest: () => spark.end(),
  };
});
