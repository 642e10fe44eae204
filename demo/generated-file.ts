// The demo's "generate a large file" bytes: deterministic, one seeded MiB at a time (xorshift32), so a
// reload writes the same file again and a test can compute what the store must hold.

/** One MiB. */
export const MiB = 1024 * 1024;

/** The `index`-th MiB of a generated file. */
export function generatedBlock(index: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(MiB);
  let x = (index + 1) * 2654435761;
  for (let i = 0; i < bytes.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
    bytes[i + 1] = (x >>> 8) & 255;
    bytes[i + 2] = (x >>> 16) & 255;
    bytes[i + 3] = (x >>> 24) & 255;
  }
  return bytes;
}
