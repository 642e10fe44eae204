import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { byobChunks } from '../../src/worker/md5-digest.ts';

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251);
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

async function collect(chunks: AsyncGenerator<Uint8Array>): Promise<Uint8Array> {
  const hash = createHash('md5');
  let length = 0;
  // Each chunk is valid until the next is asked for: hash it at once, as the workers do.
  for await (const chunk of chunks) {
    hash.update(chunk);
    length += chunk.byteLength;
  }
  expect(length).toBe(bytes.byteLength);
  return Uint8Array.from(Buffer.from(hash.digest('hex'), 'hex'));
}

/** A Blob whose byte stream answers the first read with `first` bytes and then never again. */
function stallingBlob(first: number): Blob {
  const real = new Blob([bytes]);
  let served = false;
  return {
    size: real.size,
    slice: (start?: number, end?: number) => real.slice(start, end),
    stream: () =>
      new ReadableStream({
        type: 'bytes',
        pull(controller) {
          if (served) return new Promise<void>(() => {});
          served = true;
          const view = controller.byobRequest!.view as Uint8Array;
          const n = Math.min(first, view.byteLength);
          view.set(bytes.subarray(0, n));
          controller.byobRequest!.respond(n);
        },
      }),
  } as unknown as Blob;
}

describe('reading a Blob into one reused buffer (byob)', () => {
  it('yields every byte in order', async () => {
    const digest = await collect(byobChunks(new Blob([bytes]), 64 * 1024));
    expect(Buffer.from(digest).toString('hex')).toBe(md5(bytes));
  });

  it('reads the rest as slices when a read stalls, so the hash is still right', async () => {
    const started = performance.now();
    const digest = await collect(byobChunks(stallingBlob(100_000), 64 * 1024, 50));
    expect(Buffer.from(digest).toString('hex')).toBe(md5(bytes));
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
