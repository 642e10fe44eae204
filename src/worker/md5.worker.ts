// The spark-md5 worker: pure JavaScript, so it runs under any CSP that allows the worker itself.
import SparkMD5 from 'spark-md5';
import { serveMd5, type WorkerScope } from './worker-loop.ts';

const PIECE = 64 * 1024;

serveMd5(self as unknown as WorkerScope, () => {
  let spark = new SparkMD5.ArrayBuffer();
  return {
    reset: () => {
      spark = new SparkMD5.ArrayBuffer();
    },
    // append() copies its argument into a fresh Uint8Array (so a view works as well); small pieces keep
    // those copies young, where the scavenger frees them at once instead of letting the heap grow.
    update: (chunk) => {
      for (let offset = 0; offset < chunk.length; offset += PIECE) {
        spark.append(chunk.subarray(offset, offset + PIECE) as unknown as ArrayBuffer);
      }
    },
    hexDigest: () => spark.end(),
  };
});
