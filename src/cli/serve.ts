/**
 * The demo server behind `npm start`: the built demo page and the upload handler on 127.0.0.1,
 * with the embedded local store in ./.uploads, or an S3-compatible store when S3_BUCKET is set.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createLocalStorage,
  createS3Storage,
  createUploadHandler,
  s3OptionsFromEnv,
  type StorageAdapter,
  type UploadHandler,
} from '../server/index.ts';
import { demoConfig, type DemoConfig } from './config.ts';
import { DEMO_CALLBACK_PATH, receiveDemoCallback, serverCallbacks } from './demo-callback.ts';
import { withObjectListing } from './objects-route.ts';
import { startServer, type RunningServer } from './server.ts';

// src/cli and dist/cli both sit two folders below the package root.
const ROOT = resolve(import.meta.dirname, '../..');

/** A started demo: the server, its handler, and a line saying which store it uses. */
export interface Demo {
  server: RunningServer;
  handler: UploadHandler;
  storage: StorageAdapter;
  where: string;
  randomSecret: boolean;
  config: DemoConfig;
}

/** Starts the demo server from environment variables (PORT, HOST, UPLOAD_DIR, UPLOAD_TOKEN_SECRET, S3_*). */
export async function startDemo(env: Record<string, string | undefined>): Promise<Demo> {
  const config = demoConfig(env);
  let storage: StorageAdapter;
  let where: string;
  if (config.s3) {
    const s3 = s3OptionsFromEnv(env);
    storage = createS3Storage(s3);
    where = `S3 bucket "${s3.bucket}"${s3.endpoint ? ` at ${s3.endpoint}` : ' on AWS'}`;
  } else {
    // Its own secret, derived, so a local-store URL can never pass for an upload token.
    storage = createLocalStorage({
      root: config.uploadDir,
      secret: `${config.tokenSecret}:local-store`,
      // The demo opens stored files at their location; a real application keeps them private.
      publicRead: true,
    });
    where = `local folder ${config.uploadDir}`;
  }
  let callbackSecret = '';
  // The handler is made once the server listens: the demo callback target needs the server's URL.
  let handler: UploadHandler | undefined;
  let app: ((request: Request) => Promise<Response>) | undefined;
  const server = await startServer({
    handler: (request) => {
      const { pathname } = new URL(request.url);
      if (config.demoCallback && pathname === DEMO_CALLBACK_PATH && request.method === 'POST') {
        return receiveDemoCallback(request, callbackSecret);
      }
      return app!(request);
    },
    port: config.port,
    host: config.host,
    staticDir: resolve(ROOT, 'dist/demo'),
  });
  try {
    const { callbacks, secret } = serverCallbacks(config, storage, server.url);
    callbackSecret = secret;
    handler = createUploadHandler({
      storage,
      tokenSecret: config.tokenSecret,
      cors: config.cors,
      callbacks,
    });
    // The demo page's "in the store" panel: GET /api/upload/objects (demo server only).
    app = withObjectListing(handler, storage);
  } catch (error) {
    await server.close();
    throw error;
  }
  return { server, handler, storage, where, randomSecret: config.randomSecret, config };
}

/** `npm start`: starts the demo, prints where it listens, and stops cleanly on Ctrl-C. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<Demo> {
  const demo = await startDemo(env);
  const { server, handler } = demo;
  console.log(`resumable-upload demo: ${server.url}/`);
  console.log(`  the element in a React app: ${server.url}/react.html`);
  console.log(`  upload handler: ${server.url}/api/upload, storage: ${demo.where}`);
  const { config } = demo;
  if (config.demoCallback) {
    console.log(`  callbacks: target "demo" posts to ${server.url}${DEMO_CALLBACK_PATH}`);
  }
  if (config.appCallback) {
    console.log(`  callbacks: target "app" posts to ${config.appCallback.url}`);
  }
  if (demo.randomSecret) {
    console.log(
      '  note: UPLOAD_TOKEN_SECRET is not set, so this run signs with a random secret;' +
        ' unfinished uploads cannot resume after a restart.',
    );
  }
  const stop = () => {
    handler.callbacks?.close();
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return demo;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
