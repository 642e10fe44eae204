/**
 * Options of createUploadHandler, their defaults, and their checks: bad options throw a TypeError
 * at construction, never on the first upload.
 */
import {
  DEFAULT_PART_SIZE,
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_URL_EXPIRES_IN,
  MiB,
  MIN_PART_SIZE,
} from '../protocol/index.ts';
import type { CallbackConfig } from './callbacks/index.ts';
import type { CallbackOutbox } from './callbacks/outbox.ts';
import { assertSafeKey, defaultKey, type KeyInput } from './keys.ts';
import type { StorageAdapter } from './storage/types.ts';

/** Options of createUploadHandler. */
export interface UploadHandlerOptions {
  /** The store (S3 adapter, local adapter, or your own StorageAdapter). */
  storage: StorageAdapter;
  /** Path the routes live under; default `/api/upload`. */
  basePath?: string;
  /** Public origin (and path prefix) of the server, when it runs behind a proxy; default: the request's origin. */
  publicUrl?: string;
  /**
   * Who is uploading: a principal string, or null for 401 unauthorized. Throw
   * `new HandlerError('forbidden', ...)` to refuse with 403. Default: everybody is `anonymous`.
   */
  authorize?: (request: Request) => string | null | Promise<string | null>;
  /** The object key of a new upload; default `${keyPrefix}${randomId}/${sanitizedFileName}`. */
  key?: (input: KeyInput) => string | Promise<string>;
  /** Prefix of default keys; default `uploads/`. */
  keyPrefix?: string;
  /** Largest file accepted, in bytes; default and maximum 5 TiB. */
  maxFileSize?: number;
  /** Smallest file accepted, in bytes (`file-too-small` below it); default 0. */
  minFileSize?: number;
  /** Allowed content types, with wildcards like `image/*`; default: any. */
  allowedContentTypes?: readonly string[];
  /** Part size when the browser asks for none; default 8 MiB (the server grows it for big files). */
  defaultPartSize?: number;
  /** Secret(s) of the upload token, at least 32 characters; the first signs, all verify (rotation). */
  tokenSecret: string | readonly string[];
  /** Lifetime of an upload token in seconds; default 7 days, as resumable uploads live long. */
  tokenTtl?: number;
  /** Lifetime of a presigned URL in seconds; default 900. */
  urlExpiresIn?: number;
  /** Origins allowed to call the handler from a browser (`*` for any); default: same origin only. */
  cors?: '*' | readonly string[];
  /** Largest JSON request body in bytes; default 1 MiB (a complete of 10,000 parts is about 650 KB). */
  maxBodySize?: number;
  /** Server-side callback targets (see the Callbacks section of the README). */
  callbacks?: CallbackConfig;
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  storage: StorageAdapter;
  basePath: string;
  publicUrl: string | undefined;
  authorize: (request: Request) => string | null | Promise<string | null>;
  key: (input: KeyInput) => string | Promise<string>;
  maxFileSize: number;
  minFileSize: number;
  allowedContentTypes: readonly string[] | undefined;
  defaultPartSize: number;
  tokenSecrets: readonly string[];
  tokenTtl: number;
  urlExpiresIn: number;
  cors: '*' | readonly string[] | undefined;
  maxBodySize: number;
  callbacks: CallbackConfig | undefined;
  /** Where failed callbacks wait: callbacks.outbox, else the store's own outbox (when callbacks are set). */
  outbox: CallbackOutbox | undefined;
}

const DAY = 24 * 60 * 60;
const STORAGE_METHODS = [
  'createUpload',
  'signPart',
  'signPut',
  'listParts',
  'completeUpload',
  'abortUpload',
  'headObject',
] as const;

/** Applies defaults and checks every option; throws a TypeError naming the bad one. */
export function resolveOptions(options: UploadHandlerOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new TypeError('options are required');
  const { storage } = options;
  if (!storage || typeof storage !== 'object') throw new TypeError('options.storage is required');
  for (const method of STORAGE_METHODS) {
    if (typeof storage[method] !== 'function') {
      throw new TypeError(`options.storage.${method} must be a function`);
    }
  }
  const keyPrefix = options.keyPrefix ?? 'uploads/';
  if (typeof keyPrefix !== 'string') throw new TypeError('options.keyPrefix must be a string');
  if (keyPrefix !== '') assertKeyPrefix(keyPrefix);
  optionalFunction(options.authorize, 'authorize');
  const outbox = options.callbacks
    ? (options.callbacks.outbox ?? options.storage.callbackOutbox?.())
    : undefined;
  const reserved = outbox?.keyPrefix;
  if (
    reserved !== undefined &&
    options.key === undefined &&
    defaultKeyMayStart(keyPrefix, reserved)
  ) {
    throw new TypeError(
      `options.keyPrefix "${keyPrefix}" overlaps the callback outbox's prefix "${reserved}"`,
    );
  }
  optionalFunction(options.key, 'key');
  return {
    storage,
    basePath: resolveBasePath(options.basePath),
    publicUrl: resolvePublicUrl(options.publicUrl),
    authorize: options.authorize ?? (() => 'anonymous'),
    key: options.key ?? defaultKey(keyPrefix),
    maxFileSize: integerIn(options.maxFileSize, 'maxFileSize', 0, MAX_OBJECT_SIZE, MAX_OBJECT_SIZE),
    minFileSize: integerIn(options.minFileSize, 'minFileSize', 0, MAX_OBJECT_SIZE, 0),
    allowedContentTypes: resolveContentTypes(options.allowedContentTypes),
    defaultPartSize: integerIn(
      options.defaultPartSize,
      'defaultPartSize',
      MIN_PART_SIZE,
      MAX_PART_SIZE,
      DEFAULT_PART_SIZE,
    ),
    tokenSecrets: resolveSecrets(options.tokenSecret),
    tokenTtl: integerIn(options.tokenTtl, 'tokenTtl', 60, 365 * DAY, 7 * DAY),
    urlExpiresIn: integerIn(options.urlExpiresIn, 'urlExpiresIn', 1, MAX_URL_EXPIRES_IN, 900),
    cors: resolveCors(options.cors),
    maxBodySize: integerIn(options.maxBodySize, 'maxBodySize', 1024, 64 * MiB, MiB),
    callbacks: resolveCallbacks(options.callbacks),
    outbox,
  };
}

/**
 * Whether a default key (keyPrefix + 32 hex digits + "/" + a sanitized name) can start with `reserved`:
 * the outbox's objects must be out of reach of every upload.
 */
function defaultKeyMayStart(keyPrefix: string, reserved: string): boolean {
  if (keyPrefix.startsWith(reserved)) return true;
  if (!reserved.startsWith(keyPrefix)) return false;
  const rest = reserved.slice(keyPrefix.length);
  return /^[0-9a-f]{0,32}$/.test(rest.slice(0, 32)) && (rest.length <= 32 || rest[32] === '/');
}

function optionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`options.${name} must be a function`);
  }
}

function integerIn(value: unknown, name: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`options.${name} must be an integer in ${min}..${max}`);
  }
  return value;
}

function assertKeyPrefix(prefix: string): void {
  try {
    assertSafeKey(`${prefix}x`);
  } catch (error) {
    throw new TypeError(`options.keyPrefix is not a safe key prefix: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function resolveBasePath(basePath: unknown): string {
  if (basePath === undefined) return '/api/upload';
  if (typeof basePath !== 'string' || (basePath !== '' && !/^\/[\w\-./~]*$/.test(basePath))) {
    throw new TypeError('options.basePath must be a path starting with "/"');
  }
  return basePath.replace(/\/+$/, '');
}

function resolvePublicUrl(publicUrl: unknown): string | undefined {
  if (publicUrl === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = typeof publicUrl === 'string' ? new URL(publicUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new TypeError('options.publicUrl must be an http(s) URL without query or fragment');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function resolveContentTypes(types: unknown): readonly string[] | undefined {
  if (types === undefined) return undefined;
  if (
    !Array.isArray(types) ||
    !types.every((t) => typeof t === 'string' && /^(\*|[\w.+-]+)\/(\*|[\w.+-]+)$/.test(t))
  ) {
    throw new TypeError('options.allowedContentTypes must be a list like ["image/*", "video/mp4"]');
  }
  return types.map((t: string) => t.toLowerCase());
}

function resolveSecrets(secret: unknown): readonly string[] {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (
    !Array.isArray(secrets) ||
    secrets.length === 0 ||
    !secrets.every((s) => typeof s === 'string' && s.length >= 32)
  ) {
    throw new TypeError('options.tokenSecret must be a string of at least 32 characters');
  }
  return [...secrets];
}

function resolveCors(cors: unknown): '*' | readonly string[] | undefined {
  if (cors === undefined || cors === '*') return cors;
  if (!Array.isArray(cors) || !cors.every((o) => typeof o === 'string' && isOrigin(o))) {
    throw new TypeError('options.cors must be "*" or a list of origins like "https://example.com"');
  }
  return [...cors];
}

function isOrigin(origin: string): boolean {
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}

function resolveCallbacks(callbacks: unknown): CallbackConfig | undefined {
  if (callbacks === undefined) return undefined;
  if (!callbacks || typeof callbacks !== 'object') {
    throw new TypeError('options.callbacks must be a callback configuration object');
  }
  return callbacks as CallbackConfig;
}
