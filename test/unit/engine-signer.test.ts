import { describe, expect, it } from 'vitest';
import type { SignedPart } from '../../src/protocol/index.ts';
import type { PartState } from '../../src/engine/part-state.ts';
import { Signer, type SignerOptions } from '../../src/engine/signer.ts';

const md5 = { base64: 'AAAAAAAAAAAAAAAAAAAAAA==', hex: '0'.repeat(32) };
const flush = () => new Promise((r) => setTimeout(r, 0));

function part(n: number): PartState {
  return { partNumber: n, start: n - 1, end: n, md5 };
}

/**
 * A signer whose sign calls are recorded and answered with URLs living `ttl` ms; `onWire` is the number of
 * PUTs it is told are on the wire. With `hold`, each call waits until `release()`.
 */
function signer(extra: Partial<SignerOptions> = {}, ttl = 60_000, hold = false) {
  const calls: number[][] = [];
  const gates: (() => void)[] = [];
  let hashingDone = false;
  const state = { onWire: 0 };
  const s = new Signer({
    batch: 4,
    hashingDone: () => hashingDone,
    sending: () => state.onWire,
    call: async (parts) => {
      calls.push(parts.map((p) => p.partNumber));
      if (hold) await new Promise<void>((open) => gates.push(open));
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
  const release = async () => {
    gates.shift()?.();
    await flush();
  };
  return { s, calls, state, release, done: () => (hashingDone = true) };
}

describe('Signer', () => {
  it('ramps up: the first hashed part is signed alone, the next call waits for 2, then 4 (the batch)', async () => {
    const { s, calls } = signer();
    s.hashed(part(1));
    await flush();
    expect(calls).toEqual([[1]]);
    s.hashed(part(2));
    await flush();
    expect(calls).toHaveLength(1);
    s.hashed(part(3));
    await flush();
    expect(calls).toEqual([[1], [2, 3]]);
    for (const n of [4, 5, 6]) s.hashed(part(n));
    await flush();
    expect(calls).toHaveLength(2);
    s.hashed(part(7));
    await flush();
    expect(calls).toEqual([[1], [2, 3], [4, 5, 6, 7]]);
    s.close();
  });

  it('makes one call at a time: parts hashed during a call go into the next one', async () => {
    const { s, calls, release } = signer({}, 60_000, true);
    s.hashed(part(1));
    await flush();
    for (const n of [2, 3, 4]) s.hashed(part(n));
    await flush();
    expect(calls).toEqual([[1]]);
    await release();
    expect(calls).toEqual([[1], [2, 3, 4]]);
    await release();
    s.close();
  });

  it('lets a waiting lane gather a batch while PUTs are on the wire, and signs at once when none is', async () => {
    const { s, calls, state } = signer();
    s.hashed(part(1));
    await flush();
    expect(calls).toEqual([[1]]);
    state.onWire = 1;
    const p2 = part(2);
    s.hashed(p2);
    s.taken(p2);
    let got = false;
    const url = s.urlFor(p2).then(() => (got = true));
    await flush();
    // The network is busy: waiting for one more part (the ramp's 2) costs nothing yet.
    expect(got).toBe(false);
    expect(calls).toHaveLength(1);
    // The last PUT ended: the lane would leave the network idle, so part 2 is signed alone.
    state.onWire = 0;
    s.nudge();
    await url;
    expect(calls).toEqual([[1], [2]]);
    expect(p2.signed?.url).toBe('https://s/2/2');
    s.close();
  });

  it('does not take the moment between a sign answer and its PUT for an idle network', async () => {
    const { s, calls, state, release } = signer({}, 60_000, true);
    const [p1, p2] = [part(1), part(2)];
    s.hashed(p1);
    s.taken(p1);
    const url1 = s.urlFor(p1);
    s.hashed(p2);
    s.taken(p2);
    const url2 = s.urlFor(p2);
    await flush();
    expect(calls).toEqual([[1]]);
    // The answer arrives: lane 1 has its URL but its PUT has not started yet. Lane 2 waits on.
    await release();
    await url1;
    state.onWire = 1;
    await flush();
    expect(calls).toEqual([[1]]);
    // Lane 1's PUT ended and nothing else is on the wire: now part 2 is signed alone.
    state.onWire = 0;
    s.nudge();
    await flush();
    expect(calls).toEqual([[1], [2]]);
    await release();
    await url2;
    s.close();
  });

  it('gives a waiting lane its URL in the next call, together with every other hashed part', async () => {
    const { s, calls, state } = signer({ batch: 8 });
    s.hashed(part(1));
    await flush();
    state.onWire = 1;
    const parts = [2, 3].map(part);
    s.hashed(parts[0]!);
    s.taken(parts[0]!);
    const url = s.urlFor(parts[0]!);
    s.hashed(parts[1]!);
    await url;
    expect(calls).toEqual([[1], [2, 3]]);
    // The other was signed ahead: taking it needs no call.
    s.taken(parts[1]!);
    await s.urlFor(parts[1]!);
    expect(calls).toHaveLength(2);
    s.close();
  });

  it('signs the rest once hashing is over, without waiting for a full batch', async () => {
    const { s, calls, done, state } = signer({ batch: 16 });
    state.onWire = 4;
    s.hashed(part(1));
    await flush();
    s.hashed(part(2));
    await flush();
    expect(calls).toEqual([[1]]);
    done();
    s.hashed(part(3));
    await flush();
    expect(calls).toEqual([[1], [2, 3]]);
    s.close();
  });

  it('does not sign ahead while a batch of fresh URLs is still waiting for lanes', async () => {
    const { s, calls, state } = signer();
    state.onWire = 4;
    const parts = Array.from({ length: 11 }, (_, i) => part(i + 1));
    for (const p of parts.slice(0, 7)) s.hashed(p);
    await flush();
    expect(calls).toEqual([[1], [2, 3, 4, 5, 6, 7]]);
    for (const p of parts.slice(7)) s.hashed(p);
    await flush();
    expect(calls).toHaveLength(2);
    // Lanes take URLs: 3 fresh ones left, fewer than a batch (4), so the next batch is signed.
    for (const p of parts.slice(0, 4)) s.taken(p);
    await flush();
    expect(calls).toEqual([[1], [2, 3, 4, 5, 6, 7], [8, 9, 10, 11]]);
    s.close();
  });

  it('renews URLs signed ahead before they expire, in one call', async () => {
    // URLs living 2 s: renewed from 1.5 s on, with any URL due within another 0.5 s (the two calls below
    // answer moments apart: on a loaded machine, more than the same millisecond; CI run of 7 Dec).
    const { s, calls, state } = signer({}, 2000);
    state.onWire = 4;
    const parts = [1, 2, 3].map(part);
    for (const p of parts) s.hashed(p);
    await flush();
    expect(calls).toEqual([[1], [2, 3]]);
    const first = parts.map((p) => p.signed!.url);
    // Renewed a quarter of the lifetime before expiry: wait on the condition, not on a fixed time.
    while (calls.length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(calls[2]).toEqual([1, 2, 3]);
    expect(parts.map((p) => p.signed!.url)).not.toEqual(first);
    s.close();
  });

  it('renews with the first URL due every URL due within another margin, in the same call', async () => {
    let clock = 0;
    const calls: number[][] = [];
    const s = new Signer({
      batch: 4,
      hashingDone: () => false,
      sending: () => 1,
      now: () => clock,
      call: async (parts) => {
        calls.push(parts.map((p) => p.partNumber));
        const signedAt = clock;
        return parts.map((p): SignedPart => ({
          partNumber: p.partNumber,
          url: `https://s/${p.partNumber}/${calls.length}`,
          method: 'PUT',
          headers: {},
          expiresAt: signedAt + 1000,
        }));
      },
    });
    const parts = [1, 2, 3].map(part);
    // Part 1 signed at t = 0: expires at 1000, renewal margin 250, due at 750.
    s.hashed(parts[0]!);
    await flush();
    // Parts 2 and 3 signed at t = 200: expire at 1200, margin 250. The renewal timer (set for t = 750, 550 ms
    // from then) finds the clock at 760: part 1 is 240 ms from expiry, within its margin; parts 2 and 3 are
    // 440 ms from it, within a second margin: all three go in one call (one margin alone would renew part 1).
    clock = 200;
    s.hashed(parts[1]!);
    s.hashed(parts[2]!);
    await flush();
    expect(calls).toEqual([[1], [2, 3]]);
    clock = 760;
    while (calls.length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([[1], [2, 3], [1, 2, 3]]);
    s.close();
  });

  it('reports a failed call to the lane that needs the URL, and fails clearly on a missing URL', async () => {
    let fail = true;
    const s = new Signer({
      batch: 1,
      hashingDone: () => false,
      sending: () => 0,
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
    s.hashed(p); // signed ahead at once (the first call), and that call fails
    s.taken(p);
    await expect(s.urlFor(p)).rejects.toThrow('backend down');
    fail = false;
    await expect(s.urlFor(p)).rejects.toMatchObject({ code: 'invalid-response' });
    s.close();
  });

  it('tells a lane still waiting for a URL that the run stopped', async () => {
    const { s, state } = signer();
    s.hashed(part(1));
    await flush();
    state.onWire = 1;
    const p2 = part(2);
    s.hashed(p2);
    s.taken(p2);
    const url = s.urlFor(p2);
    await flush();
    s.close();
    await expect(url).rejects.toMatchObject({ name: 'AbortError' });
  });
});
