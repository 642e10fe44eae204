/** Serves the built demo page (dist/demo) from disk, never outside its folder. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page shown when the demo was not built. */
const NOT_BUILT = `<!doctype html>
<meta charset="utf-8">
<title>resumable-upload</title>
<h1>The demo is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload.
The upload handler is already answering under <code>/api/upload</code>.</p>
`;

/** Answers a GET/HEAD from `dir`: the file, `index.html` for folders, or 404. */
export async function serveStatic(dir: string | undefined, request: Request): Promise<Response> {
  const url = new URL(request.url);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return new Response('bad path', { status: 400 });
  }
  if (!dir || path.includes('\0')) return notFound(path);
  const root = resolve(dir);
  let file = resolve(join(root, path));
  const inside = relative(root, file);
  if (inside.startsWith('..') || inside.startsWith(sep)) return notFound(path);
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return notFound(path, root);
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(info.size),
    // The demo is rebuilt by every `npm start`: never serve a stale bundle.
    'cache-control': 'no-cache',
  };
  if (request.method === 'HEAD') return new Response(null, { headers });
  const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { headers });
}

async function notFound(path: string, root?: string): Promise<Response> {
  const built = root ? await stat(join(root, 'index.html')).catch(() => null) : null;
  if (path === '/' && !built) {
    return new Response(NOT_BUILT, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  return new Response('not found', { status: 404 });
}
