/**
 * For the application that receives callbacks: checks the Standard Webhooks signature of a request
 * against every secret (rotation) in constant time and refuses stale or future timestamps (replays).
 * Web APIs only (WebCrypto, whose HMAC verify is constant time, TextEncoder, atob), so
 * verifyCallback also runs in edge runtimes; the node:http import is a type.
 */
import type { IncomingMessage } from 'node:http';
import { secretKey } from './secret.ts';

/** Why a callback request was refused. */
export type CallbackVerificationCode =
  | 'missing-headers'
  | 'bad-timestamp'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'bad-signature'
  | 'body-too-large'
  | 'bad-payload';

/** A refused callback request, with a stable code. */
export class CallbackVerificationError extends Error {
  override name = 'CallbackVerificationError';
  constructor(
    readonly code: CallbackVerificationCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of verifyCallback. */
export interface VerifyOptions {
  /** Largest accepted distance between the timestamp and now, in seconds; default 300. */
  toleranceSeconds?: number;
  /** The current time in epoch milliseconds (tests); default Date.now(). */
  now?: number;
  /** Largest body read, in bytes; default 1 MiB. */
  maxBodyBytes?: number;
}

/** A verified callback: the raw body and its parsed payload (JSON, or form fields as an object). */
export interface VerifiedCallback {
  id: string;
  /** Epoch seconds, as sent. */
  timestamp: number;
  body: string;
  payload: unknown;
}

type HeaderGetter = (name: string) => string | null | undefined;

// ignoreBOM keeps a leading U+FEFF: the signature covers the body's exact bytes.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Verifies a web-standard Request (reads its body); throws CallbackVerificationError. */
export async function verifyCallback(
  request: Request,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<VerifiedCallback> {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const body = await readLimited(request, limit);
  return verifyParts((name) => request.headers.get(name), utf8.decode(body), secrets, options);
}

/** The body's bytes, reading no more than `limit` + one chunk: a huge body is refused as it streams. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new CallbackVerificationError('body-too-large', 'body too large');
  if (Number(request.headers.get('content-length') ?? 0) > limit) {
    await request.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return concat(chunks, total);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The same check for a Node IncomingMessage (plain node:http or Express without a body parser). */
export async function verifyCallbackNode(
  request: IncomingMessage,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<VerifiedCallback> {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > limit) throw new CallbackVerificationError('body-too-large', 'body too large');
    chunks.push(chunk);
  }
  const body = concat(chunks, total);
  const header: HeaderGetter = (name) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  return verifyParts(header, utf8.decode(body), secrets, options);
}

async function verifyParts(
  header: HeaderGetter,
  body: string,
  secrets: string | readonly string[],
  options: VerifyOptions,
): Promise<VerifiedCallback> {
  // A bad secret is the application's mistake, whatever the request: a TypeError, before anything.
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== 'string' || !s)) {
    throw new TypeError('verifyCallback: secrets must be one or more non-empty strings');
  }
  const keys = list.map((secret: string) => {
    try {
      return secretKey(secret);
    } catch (error) {
      throw new TypeError(`verifyCallback: ${(error as Error).message}`, { cause: error });
    }
  });
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestampText || !signatures) {
    throw new CallbackVerificationError(
      'missing-headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    throw new CallbackVerificationError('bad-timestamp', 'webhook-timestamp must be epoch seconds');
  }
  const timestamp = Number(timestampText);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (timestamp < now - tolerance) {
    throw new CallbackVerificationError('timestamp-too-old', 'the callback is too old (replay?)');
  }
  if (timestamp > now + tolerance) {
    throw new CallbackVerificationError('timestamp-too-new', 'the callback is dated in the future');
  }
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    // A handful of signatures is rotation; hundreds would only be a way to make us work.
    .slice(0, 8)
    .map((s) => fromBase64(s.slice(3)))
    .filter((s) => s !== undefined);
  const data = new TextEncoder().encode(`${id}.${timestampText}.${body}`);
  let match = false;
  for (const bytes of keys) {
    const key = await crypto.subtle.importKey(
      'raw',
      bytes,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    for (const signature of given) {
      // Every comparison runs: how far the loop got does not reveal which secret matched.
      if (await crypto.subtle.verify('HMAC', key, signature, data)) match = true;
    }
  }
  if (!match) throw new CallbackVerificationError('bad-signature', 'no signature matches');
  return { id, timestamp, body, payload: parsePayload(header('content-type'), body) };
}

function parsePayload(contentType: string | null | undefined, body: string): unknown {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new CallbackVerificationError('bad-payload', 'the signed body is not JSON');
  }
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
