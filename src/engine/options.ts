import { MAX_PART_SIZE, MIN_PART_SIZE, DEFAULT_PART_SIZE } from '../protocol/index.ts';
import { DEFAULT_RETRY } from './retry.ts';
import { defaultHashWindow } from './signer.ts';
import type { ListLimits } from './limits.ts';
import type { BackendAdapter, RetryPolicy, UploaderBehaviour, UploaderOptions } from './types.ts';

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  endpoint?: string;
  backend?: BackendAdapter;
  headers: Record<string, string>;
  concurrency: number;
  partSize: number;
  /** Hash workers asked for; undefined leaves it to the hasher (the browser's pool: cores - 1, 1..4). */
  workers?: number;
  hashWindow: number;
  retry: RetryPolicy;
  metadata?: Record<string, string>;
  callback?: { target: string; vars?: Record<string, string> };
  maxFileSize: number;
  accept: string;
  limits: ListLimits;
  onUploadGone: 'restart' | 'fail';
  maxRecordAge: number;
  persist: boolean;
  opfsCopyMaxSize: number;
  opfsCopyDelay: number;
  /** Undefined: hash-wasm where WebAssembly may run, spark-md5 elsewhere (src/worker/announce.ts says which). */
  hasher?: 'spark-md5' | 'hash-wasm';
  autoStart: boolean;
}

/** Parts in flight per file when `concurrency` is not given. */
export const DEFAULT_CONCURRENCY = 4;
/**
 * The most parts in flight per file, for the engine and the element alike. Above the browser's six
 * HTTP/1.1 connections per host, more only helps over HTTP/2; the throttle halves it down to one part.
 */
export const MAX_CONCURRENCY = 64;

const DAY = 24 * 60 * 60 * 1000;
/**
 * Copies for resume up to 100 MiB: a copy costs writing the file once more (measured: README,
 * "Browser support"); Uppy's Golden Retriever keeps files up to 10 MiB, in IndexedDB.
 */
export const DEFAULT_OPFS_COPY_MAX_SIZE = 100 * 1024 * 1024;
/**
 * Copies start 3 s after the file is added: with the copy beside it, a 96 MiB upload on loopback cost the
 * browser 29.4 CPU s per GiB against 16.4 without, ran at 0.70 of the speed and grew the renderer by 58 MiB
 * against 10 (`npm run bench -- --size=96 --copy=both`, 7 Dec 2026), for a copy deleted a second later.
 */
export const DEFAULT_OPFS_COPY_DELAY = 3000;
const BACKEND_METHODS = [
  'createUpload',
  'signParts',
  'listParts',
  'completeUpload',
  'abortUpload',
] as const;

function fail(message: string): never {
  throw new TypeError(`Uploader: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown, name: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    fail(`${name} must be an object of string values`);
  }
  return value as Record<string, string>;
}

function int(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

function num(value: unknown, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    fail(`${name} must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** A limit that may be absent: a whole number >= 0, or undefined. */
function optional(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : int(value, name, 0, Number.MAX_SAFE_INTEGER, 0);
}

/** Validates the Uploader's options; throws a TypeError naming the first bad one. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (!isRecord(input)) fail('options must be an object');
  const o = input as UploaderOptions & UploaderBehaviour;
  if (o.endpoint !== undefined && (typeof o.endpoint !== 'string' || o.endpoint.trim() === '')) {
    fail('endpoint must be a non-empty string');
  }
  if (o.backend !== undefined) {
    if (!isRecord(o.backend)) fail('backend must be an object');
    for (const method of BACKEND_METHODS) {
      if (typeof (o.backend as unknown as Record<string, unknown>)[method] !== 'function') {
        fail(`backend.${method} must be a function`);
      }
    }
  }
  if (o.endpoint === undefined && o.backend === undefined) fail('give an endpoint or a backend');
  const concurrency = int(o.concurrency, 'concurrency', 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY);
  if (o.retry !== undefined && !isRecord(o.retry)) fail('retry must be an object');
  const retry: RetryPolicy = {
    retries: int(o.retry?.retries, 'retry.retries', 0, 1000, DEFAULT_RETRY.retries),
    baseDelay: num(o.retry?.baseDelay, 'retry.baseDelay', 0, DEFAULT_RETRY.baseDelay),
    maxDelay: num(o.retry?.maxDelay, 'retry.maxDelay', 0, DEFAULT_RETRY.maxDelay),
    maxElapsed: num(o.retry?.maxElapsed, 'retry.maxElapsed', 0, DEFAULT_RETRY.maxElapsed),
  };
  let callback: ResolvedOptions['callback'];
  if (o.callback !== undefined) {
    if (
      !isRecord(o.callback) ||
      typeof o.callback.target !== 'string' ||
      o.callback.target === ''
    ) {
      fail('callback.target must be a non-empty string');
    }
    callback = { target: o.callback.target, vars: stringMap(o.callback.vars, 'callback.vars') };
  }
  if (o.accept !== undefined && typeof o.accept !== 'string') fail('accept must be a string');
  if (o.onUploadGone !== undefined && o.onUploadGone !== 'restart' && o.onUploadGone !== 'fail') {
    fail("onUploadGone must be 'restart' or 'fail'");
  }
  if (o.hasher !== undefined && o.hasher !== 'spark-md5' && o.hasher !== 'hash-wasm') {
    fail("hasher must be 'spark-md5' or 'hash-wasm'");
  }
  for (const flag of ['persist', 'autoStart'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') fail(`${flag} must be a boolean`);
  }
  return {
    endpoint: o.endpoint,
    backend: o.backend,
    headers: stringMap(o.headers, 'headers') ?? {},
    concurrency,
    partSize: int(o.partSize, 'partSize', MIN_PART_SIZE, MAX_PART_SIZE, DEFAULT_PART_SIZE),
    workers: o.workers === undefined ? undefined : int(o.workers, 'workers', 1, 64, 1),
    hashWindow: int(o.hashWindow, 'hashWindow', 1, 1000, defaultHashWindow(concurrency)),
    retry,
    metadata: stringMap(o.metadata, 'metadata'),
    callback,
    maxFileSize: num(o.maxFileSize, 'maxFileSize', 0, Infinity),
    accept: o.accept ?? '',
    limits: {
      minFileSize: optional(o.minFileSize, 'minFileSize'),
      maxFiles: optional(o.maxFiles, 'maxFiles'),
      maxTotalSize: optional(o.maxTotalSize, 'maxTotalSize'),
    },
    onUploadGone: o.onUploadGone ?? 'restart',
    maxRecordAge: num(o.maxRecordAge, 'maxRecordAge', 0, 7 * DAY),
    persist: o.persist ?? true,
    opfsCopyMaxSize: num(o.opfsCopyMaxSize, 'opfsCopyMaxSize', 0, DEFAULT_OPFS_COPY_MAX_SIZE),
    opfsCopyDelay: num(o.opfsCopyDelay, 'opfsCopyDelay', 0, DEFAULT_OPFS_COPY_DELAY),
    hasher: o.hasher,
    autoStart: o.autoStart ?? true,
  };
}

/** True when `file` matches an <input accept> list ('.png,image/*,application/pdf'); an empty list accepts all. */
export function accepts(accept: string, file: { name: string; type: string }): boolean {
  const rules = accept
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  if (rules.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return rules.some((rule) => {
    if (rule.startsWith('.')) return name.endsWith(rule);
    if (rule.endsWith('/*')) return type.startsWith(rule.slice(0, -1));
    return type === rule;
  });
}
