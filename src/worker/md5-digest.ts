/** Helpers shared by the MD5 workers: reading a Blob in chunks and encoding a digest. */

/**
 * Yields `blob` in `chunkSize` pieces, reading the next piece while the caller hashes the current one,
 * so only about two chunks are alive at a time whatever the Blob's size.
 */
export async function* readChunks(blob: Blob, chunkSize: number): AsyncGenerator<Uint8Array> {
  const size = Math.max(1, chunkSize);
  let offset = 0;
  let next: Promise<ArrayBuffer> | undefined =
    blob.size > 0 ? blob.slice(0, Math.min(size, blob.size)).arrayBuffer() : undefined;
  while (next) {
    const current = await next;
    offset += current.byteLength;
    next =
      offset < blob.size
        ? blob.slice(offset, Math.min(offset + size, blob.size)).arrayBuffer()
        : undefined;
    yield new Uint8Array(current);
  }
}

/**
 * A failed Blob stream read rejects with a bare TypeError in Chromium, where arrayBuffer() says
 * NotReadableError (the file changed or vanished): give it the name the engine maps to 'file-unreadable'.
 */
function readError(error: unknown): unknown {
  if (error instanceof DOMException) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DOMException(`The file could not be read (${message}).`, 'NotReadableError');
}

/** Yields `blob` as blob.stream() delivers it (Chromium: up to 64 KiB per chunk for files on disk). */
export async function* streamChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader
        .read()
        .catch((error: unknown) => Promise.reject(readError(error)));
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** How long one BYOB read may take before it counts as stalled (a 2 MiB read from disk takes milliseconds). */
export const BYOB_STALL_MS = 10_000;

const STALLED = Symbol('stalled');

/**
 * Yields `blob` read into one reused buffer of `chunkSize` bytes (a BYOB reader): no garbage per chunk,
 * so a worker's heap does not grow with the bytes it hashes. Each chunk is valid until the next is asked for.
 * Falls back to streamChunks where Blob streams are not byte streams. A read with no answer for `stallMs`
 * (seen once in Chromium, cause unknown) is given up: the rest of the Blob is read with readChunks instead.
 */
export async function* byobChunks(
  blob: Blob,
  chunkSize: number,
  stallMs: number = BYOB_STALL_MS,
): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  const stream = blob.stream();
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    yield* streamChunks(blob);
    return;
  }
  let buffer = new ArrayBuffer(Math.max(1, chunkSize));
  let offset = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const stalled = new Promise<typeof STALLED>((resolve) => {
        timer = setTimeout(() => resolve(STALLED), stallMs);
      });
      const result = await Promise.race([
        reader
          .read(new Uint8Array(buffer))
          .catch((error: unknown) => Promise.reject(readError(error))),
        stalled,
      ]);
      clearTimeout(timer);
      if (result === STALLED) {
        // The stalled read keeps the buffer: drop the stream and read the rest as slices.
        reader.cancel().catch(() => {});
        yield* readChunks(blob.slice(offset), chunkSize);
        return;
      }
      const { done, value } = result;
      if (done || !value) return;
      offset += value.byteLength;
      yield value;
      // read() transferred the buffer into `value`: take it back for the next read.
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    clearTimeout(timer);
    try {
      reader.releaseLock();
    } catch {
      // A cancelled reader with a read still pending may refuse; the stream is dropped anyway.
    }
  }
}
