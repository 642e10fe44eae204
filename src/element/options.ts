import type { BackendAdapter, UploaderBehaviour, UploaderOptions } from '../engine/types.ts';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../engine/options.ts';
import { MAX_PART_SIZE, MIN_PART_SIZE } from '../protocol/limits.ts';

/** The element's settings as set through attributes and properties, before checking. */
export interface ElementSettings {
  endpoint: string;
  accept: string;
  maxFileSize: string | number | null;
  minFileSize?: string | number | null;
  maxTotalSize?: string | number | null;
  maxFiles?: string | number | null;
  partSize: string | number | null;
  /** Files without a handle up to this size are copied (OPFS) to resume after a restart; 0: off. */
  opfsCopyMaxSize?: string | number | null;
  concurrency: string | number | null;
  autoStart: boolean;
  callbackTarget: string;
  metadata: unknown;
  callbackVars: unknown;
  backend: unknown;
}

/** Where uploads go when no `endpoint` is set: the path `npm start` and the examples serve. */
export const DEFAULT_ENDPOINT = '/api/upload';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Parses a byte size: a number of bytes, or a number with a unit ('5MiB', '100 MB'); NaN if invalid. */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : NaN;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return NaN;
  return Math.round(Number(match[1]) * unit);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function isBackend(value: unknown): value is BackendAdapter {
  const methods = ['createUpload', 'signParts', 'listParts', 'completeUpload', 'abortUpload'];
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
  );
}

/**
 * Turns the element's settings into engine options that the engine accepts. Every invalid value
 * gives a warning (passed to `warn`) and a documented fallback, so a typo never breaks the element.
 */
export function resolveOptions(
  s: ElementSettings,
  warn: (message: string) => void,
): UploaderOptions & UploaderBehaviour {
  const opts: UploaderOptions & UploaderBehaviour = { autoStart: s.autoStart !== false };

  if (s.backend != null) {
    if (isBackend(s.backend)) opts.backend = s.backend;
    else
      warn(
        'backend must implement createUpload, signParts, listParts, completeUpload and abortUpload; using endpoint instead.',
      );
  }
  if (!opts.backend) opts.endpoint = s.endpoint.trim() || DEFAULT_ENDPOINT;

  if (s.maxFileSize != null && s.maxFileSize !== '') {
    const max = parseByteSize(s.maxFileSize);
    if (max > 0) opts.maxFileSize = max;
    else warn(`max-file-size "${s.maxFileSize}" is not a size (e.g. 5000000 or 100MB); no limit.`);
  }

  for (const [attribute, value, key] of [
    ['min-file-size', s.minFileSize, 'minFileSize'],
    ['max-total-size', s.maxTotalSize, 'maxTotalSize'],
  ] as const) {
    if (value == null || value === '') continue;
    const size = parseByteSize(value);
    if (size >= 0) opts[key] = size;
    else warn(`${attribute} "${value}" is not a size (e.g. 1000 or 10MB); no limit.`);
  }
  if (s.maxFiles != null && s.maxFiles !== '') {
    const n = Number(s.maxFiles);
    if (Number.isInteger(n) && n >= 1) opts.maxFiles = n;
    else warn(`max-files "${s.maxFiles}" is not a whole number of 1 or more; no limit.`);
  }

  if (s.partSize != null && s.partSize !== '') {
    const size = parseByteSize(s.partSize);
    if (!(size > 0)) {
      warn(`part-size "${s.partSize}" is not a size (e.g. 8MiB); using the default (8 MiB).`);
    } else if (size < MIN_PART_SIZE) {
      warn(`part-size "${s.partSize}" is under S3's 5 MiB minimum; using 5 MiB.`);
      opts.partSize = MIN_PART_SIZE;
    } else if (size > MAX_PART_SIZE) {
      warn(`part-size "${s.partSize}" is over S3's 5 GiB maximum; using 5 GiB.`);
      opts.partSize = MAX_PART_SIZE;
    } else {
      opts.partSize = size;
    }
  }

  if (s.opfsCopyMaxSize != null && s.opfsCopyMaxSize !== '') {
    const max = parseByteSize(s.opfsCopyMaxSize);
    if (max >= 0) opts.opfsCopyMaxSize = max;
    else
      warn(
        `opfs-copy-max-size "${s.opfsCopyMaxSize}" is not a size (e.g. 100MiB, or 0 for no copies); using 100 MiB.`,
      );
  }

  if (s.concurrency != null && s.concurrency !== '') {
    const n = Number(s.concurrency);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY) opts.concurrency = n;
    else if (Number.isInteger(n) && n > MAX_CONCURRENCY) {
      warn(`concurrency ${n} is over ${MAX_CONCURRENCY}; using ${MAX_CONCURRENCY}.`);
      opts.concurrency = MAX_CONCURRENCY;
    } else {
      warn(
        `concurrency "${s.concurrency}" is not a whole number from 1 to ${MAX_CONCURRENCY}; using ${DEFAULT_CONCURRENCY}.`,
      );
      opts.concurrency = DEFAULT_CONCURRENCY;
    }
  }

  if (s.accept.trim()) opts.accept = s.accept.trim();

  if (s.metadata != null) {
    if (isStringRecord(s.metadata)) opts.metadata = s.metadata;
    else warn('metadata must be an object of string values; sending no metadata.');
  }

  if (s.callbackTarget.trim()) {
    const callback: { target: string; vars?: Record<string, string> } = {
      target: s.callbackTarget.trim(),
    };
    if (s.callbackVars != null) {
      if (isStringRecord(s.callbackVars)) callback.vars = s.callbackVars;
      else warn('callbackVars must be an object of string values; sending no variables.');
    }
    opts.callback = callback;
  } else if (s.callbackVars != null) {
    warn('callbackVars are only sent with a callback-target; ignoring them.');
  }
  return opts;
}
