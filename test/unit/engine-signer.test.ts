import { describe, expect, it } from 'vitest';
import type { SignedPart } from '../../src/protocol/index.ts';
import type { PartState } from '../../src/engine/part-state.ts';
import { Signer, type SignerOptions } from '../../src/engine/signer.ts';

const md5 = { base64: 'AAAAAAAAAAAAAAAAAAAAAA==', hex: '0'.repeat(32) };
const flush = () => new Promise((r) => setTimeout(r, 0));

function part(n: number): PartState {
  return { partNumber: n, start: n - 1, end: n, md5 };
}

/** A signer whose sign calls are recorded and answered at once with URLs living `ttl` ms. */
function signer(extra: Partial<SignerOptions> = {}, ttl = 60_000) {
  const calls: number[][] = [];
  let hashingDone = false;
  const s = new Signer({
    batch: 4,
    lowWater: 2,
    hashingDone: () => hashingDone,
    call: async (parts) => {
      calls.push(parts.map((p) => p.partNumber));
      return parts.map((p): SignedPart => ({
        partNumber: p.partNumber,
        url: `https://s/${p.partNumber}/${calls.length}`,
        method: 'PUT',
        headers: {},
        expiresAt: Date.now() + ttl,
      }));
    },
    ...extra,
  });
  return { s, calls, done: () => (hashingDone = true) };
}

describe('Signer', () => {
  it('gathers hashed parts into one call once a batch is full', async () => {
    const { s, calls } = signer();
    const parts = [1, 2, 3, 4, 5].map(part);
    for (const p of parts.slice(0, 3)) s.hashed(p);
    await flush();
    expect(calls).toEqual([]);
    s.hashed(parts[3]!);
    await flush();
    expect(calls).toEqual([[1, 2, 3, 4]]);
    expect(parts.slice(0, 4).every((p) => p.signed)).toBe(true);
    s.close();
  });

  it('signs a part a slot needs at once, with every other hashed part', async () => {
    const { s, calls } = signer();
    const parts = [1, 2, 3].map(part);
    s.hashed(parts[1]!);
    s.hashed(parts[2]!);
    s.taken(parts[0]!);
    await s.urlFor(parts[0]!);
    expect(calls).toEqual([[1, 2, 3]]);
    // The others were signed ahead: taking them needs no call.
    s.taken(parts[1]!);
    await s.urlFor(parts[1]!);
    expect(calls).toHaveLength(1);
    s.close();
  });

  it('signs what is hashed when a slot frees soon and few URLs are ready', async () => {
    const { s, calls } = signer();
    s.hashed(part(1));
    await flush();
    expect(calls).toEqual([]);
    s.soon();
    await flush();
    expect(calls).toEqual([[1]]);
    s.close();
  });

  it('signs the rest once hashing is over and the reserve is short, without waiting for a full batch', async () => {
    const { s, calls, done } = signer();
    s.hashed(part(1));
    done();
    s.hashed(part(2));
    await flush();
    expect(calls).toEqual([[1, 2]]);
    s.close();
  });

  it('does not sign ahead while a batch of fresh URLs is still waiting for slots', async () => {
    const { s, calls } = signer();
    for (const n of [1, 2, 3, 4]) s.hashed(part(n));
    await flush();
    for (const n of [5, 6, 7, 8]) s.hashed(part(n));
    await flush();
    expect(calls).toEqual([[1, 2, 3, 4]]);
    s.close();
  });

  it('renews URLs signed ahead before they expire, in one call', async () => {
    const { s, calls } = signer({}, 400);
    const parts = [1, 2, 3, 4].map(part);
    for (const p of parts) s.hashed(p);
    await flush();
    const first = parts.map((p) => p.signed!.url);
    // Renewed a quarter of the lifetime before expiry: wait on the condition, not on a fixed time.
    while (calls.length < 2) await new Promise((r) => setTimeout(r, 20));
    expect(calls[1]).toEqual([1, 2, 3, 4]);
    expect(parts.map((p) => p.signed!.url)).not.toEqual(first);
    s.close();
  });

  it('reports a failed call to the slot that needs the URL, and fails clearly on a missing URL', async () => {
    let fail = true;
    const s = new Signer({
      batch: 1,
      lowWater: 1,
      hashingDone: () => false,
      call: async (parts) => {
        if (fail) throw new Error('backend down');
        return parts.slice(1).map((p) => ({
          partNumber: p.partNumber,
          url: 'u',
          method: 'PUT' as const,
          headers: {},
          expiresAt: Date.now() + 60_000,
        }));
      },
    });
    const p = part(1);
    s.hashed(p); // signed ahead at once (batch 1), and that call fails
    s.taken(p);
    await expect(s.urlFor(p)).rejects.toThrow('backend down');
    fail = false;
    await expect(s.urlFor(p)).rejects.toMatchObject({ code: 'invalid-response' });
    s.close();
  });
});
