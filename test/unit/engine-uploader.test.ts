import { afterEach, describe, expect, it } from 'vitest';
import { Uploader } from '../../src/engine/uploader.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { withRelativePath } from '../../src/engine/records.ts';
import type { UploaderEventMap } from '../../src/engine/types.ts';
import type { UploadRecord } from '../../src/engine/ports.ts';
import { makeFile, md5Of, nextEvent, rig, type FakeRequest, type Rig } from './engine-fakes.ts';

const MiB = 1024 * 1024;
const xml = (code: string, message: string) =>
  `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
const made: Uploader[] = [];

function uploader(r: Rig, extra = {}): Uploader {
  const u = new Uploader(r.init(extra));
  made.push(u);
  return u;
}

afterEach(() => {
  for (const u of made.splice(0)) u.destroy();
});

/** Collects every detail of the named events. */
function record<K extends keyof UploaderEventMap>(u: Uploader, ...names: K[]) {
  const seen: { name: K; detail: UploaderEventMap[K] }[] = [];
  for (const name of names)
    u.addEventListener(name, (e) => seen.push({ name, detail: (e as CustomEvent).detail }));
  return seen;
}

async function sliceMd5(file: File, start: number, end: number) {
  return md5Of(new Uint8Array(await file.slice(start, end).arrayBuffer())).hex;
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('Uploader with fakes', () => {
  it('uploads a file in parts and completes with every part’s ETag in order', async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    const u = uploader(r);
    const file = makeFile(2 * 5 * MiB + 3);
    const done = nextEvent<UploaderEventMap['upload-success']>(u, 'upload-success');
    u.add([file]);
    const { upload } = await done;
    expect(upload.phase).toBe('done');
    expect(upload.progress).toBe(1);
    const complete = r.backend.calls.find((c) => c.op === 'complete')!.req as {
      parts: { partNumber: number; etag: string }[];
    };
    expect(complete.parts).toEqual([
      { partNumber: 1, etag: await sliceMd5(file, 0, 5 * MiB) },
      { partNumber: 2, etag: await sliceMd5(file, 5 * MiB, 10 * MiB) },
      { partNumber: 3, etag: await sliceMd5(file, 10 * MiB, 10 * MiB + 3) },
    ]);
    expect(await r.store.list()).toEqual([]);
  });

  it('sends a 0-byte file as one PUT with its MD5 given at create', async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    const u = uploader(r);
    const done = nextEvent<UploaderEventMap['upload-success']>(u, 'upload-success');
    u.add([makeFile(0, 'empty.txt')]);
    const { upload } = await done;
    expect(upload.progress).toBe(1);
    const create = r.backend.calls.find((c) => c.op === 'create')!.req as { contentMd5: string };
    expect(create.contentMd5).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(r.transport.puts).toHaveLength(1);
    expect(r.backend.count('sign')).toBe(0);
    const complete = r.backend.calls.find((c) => c.op === 'complete')!.req as { parts: unknown[] };
    expect(complete.parts).toEqual([{ partNumber: 1, etag: 'd41d8cd98f00b204e9800998ecf8427e' }]);
  });

  it('pauses without an error and resumes to completion, progress never going backwards', async () => {
    const r = rig();
    const u = uploader(r);
    const events = record(u, 'upload-progress', 'upload-error', 'upload-paused', 'upload-resumed');
    const file = makeFile(3 * 5 * MiB);
    const [snap] = u.add([file]);
    const first = await r.transport.nextRequest();
    first.progress(3 * MiB);
    await tick(150);
    u.pause(snap!.id);
    expect(first.signal.aborted).toBe(true);
    expect(u.uploads[0]!.phase).toBe('paused');
    expect(u.uploads[0]!.bytesUploaded).toBe(3 * MiB);
    await tick();
    const done = nextEvent(u, 'upload-success');
    r.transport.auto = async (req) => {
      req.progress(1 * MiB);
      await tick(110);
      await req.respond();
    };
    u.resume(snap!.id);
    await done;
    expect(events.filter((e) => e.name === 'upload-error')).toEqual([]);
    expect(events.filter((e) => e.name === 'upload-paused')).toHaveLength(1);
    expect(events.filter((e) => e.name === 'upload-resumed')).toHaveLength(1);
    const shown = events
      .filter((e) => e.name === 'upload-progress')
      .map((e) => (e.detail as UploaderEventMap['upload-progress']).upload.bytesUploaded);
    expect(shown.length).toBeGreaterThan(2);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(shown.at(-1)).toBe(file.size);
  });

  it('sends part 1 with the URL create signed, and signs only the other parts', async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    const u = uploader(r);
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(5 * MiB + 10)]);
    await done;
    const create = r.backend.calls.find((c) => c.op === 'create')!.req as { firstPart?: unknown };
    expect(create.firstPart).toEqual({ size: 5 * MiB, contentMd5: expect.any(String) });
    const signed = r.backend.calls
      .filter((c) => c.op === 'sign')
      .flatMap((c) =>
        (c.req as { parts: { partNumber: number }[] }).parts.map((p) => p.partNumber),
      );
    expect(signed).toEqual([2]);
    expect(r.transport.puts.map((p) => p.partNumber).sort()).toEqual([1, 2]);
    // Part 1 was hashed once, before create, not again in the pipeline.
    expect(r.hasher.calls.map((c) => c.size)).toEqual([5 * MiB, 10]);
  });

  it('warm() starts the hasher ahead of any file, and does nothing once destroyed', () => {
    const r = rig();
    const u = uploader(r);
    u.warm();
    expect(r.hasher.warmed).toBe(1);
    u.destroy();
    u.warm();
    expect(r.hasher.warmed).toBe(1);
  });

  it("hands the hasher the File and each part's range, never a slice made on the main thread", async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    const u = uploader(r);
    const done = nextEvent(u, 'upload-success');
    const file = makeFile(2 * 5 * MiB + 10);
    u.add([file]);
    await done;
    expect(r.hasher.calls.map((c) => [c.blob === file, c.range])).toEqual([
      [true, { start: 0, end: 5 * MiB }],
      [true, { start: 5 * MiB, end: 10 * MiB }],
      [true, { start: 10 * MiB, end: 10 * MiB + 10 }],
    ]);
  });

  it('re-signs an expired URL without counting it as a failure', async () => {
    const r = rig();
    const u = uploader(r, { retry: { retries: 0, baseDelay: 1, maxDelay: 1, maxElapsed: 1000 } });
    let expired = 0;
    r.transport.auto = (req) => {
      if (req.part.partNumber === 1 && expired++ < 2)
        return req.respond({ status: 403, body: xml('AccessDenied', 'Request has expired') });
      return req.respond();
    };
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(5 * MiB + 1)]);
    await done;
    expect(r.transport.puts.filter((p) => p.partNumber === 1)).toHaveLength(3);
    expect(r.backend.count('sign')).toBeGreaterThanOrEqual(3);
  });

  it('fails with url-expired when every freshly signed URL is already expired (clock skew)', async () => {
    const r = rig();
    const retry = { retries: 1, baseDelay: 1, maxDelay: 1, maxElapsed: 1000 };
    const u = uploader(r, { retry });
    r.transport.auto = (req) =>
      req.respond({ status: 403, body: xml('AccessDenied', 'Request has expired') });
    const failed = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    u.add([makeFile(5 * MiB + 1)]);
    const error = await failed;
    expect(error.code).toBe('url-expired');
    // Re-signing is not a failure: part 1 was sent retries + 4 times, each with a new URL, before giving up.
    expect(r.transport.puts.filter((p) => p.partNumber === 1)).toHaveLength(retry.retries + 4);
    expect(u.uploads[0]!.phase).toBe('failed');
  });

  it('retries 5xx and dropped connections, then succeeds', async () => {
    const r = rig();
    const u = uploader(r);
    let n = 0;
    r.transport.auto = (req) => {
      n++;
      if (n === 1) return req.fail();
      if (n === 2) return req.respond({ status: 500, body: xml('InternalError', 'x') });
      return req.respond();
    };
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(5 * MiB + 1)]);
    await done;
    expect(r.transport.puts.length).toBe(4);
  });

  it('gives up on a part after the retry budget with retries-exhausted', async () => {
    const r = rig();
    const u = uploader(r, {
      retry: { retries: 2, baseDelay: 1, maxDelay: 2, maxElapsed: 10_000 },
      concurrency: 1,
    });
    r.transport.auto = (req) => req.respond({ status: 503, body: xml('ServiceUnavailable', 'x') });
    const failed = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    u.add([makeFile(5 * MiB + 1)]);
    const error = await failed;
    expect(error.code).toBe('retries-exhausted');
    expect(error.upload.phase).toBe('failed');
    expect(r.transport.puts.filter((p) => p.partNumber === 1)).toHaveLength(3);
  });

  it('fails a part whose plain-MD5 ETag differs from its MD5 once retries are spent', async () => {
    const r = rig();
    const u = uploader(r, {
      retry: { retries: 1, baseDelay: 1, maxDelay: 1, maxElapsed: 1000 },
      concurrency: 1,
    });
    r.transport.auto = (req) => req.respond({ etag: '0123456789abcdef0123456789abcdef' });
    const failed = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    u.add([makeFile(5 * MiB + 1)]);
    expect((await failed).code).toBe('etag-mismatch');
    expect(r.backend.count('complete')).toBe(0);
  });

  it('re-hashes on BadDigest and retries when the bytes are unchanged', async () => {
    const r = rig();
    const u = uploader(r);
    let bad = true;
    r.transport.auto = (req) => {
      if (req.part.partNumber === 2 && bad) {
        bad = false;
        return req.respond({ status: 400, body: xml('BadDigest', 'x') });
      }
      return req.respond();
    };
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(5 * MiB + 10)]);
    await done;
    // Two parts hashed once each, plus the re-hash of part 2.
    expect(r.hasher.calls.map((c) => c.size)).toEqual([5 * MiB, 10, 10]);
  });

  it('fails with file-changed when the re-hash after BadDigest differs', async () => {
    const r = rig();
    const u = uploader(r);
    const hash = r.hasher.md5.bind(r.hasher);
    let mutate = false;
    r.hasher.md5 = async (blob) => (mutate ? md5Of(new Uint8Array([9])) : hash(blob));
    r.transport.auto = (req) => {
      if (req.part.partNumber === 2) {
        mutate = true;
        return req.respond({ status: 400, body: xml('BadDigest', 'x') });
      }
      return req.respond();
    };
    const failed = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    u.add([makeFile(5 * MiB + 10)]);
    expect((await failed).code).toBe('file-changed');
  });

  it('starts over cleanly when the store no longer knows the upload (onUploadGone: restart)', async () => {
    const r = rig();
    const u = uploader(r, { concurrency: 1 });
    let gone = true;
    r.transport.auto = (req) => {
      if (req.part.partNumber === 2 && gone) {
        gone = false;
        r.backend.uploads.clear();
        return req.respond({ status: 404, body: xml('NoSuchUpload', 'x') });
      }
      return req.respond();
    };
    const done = nextEvent<UploaderEventMap['upload-success']>(u, 'upload-success');
    u.add([makeFile(5 * MiB + 10)]);
    await done;
    expect(r.backend.count('create')).toBe(2);
    const complete = r.backend.calls.find((c) => c.op === 'complete')!.req as {
      token: string;
      parts: unknown[];
    };
    expect(complete.token).toBe('t2');
    expect(complete.parts).toHaveLength(2);
  });

  it('fails with upload-gone when configured to', async () => {
    const r = rig();
    const u = uploader(r, { onUploadGone: 'fail' });
    r.transport.auto = (req) => req.respond({ status: 404, body: xml('NoSuchUpload', 'x') });
    const failed = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    u.add([makeFile(5 * MiB + 10)]);
    expect((await failed).code).toBe('upload-gone');
  });

  it('refuses to retry a failure no retry can fix, and retries one that another attempt may fix', async () => {
    const r = rig();
    const u = uploader(r, {
      retry: { retries: 0, baseDelay: 1, maxDelay: 1, maxElapsed: 1000 },
      concurrency: 1,
    });
    const create = r.backend.createUpload.bind(r.backend);
    let refusals = 0;
    r.backend.createUpload = async (req) => {
      if (req.fileName === 'refused.bin') {
        refusals++;
        throw new EngineError('content-type-not-allowed', 'not here', { status: 415 });
      }
      return create(req);
    };
    let down = true;
    r.transport.auto = (req) =>
      down ? req.respond({ status: 503, body: xml('ServiceUnavailable', 'x') }) : req.respond();

    const refusedError = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    const [refused] = u.add([makeFile(10, 'refused.bin')]);
    const refusal = await refusedError;
    expect(refusal.code).toBe('content-type-not-allowed');
    expect(refusal.upload.error).toEqual({
      code: 'content-type-not-allowed',
      message: 'not here',
      retryable: false,
    });
    expect(u.retry(refused!.id)).toBe(false);
    expect(u.uploads.find((s) => s.id === refused!.id)!.phase).toBe('failed');
    expect(refusals).toBe(1);

    const exhaustedError = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    const [busy] = u.add([makeFile(5 * MiB + 1, 'busy.bin')]);
    const exhausted = await exhaustedError;
    expect(exhausted.code).toBe('retries-exhausted');
    expect(exhausted.upload.error?.retryable).toBe(true);
    down = false;
    const done = nextEvent<UploaderEventMap['upload-success']>(u, 'upload-success');
    expect(u.retry(busy!.id)).toBe(true);
    expect((await done).upload.id).toBe(busy!.id);
    // Neither an unknown id nor a finished upload is retried.
    expect(u.retry('no-such-id')).toBe(false);
    expect(u.retry(busy!.id)).toBe(false);
  });

  it('resumes a saved upload, trusting only parts the store has with the recorded size and ETag', async () => {
    const r = rig();
    const file = makeFile(3 * 5 * MiB + 7);
    const first = uploader(r, { concurrency: 2 });
    first.add([file]);
    const a = await r.transport.nextRequest();
    const b = await r.transport.nextRequest();
    await a.respond();
    await b.respond();
    await r.transport.nextRequest(); // part 3 in flight when the "tab closes"
    first.destroy();
    await tick();
    const saved = (await r.store.list())[0]!;
    expect(saved.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    // The store lost part 2's bytes (another ETag): it must be sent again.
    const token = saved.token;
    r.backend.uploads
      .get(token)!
      .parts.set(2, { size: 5 * MiB, etag: 'ffffffffffffffffffffffffffffffff' });

    r.transport.puts = [];
    r.transport.auto = (req) => req.respond();
    const second = uploader(r);
    const done = nextEvent<UploaderEventMap['upload-success']>(second, 'upload-success');
    const [snap] = second.add([file]);
    expect(snap!.id).toBe(saved.id);
    const { upload } = await done;
    expect(upload.resumed).toBe(true);
    expect(r.transport.puts.map((p) => p.partNumber).sort()).toEqual([2, 3, 4]);
    expect(r.backend.count('create')).toBe(1);
    const complete = r.backend.calls.find((c) => c.op === 'complete')!.req as {
      token: string;
      parts: unknown[];
    };
    expect(complete.token).toBe(token);
    expect(complete.parts).toHaveLength(4);
  });

  it('re-sends a saved part whose bytes differ from its record (file edited, date kept)', async () => {
    const r = rig();
    const original = makeFile(2 * 5 * MiB + 1, 'same.bin', 1, 0);
    const first = uploader(r, { concurrency: 1 });
    first.add([original]);
    await (await r.transport.nextRequest()).respond();
    await r.transport.nextRequest();
    first.destroy();
    await tick();
    expect((await r.store.list())[0]!.parts.map((p) => p.partNumber)).toEqual([1]);

    // Same name, size and date, other bytes in part 1 (the saved one) and everywhere else.
    const edited = makeFile(2 * 5 * MiB + 1, 'same.bin', 1, 99);
    r.transport.puts = [];
    r.transport.auto = (req) => req.respond();
    const second = uploader(r);
    const done = nextEvent<UploaderEventMap['upload-success']>(second, 'upload-success');
    second.add([edited]);
    const { upload } = await done;
    expect(upload.resumed).toBe(true);
    expect(r.backend.count('abort')).toBe(0);
    expect(r.transport.puts.map((p) => p.partNumber).sort()).toEqual([1, 2, 3]);
    const complete = r.backend.calls.find((c) => c.op === 'complete')!.req as {
      parts: { partNumber: number; etag: string }[];
    };
    expect(complete.parts).toEqual([
      { partNumber: 1, etag: await sliceMd5(edited, 0, 5 * MiB) },
      { partNumber: 2, etag: await sliceMd5(edited, 5 * MiB, 10 * MiB) },
      { partNumber: 3, etag: await sliceMd5(edited, 10 * MiB, 10 * MiB + 1) },
    ]);
  });

  it('checks saved parts after hashing the missing ones and sends nothing again when they match', async () => {
    const r = rig();
    const file = makeFile(3 * 5 * MiB, 'same.bin', 1, 0);
    const first = uploader(r, { concurrency: 1 });
    first.add([file]);
    await (await r.transport.nextRequest()).respond();
    await r.transport.nextRequest();
    first.destroy();
    await tick();
    r.transport.puts = [];
    r.hasher.calls = [];
    r.transport.auto = (req) => req.respond();
    const second = uploader(r, { concurrency: 1, hashWindow: 1 });
    const done = nextEvent<UploaderEventMap['upload-success']>(second, 'upload-success');
    second.add([file]);
    await done;
    // Parts 2 and 3 were hashed first, then saved part 1 was hashed again to check it.
    expect(r.hasher.calls).toHaveLength(3);
    expect(r.transport.puts.map((p) => p.partNumber)).toEqual([2, 3]);
  });

  it('drops the saved upload of a file chosen again with another date (edited): aborted, forgotten, announced', async () => {
    const r = rig();
    const original = makeFile(2 * 5 * MiB + 1, 'edited.bin', 1_000, 0);
    const first = uploader(r, { concurrency: 1 });
    first.add([original]);
    await (await r.transport.nextRequest()).respond();
    await r.transport.nextRequest();
    first.destroy();
    await tick();
    const saved = (await r.store.list())[0]!;

    // Same name and size, a new date: the person saved the file again after editing it.
    const edited = makeFile(2 * 5 * MiB + 1, 'edited.bin', 2_000, 7);
    r.transport.auto = (req) => req.respond();
    const second = uploader(r);
    await second.ready;
    const discarded = nextEvent<UploaderEventMap['upload-discarded']>(second, 'upload-discarded');
    const pending = record(second, 'upload-pending');
    const done = nextEvent<UploaderEventMap['upload-success']>(second, 'upload-success');
    second.add([edited]);
    expect(await discarded).toEqual({
      pending: expect.objectContaining({ id: saved.id, name: 'edited.bin', partsDone: 1 }),
      reason: 'file-changed',
    });
    expect(
      r.backend.calls.filter(
        (c) => c.op === 'abort' && (c.req as { token: string }).token === saved.token,
      ),
    ).toHaveLength(1);
    expect(r.backend.uploads.has(saved.token)).toBe(false);
    expect(await r.store.get(saved.id)).toBeUndefined();
    await expect.poll(() => pending.length).toBeGreaterThan(0);
    const last = pending.at(-1)!.detail as UploaderEventMap['upload-pending'];
    expect(last.pending.map((p) => p.id)).not.toContain(saved.id);
    const { upload } = await done;
    expect(upload.resumed).toBe(false);
  });

  it('keeps the saved upload of another file that only shares name and size while it uploads here', async () => {
    const r = rig();
    const u = uploader(r, { concurrency: 1 });
    const events = record(u, 'upload-discarded');
    u.add([makeFile(2 * 5 * MiB + 1, 'twin.bin', 1_000, 0)]);
    await (await r.transport.nextRequest()).respond();
    await tick();
    // A second file of the same name and size from another folder, added while the first uploads.
    const successes = record(u, 'upload-success');
    r.transport.auto = (req) => req.respond();
    u.add([makeFile(2 * 5 * MiB + 1, 'twin.bin', 2_000, 5)]);
    (await r.transport.nextRequest()).respond();
    await expect.poll(() => successes.length).toBe(2);
    expect(events).toEqual([]);
    expect(r.backend.count('abort')).toBe(0);
  });

  it('starts over when the store no longer knows a saved upload', async () => {
    const r = rig();
    const file = makeFile(2 * 5 * MiB + 1);
    const first = uploader(r, { concurrency: 1 });
    first.add([file]);
    await (await r.transport.nextRequest()).respond();
    await r.transport.nextRequest();
    first.destroy();
    r.backend.uploads.clear();
    r.transport.auto = (req) => req.respond();
    const second = uploader(r);
    const done = nextEvent<UploaderEventMap['upload-success']>(second, 'upload-success');
    second.add([file]);
    expect((await done).upload.resumed).toBe(false);
    expect(r.backend.count('create')).toBe(2);
  });

  it('slows the whole queue after a 429', async () => {
    const r = rig();
    const u = uploader(r, { concurrency: 4 });
    u.add([makeFile(10 * 5 * MiB)]);
    const firstWave: FakeRequest[] = [];
    for (let i = 0; i < 4; i++) firstWave.push(await r.transport.nextRequest());
    let inFlight = 4;
    let most = 0;
    let waveAnswered = false;
    const seen: number[] = [];
    r.transport.auto = async (req) => {
      inFlight++;
      if (waveAnswered) most = Math.max(most, inFlight);
      seen.push(req.part.partNumber);
      await tick(5);
      inFlight--;
      await req.respond();
    };
    inFlight--;
    await firstWave[0]!.respond({ status: 429, body: xml('SlowDown', 'x') });
    const done = nextEvent(u, 'upload-success');
    for (const req of firstWave.slice(1)) {
      inFlight--;
      await req.respond();
    }
    waveAnswered = true;
    await done;
    // After the 429 the queue runs at half of concurrency 4.
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('slows the whole queue when the upload handler answers 429, and still finishes', async () => {
    const r = rig();
    const signParts = r.backend.signParts.bind(r.backend);
    let throttled = 0;
    r.backend.signParts = async (req) => {
      if (throttled++ === 0)
        throw new EngineError('unknown-error', 'rate limited', { status: 429 });
      return signParts(req);
    };
    // The lanes that took a part before the 429 send it; count the PUTs after that first wave.
    let inFlight = 0;
    let finished = 0;
    let most = 0;
    r.transport.auto = async (req) => {
      inFlight++;
      if (finished >= 4) most = Math.max(most, inFlight);
      await tick(5);
      inFlight--;
      finished++;
      await req.respond();
    };
    const u = uploader(r, { concurrency: 4 });
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(10 * 5 * MiB)]);
    await done;
    expect(throttled).toBeGreaterThan(1);
    expect(r.transport.puts.length).toBe(10);
    // Half of concurrency 4 after the handler's 429; without it all 4 lanes fill.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('pauses when the network goes away and resumes when it comes back, without an error', async () => {
    const r = rig();
    const u = uploader(r);
    const events = record(u, 'upload-error', 'upload-paused', 'upload-resumed');
    u.add([makeFile(5 * MiB + 1)]);
    const req = await r.transport.nextRequest();
    r.online.set(false);
    expect(req.signal.aborted).toBe(true);
    expect(u.uploads[0]!.phase).toBe('paused');
    r.transport.auto = (q) => q.respond();
    const done = nextEvent(u, 'upload-success');
    r.online.set(true);
    await done;
    expect(events.map((e) => e.name)).toEqual(['upload-paused', 'upload-resumed']);
  });

  it('treats a network error while offline as a pause, not a failure', async () => {
    const r = rig();
    const u = uploader(r);
    const errors = record(u, 'upload-error');
    u.add([makeFile(5 * MiB + 1)]);
    const req = await r.transport.nextRequest();
    r.online.online = false; // navigator.onLine went false before the 'offline' event
    req.fail();
    await tick();
    expect(u.uploads[0]!.phase).toBe('paused');
    r.transport.auto = (q) => q.respond();
    const done = nextEvent(u, 'upload-success');
    r.online.set(true);
    await done;
    expect(errors).toEqual([]);
  });

  it('aborts through the backend and forgets the record', async () => {
    const r = rig();
    const u = uploader(r);
    const aborted = record(u, 'upload-aborted', 'upload-error');
    const [snap] = u.add([makeFile(2 * 5 * MiB)]);
    await (await r.transport.nextRequest()).respond();
    await tick();
    expect(await r.store.list()).toHaveLength(1);
    await u.abort(snap!.id);
    expect(r.backend.count('abort')).toBe(1);
    expect(r.backend.uploads.size).toBe(0);
    expect(await r.store.list()).toEqual([]);
    expect(aborted.map((e) => e.name)).toEqual(['upload-aborted']);
    expect(u.uploads[0]!.phase).toBe('aborted');
  });

  it('aborts a single-mode upload through the backend too, so its staged PUT is dropped', async () => {
    const r = rig();
    const u = uploader(r);
    const aborted = record(u, 'upload-aborted', 'upload-error');
    const [snap] = u.add([makeFile(1000)]);
    await r.transport.nextRequest();
    await u.abort(snap!.id);
    expect(r.backend.count('abort')).toBe(1);
    expect(r.backend.uploads.size).toBe(0);
    expect(aborted.map((e) => e.name)).toEqual(['upload-aborted']);
  });

  it('shows the same file in a second tab as busy, not failed', async () => {
    const r = rig();
    const file = makeFile(2 * 5 * MiB);
    const tab1 = uploader(r);
    tab1.add([file]);
    await r.transport.nextRequest();
    const tab2 = uploader(r);
    const error = nextEvent<UploaderEventMap['upload-error']>(tab2, 'upload-error');
    tab2.add([file]);
    const detail = await error;
    expect(detail.code).toBe('busy-in-other-tab');
    expect(detail.upload.phase).toBe('paused');
  });

  it('still uploads, with a warning, when the resume store cannot open', async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    const u = uploader(r, { store: Promise.reject(new Error('IndexedDB is unavailable')) });
    const warning = nextEvent<UploaderEventMap['upload-resume-unavailable']>(
      u,
      'upload-resume-unavailable',
    );
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(5 * MiB + 1)]);
    expect((await warning).reason).toContain('IndexedDB');
    await done;
  });

  it('aborts and removes saved uploads older than maxRecordAge at startup', async () => {
    const r = rig();
    const created = await r.backend.createUpload({
      fileName: 'old.bin',
      size: 20 * MiB,
      contentType: '',
      partSize: 5 * MiB,
    });
    const old: UploadRecord = {
      id: 'old',
      fingerprint: 'x',
      name: 'old.bin',
      size: 20 * MiB,
      type: '',
      lastModified: 1,
      endpoint: 'custom-backend',
      mode: 'multipart',
      uploadId: created.uploadId,
      key: created.key,
      bucket: 'b',
      token: created.token,
      tokenExpiresAt: Date.now() + 60_000,
      partSize: 5 * MiB,
      partCount: 4,
      parts: [],
      createdAt: Date.now() - 10 * 86_400_000,
      updatedAt: Date.now() - 10 * 86_400_000,
    };
    await r.store.put(old);
    await r.store.put({ ...old, id: 'fresh', updatedAt: Date.now() });
    const u = uploader(r);
    await u.ready;
    expect(r.backend.count('abort')).toBe(1);
    expect((await u.listPending()).map((p) => p.id)).toEqual(['fresh']);
  });

  it('hashes at most hashWindow parts ahead and keeps `concurrency` parts in flight', async () => {
    const r = rig();
    const u = uploader(r, { concurrency: 2, hashWindow: 2 });
    u.add([makeFile(8 * 5 * MiB)]);
    const a = await r.transport.nextRequest();
    const b = await r.transport.nextRequest();
    await tick(50);
    // Two parts in flight plus two hashed ahead, no more.
    expect(r.hasher.calls.length).toBe(4);
    expect(new Set([a.part.partNumber, b.part.partNumber])).toEqual(new Set([1, 2]));
    // Hashed parts are signed together, ahead of need.
    expect(r.backend.count('sign')).toBeLessThanOrEqual(2);
    const signed = r.backend.calls
      .filter((c) => c.op === 'sign')
      .flatMap((c) =>
        (c.req as { parts: { partNumber: number }[] }).parts.map((p) => p.partNumber),
      );
    expect(signed.length).toBeGreaterThanOrEqual(2);
    let inFlight = 0;
    let most = 0;
    r.transport.auto = async (req) => {
      most = Math.max(most, ++inFlight);
      await tick(2);
      inFlight--;
      await req.respond();
    };
    const done = nextEvent(u, 'upload-success');
    await a.respond();
    await b.respond();
    await done;
    expect(most).toBeLessThanOrEqual(2);
    expect(r.hasher.calls.length).toBe(8);
  });

  it('re-signs a URL that expired while it waited its turn, before sending it', async () => {
    const r = rig();
    r.backend.urlTtl = 400;
    const u = uploader(r, { concurrency: 1, hashWindow: 3 });
    u.add([makeFile(3 * 5 * MiB)]);
    const first = await r.transport.nextRequest();
    await tick(150);
    const signsBefore = r.backend.count('sign');
    await tick(400); // the URLs signed with part 1 are now past their expiry
    const sentAt: number[] = [];
    const expiries: number[] = [];
    r.transport.auto = (req) => {
      sentAt.push(Date.now());
      expiries.push(req.part.expiresAt);
      return req.respond();
    };
    const done = nextEvent(u, 'upload-success');
    await first.respond();
    await done;
    expect(r.backend.count('sign')).toBeGreaterThan(signsBefore);
    expiries.forEach((expiresAt, i) => expect(expiresAt).toBeGreaterThan(sentAt[i]!));
  });

  it('fails clearly instead of uploading twice when a retried complete finds the upload gone', async () => {
    const r = rig();
    const u = uploader(r);
    r.transport.auto = (req) => req.respond();
    const complete = r.backend.completeUpload.bind(r.backend);
    r.backend.completeUpload = async (req) => {
      await complete(req); // completed on the store, but the answer is lost
      throw new EngineError('network', 'connection reset');
    };
    const failed = nextEvent<UploaderEventMap['upload-error']>(u, 'upload-error');
    u.add([makeFile(5 * MiB + 1)]);
    expect((await failed).code).toBe('upload-gone');
    expect(r.backend.count('create')).toBe(1);
  });

  it('keeps uploading, with one warning, when saving a record fails (storage full)', async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    r.store.put = async () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    const u = uploader(r);
    const warnings = record(u, 'upload-resume-unavailable');
    const done = nextEvent(u, 'upload-success');
    u.add([makeFile(2 * 5 * MiB + 1)]);
    await done;
    expect(warnings).toHaveLength(1);
  });

  it('resumes a pending upload from its stored file handle, and discards another through the backend', async () => {
    const r = rig();
    const file = makeFile(2 * 5 * MiB + 1, 'handle.bin');
    const handle = {
      kind: 'file',
      name: 'handle.bin',
      getFile: async () => file,
    } as unknown as FileSystemFileHandle;
    const first = uploader(r, { concurrency: 1 });
    first.add([file], { handles: [handle] });
    await (await r.transport.nextRequest()).respond();
    await r.transport.nextRequest();
    first.destroy();
    await tick();

    r.transport.puts = [];
    r.transport.auto = (req) => req.respond();
    const second = uploader(r, { fileFromHandle: async (h: FileSystemFileHandle) => h.getFile() });
    const [pending] = await second.listPending();
    expect(pending).toMatchObject({ name: 'handle.bin', partsDone: 1, hasHandle: true });
    const done = nextEvent<UploaderEventMap['upload-success']>(second, 'upload-success');
    const snap = await second.resumePending(pending!.id);
    expect(snap.id).toBe(pending!.id);
    expect((await done).upload.resumed).toBe(true);
    expect(r.transport.puts.map((p) => p.partNumber).sort()).toEqual([2, 3]);

    const other = makeFile(2 * 5 * MiB, 'other.bin');
    r.transport.auto = undefined;
    second.add([other]);
    await (await r.transport.nextRequest()).respond();
    second.destroy();
    await tick();
    const third = uploader(r);
    const [left] = await third.listPending();
    await third.discardPending(left!.id);
    expect(r.backend.count('abort')).toBe(1);
    expect(await third.listPending()).toEqual([]);
  });

  it('rejects files over maxFileSize or outside accept before any request', () => {
    const r = rig();
    const u = uploader(r, { maxFileSize: 10, accept: '.txt' });
    const rejected = record(u, 'upload-rejected');
    u.add([makeFile(11, 'a.txt'), makeFile(1, 'a.png')]);
    expect(rejected.map((e) => (e.detail as { code: string }).code)).toEqual([
      'file-too-large',
      'type-not-accepted',
    ]);
    expect(r.backend.calls).toEqual([]);
  });

  it('refuses files under minFileSize, past maxFiles and past maxTotalSize, adding the first ones that fit', async () => {
    const r = rig();
    const u = uploader(r, { minFileSize: 2, maxFiles: 3, maxTotalSize: 100, autoStart: false });
    const rejected = record(u, 'upload-rejected');
    const added = u.add([
      makeFile(1, 'small.txt'),
      makeFile(60, 'a.txt'),
      makeFile(50, 'too-much.txt'),
      makeFile(30, 'b.txt'),
    ]);
    expect(added.map((a) => a.name)).toEqual(['a.txt', 'b.txt']);
    // The list holds two files of 90 bytes: one more of 10 fits, then the count is full.
    expect(u.add([makeFile(10, 'c.txt'), makeFile(2, 'd.txt')]).map((a) => a.name)).toEqual([
      'c.txt',
    ]);
    expect(rejected.map((e) => (e.detail as { code: string }).code)).toEqual([
      'file-too-small',
      'total-too-large',
      'too-many-files',
    ]);
    // A cancelled upload frees its place and its bytes.
    await u.abort(added[0]!.id);
    expect(u.add([makeFile(60, 'e.txt')]).map((a) => a.name)).toEqual(['e.txt']);
    expect(() => uploader(r, { maxFiles: -1 })).toThrow(TypeError);
    u.destroy();
  });

  it('sends a file\u2019s folder path with create; the same file in two folders is two uploads', async () => {
    const r = rig();
    r.transport.auto = (req) => req.respond();
    const u = uploader(r);
    const a = makeFile(10, 'x.txt');
    const b = new File([a], 'x.txt', { lastModified: a.lastModified, type: a.type });
    const added = u.add([
      withRelativePath(a, 'album/x.txt'),
      withRelativePath(b, 'album/old/x.txt'),
    ]);
    expect(added.map((s) => s.relativePath)).toEqual(['album/x.txt', 'album/old/x.txt']);
    expect(new Set(added.map((s) => s.id)).size).toBe(2);
    await u.settled();
    const creates = r.backend.calls.filter((c) => c.op === 'create').map((c) => c.req);
    expect(creates).toMatchObject([
      { relativePath: 'album/x.txt' },
      { relativePath: 'album/old/x.txt' },
    ]);
    // A file from no folder sends none.
    u.add([makeFile(5, 'loose.txt')]);
    await u.settled();
    expect(r.backend.calls.filter((c) => c.op === 'create').at(-1)!.req).not.toHaveProperty(
      'relativePath',
    );
    u.destroy();
  });
});
