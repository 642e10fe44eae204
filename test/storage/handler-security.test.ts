// Refusals through the real handler on the local adapter and on Swift s3api: bad tokens touch
// nothing, a wrong Content-MD5 never stores a part, and store failures come back as stable codes.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { classifyPut, readStoreError } from '../../src/engine/part-response.ts';
import { MiB, type SignedPart } from '../../src/protocol/index.ts';
import { TokenSigner, type UploadTokenPayload } from '../../src/server/token.ts';
import {
  bytesOf,
  md5,
  put,
  SECRET,
  startHarness,
  type Harness,
  type Json,
  type StoreKind,
} from './handler-support.ts';

function expectError(res: { status: number; body: Json }, code: string, status: number) {
  expect(res.body.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(status);
}

function decode(token: string): UploadTokenPayload {
  return JSON.parse(
    Buffer.from(token.split('.')[0]!, 'base64url').toString(),
  ) as UploadTokenPayload;
}

describe.each<StoreKind>(['local', 'swift'])('upload handler refusals on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, inject('s3'));
  });
  afterAll(() => h.close());

  /** A multipart upload with part 1 stored: the state a bad token must not change. */
  async function startedUpload() {
    const bytes = bytesOf(10 * MiB, 7);
    const { body: created } = await h.post('create', {
      fileName: 'victim.bin',
      size: bytes.length,
      contentType: '',
      partSize: 5 * MiB,
    });
    const first = bytes.slice(0, 5 * MiB);
    const second = bytes.slice(5 * MiB);
    const signed = await h.post('sign-parts', {
      token: created.token,
      parts: [{ partNumber: 1, size: first.length, contentMd5: md5(first).base64 }],
    });
    const e1 = (await put(signed.body.parts[0], first)).etag;
    return { created, first, second, e1 };
  }

  it('refuses forged, altered, expired and other users\u2019 tokens with 403 and changes nothing', async () => {
    const { created, second, e1 } = await startedUpload();
    const payload = decode(created.token);
    const [, mac] = created.token.split('.');
    const bad = {
      forged: await new TokenSigner(['an attacker secret that is long enough!!']).sign(payload),
      altered: `${Buffer.from(JSON.stringify({ ...payload, key: `${h.prefix}other` })).toString('base64url')}.${mac}`,
      expired: await new TokenSigner([SECRET]).sign({ ...payload, exp: Date.now() - 1000 }),
    };
    const before = await h.post('list-parts', { token: created.token });
    const attempts: [string, string][] = [
      [bad.forged, 'alice'],
      [bad.altered, 'alice'],
      [bad.expired, 'alice'],
      [created.token, 'mallory'],
    ];
    for (const [token, user] of attempts) {
      expectError(
        await h.post(
          'sign-parts',
          {
            token,
            parts: [{ partNumber: 2, size: second.length, contentMd5: md5(second).base64 }],
          },
          user,
        ),
        'invalid-token',
        403,
      );
      expectError(await h.post('list-parts', { token }, user), 'invalid-token', 403);
      expectError(
        await h.post(
          'complete',
          {
            token,
            parts: [
              { partNumber: 1, etag: e1 },
              { partNumber: 2, etag: e1 },
            ],
          },
          user,
        ),
        'invalid-token',
        403,
      );
      expectError(await h.post('abort', { token }, user), 'invalid-token', 403);
    }
    // The upload is untouched: still open, same parts, no object.
    expect(await h.post('list-parts', { token: created.token })).toEqual(before);
    expect(await h.storage.listUploads({ prefix: created.key })).toEqual([
      { key: created.key, uploadId: created.uploadId },
    ]);
    expect(await h.storage.headObject({ key: created.key })).toBeNull();
    await h.post('abort', { token: created.token });
  });

  it('never stores a part whose bytes differ from the signed Content-MD5', async () => {
    const { created, second } = await startedUpload();
    const signed = await h.post('sign-parts', {
      token: created.token,
      parts: [
        { partNumber: 2, size: second.length, contentMd5: md5(bytesOf(second.length, 99)).base64 },
      ],
    });
    const answer = await put(signed.body.parts[0], second);
    expect(answer.status).toBe(400);
    expect(answer.code).toBe('BadDigest');
    const listed = await h.post('list-parts', { token: created.token });
    expect(listed.body.parts.map((p: Json) => p.partNumber)).toEqual([1]);
    await h.post('abort', { token: created.token });
  });

  it('refuses a single PUT with another Content-MD5 header than the one signed', async () => {
    const bytes = bytesOf(100, 8);
    const { body: created } = await h.post('create', {
      fileName: 'a',
      size: 100,
      contentType: '',
      contentMd5: md5(bytes).base64,
    });
    const other = bytesOf(100, 9);
    const answer = await put(
      { ...created.put, headers: { ...created.put.headers, 'Content-MD5': md5(other).base64 } },
      other,
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(await h.storage.headObject({ key: created.key })).toBeNull();
    expectError(
      await h.post('complete', {
        token: created.token,
        parts: [{ partNumber: 1, etag: md5(other).hex }],
      }),
      'invalid-part',
      400,
    );
  });

  it('maps the store InvalidPart when complete names an ETag the store does not have', async () => {
    const { created, second, e1 } = await startedUpload();
    const signed = await h.post('sign-parts', {
      token: created.token,
      parts: [{ partNumber: 2, size: second.length, contentMd5: md5(second).base64 }],
    });
    expect((await put(signed.body.parts[0], second)).status).toBe(200);
    const res = await h.post('complete', {
      token: created.token,
      parts: [
        { partNumber: 1, etag: e1 },
        { partNumber: 2, etag: '0123456789abcdef0123456789abcdef' },
      ],
    });
    expectError(res, 'invalid-part', 400);
    await h.post('abort', { token: created.token });
  });

  it('answers no-such-upload for every call after abort, and abort leaves nothing', async () => {
    const { created, e1 } = await startedUpload();
    expect((await h.post('abort', { token: created.token })).body).toEqual({ aborted: true });
    expect(await h.storage.listUploads({ prefix: created.key })).toEqual([]);
    expectError(await h.post('list-parts', { token: created.token }), 'no-such-upload', 404);
    expectError(
      await h.post('complete', {
        token: created.token,
        parts: [
          { partNumber: 1, etag: e1 },
          { partNumber: 2, etag: e1 },
        ],
      }),
      'no-such-upload',
      404,
    );
    expectError(await h.post('abort', { token: created.token }), 'no-such-upload', 404);
  });

  it('refuses a part PUT after abort with 404 NoSuchUpload, signed before or after the abort', async () => {
    const { created, first, second } = await startedUpload();
    const part2 = { partNumber: 2, size: second.length, contentMd5: md5(second).base64 };
    const before = await h.post('sign-parts', { token: created.token, parts: [part2] });
    expect((await h.post('abort', { token: created.token })).body).toEqual({ aborted: true });
    // sign-parts does not ask the store (signing is local): it still answers, but the id is dead.
    const after = await h.post('sign-parts', {
      token: created.token,
      parts: [{ partNumber: 1, size: first.length, contentMd5: md5(first).base64 }, part2],
    });
    expect(after.status).toBe(200);
    const attempts: [unknown, Uint8Array<ArrayBuffer>][] = [
      [before.body.parts[0], second],
      [after.body.parts[0], first],
      [after.body.parts[1], second],
    ];
    for (const [signed, bytes] of attempts) {
      const answer = await put(signed as Parameters<typeof put>[0], bytes);
      expect(answer).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    }
    expect(await h.storage.listUploads({ prefix: created.key })).toEqual([]);
    expectError(await h.post('list-parts', { token: created.token }), 'no-such-upload', 404);
  });

  it('refuses sign-parts outside the plan before the store signs anything', async () => {
    const { created } = await startedUpload();
    const digest = md5(new Uint8Array(0)).base64;
    expectError(
      await h.post('sign-parts', {
        token: created.token,
        parts: [{ partNumber: 3, size: 1, contentMd5: digest }],
      }),
      'part-number-out-of-range',
      400,
    );
    expectError(
      await h.post('sign-parts', {
        token: created.token,
        parts: [{ partNumber: 2, size: 1, contentMd5: digest }],
      }),
      'part-size-mismatch',
      400,
    );
    expectError(
      await h.post('sign-parts', {
        token: created.token,
        parts: [{ partNumber: 2, size: 5 * MiB, contentMd5: 'x' }],
      }),
      'invalid-digest',
      400,
    );
    await h.post('abort', { token: created.token });
  });
});

describe.each<StoreKind>(['local', 'swift'])('part URLs on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, inject('s3'), { urlExpiresIn: 1 });
  });
  afterAll(() => h.close());

  it('are refused by the store once expired or tampered with (the engine reads url-expired, signature-mismatch)', async () => {
    const bytes = bytesOf(10 * MiB, 13);
    const { body: created } = await h.post('create', {
      fileName: 'late.bin',
      size: bytes.length,
      contentType: '',
      partSize: 5 * MiB,
    });
    const first = bytes.slice(0, 5 * MiB);
    // The URLs live 1 s: a tampered PUT answered after its URL expired may have been refused for the expiry
    // instead (a loaded machine took that long once: Swift said AccessDenied). Such an answer says nothing of
    // the signature check, so the URL is signed again and tampered again, until one answer comes in time.
    let part: SignedPart;
    let tampered: { status: number; code: string };
    for (let attempt = 1; ; attempt++) {
      const signed = await h.post('sign-parts', {
        token: created.token,
        parts: [{ partNumber: 1, size: first.length, contentMd5: md5(first).base64 }],
      });
      part = signed.body.parts[0] as SignedPart;
      expect(part.expiresAt).toBeLessThanOrEqual(Date.now() + 1000);
      const url = new URL(part.url);
      url.searchParams.set('partNumber', '2');
      url.pathname = url.pathname.replace(/\/1$/, '/2');
      tampered = await put({ ...part, url: url.toString() }, first);
      if (Date.now() < part.expiresAt) break;
      if (attempt === 10) throw new Error("no tampered PUT was answered within its URL's 1 s life");
    }
    expect(tampered.status).toBe(403);
    expect(readStoreError(`<Code>${tampered.code}</Code>`).code).toBe('signature-mismatch');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await fetch(part.url, { method: 'PUT', headers: part.headers, body: first });
    const body = await late.text();
    expect(late.status).toBe(403);
    expect(body).toMatch(/expired/i);
    expect(classifyPut({ status: late.status, etag: '', body }, part, md5(first)).kind).toBe(
      'expired',
    );
    expect((await h.post('list-parts', { token: created.token })).body.parts).toEqual([]);
    await h.post('abort', { token: created.token });
  });
});

describe('an unreachable store', () => {
  it('answers store-unavailable (503)', async () => {
    const s3 = inject('s3');
    // A port nothing listens on: the SDK's connection is refused.
    const h = await startHarness('swift', { ...s3, endpoint: 'http://127.0.0.1:9' });
    try {
      const res = await h.post('create', { fileName: 'a', size: 20 * MiB, contentType: '' });
      expectError(res, 'store-unavailable', 503);
    } finally {
      await h.close();
    }
  });
});
