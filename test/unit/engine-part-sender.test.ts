import { describe, expect, it } from 'vitest';
import { EngineError, OfflineError } from '../../src/engine/errors.ts';
import { PartSender, type PartSenderContext } from '../../src/engine/part-sender.ts';
import type { PartState } from '../../src/engine/part-state.ts';
import { ByteCounter } from '../../src/engine/progress.ts';
import { FakeBackend, FakeTransport, makeFile, md5Of } from './engine-fakes.ts';

const xml = (code: string, message: string) =>
  `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** A sender over the fake transport for a 64 KiB file, one part of it, and what it reported. */
async function setup(extra: Partial<PartSenderContext> = {}) {
  const backend = new FakeBackend();
  const transport = new FakeTransport(backend);
  const file = makeFile(64 * 1024);
  const md5 = md5Of(new Uint8Array(await file.arrayBuffer()));
  const stored: string[] = [];
  let online = true;
  let rehashes = 0;
  let signs = 0;
  const bytes = new ByteCounter(file.size);
  const sender = new PartSender({
    file,
    transport,
    retry: { retries: 2, baseDelay: 1, maxDelay: 2, maxElapsed: 10_000 },
    bytes,
    isOnline: () => online,
    slowDown: () => {},
    rehash: async () => (rehashes++, md5),
    assertReadable: async () => {},
    sending: () => {},
    progressed: () => {},
    stored: (_state, etag) => stored.push(etag),
    ...extra,
  });
  const state: PartState = { partNumber: 1, start: 0, end: file.size, md5 };
  const urlFor = async (s: PartState) => {
    if (s.signed) return;
    signs++;
    s.signed = {
      partNumber: 1,
      url: `https://store.test/t/1`,
      method: 'PUT',
      headers: {},
      expiresAt: Date.now() + 60_000,
    };
  };
  return {
    sender,
    state,
    transport,
    md5,
    stored,
    bytes,
    urlFor,
    signs: () => signs,
    rehashes: () => rehashes,
    goOffline: () => (online = false),
  };
}

describe('PartSender', () => {
  it('retries a dropped connection and reports the stored part once', async () => {
    const t = await setup();
    let attempt = 0;
    t.transport.auto = (req) => (attempt++ === 0 ? req.fail() : req.respond());
    await t.sender.send(t.state, new AbortController().signal, t.urlFor);
    expect(t.transport.puts).toHaveLength(2);
    expect(t.stored).toEqual([t.md5.hex]);
    expect(t.bytes.confirmedBytes).toBe(64 * 1024);
  });

  it('signs again after an expired URL without spending a retry', async () => {
    const t = await setup({ retry: { retries: 0, baseDelay: 1, maxDelay: 1, maxElapsed: 1000 } });
    let attempt = 0;
    t.transport.auto = (req) =>
      attempt++ === 0
        ? req.respond({ status: 403, body: xml('AccessDenied', 'Request has expired') })
        : req.respond();
    await t.sender.send(t.state, new AbortController().signal, t.urlFor);
    expect(t.signs()).toBe(2);
    expect(t.stored).toHaveLength(1);
  });

  it('re-hashes on BadDigest and sends again when the bytes are the same', async () => {
    const t = await setup();
    let attempt = 0;
    t.transport.auto = (req) =>
      attempt++ === 0
        ? req.respond({ status: 400, body: xml('BadDigest', 'no match') })
        : req.respond();
    await t.sender.send(t.state, new AbortController().signal, t.urlFor);
    expect(t.rehashes()).toBe(1);
    expect(t.stored).toHaveLength(1);
  });

  it('fails as file-changed when the re-hashed bytes differ', async () => {
    const t = await setup({
      rehash: async () => ({ base64: 'other', hex: 'other' }),
    });
    t.transport.auto = (req) => req.respond({ status: 400, body: xml('BadDigest', 'no match') });
    const error = await t.sender
      .send(t.state, new AbortController().signal, t.urlFor)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('file-changed');
    expect(t.stored).toEqual([]);
  });

  it('pauses (OfflineError) instead of retrying when the network is gone', async () => {
    const t = await setup();
    t.goOffline();
    t.transport.auto = (req) => req.fail();
    await expect(
      t.sender.send(t.state, new AbortController().signal, t.urlFor),
    ).rejects.toBeInstanceOf(OfflineError);
    expect(t.transport.puts).toHaveLength(1);
  });
});
