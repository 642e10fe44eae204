import { describe, expect, it } from 'vitest';
import type { SignedPart } from '../../src/protocol/index.ts';
import { HashWindow } from '../../src/engine/hash-window.ts';
import { runPipeline, type PipelineOptions } from '../../src/engine/pipeline.ts';
import type { PartState } from '../../src/engine/part-state.ts';
import type { Md5Digest, RecordedPart } from '../../src/engine/ports.ts';
import { Throttle } from '../../src/engine/scheduler.ts';

/** A fake digest naming the range it hashed (and a "version" of the file). */
const digest = (start: number, version = 0): Md5Digest => ({
  base64: `${start}:${version}`,
  hex: `${start}`,
});
const plan = (partCount: number) => ({ size: partCount, partSize: 1, partCount });
const signal = () => new AbortController().signal;

describe('HashWindow', () => {
  it('hashes the parts to send first, then checks trusted parts, and sends again the one that differs', async () => {
    const hashed: number[] = [];
    const checked: [number, boolean][] = [];
    const verify: RecordedPart[] = [1, 2].map((n) => ({
      partNumber: n,
      size: 1,
      md5: digest(n - 1).base64,
      etag: 'e',
    }));
    const window = new HashWindow({
      plan: plan(4),
      send: [3, 4],
      verify,
      size: 2,
      // Part 2 (bytes 1..2) was edited since it was stored.
      hash: async (start) => {
        hashed.push(start + 1);
        return digest(start, start === 1 ? 1 : 0);
      },
      hashed: () => {},
      checked: (part, _md5, same) => checked.push([part.partNumber, same]),
    });
    window.start();
    const taken: number[] = [];
    for (;;) {
      const state = await window.next(signal());
      if (!state) break;
      await state.hashing;
      taken.push(state.partNumber);
    }
    expect(hashed).toEqual([3, 4, 1, 2]);
    expect(taken).toEqual([3, 4, 2]);
    expect(checked).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('hands out the first part before any trusted part is checked (pipelined, not before)', async () => {
    const gates: (() => void)[] = [];
    const window = new HashWindow({
      plan: plan(3),
      send: [3],
      verify: [{ partNumber: 1, size: 1, md5: digest(0).base64, etag: 'e' }],
      size: 4,
      hash: (start) => new Promise((resolve) => gates.push(() => resolve(digest(start)))),
      hashed: () => {},
      checked: () => {},
    });
    window.start();
    const first = await window.next(signal());
    expect(first?.partNumber).toBe(3);
    // The check is running and will only end when its hash does: next() waits for it.
    let ended = false;
    const last = window.next(signal()).then((s) => ((ended = true), s));
    gates.forEach((open) => open());
    expect(await last).toBeUndefined();
    expect(ended).toBe(true);
  });

  it('fails the next take when a check cannot read the file', async () => {
    const window = new HashWindow({
      plan: plan(2),
      send: [],
      verify: [{ partNumber: 1, size: 1, md5: 'x', etag: 'e' }],
      size: 2,
      hash: async () => {
        throw new Error('unreadable');
      },
      hashed: () => {},
      checked: () => {},
    });
    window.start();
    await expect(window.next(signal())).rejects.toThrow('unreadable');
  });
});

/** A pipeline over `parts` one-byte parts with instant hashes and sends the test finishes by hand. */
function pipeline(parts: number, extra: Partial<PipelineOptions> = {}) {
  const signCalls: number[][] = [];
  const sends: { state: PartState; waited: boolean; finish: () => void }[] = [];
  const waiting: ((s: (typeof sends)[number]) => void)[] = [];
  const stored: number[] = [];
  const options: PipelineOptions = {
    plan: plan(parts),
    send: Array.from({ length: parts }, (_, i) => i + 1),
    verify: [],
    concurrency: 4,
    hashWindow: 36,
    throttle: new Throttle(),
    hash: async (start) => digest(start),
    signParts: async (req) => {
      signCalls.push(req.map((p) => p.partNumber));
      return req.map((p): SignedPart => ({
        partNumber: p.partNumber,
        url: `u${p.partNumber}`,
        method: 'PUT',
        headers: {},
        expiresAt: Date.now() + 600_000,
      }));
    },
    sender: {
      send: async (state, _signal, urlFor) => {
        // Whether this lane had to wait for a sign call: its part had no URL (or one in the making).
        const waited = !state.signed || state.signing !== undefined;
        await urlFor(state);
        await new Promise<void>((finish) => {
          const entry = { state, waited, finish };
          sends.push(entry);
          waiting.shift()?.(entry);
        });
        stored.push(state.partNumber);
      },
    } as PipelineOptions['sender'],
    checked: () => {},
    ...extra,
  };
  const nextSend = () =>
    new Promise<(typeof sends)[number]>((resolve) => {
      const ready = sends.find((s) => !(s as { seen?: boolean }).seen);
      if (ready) {
        (ready as { seen?: boolean }).seen = true;
        resolve(ready);
      } else
        waiting.push((s) => {
          (s as { seen?: boolean }).seen = true;
          resolve(s);
        });
    });
  return { options, signCalls, sends, stored, nextSend };
}

describe('runPipeline', () => {
  it('signs a 64-part file in at most 8 calls, every URL ready before its lane needs it', async () => {
    const p = pipeline(64);
    const run = runPipeline(p.options, signal());
    const sent: number[] = [];
    for (let i = 0; i < 64; i++) {
      const s = await p.nextSend();
      sent.push(s.state.partNumber);
      // Beyond the first parts, no lane made a sign call of its own: the URL was signed ahead.
      if (s.state.partNumber > 4)
        expect([s.state.partNumber, s.waited]).toEqual([s.state.partNumber, false]);
      s.finish();
    }
    expect(await run).toBe(p.signCalls.length);
    expect(p.signCalls.length).toBeLessThanOrEqual(8);
    expect(sent).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    expect(p.signCalls.flat().sort((a, b) => a - b)).toEqual(sent);
  });

  it('keeps at most `concurrency` parts in flight and hashes at most hashWindow ahead', async () => {
    let hashes = 0;
    const p = pipeline(20, {
      hashWindow: 3,
      hash: async (start) => {
        hashes++;
        return digest(start);
      },
    });
    const run = runPipeline(p.options, signal());
    const first = await p.nextSend();
    await new Promise((r) => setTimeout(r, 0));
    // 4 parts taken by lanes plus 3 hashed ahead.
    expect(hashes).toBe(7);
    expect(p.sends).toHaveLength(4);
    first.finish();
    for (let i = 1; i < 20; i++) (await p.nextSend()).finish();
    await run;
    expect(p.stored).toHaveLength(20);
  });

  it('stops every lane and reports the first part that failed for good', async () => {
    const p = pipeline(8);
    p.options.sender = {
      send: async (state: PartState, pipe: AbortSignal) => {
        if (state.partNumber === 2) throw new Error('part 2 failed');
        await new Promise((_, reject) => pipe.addEventListener('abort', reject, { once: true }));
      },
    } as unknown as PipelineOptions['sender'];
    await expect(runPipeline(p.options, signal())).rejects.toThrow('part 2 failed');
  });
});
