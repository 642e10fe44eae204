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
    demoCallback: ['1', 'true', 'yes', 'on'].includes(
      env.DEMO_CALLBACK?.trim().toLowerCase() ?? '',
    ),
  };
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}
