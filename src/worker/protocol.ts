/**
 * The messages between the engine's main thread and an MD5 worker: one discriminated union each way
 * (Comlink style); errors cross as plain {name, message, stack} and are rebuilt on the other side.
 */

/** Which MD5 implementation a worker runs. */
export type HashImpl = 'spark-md5' | 'hash-wasm';

/**
 * How a worker reads a Blob: `slice` (chunkSize pieces via arrayBuffer()), `stream` (blob.stream()'s chunks)
 * or `byob` (blob.stream() into one reused chunkSize buffer).
 */
export type ReadMode = 'slice' | 'stream' | 'byob';

/**
 * Hash `blob` (only bytes [start, end) when both are given: the worker slices), reading it `chunkSize` bytes
 * at a time (`slice`) or as the browser streams it.
 */
export interface Md5Request {
  type: 'md5';
  id: number;
  blob: Blob;
  start?: number;
  end?: number;
  read: ReadMode;
  chunkSize: number;
}

/** Main thread -> worker (an abort terminates the worker instead of messaging it). */
export type WorkerRequest = Md5Request;

/** An Error flattened for postMessage. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Worker -> main thread: the digest of job `id`. */
export interface Md5Result {
  type: 'result';
  id: number;
  base64: string;
  hex: string;
  /** Bytes hashed, so the pool knows when to recycle the worker. */
  bytes: number;
}

/** Worker -> main thread: job `id` failed. */
export interface Md5Failure {
  type: 'error';
  id: number;
  error: SerializedError;
}

/** Worker -> main thread. */
export type WorkerResponse = Md5Result | Md5Failure;

/** Flattens anything thrown into a SerializedError. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error || error instanceof DOMException) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds an error from the worker, keeping its name (NotReadableError, AbortError...) and the worker's stack. */
export function rebuildError(error: SerializedError): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
