import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import {
  CallbackVerificationError,
  verifyCallback,
  createCallbackRunner,
  verifyCallbackNode,
} from '../../src/server/callbacks/index.ts';
import { signatureHeader } from '../../src/server/callbacks/signing.ts';
import type { CallbackFacts } from '../../src/server/callbacks/types.ts';
import { createLocalStorage, createUploadHandler } from '../../src/server/index.ts';
import { asRequest, startReceiver } from '../support/callback-receiver.ts';

const SECRET = 'callback-secret-0123456789';
const OLD_SECRET = 'callback-secret-old-9876543210';
const NOW = 1_790_000_000_000;
const TS = String(NOW / 1000);
const BODY = '{"object":"uploads/a.jpg","size":3}';
const FACTS: CallbackFacts = {
  bucket: 'media',
  object: 'uploads/a1/photo.jpg',
  etag: '9e107d9d372bb6826bd81d3542a419d6',
  size: 1000,
  mimeType: 'image/jpeg',
  uploadId: '',
  parts: 1,
  principal: 'alice',
};

function signed(
  overrides: { body?: string; secret?: string; timestamp?: string; signature?: string } = {},
): Request {
  const timestamp = overrides.timestamp ?? TS;
  const signature =
    overrides.signature ?? signatureHeader(overrides.secret ?? SECRET, 'cb_1', timestamp, BODY);
  return new Request('http://app.test/callback', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': 'cb_1',
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
    },
    body: overrides.body ?? BODY,
  });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallbackVerificationError);
  return (error as CallbackVerificationError).code;
}

describe('verifyCallback', () => {
  it('accepts a correctly signed callback and parses its payload', async () => {
    const verified = await verifyCallback(signed(), SECRET, { now: NOW });
    expect(verified).toEqual({
      id: 'cb_1',
      timestamp: NOW / 1000,
      body: BODY,
      payload: { object: 'uploads/a.jpg', size: 3 },
    });
  });

  it('refuses a tampered body', async () => {
    expect(
      await refusal(verifyCallback(signed({ body: BODY.replace('3', '4') }), SECRET, { now: NOW })),
    ).toBe('bad-signature');
  });

  it('refuses a wrong secret', async () => {
    expect(await refusal(verifyCallback(signed(), 'another-secret-0123456789', { now: NOW }))).toBe(
      'bad-signature',
    );
  });

  it('refuses a replayed old timestamp and one from the future, even correctly signed', async () => {
    const old = String(NOW / 1000 - 301);
    expect(await refusal(verifyCallback(signed({ timestamp: old }), SECRET, { now: NOW }))).toBe(
      'timestamp-too-old',
    );
    const future = String(NOW / 1000 + 301);
    expect(await refusal(verifyCallback(signed({ timestamp: future }), SECRET, { now: NOW }))).toBe(
      'timestamp-too-new',
    );
    const edge = String(NOW / 1000 - 300);
    await expect(
      verifyCallback(signed({ timestamp: edge }), SECRET, { now: NOW }),
    ).resolves.toMatchObject({ id: 'cb_1' });
  });

  it('accepts any of several secrets (rotation) and any of several signatures', async () => {
    await expect(
      verifyCallback(signed({ secret: OLD_SECRET }), [SECRET, OLD_SECRET], { now: NOW }),
    ).resolves.toMatchObject({ id: 'cb_1' });
    const both = `v1,${Buffer.alloc(32).toString('base64')} ${signatureHeader(SECRET, 'cb_1', TS, BODY)}`;
    await expect(
      verifyCallback(signed({ signature: both }), SECRET, { now: NOW }),
    ).resolves.toMatchObject({ id: 'cb_1' });
  });

  it('refuses missing headers, a malformed timestamp and a signature of another scheme', async () => {
    const bare = new Request('http://app.test/', { method: 'POST', body: BODY });
    expect(await refusal(verifyCallback(bare, SECRET, { now: NOW }))).toBe('missing-headers');
    expect(await refusal(verifyCallback(signed({ timestamp: '17e8' }), SECRET, { now: NOW }))).toBe(
      'bad-timestamp',
    );
    const v2 = signatureHeader(SECRET, 'cb_1', TS, BODY).replace('v1,', 'v2,');
    expect(await refusal(verifyCallback(signed({ signature: v2 }), SECRET, { now: NOW }))).toBe(
      'bad-signature',
    );
  });

  it('accepts Standard Webhooks whsec_ secrets as their decoded bytes', async () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const whsec = `whsec_${key.toString('base64')}`;
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', key).update(`cb_1.${TS}.${BODY}`).digest('base64');
    expect(signatureHeader(whsec, 'cb_1', TS, BODY)).toBe(`v1,${expected}`);
    await expect(
      verifyCallback(signed({ signature: `v1,${expected}` }), whsec, { now: NOW }),
    ).resolves.toMatchObject({ id: 'cb_1' });
  });

  it('verifies with web APIs only: no Node Buffer, as on Workers and Deno', async () => {
    const whsec = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    // Node's own Request needs Buffer to read a body; an edge runtime's does not. This one is
    // read before Buffer goes, so only verifyCallback's code runs without it.
    const edgeRequest = async (request: Request) => {
      const bytes = new Uint8Array(await request.arrayBuffer());
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
      return { headers: request.headers, body } as unknown as Request;
    };
    const plain = await edgeRequest(signed());
    const keyed = await edgeRequest(
      signed({ signature: signatureHeader(whsec, 'cb_1', TS, BODY) }),
    );
    vi.stubGlobal('Buffer', undefined);
    try {
      await expect(verifyCallback(plain, SECRET, { now: NOW })).resolves.toMatchObject({
        payload: { object: 'uploads/a.jpg', size: 3 },
      });
      await expect(verifyCallback(keyed, whsec, { now: NOW })).resolves.toMatchObject({
        id: 'cb_1',
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps a leading BOM of the body, since the signature covers the exact bytes', async () => {
    const body = '\ufeffa=1';
    const request = new Request('http://app.test/callback', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'webhook-id': 'cb_1',
        'webhook-timestamp': TS,
        'webhook-signature': signatureHeader(SECRET, 'cb_1', TS, body),
      },
      body,
    });
    await expect(verifyCallback(request, SECRET, { now: NOW })).resolves.toMatchObject({ body });
  });

  it('stops reading a body at maxBodyBytes, before the whole of it arrived', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 64 MiB in all, made as it is read.
        if (pulled >= 64 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request('http://app.test/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
      duplex: 'half',
    } as RequestInit);
    const error = await verifyCallback(request, SECRET, { maxBodyBytes: 1024 * 1024 }).catch(
      (e: unknown) => e,
    );
    expect((error as CallbackVerificationError).code).toBe('body-too-large');
    expect(pulled).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over maxBodyBytes without reading', async () => {
    const request = new Request('http://app.test/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) },
      body: '{}',
    });
    const error = await verifyCallback(request, SECRET, { maxBodyBytes: 1024 }).catch(
      (e: unknown) => e,
    );
    expect((error as CallbackVerificationError).code).toBe('body-too-large');
  });

  it('verifies a Node IncomingMessage the same way', async () => {
    const results: unknown[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      verifyCallbackNode(request, SECRET, { now: NOW }).then(
        (verified) => {
          results.push(verified.payload);
          response.writeHead(200).end('{}');
        },
        (error: CallbackVerificationError) => {
          results.push(error.code);
          response.writeHead(401).end('{}');
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    for (const request of [signed(), signed({ body: '{"object":"other"}' })]) {
      await fetch(url, { method: 'POST', headers: request.headers, body: await request.text() });
    }
    server.close();
    expect(results).toEqual([{ object: 'uploads/a.jpg', size: 3 }, 'bad-signature']);
  });
});

describe('whsec_ secrets: the signer and the verifier read them the same way', () => {
  // 0xfb 0xef 0xbe is "++++" in base64 and "----" in base64url: a lenient decoder takes both.
  const key = new Uint8Array(24).fill(0).map((_, i) => [0xfb, 0xef, 0xbe][i % 3]!);
  const whsec = `whsec_${Buffer.from(key).toString('base64')}`;

  it('a callback the runner signs with a whsec_ secret passes verifyCallback', async () => {
    const app = await startReceiver();
    try {
      const runner = createCallbackRunner({
        targets: { app: { urls: app.url, allowPrivateAddresses: true } },
        secrets: [whsec],
        retry: { attempts: 0 },
      });
      const result = await runner.run({ target: 'app', vars: {} }, FACTS);
      expect(result).toMatchObject({ status: 'ok' });
      const got = app.received.at(-1)!;
      await expect(verifyCallback(asRequest(got), whsec)).resolves.toMatchObject({
        payload: { object: FACTS.object, size: String(FACTS.size) },
      });
      // The key is the decoded bytes, not the text of the secret.
      await expect(verifyCallback(asRequest(got), `x${whsec}`)).rejects.toMatchObject({
        code: 'bad-signature',
      });
    } finally {
      await app.close();
    }
  });

  it.each([
    ['base64url', `whsec_${Buffer.from(key).toString('base64url')}`],
    [
      'unpadded base64',
      `whsec_${Buffer.from(key.subarray(1)).toString('base64').replace(/=+$/, '')}`,
    ],
    [
      'spaces',
      `whsec_${Buffer.from(key)
        .toString('base64')
        .replace(/(.{8})/g, '$1 ')}`,
    ],
    ['characters outside base64', 'whsec_not-base64-at-all!!'],
    ['only padding after the prefix', 'whsec_'.padEnd(16, '=')],
  ])(
    'refuses a whsec_ secret in %s with a TypeError, in the handler and in the verifier',
    async (_name, bad) => {
      expect(() =>
        createUploadHandler({
          storage: createLocalStorage({
            root: '/nonexistent',
            secret: 'local-store-secret-0123456789',
          }),
          tokenSecret: 'handler-token-secret-of-32-characters!!',
          callbacks: { targets: { app: { urls: 'https://app.example.com/cb' } }, secrets: [bad] },
        }),
      ).toThrow(TypeError);
      expect(() => signatureHeader(bad, 'cb_1', TS, BODY)).toThrow(TypeError);
      await expect(verifyCallback(signed(), [SECRET, bad], { now: NOW })).rejects.toThrow(
        TypeError,
      );
    },
  );
});
