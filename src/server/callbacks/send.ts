/**
 * One HTTP POST of a callback to one URL, with node:http(s) rather than fetch: fetch may not set
 * the Host header, and only a custom lookup lets us connect to exactly the address we checked (a
 * second DNS answer could otherwise point a checked name at 127.0.0.1).
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './address.ts';

/** Largest callback answer read, as OSS limits it; a bigger one fails with too-large. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Stable reasons of a failed callback. */
export type FailureReason =
  | 'unreachable'
  | 'timeout'
  | 'http-status'
  | 'not-json'
  | 'too-large'
  | 'redirect'
  | 'refused-address'
  | 'unknown-target';

/** The outcome of one POST. */
export type SendOutcome =
  | { ok: true; httpStatus: number; body: unknown }
  | { ok: false; reason: FailureReason; message: string; httpStatus?: number };

/** What to send where. */
export interface SendRequest {
  url: URL;
  host: string | undefined;
  headers: Record<string, string>;
  body: string;
  timeout: number;
  allowPrivateAddresses: boolean;
}

class Failure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** POSTs one callback; never throws, every failure is an outcome with a reason. */
export async function send(req: SendRequest): Promise<SendOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeout);
  try {
    const addresses = await resolve(req, controller.signal);
    return await post(req, addresses, controller.signal);
  } catch (error) {
    if (error instanceof Failure) {
      const outcome: SendOutcome = { ok: false, reason: error.reason, message: error.message };
      if (error.httpStatus !== undefined) outcome.httpStatus = error.httpStatus;
      return outcome;
    }
    if (controller.signal.aborted) {
      return {
        ok: false,
        reason: 'timeout',
        message: `${req.url.host}: no answer in ${req.timeout} ms`,
      };
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return {
      ok: false,
      reason: 'unreachable',
      message: `${req.url.host}: ${code ? `${code} ` : ''}${(error as Error).message}`.trim(),
    };
  } finally {
    clearTimeout(timer);
  }
}

interface Address {
  address: string;
  family: number;
}

/** Resolves the host and refuses private addresses unless allowed; every answer must be public. */
async function resolve(req: SendRequest, signal: AbortSignal): Promise<Address[]> {
  const hostname = req.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(hostname);
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
  );
  // The timeout may fire after the lookup settled: nobody awaits this promise then.
  aborted.catch(() => {});
  const answers: Address[] = family
    ? [{ address: hostname, family }]
    : await Promise.race([lookup(hostname, { all: true, verbatim: true }), aborted]);
  if (answers.length === 0) throw new Failure('unreachable', `${hostname}: no address`);
  if (!req.allowPrivateAddresses) {
    const refused = answers.find((a) => isPrivateAddress(a.address));
    if (refused) {
      throw new Failure(
        'refused-address',
        `${hostname} resolves to ${refused.address}, a private address this target may not reach`,
      );
    }
  }
  return answers;
}

function post(req: SendRequest, addresses: Address[], signal: AbortSignal): Promise<SendOutcome> {
  const { url } = req;
  // Only the checked addresses: all of them when Node tries several (autoSelectFamily), else the first.
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const headers: Record<string, string> = {
    ...req.headers,
    'content-length': String(Buffer.byteLength(req.body)),
    accept: 'application/json',
  };
  if (req.host) headers.host = req.host;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolvePromise, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers,
        lookup: pinned,
        // A fresh connection per callback: no pooled socket outlives the call or keeps the process up.
        agent: false,
        signal,
        // Node derives TLS SNI from a Host header; the certificate must still match the URL's host.
        ...(url.protocol === 'https:' && !isIP(url.hostname) ? { servername: url.hostname } : {}),
      },
      (response) => {
        readAnswer(url, response).then(resolvePromise, reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

async function readAnswer(url: URL, response: IncomingMessage): Promise<SendOutcome> {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    response.destroy();
    const location = response.headers.location ?? '';
    throw new Failure(
      'redirect',
      `${url.host} answered ${status} ${location}; redirects are not followed`,
      status,
    );
  }
  if (status < 200 || status >= 300) {
    response.destroy();
    throw new Failure('http-status', `${url.host} answered HTTP ${status}`, status);
  }
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > MAX_RESPONSE_BYTES) {
    response.destroy();
    throw tooLarge(url, status);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_RESPONSE_BYTES) {
      response.destroy();
      throw tooLarge(url, status);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, httpStatus: status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Failure(
      'not-json',
      `${url.host} answered HTTP ${status} with a body that is not JSON`,
      status,
    );
  }
}

function tooLarge(url: URL, status: number): Failure {
  return new Failure(
    'too-large',
    `${url.host} answered more than ${MAX_RESPONSE_BYTES} bytes`,
    status,
  );
}
