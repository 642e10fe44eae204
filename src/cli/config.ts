/** The demo server's settings, read from the environment (see the README). */
import { resolve } from 'node:path';

/** What `npm start` runs with. */
export interface DemoConfig {
  port: number;
  host: string;
  /** Folder of the embedded local store (used when `s3` is false). */
  uploadDir: string;
  /** S3_BUCKET is set: use the S3 adapter with the S3_* and AWS_* variables. */
  s3: boolean;
  tokenSecret: string;
  /** True when UPLOAD_TOKEN_SECRET was not set and a random secret was made for this run. */
  randomSecret: boolean;
  /** CORS_ORIGINS: comma-separated origins, or `*`; default none (the demo is same-origin). */
  cors: '*' | string[] | undefined;
  /** DEMO_CALLBACK=1: a callback target `demo` answered by the demo server itself. */
  demoCallback: boolean;
  /** CALLBACK_URL, CALLBACK_SECRET, ...: a callback target `app` posting to your receiver. */
  appCallback: AppCallback | undefined;
  /** CALLBACK_OUTBOX_INTERVAL: milliseconds between delivery rounds over the outbox; default 5000. */
  outboxInterval: number | undefined;
  /** CALLBACK_OUTBOX_PREFIX: the outbox's key prefix (S3) or folder (local store); default the store's. */
  outboxPrefix: string | undefined;
}

/** The `app` callback target of `npm start`. */
export interface AppCallback {
  url: string;
  /** CALLBACK_SECRET (16+ characters): signs the calls; every instance needs the same one. */
  secret: string;
  /** CALLBACK_ALLOW_PRIVATE=1: the receiver may be on loopback or a private network. */
  allowPrivate: boolean;
}

/** Reads the demo settings; throws a TypeError with the variable's name when one is malformed. */
export function demoConfig(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): DemoConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`PORT must be a port number, got "${env.PORT}"`);
  }
  const secret = env.UPLOAD_TOKEN_SECRET;
  if (secret !== undefined && secret.length < 32) {
    throw new TypeError('UPLOAD_TOKEN_SECRET must be at least 32 characters');
  }
  const origins = env.CORS_ORIGINS?.trim();
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    uploadDir: resolve(cwd, env.UPLOAD_DIR?.trim() || '.uploads'),
    s3: Boolean(env.S3_BUCKET?.trim()),
    tokenSecret: secret ?? randomSecret(),
    randomSecret: secret === undefined,
    cors: !origins
      ? undefined
      : origins === '*'
        ? '*'
        : origins
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
    demoCallback: flag(env.DEMO_CALLBACK),
    appCallback: appCallback(env),
    outboxInterval: outboxInterval(env.CALLBACK_OUTBOX_INTERVAL),
    outboxPrefix: env.CALLBACK_OUTBOX_PREFIX?.trim() || undefined,
  };
}

function flag(value: string | undefined): boolean {
  return ['1', 'true', 'yes', 'on'].includes(value?.trim().toLowerCase() ?? '');
}

function appCallback(env: Record<string, string | undefined>): AppCallback | undefined {
  const url = env.CALLBACK_URL?.trim();
  if (!url) return undefined;
  const secret = env.CALLBACK_SECRET;
  if (!secret || secret.length < 16) {
    throw new TypeError('CALLBACK_SECRET (16+ characters) is required with CALLBACK_URL');
  }
  return { url, secret, allowPrivate: flag(env.CALLBACK_ALLOW_PRIVATE) };
}

function outboxInterval(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 10) {
    throw new TypeError(
      `CALLBACK_OUTBOX_INTERVAL must be milliseconds (10 or more), got "${value}"`,
    );
  }
  return ms;
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}
