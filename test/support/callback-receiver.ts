/** A real HTTP receiver on 127.0.0.1 for callback tests: records every request, answers as told. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedCallback {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a request; default 200 with `{"ok":true}`. */
export type Answer = (request: ReceivedCallback, response: ServerResponse) => void;

/** A running receiver. */
export interface Receiver {
  url: string;
  received: ReceivedCallback[];
  answer: Answer;
  /** Resolves with the next request (or the n-th overall, counting from 1). */
  nextRequest(): Promise<ReceivedCallback>;
  close(): Promise<void>;
}

const okJson: Answer = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

/** Starts a receiver on 127.0.0.1 and an ephemeral port (or `port`: a receiver coming back). */
export async function startReceiver(answer: Answer = okJson, port = 0): Promise<Receiver> {
  const waiting: ((request: ReceivedCallback) => void)[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    answer,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got: ReceivedCallback = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.received.push(got);
      receiver.answer(got, response);
      waiting.shift()?.(got);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** A port on 127.0.0.1 where nothing listens (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Rebuilds a received callback as a web Request, as a receiving application would see it. */
export function asRequest(got: ReceivedCallback): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(got.headers)) {
    if (
      value !== undefined &&
      name !== 'host' &&
      name !== 'connection' &&
      name !== 'content-length'
    ) {
      headers.set(name, Array.isArray(value) ? value.join(' ') : value);
    }
  }
  return new Request('http://receiver.test/callback', { method: 'POST', headers, body: got.body });
}
