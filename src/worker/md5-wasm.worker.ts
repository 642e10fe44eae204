// The hash-wasm worker: about 3x spark-md5, but compiling WebAssembly needs CSP 'wasm-unsafe-eval';
// when that fails, the job fails with a CompileError and the pool falls back to the spark-md5 worker.
import { createMD5 } from 'hash-wasm';
import { serveMd5, type WorkerScope } from './worker-loop.ts';

serveMd5(self as unknown as WorkerScope, async () => {
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
});
