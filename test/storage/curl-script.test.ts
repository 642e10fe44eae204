// scripts/upload-with-curl.sh, the README's protocol-by-hand example, against the real handler on
// the local adapter and on Swift s3api: plain curl requests store exactly the file's bytes, and a
// refused call stops the script with the server's error code.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MiB } from '../../src/protocol/index.ts';
import {
  bytesOf,
  md5,
  startHarness,
  storedMd5,
  type Harness,
  type StoreKind,
} from './handler-support.ts';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '../../scripts/upload-with-curl.sh');

/** Runs the script; resolves with its exit code, stdout and stderr (never rejects). */
async function curlUpload(
  path: string,
  endpoint: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT, path, endpoint], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each<StoreKind>(['local', 'swift'])('upload-with-curl.sh on %s', (kind) => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await startHarness(kind, inject('s3'));
    dir = await mkdtemp(join(tmpdir(), 'ru-curl-'));
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a multipart file (two parts and a remainder)', 2 * 8 * MiB + 12345, 3],
    ['a one-part file (single mode)', 1000, 1],
    ['an empty file', 0, 1],
  ])('stores %s with the same MD5', async (_label, size, parts) => {
    const bytes = bytesOf(size, size % 97);
    const path = join(dir, `file-${size}.bin`);
    await writeFile(path, bytes);
    const result = await curlUpload(path, `${h.url}/api/upload`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/^part \d+\/\d+:/gm)).toHaveLength(parts);
    const completed = JSON.parse(result.stdout) as { key: string; size: number };
    expect(completed.size).toBe(size);
    expect(await storedMd5(h.storage, completed.key)).toEqual({ hex: md5(bytes).hex, size });
  });

  it('sends UPLOAD_AUTH_HEADER to the handler, and stops with its error when refused', async () => {
    const path = join(dir, 'guarded.bin');
    const bytes = bytesOf(100, 3);
    await writeFile(path, bytes);
    const guarded = await startHarness(kind, inject('s3'), {
      authorize: (request) =>
        request.headers.get('authorization') === 'Bearer t0ken' ? 'alice' : null,
      maxFileSize: 50,
    });
    try {
      const anonymous = await curlUpload(path, `${guarded.url}/api/upload`);
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toMatch(/create answered 401: .*"code":"unauthorized"/);
      const tooBig = await curlUpload(path, `${guarded.url}/api/upload`, {
        UPLOAD_AUTH_HEADER: 'authorization: Bearer t0ken',
      });
      expect(tooBig.code).toBe(1);
      expect(tooBig.stderr).toMatch(/create answered 413: .*"code":"file-too-large"/);
    } finally {
      await guarded.close();
    }
  });
});
