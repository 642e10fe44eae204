// The backends the cross-engine cases upload to: one app serving the test page, the handler on the
// embedded local store under /api/upload and the handler on Swift s3api under /api/swift. The local
// handler's part PUTs are counted and can be held at the server, whatever the browser.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLocalStorage,
  createS3Storage,
  createUploadHandler,
} from '../../src/server/index.ts';
import type { StorageAdapter } from '../../src/server/storage/types.ts';
import { Gate, partNumberOf } from '../browser/engine-support.ts';
import type { S3TestConfig } from '../support/swift.ts';
import { startApp, type App } from '../support/vite-app.ts';

/** Where the element sends each store's uploads. */
export const ENDPOINTS = { local: '/api/upload', swift: '/api/swift' } as const;

/** A store kind the cases run on. */
export type StoreKind = keyof typeof ENDPOINTS;

/** The running app and both stores. */
export interface EnginesEnv {
  app: App;
  storage: Record<StoreKind, StorageAdapter>;
  /** Holds requests at the handler (local store part PUTs reach it; Swift's go to Swift). */
  gate: Gate;
  /** Every part PUT the local store received: `uploadId/partNumber`. */
  localPuts: string[];
  /** A scratch folder for test files. */
  dir: string;
  close(): Promise<void>;
}

/** Starts both handlers behind one Vite app. */
export async function startEnginesEnv(s3: S3TestConfig): Promise<EnginesEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'ru-engines-'));
  const prefix = `engines-test/${randomBytes(4).toString('hex')}/`;
  const storage = {
    local: createLocalStorage({
      root: join(dir, 'store'),
      secret: randomBytes(16).toString('hex'),
    }),
    swift: createS3Storage({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }),
  };
  const tokenSecret = randomBytes(24).toString('hex');
  const handlers = {
    local: createUploadHandler({
      storage: storage.local,
      tokenSecret,
      keyPrefix: prefix,
      basePath: ENDPOINTS.local,
    }),
    swift: createUploadHandler({
      storage: storage.swift,
      tokenSecret,
      keyPrefix: prefix,
      basePath: ENDPOINTS.swift,
    }),
  };
  const gate = new Gate();
  const localPuts: string[] = [];
  const app = await startApp({
    basePath: '/api',
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      if (path.startsWith(ENDPOINTS.swift + '/') || path === ENDPOINTS.swift) {
        return handlers.swift(request);
      }
      if (request.method === 'PUT' && path.includes('/_local/uploads/')) {
        const uploadId = path.split('/').at(-2);
        localPuts.push(`${uploadId}/${partNumberOf(request.url)}`);
      }
      await gate.pass(request);
      return handlers.local(request);
    },
  });
  return {
    app,
    storage,
    gate,
    localPuts,
    dir,
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
