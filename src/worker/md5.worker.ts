// The MD5 worker, one script for both hashers (one inlined copy of the read loop in the bundle): the pool
// names the worker after the hasher it wants (`new Worker(url, { name })`).
// - 'hash-wasm': about 3x spark-md5, but compiling WebAssembly needs CSP 'wasm-unsafe-eval'; when that
//   fails, the job fails with a CompileError and the pool falls back to a 'spark-md5' worker.
// - 'spark-md5': pure JavaScript, so it runs under any CSP that allows the worker itself.
import { createMD5 } from 'hash-wasm';
import SparkMD5 from 'spark-md5';
import { serveMd5, type IncrementalMd5, type WorkerScope } from './worker-loop.ts';

const PIECE = 64 * 1024;

function sparkMd5(): IncrementalMd5 {
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
}

async function wasmMd5(): Promise<IncrementalMd5> {
  // hash-wasm throws a plain Error where WebAssembly is missing altogether (some hardened browser modes):
  // name it like a refused compile, so the pool falls back instead of failing the upload.
  if (typeof WebAssembly === 'undefined') {
    const error = new Error('WebAssembly is not available in this worker');
    error.name = 'CompileError';
    throw error;
  }
  const md5 = await createMD5();
  return {
    reset: () => md5.init(),
    update: (chunk) => md5.update(chunk),
    hexDigest: () => md5.digest('hex'),
  };
}

const scope = self as unknown as WorkerScope & { name?: string };
serveMd5(scope, scope.name === 'spark-md5' ? sparkMd5 : wasmMd5);
