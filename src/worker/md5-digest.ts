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

/** Yields `blob` as blob.stream() delivers it (Chromium: up to 64 KiB per chunk for files on disk). */
export async function* streamChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The base64 of the 16 bytes whose hex is `hex` (Content-MD5 wants base64). */
export function hexToBase64(hex: string): string {
  let binary = '';
  for (let i = 0; i < hex.length; i += 2)
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}
