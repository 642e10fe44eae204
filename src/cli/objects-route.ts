import type { StorageAdapter } from '../server/index.ts';

/** Most objects the listing returns (newest first): the demo shows a short table. */
const LIMIT = 100;

/**
 * Adds `GET <basePath>/objects` in front of `handler`: the demo page's "in the store" panel. It lists
 * every object under `prefix` to anyone who asks, so it belongs to the demo server only, never to
 * the upload handler an application mounts.
 */
export function withObjectListing(
  handler: (request: Request) => Promise<Response>,
  storage: StorageAdapter,
  opts: { basePath?: string; prefix?: string } = {},
): (request: Request) => Promise<Response> {
  const path = `${(opts.basePath ?? '/api/upload').replace(/\/+$/, '')}/objects`;
  const prefix = opts.prefix ?? 'uploads/';
  return async (request) => {
    if (request.method !== 'GET' || new URL(request.url).pathname !== path) return handler(request);
    const objects = await storage.listObjects({ prefix });
    objects.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
    const body = {
      objects: objects.slice(0, LIMIT).map((o) => ({
        key: o.key,
        size: o.size,
        etag: o.etag,
        contentType: o.contentType,
        lastModified: o.lastModified.toISOString(),
      })),
    };
    return new Response(JSON.stringify(body), {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  };
}
