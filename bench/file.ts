import { createCipheriv, createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** A bench file on disk and the base64 MD5 of each of its parts. */
export interface BenchFile {
  path: string;
  size: number;
  partSize: number;
  partMd5s: string[];
}

/**
 * Writes `size` deterministic bytes (an AES-256-CTR keystream with a fixed key: fast, incompressible,
 * the same on every run) and hashes them part by part as they are written.
 */
export async function writeBenchFile(
  path: string,
  size: number,
  partSize: number,
): Promise<BenchFile> {
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(partSize);
  const partMd5s: string[] = [];
  const handle = await open(path, 'w');
  try {
    for (let offset = 0; offset < size; offset += partSize) {
      const bytes = cipher.update(zeros.subarray(0, Math.min(partSize, size - offset)));
      partMd5s.push(createHash('md5').update(bytes).digest('base64'));
      await handle.write(bytes);
    }
  } finally {
    await handle.close();
  }
  return { path, size, partSize, partMd5s };
}
