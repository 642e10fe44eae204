import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { build, createServer, preview, type Plugin } from 'vite';

/** A web-standard request handler, such as createUploadHandler()'s result. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Options of startApp(). */
export interface AppOptions {
  /** Answers every request whose path starts with `basePath` (the upload API and the local store's part URLs). */
  handler?: FetchHandler;
  /** Default '/api/upload'. */
  basePath?: string;
  /** Headers added to every response (e.g. a Content-Security-Policy, which also binds the workers). */
  headers?: Record<string, string>;
  /** More CommonJS dependencies to pre-bundle at start (React, for the demo's React page). */
  optimizeDeps?: string[];
  /**
   * Pages (paths from the repo root) to build for production and serve as built, at the same paths, instead
   * of the dev server's modules: what a user's browser loads (one inlined worker script, not a module graph
   * fetched request by request). The bench uses it, so an emulated link's latency is not paid per module.
   */
  build?: string[];
}

/** A running app server. */
export interface App {
  /** The origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

const repoRoot = join(import.meta.dirname, '..', '..');

function headersPlugin(headers: Record<string, string>): Plugin {
  const middleware = (
    _req: unknown,
    res: { setHeader(n: string, v: string): void },
    next: () => void,
  ) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  };
  return {
    name: 'resumable-upload-test-headers',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}

function handlerPlugin(basePath: string, handler: FetchHandler): Plugin {
  const listener = getRequestListener(async (request) => handler(request), {
    // Node 20 and Vite share the process: leave the global Request/Response alone.
    overrideGlobalObjects: false,
  });
  const middleware = (req: { url?: string }, res: unknown, next: () => void) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === basePath || path.startsWith(basePath + '/'))
      void listener(req as Parameters<typeof listener>[0], res as Parameters<typeof listener>[1]);
    else next();
  };
  return {
    name: 'resumable-upload-test-handler',
    // Added before Vite's own middlewares, so the handler sees the API paths first; prefix kept in req.url.
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}

/**
 * Starts a Vite dev server on 127.0.0.1 (random port) serving every file of the repo, so a test page
 * at /test/browser/pages/x.html can `import '/src/browser/engine.ts'`; requests under `basePath` go to `handler`.
 */
export async function startApp(options: AppOptions = {}): Promise<App> {
  const basePath = options.basePath ?? '/api/upload';
  const plugins = [
    ...(options.headers ? [headersPlugin(options.headers)] : []),
    ...(options.handler ? [handlerPlugin(basePath, options.handler)] : []),
  ];
  if (options.build) return startBuilt(options.build, plugins);
  // A cache folder per server: tests of several engineers run Vite at the same time in one tree.
  const cacheDir = await mkdtemp(join(tmpdir(), 'ru-vite-'));
  const server = await createServer({
    configFile: false,
    root: repoRoot,
    cacheDir,
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // No discovery: a late dependency optimisation reloads the page in the middle of a test.
    // spark-md5 (and React, when a test asks) is CommonJS, so it needs pre-bundling; the rest is ESM.
    optimizeDeps: { noDiscovery: true, include: ['spark-md5', ...(options.optimizeDeps ?? [])] },
    worker: { format: 'es' },
    plugins,
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Builds `pages` for production into a temporary folder and serves them with `vite preview` (see AppOptions). */
async function startBuilt(pages: string[], plugins: Plugin[]): Promise<App> {
  const outDir = await mkdtemp(join(tmpdir(), 'ru-built-'));
  await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'error',
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: pages.map((page) => join(repoRoot, page)) },
    },
  });
  const server = await preview({
    configFile: false,
    root: repoRoot,
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins,
  });
  const address = server.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
