/** A small Node HTTP server: the upload handler under its base path, static files elsewhere. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { serveStatic } from './static.ts';

/** Options of startServer. */
export interface StartServerOptions {
  /** The upload handler (createUploadHandler) or any web-standard handler. */
  handler: (request: Request) => Promise<Response>;
  /** Port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (never all interfaces unless asked). */
  host?: string;
  /** Folder of static files served for GET/HEAD outside the base path (the built demo). */
  staticDir?: string;
  /** Requests under this path go to the handler; default `/api/upload`. */
  basePath?: string;
}

/** A running server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  close(): Promise<void>;
}

/** Starts serving and resolves once the port is bound. */
export function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { handler, staticDir, port = 8080, host = '127.0.0.1' } = options;
  const basePath = (options.basePath ?? '/api/upload').replace(/\/+$/, '');
  const fetch = (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const api = pathname === basePath || pathname.startsWith(`${basePath}/`);
    if (!api && (request.method === 'GET' || request.method === 'HEAD')) {
      return serveStatic(staticDir, request);
    }
    return handler(request);
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive connections would hold close() open until they time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
