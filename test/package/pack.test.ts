// The package as npm publishes it: `npm pack` of a fresh build, checked for what it holds and for
// whether a TypeScript consumer resolves the types of every entry from the installed tarball, with
// `moduleResolution: bundler` and with `node16`. It builds in a copy of the project (node_modules
// linked), so the tree's dist/ is never emptied under other tests.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', '.uploads', 'test-results', '.tmp']);
const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');

let dir: string;
let project: string;
let files: string[];
let manifest: { exports: Record<string, string | Record<string, string>> };

/** `npm` without the test runner's environment (it would otherwise pick the project's settings). */
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-pack-'));
  project = join(dir, 'project');
  await cp(ROOT, project, {
    recursive: true,
    filter: (source) => source === ROOT || !NOT_COPIED.has(source.slice(ROOT.length + 1)),
  });
  await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  execFileSync('node', ['scripts/build.mjs'], { cwd: project, stdio: 'pipe' });
  // --ignore-scripts: the build above is the one packed; nothing else runs.
  const [packed] = JSON.parse(
    npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], project),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed!.files.map((f) => f.path).sort();
  manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
  // Installed as npm would: the tarball's package/ folder as node_modules/resumable-upload, next
  // to the dependencies (links to the project's own, as no network is used).
  const consumer = join(dir, 'consumer');
  const modules = join(consumer, 'node_modules');
  await mkdir(join(modules, 'resumable-upload'), { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(dir, packed!.filename),
    '-C',
    join(modules, 'resumable-upload'),
    '--strip-components=1',
  ]);
  for (const name of await readdir(join(ROOT, 'node_modules'))) {
    if (name.startsWith('.') || name === 'resumable-upload') continue;
    await symlink(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the built entries, README and package.json, and nothing from src, test, demo or scripts', () => {
    for (const path of files) {
      expect(path).toMatch(
        /^(package\.json|README\.md|LICENSE|dist\/(browser|cdn|types|server|protocol)\/.+|dist\/custom-elements\.json)$/,
      );
    }
    expect(files.filter((f) => /^(test|demo|src|bench|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.|test-results|\.uploads/.test(f))).toEqual([]);
    // Every file an export condition names is inside.
    const targets = Object.values(manifest.exports).flatMap((v) =>
      typeof v === 'string' ? [v] : Object.values(v),
    );
    for (const target of targets) expect(files).toContain(target.replace(/^\.\//, ''));
    expect(files).toContain('dist/cdn/resumable-upload.js');
  });

  it('publishes no internals in its type declarations', async () => {
    const installed = join(dir, 'consumer/node_modules/resumable-upload');
    const declarations = files.filter((f) => f.endsWith('.d.ts'));
    expect(declarations).toContain('dist/server/storage/local.d.ts');
    for (const path of declarations) {
      const text = await readFile(join(installed, path), 'utf8');
      // stripInternal drops every declaration marked @internal, its comment with it.
      expect(text, path).not.toContain('@internal');
    }
    // What the local store once exposed to its HTTP side: now private, so named without a type.
    const local = await readFile(join(installed, 'dist/server/storage/local.d.ts'), 'utf8');
    const internals =
      /\b(layout|signer|trashDir|receivePart|receiveObject|openObject|readObject|publishObject|ObjectRecord|IncomingBody|LocalLayout|UrlSigner|LocalObjects|LocalUploads|LocalHttpStore)\b/;
    const exposed = local
      .split('\n')
      .filter((line) => internals.test(line) && !/^\s*private /.test(line));
    expect(exposed).toEqual([]);
    expect(local).toMatch(/^\s*handle\(request: Request\): Promise<Response \| null>;$/m);
  });

  it.each([
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
  ])('resolves the types of every entry with moduleResolution %s', async (name, options) => {
    const consumer = join(dir, 'consumer');
    await writeFile(join(consumer, 'package.json'), '{ "type": "module", "private": true }');
    await writeFile(
      join(consumer, 'index.ts'),
      `import { ResumableUpload, defaultStrings, registerLocale, type UploadSuccessEvent } from 'resumable-upload';
import { ResumableUpload as Tagless } from 'resumable-upload/element';
import { Uploader, EngineError, type UploadSnapshot } from 'resumable-upload/engine';
import { createUploadHandler, createLocalStorage, HandlerError } from 'resumable-upload/server';

const el: ResumableUpload = document.createElement('resumable-upload');
const keys: string[] = el.value;
customElements.define('acme-uploader', class extends Tagless {});
el.addEventListener('upload-success', (e: UploadSuccessEvent) => e.detail.result.key.toUpperCase());
registerLocale('it', { ...defaultStrings, dropZone: 'Trascina qui i file' });
const snapshot: UploadSnapshot | undefined = new Uploader({ endpoint: '/api/upload' }).uploads[0];
const handler: (request: Request) => Promise<Response> = createUploadHandler({
  storage: createLocalStorage({ root: '/tmp/x', secret: 'a-secret-of-32-characters-or-more!!' }),
  tokenSecret: 'another-secret-of-32-characters-or-more',
});
// Each fails to compile if its type were any (an unresolved entry gives any).
// @ts-expect-error value is string[] (writes are ignored, so reading is what is typed)
const wrong: number = el.value;
// @ts-expect-error code is a string union
new EngineError(42);
// @ts-expect-error status is a number
new HandlerError('forbidden', 'no').status.toUpperCase();
export { keys, snapshot, handler, wrong };
`,
    );
    const config = join(consumer, `tsconfig.${name}.json`);
    await writeFile(
      config,
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: 'es2022',
          lib: ['es2023', 'dom', 'dom.iterable'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['index.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync('node', [tsc, '-p', config], { cwd: consumer, encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout?: string }).stdout ?? String(error);
    }
    expect(output).toBe('');
  });
});
