import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePorts } from './ports.ts';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'swift-s3api.sh');

/** How tests reach the Swift s3api store. */
export interface S3TestConfig {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: true;
}

/** A running Swift s3api on random loopback ports, with one bucket created. */
export interface SwiftServer {
  config: S3TestConfig;
  stop(): Promise<void>;
}

/** Starts Swift s3api in a fresh temporary folder; throws with the launcher's message when it cannot. */
export async function startSwift(bucket = 'uploads'): Promise<SwiftServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ru-swift-'));
  const [port, memcachedPort, basePort] = await freePorts(5).then((p) => [p[0], p[1], p[2]]);
  const env = {
    ...process.env,
    SWIFT_PORT: String(port),
    MEMCACHED_PORT: String(memcachedPort),
    SWIFT_BASE_PORT: String(basePort),
  };
  const stop = async () => {
    await run('bash', [script, 'stop', dir], { env }).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run('bash', [script, 'start', dir], { env, timeout: 180_000 });
  } catch (error) {
    await stop();
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`could not start Swift s3api: ${stderr.trim() || String(error)}`, {
      cause: error,
    });
  }
  const config: S3TestConfig = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket,
    accessKeyId: 'test:tester',
    secretAccessKey: 'testing',
    forcePathStyle: true,
  };
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  // On a loaded machine the freshly started account/container servers can answer 503 ("Please
  // reduce your request rate") for a few seconds: retry before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      break;
    } catch (error) {
      // A retry after a 503 that did create the bucket finds it there.
      if ((error as { name?: string }).name === 'BucketAlreadyOwnedByYou' && attempt > 1) break;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (attempt >= 10 || status === undefined || status < 500) {
        client.destroy();
        await stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
  client.destroy();
  return { config, stop };
}
