// `npm start` as a new user runs it: `node scripts/start.mjs` (package.json's start script) with PORT
// and UPLOAD_DIR and no S3_* variables. It builds, prints the demo's URL, serves the page, and stores
// the exact bytes of a curl-level upload in UPLOAD_DIR.
//
// It runs in a copy of the project (node_modules linked), so its build writes the copy's dist/, never
// the tree's: handler-demo.test.ts serves the tree's dist/demo in the same run, and the build empties
// dist/demo and dist/browser while it works.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/cli/config.ts';
import type {
  CompleteUploadResponse,
  CreateUploadResponse,
  SignPartsResponse,
} from '../../src/protocol/index.ts';
import { encodeKey } from '../../src/server/storage/local-paths.ts';
import { freePorts } from '../support/ports.ts';
import { bytesOf, md5 } from './handler-support.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// What a fresh clone has: everything but installed, built, stored and recorded things.
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', '.uploads', 'test-results', '.tmp']);
/**
 * A guard against a start that hangs, not a speed limit: the build takes about 16 s on 2 quiet cores, but
 * over 45 s under load with the package project's build beside it.
 */
const START_TIMEOUT = 240_000;

/** Environment of a new user's shell: no S3, secret, host or test-runner settings. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      /^(S3_|AWS_|VITEST|UPLOAD_|DEMO_CALLBACK$|CORS_ORIGINS$|HOST$|PORT$|NODE_ENV$|TEST$)/.test(
        name,
      )
    ) {
      delete env[name];
    }
  }
  return { ...env, ...extra };
}

/**
 * Resolves with the URL in the "resumable-upload demo: <url>" line once the "upload handler:" line
 * that follows it is out too; rejects if the child exits first.
 */
function printedUrl(child: ChildProcess, output: { text: string }): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no URL in ${START_TIMEOUT} ms:\n${output.text}`)),
      START_TIMEOUT,
    );
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = /^resumable-upload demo: (\S+)$/m.exec(output.text);
      if (match && /^ {2}upload handler: .*\n/m.test(output.text)) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code ?? signal}) before its URL:\n${output.text}`));
    });
  });
}

/** Exits of the child; resolves at once when it has already exited. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Signals the child's whole process group (it was spawned detached, as its group's leader). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, `${url}: ${text}`).toBe(200);
  return JSON.parse(text) as T;
}

describe('the demo config (src/cli/config.ts)', () => {
  it('defaults to port 8080 on 127.0.0.1 and the local store in ./.uploads', () => {
    const config = demoConfig({}, '/home/someone/resumable-upload');
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      uploadDir: '/home/someone/resumable-upload/.uploads',
      s3: false,
      randomSecret: true,
    });
  });
});

describe('npm start (node scripts/start.mjs)', () => {
  let project: string;
  let uploadDir: string;
  let port: number;
  let child: ChildProcess | undefined;
  const output = { text: '' };
  let url: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'ru-npm-start-'));
    uploadDir = await mkdtemp(join(tmpdir(), 'ru-npm-start-store-'));
    await cp(ROOT, project, {
      recursive: true,
      filter: (source) => source === ROOT || !NOT_COPIED.has(source.slice(ROOT.length + 1)),
    });
    await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    [port] = await freePorts(1);
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: project,
      env: userEnv({ PORT: String(port), UPLOAD_DIR: uploadDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    url = await printedUrl(child, output);
  }, START_TIMEOUT + 15_000);

  afterAll(async () => {
    if (child) {
      signalGroup(child, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(child!, 'SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(killer);
    }
    await rm(project, { recursive: true, force: true });
    await rm(uploadDir, { recursive: true, force: true });
  });

  it('prints http://127.0.0.1:<PORT>/ and the local store in UPLOAD_DIR', () => {
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    expect(output.text).toContain(
      `upload handler: ${url}api/upload, storage: local folder ${uploadDir}`,
    );
  });

  it('serves the demo page with the element', async () => {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<resumable-upload');
  });

  it('stores the exact bytes of a small file uploaded through the printed URL', async () => {
    const bytes = bytesOf(1000, 7);
    const sum = md5(bytes);
    const api = `${url}api/upload`;
    const created = await post<CreateUploadResponse>(`${api}/create`, {
      fileName: 'hello.bin',
      size: bytes.length,
      contentType: 'application/octet-stream',
    });
    expect(created).toMatchObject({ mode: 'single', partCount: 1 });
    const signed = await post<SignPartsResponse>(`${api}/sign-parts`, {
      token: created.token,
      parts: [{ partNumber: 1, size: bytes.length, contentMd5: sum.base64 }],
    });
    expect(signed.parts).toHaveLength(1);
    const part = signed.parts[0]!;
    expect(part.url.startsWith(url)).toBe(true);
    const put = await fetch(part.url, { method: part.method, headers: part.headers, body: bytes });
    expect(put.status, await put.clone().text()).toBe(200);
    const etag = (put.headers.get('etag') ?? '').replaceAll('"', '');
    expect(etag).toBe(sum.hex);
    const completed = await post<CompleteUploadResponse>(`${api}/complete`, {
      token: created.token,
      parts: [{ partNumber: 1, etag }],
    });
    expect(completed).toMatchObject({ key: created.key, size: bytes.length, etag: sum.hex });

    // The object's bytes in the local store's folder, UPLOAD_DIR.
    const stored = await readFile(join(uploadDir, 'objects', `${encodeKey(created.key)}.data`));
    expect(stored.length).toBe(bytes.length);
    expect(createHash('md5').update(stored).digest('hex')).toBe(sum.hex);
    // Nothing went to the default folder.
    await expect(stat(join(project, '.uploads'))).rejects.toThrow();
    // The demo's "in the store" listing shows it.
    const listing = (await (await fetch(`${api}/objects`)).json()) as {
      objects: { key: string; size: number; etag: string }[];
    };
    expect(listing.objects).toContainEqual(
      expect.objectContaining({ key: created.key, size: bytes.length, etag: sum.hex }),
    );
  });

  it('stops on SIGTERM and frees its port', async () => {
    signalGroup(child!, 'SIGTERM');
    await exited(child!);
    expect(child!.exitCode).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});
