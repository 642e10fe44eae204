/**
 * createUploadHandler: one web-standard `(Request) => Promise<Response>` function, so it mounts in
 * Express, Fastify, Next.js route handlers, Hono or an edge runtime. Hono routes inside.
 */
import { Hono, type Context } from 'hono';
import { ROUTES } from '../protocol/index.ts';
import { readJson } from './body.ts';
import { createCallbackRunner } from './callbacks/index.ts';
import type { RouteContext } from './context.ts';
import { preflight, withCors } from './cors.ts';
import { errorResponse, toHandlerError } from './error-mapping.ts';
import { HandlerError } from './errors.ts';
import { resolveOptions, type ResolvedOptions, type UploadHandlerOptions } from './options.ts';
import { createUpload } from './route-create.ts';
import { abortUpload, completeUpload } from './route-finish.ts';
import { listParts, signParts } from './route-parts.ts';
import { TokenSigner } from './token.ts';

/** The handler function, with the callback runner for retrying failed callbacks on demand. */
export interface UploadHandler {
  (request: Request): Promise<Response>;
  readonly callbacks: ReturnType<typeof createCallbackRunner> | undefined;
}

type Route = (ctx: RouteContext, body: unknown) => Promise<unknown>;

const ROUTE_HANDLERS: Record<string, Route> = {
  [ROUTES.createUpload]: createUpload,
  [ROUTES.signParts]: signParts,
  [ROUTES.listParts]: listParts,
  [ROUTES.completeUpload]: completeUpload,
  [ROUTES.abortUpload]: abortUpload,
};

/** Builds the upload handler; bad options throw a TypeError here, not on the first request. */
export function createUploadHandler(options: UploadHandlerOptions): UploadHandler {
  const resolved = resolveOptions(options);
  const signer = new TokenSigner(resolved.tokenSecrets);
  // The store's outbox unless the configuration names one: failed callbacks outlive the process.
  const runner = resolved.callbacks
    ? createCallbackRunner(resolved.callbacks, { outbox: resolved.outbox })
    : undefined;
  const app = buildApp(resolved, signer, runner);
  const { storage, cors } = resolved;

  const handler = async (request: Request): Promise<Response> => {
    try {
      // The local store serves its own signed URLs (part PUTs, object GETs) under the same server.
      const own = storage.handle ? await storage.handle(request) : null;
      if (own) return own;
      return withCors(cors, request, await app.fetch(request));
    } catch (error) {
      return withCors(cors, request, errorResponse(toHandlerError(error)));
    }
  };
  return Object.assign(handler, { callbacks: runner });
}

function buildApp(
  options: ResolvedOptions,
  signer: TokenSigner,
  runner: RouteContext['runner'],
): Hono {
  const app = new Hono();
  const base = options.basePath;

  for (const [name, route] of Object.entries(ROUTE_HANDLERS)) {
    const path = `${base}/${name}`;
    app.post(path, async (c) => {
      const ctx = await routeContext(c, options, signer, runner);
      const body = await readJson(c.req.raw, options.maxBodySize);
      return c.json(await route(ctx, body));
    });
    app.options(path, (c) => preflight(options.cors, c.req.raw));
    app.all(path, () => {
      const response = errorResponse(
        new HandlerError('method-not-allowed', `${path} only answers POST`),
      );
      response.headers.set('allow', 'POST, OPTIONS');
      return response;
    });
  }
  app.notFound((c) =>
    errorResponse(
      new HandlerError('not-found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`),
    ),
  );
  app.onError((error) => errorResponse(toHandlerError(error)));
  return app;
}

/** Authorizes the request and gathers what the routes need. */
async function routeContext(
  c: Context,
  options: ResolvedOptions,
  signer: TokenSigner,
  runner: RouteContext['runner'],
): Promise<RouteContext> {
  const principal = await options.authorize(c.req.raw);
  if (typeof principal !== 'string' || principal === '') {
    throw new HandlerError('unauthorized', 'sign in to upload');
  }
  const origin = options.publicUrl ?? new URL(c.req.url).origin;
  return { options, signer, runner, principal, sign: { baseUrl: `${origin}${options.basePath}` } };
}
