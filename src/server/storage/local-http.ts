import { Readable } from 'node:stream';
import { isPartNumber, MAX_PARTS } from '../../protocol/index.ts';
import type { IncomingBody } from './local-files.ts';
import { isUploadId } from './local-paths.ts';
import { keySegment, objectFields, partFields } from './local-signing.ts';
import { parseContentMd5 } from './md5.ts';
import { STORAGE_ERRORS, storageError } from './s3-errors.ts';
import { StorageError, type ObjectInfo } from './types.ts';

/** What the local store hands to its HTTP side: no more than serving its URLs needs. */
export interface LocalHttpStore {
  /** GET of an object needs no signature. */
  readonly publicRead: boolean;
  /** Constant-time check of a URL's signature over its fields. */
  verify(fields: readonly (string | number)[], signature: string): boolean;
  /** Stores a part from a checked PUT; resolves with its MD5 in hex (NoSuchUpload, BadDigest). */
  receivePart(uploadId: string, partNumber: number, body: IncomingBody): Promise<string>;
  /** Stores a whole object from a checked PUT; resolves with its MD5 in hex (BadDigest). */
  receiveObject(
    key: string,
    contentType: string,
    metadata: Record<string, string>,
    body: IncomingBody,
  ): Promise<string>;
  /** An object's facts, or null. */
  headObject(key: string): Promise<ObjectInfo | null>;
  /** A stream of an object's bytes (NoSuchKey). */
  openObject(key: string): Promise<Readable>;
}

// S3's message for an expired presigned URL (its code is AccessDenied).
const EXPIRED = 'Request has expired';
const LOCAL_PATH = /\/_local\/(uploads|objects)\/(.*)$/;

/**
 * Serves the local store's URLs: PUT of a signed part, PUT of a signed whole object, GET/HEAD of
 * objects, and CORS preflights for all of them. Every answer, errors included, carries CORS headers,
 * because a browser shows an error without them only as "Failed to fetch".
 */
export async function handleLocalRequest(
  store: LocalHttpStore,
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
      throw storageError('MethodNotAllowed');
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
  store: LocalHttpStore,
  request: Request,
  url: URL,
  rest: string,
): Promise<Response> {
  const parts = rest.split('/');
  const [uploadId = '', partText = ''] = parts;
  if (parts.length !== 2 || !isUploadId(uploadId)) throw storageError('NoSuchUpload');
  // Digits only: the signature covers the number, so "1e3" must not pass for 1000.
  const partNumber = /^[1-9]\d*$/.test(partText) ? Number(partText) : Number.NaN;
  if (!isPartNumber(partNumber)) {
    throw storageError(
      'InvalidArgument',
      `Part number must be an integer between 1 and ${MAX_PARTS}.`,
    );
  }
  const { size, md5 } = checkSignature(store, request, url, (s, m, e) =>
    partFields(uploadId, partNumber, s, m, e),
  );
  const body = incomingBody(request, size, md5);
  const etag = await store.receivePart(uploadId, partNumber, body);
  return new Response(null, { status: 200, headers: { ETag: `"${etag}"` } });
}

async function putObject(
  store: LocalHttpStore,
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
  store: LocalHttpStore,
  request: Request,
  url: URL,
  rest: string,
): Promise<Response> {
  const key = decodeSegment(rest);
  if (!store.publicRead || url.searchParams.has('signature')) {
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    if (!store.verify(['GET', 'object', keySegment(key), expires], signature)) {
      throw storageError('SignatureDoesNotMatch');
    }
    if (Date.now() / 1000 > expires) throw storageError('AccessDenied', EXPIRED);
  }
  const record = await store.headObject(key);
  if (!record) throw storageError('NoSuchKey');
  const headers = new Headers({
    'Content-Type': record.contentType,
    'Content-Length': String(record.size),
    ETag: `"${record.etag}"`,
    'Last-Modified': record.lastModified.toUTCString(),
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
  store: LocalHttpStore,
  request: Request,
  url: URL,
  fields: (size: number, md5: string, expires: number) => (string | number)[],
): { size: number; expires: number; md5: Buffer } {
  const sizeText = url.searchParams.get('size');
  const expiresText = url.searchParams.get('expires');
  const signature = url.searchParams.get('signature');
  if (sizeText === null || expiresText === null || signature === null) {
    throw storageError(
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
    !store.verify(fields(size, md5Header, expires), signature)
  ) {
    throw storageError('SignatureDoesNotMatch');
  }
  if (Date.now() / 1000 > expires) throw storageError('AccessDenied', EXPIRED);
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) !== size) {
    // The length is signed: another length is another request.
    throw storageError('SignatureDoesNotMatch', 'Content-Length differs from the signed size.');
  }
  const md5 = parseContentMd5(md5Header);
  if (!md5) throw storageError('InvalidDigest');
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
        throw storageError('IncompleteBody', undefined, { cause: error });
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
    throw storageError('InvalidURI');
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
  let { status, message } = STORAGE_ERRORS.Internal;
  let code = 'InternalError';
  if (error instanceof StorageError) {
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
