/**
 * CORS for the JSON routes: headers on every response (errors included, or a browser only sees
 * "Failed to fetch") and answers to preflights.
 */

type Cors = '*' | readonly string[] | undefined;

/** The Access-Control-Allow-Origin value for a request, or null when its origin is not allowed. */
function allowedOrigin(cors: Cors, request: Request): string | null {
  const origin = request.headers.get('origin');
  if (!cors || !origin) return null;
  if (cors === '*') return '*';
  return cors.includes(origin) ? origin : null;
}

/** Returns the response with CORS headers added when the request's origin is allowed. */
export function withCors(cors: Cors, request: Request, response: Response): Response {
  if (!cors) return response;
  const origin = allowedOrigin(cors, request);
  const headers = new Headers(response.headers);
  // Listed origins get a per-origin answer, so caches must key on Origin.
  if (cors !== '*') headers.append('vary', 'Origin');
  if (origin) {
    headers.set('access-control-allow-origin', origin);
    // Only named origins may send cookies; `*` can never be combined with credentials.
    if (origin !== '*') headers.set('access-control-allow-credentials', 'true');
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The answer to a preflight (OPTIONS) of a JSON route. */
export function preflight(cors: Cors, request: Request): Response {
  const headers = new Headers({ allow: 'POST, OPTIONS' });
  if (allowedOrigin(cors, request)) {
    headers.set('access-control-allow-methods', 'POST, OPTIONS');
    headers.set(
      'access-control-allow-headers',
      request.headers.get('access-control-request-headers') ?? 'content-type',
    );
    headers.set('access-control-max-age', '600');
  }
  return new Response(null, { status: 204, headers });
}
