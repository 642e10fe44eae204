import { describe, expect, it } from 'vitest';
import { RetryBudget, backoffDelay, withRetry } from '../../src/engine/retry.ts';
import { classifyPut, readStoreError } from '../../src/engine/part-response.ts';
import { ByteCounter } from '../../src/engine/progress.ts';
import { resolveOptions, accepts } from '../../src/engine/options.ts';
import { EngineError, parseRetryAfter } from '../../src/engine/errors.ts';
import { Uploader } from '../../src/engine/uploader.ts';
import { createBackendClient } from '../../src/engine/backend-client.ts';
import { trustedParts } from '../../src/engine/records.ts';
import type { UploadRecord } from '../../src/engine/ports.ts';
import { md5Of, rig } from './engine-fakes.ts';

const policy = { retries: 4, baseDelay: 100, maxDelay: 1000, maxElapsed: 60_000 };

describe('backoff', () => {
  it('stays within [0, min(maxDelay, base * 2^attempt)] (full jitter)', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** attempt);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(0);
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBeLessThan(ceiling);
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBeGreaterThanOrEqual(ceiling - 1);
    }
  });

  it('gives up after `retries` attempts', () => {
    const budget = new RetryBudget(
      policy,
      () => 0,
      () => 0.5,
    );
    const delays = Array.from({ length: 6 }, () => budget.next());
    expect(delays.slice(0, 4).every((d) => typeof d === 'number')).toBe(true);
    expect(delays[4]).toBeNull();
    expect(delays[5]).toBeNull();
  });

  it('gives up when the elapsed time would pass maxElapsed', () => {
    let now = 0;
    const budget = new RetryBudget(
      { ...policy, retries: 100, maxElapsed: 5000 },
      () => now,
      () => 0.5,
    );
    expect(budget.next()).not.toBeNull();
    now = 4990;
    expect(budget.next()).toBeNull();
  });

  it('retries retryable errors and stops on others', async () => {
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw new EngineError('store-unavailable', 'busy', { status: 503 });
        return 'ok';
      },
      { retries: 5, baseDelay: 1, maxDelay: 2, maxElapsed: 1000 },
    );
    expect([value, calls]).toEqual(['ok', 3]);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new EngineError('invalid-token', 'no', { status: 403 });
        },
        { retries: 5, baseDelay: 1, maxDelay: 2, maxElapsed: 1000 },
      ),
    ).rejects.toMatchObject({ code: 'invalid-token' });
    expect(calls).toBe(1);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });

  it('waits as long as the server asked before the next attempt, up to maxDelay', async () => {
    const policy = { retries: 3, baseDelay: 1, maxDelay: 400, maxElapsed: 10_000 };
    const throttled = (retryAfter: number) =>
      new EngineError('unknown-error', 'too many', { status: 429, retryAfter });
    const timeOf = async (retryAfter: number) => {
      let calls = 0;
      const started = performance.now();
      await withRetry(async () => {
        if (++calls === 1) throw throttled(retryAfter);
        return 'ok';
      }, policy);
      return performance.now() - started;
    };
    expect(await timeOf(150)).toBeGreaterThanOrEqual(145);
    // A server asking for an hour is capped at maxDelay, not obeyed to the letter.
    const capped = await timeOf(3_600_000);
    expect(capped).toBeGreaterThanOrEqual(395);
    expect(capped).toBeLessThan(3000);
  });

  it('is read from a handler answer into the EngineError', async () => {
    const client = createBackendClient({
      endpoint: '/api',
      fetch: async () =>
        new Response(JSON.stringify({ error: { code: 'slow-down', message: 'wait' } }), {
          status: 429,
          headers: { 'retry-after': '2' },
        }),
    });
    await expect(client.signParts({ token: 't', parts: [] })).rejects.toMatchObject({
      code: 'slow-down',
      status: 429,
      retryAfter: 2000,
    });
  });
});

describe('PUT answers', () => {
  const part = {
    partNumber: 3,
    url: 'https://s/x',
    method: 'PUT' as const,
    headers: {},
    expiresAt: Date.now() + 60_000,
  };
  const md5 = md5Of(new Uint8Array([1, 2, 3]));
  const xml = (code: string, message: string) =>
    `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

  it('reads S3 XML and handler JSON errors', () => {
    expect(readStoreError(xml('BadDigest', 'nope'))).toEqual({
      code: 'bad-digest',
      message: 'nope',
    });
    expect(readStoreError('{"error":{"code":"url-expired","message":"late"}}')).toEqual({
      code: 'url-expired',
      message: 'late',
    });
  });

  it('sorts answers into ok, expired, bad digest, gone, retry and fail', () => {
    const answer = (status: number, body = '', etag = '') =>
      classifyPut({ status, body, etag }, part, md5).kind;
    expect(answer(200, '', md5.hex)).toBe('ok');
    expect(answer(200, '', '0123456789abcdef0123456789abcdef')).toBe('retry');
    expect(answer(200, '', 'not-an-md5-etag-1')).toBe('ok');
    expect(answer(403, xml('AccessDenied', 'Request has expired'))).toBe('expired');
    expect(answer(403, xml('SignatureDoesNotMatch', 'sig'))).toBe('fail');
    expect(answer(400, xml('BadDigest', 'x'))).toBe('bad-digest');
    expect(answer(404, xml('NoSuchUpload', 'x'))).toBe('gone');
    for (const status of [408, 429, 500, 502, 503]) expect(answer(status)).toBe('retry');
    expect(answer(400, xml('InvalidArgument', 'x'))).toBe('fail');
  });

  it('treats a 403 after the URL’s own expiry as expired even without a body', () => {
    const late = { ...part, expiresAt: Date.now() - 1 };
    expect(classifyPut({ status: 403, body: '', etag: '' }, late, md5).kind).toBe('expired');
  });

  it('asks to slow the queue on 429 only', () => {
    const r = classifyPut({ status: 429, body: '', etag: '' }, part, md5);
    expect(r.kind === 'retry' && r.slowDown).toBe(true);
    const s = classifyPut({ status: 500, body: '', etag: '' }, part, md5);
    expect(s.kind === 'retry' && s.slowDown).toBe(false);
  });
});

describe('progress bytes', () => {
  it('never go backwards when a part in flight fails', () => {
    const bytes = new ByteCounter(100);
    bytes.progress(1, 30, 50);
    bytes.progress(2, 20, 50);
    expect(bytes.value).toBe(50);
    bytes.drop(2);
    expect(bytes.value).toBe(50);
    bytes.confirm(1, 50);
    expect(bytes.value).toBe(50);
    bytes.progress(2, 10, 50);
    expect(bytes.value).toBe(60);
    bytes.progress(2, 500, 50);
    expect(bytes.value).toBe(100);
  });
});

describe('options', () => {
  const backend = rig().backend;
  const bad: unknown[] = [
    null,
    {},
    { endpoint: '' },
    { endpoint: '/api', concurrency: 0 },
    { endpoint: '/api', concurrency: 2.5 },
    { endpoint: '/api', partSize: 1024 },
    { endpoint: '/api', retry: { retries: -1 } },
    { endpoint: '/api', metadata: { a: 1 } },
    { endpoint: '/api', callback: { target: '' } },
    { endpoint: '/api', onUploadGone: 'maybe' },
    { endpoint: '/api', hasher: 'sha1' },
    { endpoint: '/api', autoStart: 'yes' },
    { backend: { createUpload() {} } },
  ];
  it.each(bad.map((o) => [JSON.stringify(o), o]))('rejects %s with a TypeError', (_, options) => {
    expect(() => resolveOptions(options)).toThrow(TypeError);
  });

  it('throws the TypeError from the constructor at once', () => {
    const r = rig();
    expect(() => new Uploader({ ...r.init(), concurrency: -1 })).toThrow(TypeError);
  });

  it('fills in the defaults', () => {
    const o = resolveOptions({ backend });
    expect(o).toMatchObject({
      concurrency: 4,
      hashWindow: 68,
      onUploadGone: 'restart',
      persist: true,
      autoStart: true,
    });
    expect(o.retry).toEqual({ retries: 5, baseDelay: 500, maxDelay: 20_000, maxElapsed: 120_000 });
  });

  it('matches accept lists like <input accept>', () => {
    expect(accepts('.png,image/jpeg', { name: 'a.PNG', type: '' })).toBe(true);
    expect(accepts('image/*', { name: 'a', type: 'image/webp' })).toBe(true);
    expect(accepts('image/*', { name: 'a.txt', type: 'text/plain' })).toBe(false);
    expect(accepts('', { name: 'a.txt', type: 'text/plain' })).toBe(true);
  });
});

describe('backend client', () => {
  it('posts JSON to endpoint/route and reads {error:{code,message}} into an EngineError', async () => {
    const seen: { url: string; body: string; auth: string | null }[] = [];
    const client = createBackendClient({
      endpoint: '/api/upload/',
      headers: { authorization: 'Bearer x' },
      fetch: async (input, init) => {
        seen.push({
          url: String(input),
          body: String(init?.body),
          auth: new Headers(init?.headers).get('authorization'),
        });
        return new Response(
          JSON.stringify({ error: { code: 'invalid-token', message: 'bad token' } }),
          {
            status: 403,
          },
        );
      },
    });
    const error = await client.listParts({ token: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({
      code: 'invalid-token',
      status: 403,
      request: { url: '/api/upload/list-parts' },
    });
    expect(seen).toEqual([
      { url: '/api/upload/list-parts', body: '{"token":"t"}', auth: 'Bearer x' },
    ]);
  });

  it('turns a call with no answer into a retryable network error after its timeout', async () => {
    const client = createBackendClient({
      endpoint: '/api',
      timeout: 20,
      fetch: (_input, init) =>
        new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    });
    await expect(client.abortUpload({ token: 't' })).rejects.toMatchObject({ code: 'network' });
  });
});

describe('resume trust', () => {
  it('keeps only recorded parts the store lists with the same size and ETag', () => {
    const MiB5 = 5 * 1024 * 1024;
    const part = (partNumber: number, size: number, etag: string) => ({
      partNumber,
      size,
      md5: 'x',
      etag,
    });
    const record = {
      size: 3 * MiB5 + 10,
      partSize: MiB5,
      partCount: 4,
      parts: [part(1, MiB5, 'aa'), part(2, MiB5, 'bb'), part(3, MiB5, 'cc'), part(4, 10, 'dd')],
    } as unknown as UploadRecord;
    const stored = [
      { partNumber: 1, size: MiB5, etag: '"AA"' }, // same ETag, quoted and upper case
      { partNumber: 2, size: MiB5, etag: 'other' }, // re-uploaded by someone else
      { partNumber: 4, size: 9, etag: 'dd' }, // wrong size
    ];
    expect(trustedParts(record, stored).map((p) => p.partNumber)).toEqual([1]);
  });

  it('also keeps parts the store holds that the record missed, when their ETag is an MD5, to be checked', () => {
    const MiB5 = 5 * 1024 * 1024;
    const record = {
      size: 3 * MiB5,
      partSize: MiB5,
      partCount: 3,
      parts: [{ partNumber: 1, size: MiB5, md5: 'x', etag: 'aa' }],
    } as unknown as UploadRecord;
    const md5Hex = '0123456789abcdef0123456789abcdef';
    const stored = [
      { partNumber: 1, size: MiB5, etag: 'aa' },
      // Stored, but the page closed before the record was written: its ETag is the part's MD5.
      { partNumber: 2, size: MiB5, etag: `"${md5Hex}"` },
      // Not an MD5 (a store that encrypts, say): nothing to check it against, so it is sent again.
      { partNumber: 3, size: MiB5, etag: 'abc-1' },
    ];
    const trusted = trustedParts(record, stored);
    expect(trusted.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(trusted[1]).toEqual({
      partNumber: 2,
      size: MiB5,
      etag: md5Hex,
      md5: Buffer.from(md5Hex, 'hex').toString('base64'),
    });
    // A listed part of the wrong size for the plan is not trusted either.
    expect(trustedParts(record, [{ partNumber: 3, size: 1, etag: md5Hex }])).toEqual([]);
  });
});
