import { Readable } from 'node:stream';
import type { IncomingBody, LocalStorage } from './local.ts';
import { keySegment, objectFields, partFields } from './local-signing.ts';
import { isUploadId } from './local-paths.ts';
import { parseContentMd5 } from './md5.ts';
import { StorageError } from './types.ts';

/** An S3-style error answer of the local store. */
class S3ErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const LOCAL_PATH = /\/_local\/(uploads|objects)\/(.*)$/;

/**
 * Serves the local store's URLs: PUT of a signed part, PUT of a signed whole object, GET/HEAD of
 * objects, and CORS preflights for all of them. Every answer, errors included, carries CORS headers,
 * because a browser shows an error without them only as "Failed to fetch".
 */
export async function handleLocalRequest(
  store: LocalStorage,
  request: Request,
): Promise<Response | null> {
  const url = new URL(request.url);
  const match = LOCAL_PATH.exec(url.pathname);
  if (!match) return null;
  const cors = corsHeaders(request);
  try {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
    const [, kind, rest = ''] = match;
    let response: Response;
    if (kind === 'uploads' && request.method === 'PUT') {
      response = await putPart(store, request, url, rest);
    } else if (kind === 'objects' && request.method === 'PUT') {
      response = await putObject(store, request, url, rest);
    } else if (kind === 'objects' && (request.method === 'GET' || request.method === 'HEAD')) {
      response = await getObject(store, request, url, rest);
    } else {
      throw new S3ErrorResponse(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
    }
    for (const [name, value] of cors) response.headers.set(name, value);
    return response;
  } catch (error) {
    const unread = request.method === 'PUT';
    await drain(request);
    const response = errorResponse(error, cors);
    // An error answer to a PUT may come before its body was read: the connection is dropped after
    // it (RFC 9112, 9.6), so say so, or a keep-alive client reuses it and its next request fails.
    if (unread) response.headers.set('Connection', 'close');
    return response;
  }
}

async function putPart(
  store: LocalStorage,
  request: Request,
  url: URL,
  rest: string,
): Promise<Response> {
  const parts = rest.split('/');
  const [uploadId = '', partText = ''] = parts;
  if (parts.length !== 2 || !isUploadId(uploadId)) {
    throw new StorageError('NoSuchUpload', 'The specified upload does not exist.', 404);
  }
  if (!/^[1-9]\d{0,4}$/.test(partText) || Number(partText) > 10_000) {
    throw new S3ErrorResponse(
      400,
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000.',
    );
  }
  const partNumber = Number(partText);
  const { size, md5 } = checkSignature(store, request, url, (s, m, e) =>
    partFields(uploadId, partNumber, s, m, e),
  );
  const body = incomingBody(request, size, md5);
  const etag = await store.receivePart(uploadId, partNumber, body);
  return new Response(null, { status: 200, headers: { ETag: `"${etag}"` } });
}

async function putObject(
  store: LocalStorage,
  request: Request,
  url: URL,
  rest: string,
): Promise<Response> {
  const key = decodeSegment(rest);
  const type = url.searchParams.get('type') ?? '';
  const meta = url.searchParams.get('meta') ?? '';
  const segment = keySegment(key);
  const { size, md5 } = checkSignature(store, request, url, (s, m, e) =>
    objectFields(segment, s, m, type, meta, e),
  );
  let metadata: Record<string, string>;
  try {
    metadata = JSON.parse(Buffer.from(meta, 'base64url').toString('utf8')) as Record<
      string,
      string
    >;
  } catch {
    metadata = {};
  }
  const etag = await store.receiveObject(key, type, metadata, incomingBody(request, size, md5));
  return new Response(null, { status: 200, headers: { ETag: `"${etag}"` } });
}

async function getObject(
  store: LocalStorage,
  request: Request,
  url: URL,
  rest: string,
): Promise<Response> {
  const key = decodeSegment(rest);
  if (!store.publicRead || url.searchParams.has('signature')) {
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    if (!store.signer.verify(['GET', 'object', keySegment(key), expires], signature)) {
      throw new S3ErrorResponse(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    if (Date.now() / 1000 > expires)
      throw new S3ErrorResponse(403, 'AccessDenied', 'Request has expired');
  }
  const record = await store.readObject(key);
  if (!record) throw new StorageError('NoSuchKey', 'The specified key does not exist.', 404);
  const headers = new Headers({
    'Content-Type': record.contentType,
    'Content-Length': String(record.size),
    ETag: `"${record.etag}"`,
    'Last-Modified': new Date(record.lastModified).toUTCString(),
    // Stored files are user content served from the app's origin: never let them run as a page.
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  const stream = await store.openObject(key);
  return new Response(Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, {
    status: 200,
    headers,
  });
}

/**
 * Checks a signed PUT like S3 checks a presigned one: signature (over the URL's fields and the
 * Content-MD5 header), then expiry, then the signed length, then the digest's form.
 */
function checkSignature(
  store: LocalStorage,
  request: Request,
  url: URL,
  fields: (size: number, md5: string, expires: number) => (string | number)[],
): { size: number; expires: number; md5: Buffer } {
  const sizeText = url.searchParams.get('size');
  const expiresText = url.searchParams.get('expires');
  const signature = url.searchParams.get('signature');
  if (sizeText === null || expiresText === null || signature === null) {
    throw new S3ErrorResponse(
      403,
      'AccessDenied',
      'Query-string authentication requires size, expires and signature.',
    );
  }
  const size = Number(sizeText);
  const expires = Number(expiresText);
  const md5Header = request.headers.get('content-md5') ?? '';
  if (
    !Number.isSafeInteger(size) ||
    !Number.isSafeInteger(expires) ||
    !store.signer.verify(fields(size, md5Header, expires), signature)
  ) {
    throw new S3ErrorResponse(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  if (Date.now() / 1000 > expires)
    throw new S3ErrorResponse(403, 'AccessDenied', 'Request has expired');
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) !== size) {
    // The length is signed: another length is another request.
    throw new S3ErrorResponse(
      403,
      'SignatureDoesNotMatch',
      'Content-Length differs from the signed size.',
    );
  }
  const md5 = parseContentMd5(md5Header);
  if (!md5)
    throw new StorageError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400);
  return { size, expires, md5 };
}

function incomingBody(request: Request, size: number, md5: Buffer): IncomingBody {
  return { chunks: bodyChunks(request.body), size, md5 };
}

/** The body's chunks; a body cut off midway (client gone, stream failed) is a 400 IncompleteBody. */
async function* bodyChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let done = false;
  try {
    while (!done) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        done = true;
        throw new S3ErrorResponse(
          400,
          'IncompleteBody',
          'The request body ended before its signed length.',
          {
            cause: error,
          },
        );
      }
      done = next.done;
      if (next.value) yield next.value;
    }
  } finally {
    // Stopped early (too long, disk error): let the rest of the body go.
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3ErrorResponse(400, 'InvalidURI', 'Could not parse the specified URI.');
  }
}

function corsHeaders(request: Request): Headers {
  const origin = request.headers.get('origin');
  const headers = new Headers({
    'Access-Control-Allow-Origin': origin ?? '*',
    'Access-Control-Expose-Headers': 'ETag',
    'Access-Control-Allow-Methods': 'GET, HEAD, PUT, OPTIONS',
    'Access-Control-Allow-Headers':
      request.headers.get('access-control-request-headers') ?? 'Content-MD5, Content-Type',
    'Access-Control-Max-Age': '600',
  });
  if (origin) headers.set('Vary', 'Origin');
  return headers;
}

function errorResponse(error: unknown, cors: Headers): Response {
  let status = 500;
  let code = 'InternalError';
  let message = 'We encountered an internal error. Please try again.';
  if (error instanceof S3ErrorResponse) {
    ({ status, code, message } = error);
  } else if (error instanceof StorageError) {
    status = error.status ?? 500;
    code = error.code === 'Internal' ? 'InternalError' : error.code;
    message = error.message;
  } else if (error instanceof RangeError || error instanceof TypeError) {
    status = 400;
    code = 'InvalidArgument';
    message = error.message;
  }
  if (status >= 500) console.error('local storage: unexpected error', error);
  const headers = new Headers(cors);
  headers.set('Content-Type', 'application/xml');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error>`;
  return new Response(body, { status, headers });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Reads and drops what is left of a refused request's body, so the connection can be reused. */
async function drain(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  await request.body.cancel().catch(() => {});
}
