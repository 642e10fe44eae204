import { parseArgs } from 'node:util';
import type { WorkerHasherOptions } from '../src/worker/index.ts';
import type { HashImpl } from '../src/worker/protocol.ts';
import { parseNet, type NetLink } from './net.ts';

const MiB = 1024 * 1024;

/** What `npm run bench -- ...` asked for. */
export interface BenchConfig {
  /** File size, bytes. */
  size: number;
  runs: number;
  partSize: number;
  concurrency: number;
  /** MD5 workers of the engine phases; undefined: the engine's own default (`--workers=auto`). */
  workers: number | undefined;
  storeKinds: ('local' | 'swift')[];
  /** The MD5 implementations of the hashing and engine phases (`--hasher`, default both). */
  impls: HashImpl[];
  /** Tuning of the worker pools of the hashing and engine phases (empty: the engine's defaults). */
  poolOptions: Partial<WorkerHasherOptions>;
  trace?: string;
  /**
   * The engine phases' private copy for resume after a restart: `on` (the default options, which copy a file
   * of up to 100 MiB into OPFS beside the upload), `off` (`opfsCopyMaxSize: 0`) or `both`, side by side.
   */
  copy: 'on' | 'off' | 'both';
  /** `--copy-delay=MS`: the engine phases' `opfsCopyDelay` (undefined: the default, 3 s). */
  copyDelay?: number;
  /** The link the raw and engine phases run on (`--net=LATENCY_MS:MBIT`); undefined: loopback. */
  net?: NetLink;
}

/** Parses the bench's command line; a TypeError names what is wrong. */
export function benchConfig(args: string[]): BenchConfig {
  const { values: flags } = parseArgs({
    args,
    options: {
      size: { type: 'string', default: '512' },
      runs: { type: 'string', default: '3' },
      store: { type: 'string', default: 'both' },
      hasher: { type: 'string', default: 'both' },
      'part-size': { type: 'string', default: '8' },
      concurrency: { type: 'string', default: '4' },
      workers: { type: 'string', default: 'auto' },
      'chunk-kib': { type: 'string' },
      'recycle-mib': { type: 'string' },
      read: { type: 'string' },
      trace: { type: 'string' },
      net: { type: 'string' },
      copy: { type: 'string', default: 'on' },
      'copy-delay': { type: 'string' },
    },
  });
  const size = Math.round(Number(flags.size) * MiB);
  const runs = Number(flags.runs);
  const partSize = Math.round(Number(flags['part-size']) * MiB);
  const concurrency = Number(flags.concurrency);
  const workers = flags.workers === 'auto' ? undefined : Number(flags.workers);
  if (
    !(size > 0 && runs >= 1 && partSize >= 5 * MiB && concurrency >= 1) ||
    (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
  ) {
    throw new TypeError(
      'bench: --size (MiB) > 0, --runs >= 1, --part-size (MiB) >= 5, --concurrency >= 1, --workers >= 1 or auto',
    );
  }
  const storeKinds: ('local' | 'swift')[] =
    flags.store === 'both'
      ? ['local', 'swift']
      : flags.store === 'none'
        ? []
        : [flags.store as 'local' | 'swift'];
  if (!storeKinds.every((k) => k === 'local' || k === 'swift')) {
    throw new TypeError('bench: --store=local|swift|both|none');
  }
  const impls: HashImpl[] =
    flags.hasher === 'both' ? ['spark-md5', 'hash-wasm'] : [flags.hasher as HashImpl];
  if (!impls.every((i) => i === 'spark-md5' || i === 'hash-wasm')) {
    throw new TypeError('bench: --hasher=spark-md5|hash-wasm|both');
  }
  if (flags.copy !== 'on' && flags.copy !== 'off' && flags.copy !== 'both')
    throw new TypeError('bench: --copy=on|off|both');
  const poolOptions: Partial<WorkerHasherOptions> = {
    ...(flags['chunk-kib'] ? { chunkSize: Number(flags['chunk-kib']) * 1024 } : {}),
    ...(flags['recycle-mib'] ? { recycleAfterBytes: Number(flags['recycle-mib']) * MiB } : {}),
    ...(flags.read ? { read: flags.read as WorkerHasherOptions['read'] } : {}),
  };
  return {
    size,
    runs,
    partSize,
    concurrency,
    workers,
    storeKinds,
    impls,
    poolOptions,
    trace: flags.trace,
    net: parseNet(flags.net),
    copy: flags.copy,
    copyDelay: flags['copy-delay'] === undefined ? undefined : Number(flags['copy-delay']),
  };
}
