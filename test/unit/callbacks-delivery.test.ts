import { afterEach, describe, expect, it } from 'vitest';
import {
  createCallbackRunner,
  verifyCallback,
  type CallbackConfig,
  type CallbackFacts,
  type CallbackTargetConfig,
} from '../../src/server/callbacks/index.ts';
import {
  asRequest,
  closedPortUrl,
  startReceiver,
  type Receiver,
} from '../support/callback-receiver.ts';

const SECRET = 'callback-secret-0123456789';
const FACTS: CallbackFacts = {
  bucket: 'media',
  object: 'uploads/a1/holiday photo&co.jpg',
  etag: '9e107d9d372bb6826bd81d3542a419d6-3',
  size: 15_728_640,
  mimeType: 'image/jpeg',
  uploadId: 'up-123',
  parts: 3,
  contentMd5: 'nhB9nTcrtoJr2B0dNUIZ1g==',
  principal: 'alice@example.com',
};
const EVERY_VAR =
  'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}' +
  '&uploadId=${uploadId}&parts=${parts}&contentMd5=${contentMd5}&principal=${principal}' +
  '&album=${x:album}';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

function runnerFor(target: CallbackTargetConfig, extra: Partial<CallbackConfig> = {}) {
  const runner = createCallbackRunner({
    targets: { app: { allowPrivateAddresses: true, ...target } },
    secrets: [SECRET],
    retry: { attempts: 0 },
    ...extra,
  });
  return runner;
}

describe('callback delivery to a real receiver', () => {
  it('posts a signed form body with every variable URL-encoded', async () => {
    const app = await receiver();
    const runner = runnerFor({
      urls: `${app.url}/hook`,
      body: EVERY_VAR,
      vars: { 'x:album': { maxLength: 64 } },
    });
    const choice = runner.validate({ target: 'app', vars: { 'x:album': 'Summer & "sun"=1' } });
    const result = await runner.run(choice, FACTS);

    expect(result).toEqual({ status: 'ok', httpStatus: 200, body: { ok: true } });
    expect(app.received).toHaveLength(1);
    const got = app.received[0]!;
    expect(got.path).toBe('/hook');
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const verified = await verifyCallback(asRequest(got), SECRET);
    expect(verified.id).toMatch(/^cb_/);
    expect(verified.payload).toEqual({
      bucket: 'media',
      object: 'uploads/a1/holiday photo&co.jpg',
      etag: '9e107d9d372bb6826bd81d3542a419d6-3',
      size: '15728640',
      mimeType: 'image/jpeg',
      uploadId: 'up-123',
      parts: '3',
      contentMd5: 'nhB9nTcrtoJr2B0dNUIZ1g==',
      principal: 'alice@example.com',
      album: 'Summer & "sun"=1',
    });
  });

  it('posts a JSON body whose values cannot break out of their strings', async () => {
    const app = await receiver();
    const runner = runnerFor({
      urls: app.url,
      bodyType: 'json',
      body: JSON.stringify({
        object: '${object}',
        size: '${size}',
        parts: '${parts}',
        where: 's3://${bucket}/${object}',
        meta: { etag: '${etag}', md5: '${contentMd5}', type: '${mimeType}' },
        ids: ['${uploadId}', '${principal}'],
        note: '${x:note}',
        fixed: true,
      }),
      vars: { 'x:note': {} },
    });
    const note = '", "admin": true, "x": "\\u0000</script>';
    const result = await runner.run(
      runner.validate({ target: 'app', vars: { 'x:note': note } }),
      FACTS,
    );

    expect(result.status).toBe('ok');
    const got = app.received[0]!;
    expect(got.headers['content-type']).toBe('application/json');
    const { payload } = await verifyCallback(asRequest(got), SECRET);
    expect(payload).toEqual({
      object: FACTS.object,
      size: 15_728_640,
      parts: 3,
      where: `s3://media/${FACTS.object}`,
      meta: { etag: FACTS.etag, md5: FACTS.contentMd5, type: 'image/jpeg' },
      ids: ['up-123', 'alice@example.com'],
      note,
      fixed: true,
    });
  });

  it('renders an unknown contentMd5 and an unset x: variable as empty strings', async () => {
    const app = await receiver();
    const runner = runnerFor({
      urls: app.url,
      body: 'md5=${contentMd5}&album=${x:album}',
      vars: { 'x:album': {} },
    });
    const facts: CallbackFacts = { ...FACTS };
    delete facts.contentMd5;
    await runner.run(runner.validate({ target: 'app' }), facts);
    expect(app.received[0]!.body).toBe('md5=&album=');
  });

  it('reaches a host name that resolves to loopback when the target allows it', async () => {
    const app = await receiver();
    const runner = runnerFor({ urls: `http://localhost:${new URL(app.url).port}/by-name` });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result.status).toBe('ok');
    expect(app.received[0]?.path).toBe('/by-name');
  });

  it('sends the configured Host header', async () => {
    const app = await receiver();
    const runner = runnerFor({ urls: app.url, host: 'callbacks.example.com' });
    await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(app.received[0]!.headers.host).toBe('callbacks.example.com');
  });

  it('tries the next URL when the first is down', async () => {
    const down = await closedPortUrl();
    const app = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"second":true}');
    });
    const runner = runnerFor({ urls: [down, app.url] });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toEqual({ status: 'ok', httpStatus: 200, body: { second: true } });
    expect(app.received).toHaveLength(1);
  });

  it('fails with unreachable when every URL is down, and queues the failure', async () => {
    const runner = runnerFor({ urls: [await closedPortUrl(), await closedPortUrl()] });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toMatchObject({ status: 'failed', reason: 'unreachable' });
    expect((await runner.pending()).map((p) => p.id)).toEqual([
      result.status === 'failed' && result.id,
    ]);
  });

  it('fails with timeout when the receiver does not answer in time', async () => {
    const app = await receiver(() => {
      // Never answers; close() drops the connection.
    });
    const runner = runnerFor({ urls: app.url, timeout: 300 });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toMatchObject({ status: 'failed', reason: 'timeout' });
    expect(app.received).toHaveLength(1);
  });

  it('fails with http-status on a 500', async () => {
    const app = await receiver((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"db down"}');
    });
    const runner = runnerFor({ urls: app.url });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toMatchObject({ status: 'failed', reason: 'http-status', httpStatus: 500 });
    // The browser's copy names no host; the server's queue keeps the details.
    expect(result.status === 'failed' && result.message).not.toContain('127.0.0.1');
    expect((await runner.pending())[0]?.lastError.message).toContain(new URL(app.url).host);
  });

  it('fails with not-json when the answer is not JSON', async () => {
    const app = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>thanks</html>');
    });
    const runner = runnerFor({ urls: app.url });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toMatchObject({ status: 'failed', reason: 'not-json', httpStatus: 200 });
  });

  it('fails with too-large when the answer passes 1 MB, declared or streamed', async () => {
    const big = `"${'a'.repeat(1024 * 1024 + 10)}"`;
    const declared = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(big);
    });
    const streamed = await receiver((_req, res) => {
      // Chunked, no Content-Length: the limit must hold while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(big.slice(0, 600_000));
      res.end(big.slice(600_000));
    });
    for (const app of [declared, streamed]) {
      const runner = runnerFor({ urls: app.url });
      const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
      expect(result).toMatchObject({ status: 'failed', reason: 'too-large' });
    }
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await receiver();
    const app = await receiver((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal` }).end();
    });
    const runner = runnerFor({ urls: app.url });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toMatchObject({ status: 'failed', reason: 'redirect', httpStatus: 302 });
    expect(app.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('refuses loopback unless the target allows private addresses', async () => {
    const app = await receiver();
    const port = new URL(app.url).port;
    for (const url of [app.url, `http://localhost:${port}`, `http://[::ffff:127.0.0.1]:${port}`]) {
      const runner = runnerFor({ urls: url, allowPrivateAddresses: false });
      const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
      expect(result).toMatchObject({ status: 'failed', reason: 'refused-address' });
    }
    expect(app.received).toHaveLength(0);
  });

  it('keeps the same webhook-id across retries of one callback', async () => {
    let calls = 0;
    const app = await receiver((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const runner = runnerFor({ urls: app.url });
    const first = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(first.status).toBe('failed');
    const second = await runner.retry(first.status === 'failed' ? first.id : '');
    expect(second).toEqual({ status: 'ok', httpStatus: 200, body: {} });
    expect(app.received.map((r) => r.headers['webhook-id'])).toEqual([
      first.status === 'failed' && first.id,
      first.status === 'failed' && first.id,
    ]);
    expect(await runner.pending()).toEqual([]);
  });
});
