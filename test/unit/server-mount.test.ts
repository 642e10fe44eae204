// The README's mounting recipes, run: the handler behind Node's http server (as Express and Fastify
// get it, through @hono/node-server's getRequestListener) and inside a Hono app.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createUploadHandler } from '../../src/server/index.ts';
import { FakeStorage } from './server-fake-storage.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const body = JSON.stringify({ fileName: 'a.txt', size: 3, contentType: 'text/plain' });
const json = { 'content-type': 'application/json' };

describe('mounting the handler', () => {
  it('answers through a Node http server with getRequestListener', async () => {
    const handler = createUploadHandler({ storage: new FakeStorage(), tokenSecret: SECRET });
    const server = createServer(getRequestListener(handler)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/upload/create`, {
        method: 'POST',
        headers: json,
        body,
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { mode: string }).mode).toBe('single');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers inside a Hono app', async () => {
    const handler = createUploadHandler({ storage: new FakeStorage(), tokenSecret: SECRET });
    const app = new Hono();
    app.all('/api/upload/*', (c) => handler(c.req.raw));
    app.get('/', (c) => c.text('home'));
    const res = await app.request('/api/upload/create', { method: 'POST', headers: json, body });
    expect(res.status).toBe(200);
    expect(await (await app.request('/')).text()).toBe('home');
  });
});
