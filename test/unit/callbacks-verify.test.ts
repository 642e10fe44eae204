import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  CallbackVerificationError,
  verifyCallback,
  verifyCallbackNode,
} from '../../src/server/callbacks/index.ts';
import { signatureHeader } from '../../src/server/callbacks/signing.ts';

const SECRET = 'callback-secret-0123456789';
const OLD_SECRET = 'callback-secret-old-9876543210';
const NOW = 1_790_000_000_000;
const TS = String(NOW / 1000);
const BODY = '{"object":"uploads/a.jpg","size":3}';

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
    ).resolves.toBeTruthy();
  });

  it('accepts any of several secrets (rotation) and any of several signatures', async () => {
    await expect(
      verifyCallback(signed({ secret: OLD_SECRET }), [SECRET, OLD_SECRET], { now: NOW }),
    ).resolves.toMatchObject({ id: 'cb_1' });
    const both = `v1,${Buffer.alloc(32).toString('base64')} ${signatureHeader(SECRET, 'cb_1', TS, BODY)}`;
    await expect(
      verifyCallback(signed({ signature: both }), SECRET, { now: NOW }),
    ).resolves.toBeTruthy();
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
    ).resolves.toBeTruthy();
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
