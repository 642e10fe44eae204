import { describe, expect, it } from 'vitest';
import { parseByteSize, resolveOptions, type ElementSettings } from '../../src/element/options.ts';
import {
  MAX_CONCURRENCY,
  resolveOptions as resolveEngineOptions,
} from '../../src/engine/options.ts';
import { droppedFiles } from '../../src/element/file-picker.ts';
import { fill, mergeStrings } from '../../src/element/strings.ts';

const base: ElementSettings = {
  endpoint: '',
  accept: '',
  maxFileSize: null,
  partSize: null,
  concurrency: null,
  autoStart: true,
  callbackTarget: '',
  metadata: null,
  callbackVars: null,
  backend: null,
};

function resolve(patch: Partial<ElementSettings>) {
  const warnings: string[] = [];
  const options = resolveOptions({ ...base, ...patch }, (m) => warnings.push(m));
  return { options, warnings };
}

describe('element settings', () => {
  it('reads byte sizes with and without units', () => {
    expect(parseByteSize('5242880')).toBe(5 * 1024 * 1024);
    expect(parseByteSize('8MiB')).toBe(8 * 1024 * 1024);
    expect(parseByteSize('100 MB')).toBe(100_000_000);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('lots')).toBeNaN();
    expect(parseByteSize('-5MB')).toBeNaN();
  });

  it('uses /api/upload when no endpoint is set, with no warning', () => {
    expect(resolve({})).toEqual({
      options: { autoStart: true, endpoint: '/api/upload' },
      warnings: [],
    });
  });

  it('falls back with a warning on every invalid value instead of passing it to the engine', () => {
    const { options, warnings } = resolve({
      partSize: 'huge',
      concurrency: '2.5',
      maxFileSize: 'x',
      metadata: { n: 1 },
      backend: { createUpload() {} },
    });
    expect(options).toEqual({ autoStart: true, endpoint: '/api/upload', concurrency: 4 });
    expect(warnings).toHaveLength(5);
    expect(warnings.join('\n')).toMatch(/part-size "huge"/);
  });

  it('reads opfs-copy-max-size as a size, 0 turning copies off, and warns on anything else', () => {
    expect(resolve({ opfsCopyMaxSize: '20MiB' }).options.opfsCopyMaxSize).toBe(20 * 1024 * 1024);
    expect(resolve({ opfsCopyMaxSize: '0' }).options.opfsCopyMaxSize).toBe(0);
    const { options, warnings } = resolve({ opfsCopyMaxSize: 'big' });
    expect(options.opfsCopyMaxSize).toBeUndefined();
    expect(warnings).toEqual([
      'opfs-copy-max-size "big" is not a size (e.g. 100MiB, or 0 for no copies); using 100 MiB.',
    ]);
  });

  it('clamps the part size to S3 limits and the concurrency to the engine bound', () => {
    expect(resolve({ partSize: '1MiB', concurrency: 65 }).options).toMatchObject({
      partSize: 5 * 1024 * 1024,
      concurrency: MAX_CONCURRENCY,
    });
    expect(resolve({ partSize: '6GiB' }).options.partSize).toBe(5 * 1024 ** 3);
  });

  it('passes every concurrency the engine accepts, and only those', () => {
    const top = resolve({ concurrency: String(MAX_CONCURRENCY) });
    expect(top.options.concurrency).toBe(MAX_CONCURRENCY);
    expect(top.warnings).toEqual([]);
    expect(() => resolveEngineOptions({ endpoint: '/u', ...top.options })).not.toThrow();
    const over = resolve({ concurrency: MAX_CONCURRENCY + 1 });
    expect(over.warnings).toEqual([
      `concurrency ${MAX_CONCURRENCY + 1} is over ${MAX_CONCURRENCY}; using ${MAX_CONCURRENCY}.`,
    ]);
    expect(() =>
      resolveEngineOptions({ endpoint: '/u', concurrency: MAX_CONCURRENCY + 1 }),
    ).toThrow(TypeError);
  });

  it('sends callback variables only with a callback target', () => {
    expect(
      resolve({ callbackTarget: 'album', callbackVars: { 'x:id': '7' } }).options.callback,
    ).toEqual({
      target: 'album',
      vars: { 'x:id': '7' },
    });
    const { options, warnings } = resolve({ callbackVars: { 'x:id': '7' } });
    expect(options.callback).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});

describe('element strings', () => {
  it('merges a partial translation over English, phases and errors included', () => {
    const s = mergeStrings({ pause: 'Pausieren', phases: { done: 'Fertig' } });
    expect(s.pause).toBe('Pausieren');
    expect(s.phases.done).toBe('Fertig');
    expect(s.phases.failed).toBe('Failed');
    expect(s.resume).toBe('Resume');
  });

  it('merges replaced callback reasons over the English ones', () => {
    const s = mergeStrings({ callbackReasons: { timeout: 'zu langsam' } });
    expect(s.callbackReasons.timeout).toBe('zu langsam');
    expect(s.callbackReasons.unreachable).toBe('its server was unreachable');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('{name} is {size} {other}', { name: 'a.txt', size: '3 kB' })).toBe(
      'a.txt is 3 kB {other}',
    );
  });
});

/** A drop's item as Chromium gives it: `handle` is what getAsFileSystemHandle() settles with. */
function fakeItem(handle: () => Promise<unknown>, calls: string[], label: string) {
  return {
    kind: 'file' as const,
    getAsFileSystemHandle: () => {
      calls.push(label);
      return handle() as Promise<FileSystemHandle | null>;
    },
  };
}

function fileHandle(file: File) {
  return { kind: 'file', name: file.name, getFile: () => Promise.resolve(file) };
}

describe('dropped files', () => {
  const a = new File(['aaa'], 'a.txt');
  const b = new File(['bb'], 'b.txt');

  it('asks every item for its handle during the drop, and gives the files behind the handles', async () => {
    const calls: string[] = [];
    const ha = fileHandle(a);
    const hb = fileHandle(b);
    const items = [
      fakeItem(() => Promise.resolve(ha), calls, 'a'),
      { kind: 'string' as const },
      fakeItem(() => Promise.resolve(hb), calls, 'b'),
    ];
    const dropped = droppedFiles({ items, files: [a, b] });
    // Requested before the handler returns: the browser empties the items after the event.
    expect(calls).toEqual(['a', 'b']);
    const { files, handles } = await dropped;
    expect(files).toEqual([a, b]);
    expect(handles).toEqual([ha, hb]);
  });

  it('walks a dropped folder, keeping each file\u2019s path and skipping system files and empty folders', async () => {
    const calls: string[] = [];
    const x = new File(['x'], 'x.jpg');
    const y = new File(['y'], 'y.jpg');
    const dir = (name: string, entries: [string, unknown][]) => ({
      kind: 'directory',
      name,
      async *[Symbol.asyncIterator]() {
        yield* entries;
      },
    });
    const folder = dir('photos', [
      ['y.jpg', fileHandle(y)],
      ['.DS_Store', fileHandle(new File(['ds'], '.DS_Store'))],
      ['empty', dir('empty', [])],
      ['2024', dir('2024', [['x.jpg', fileHandle(x)]])],
    ]);
    const items = [
      fakeItem(() => Promise.resolve(folder), calls, 'photos'),
      fakeItem(() => Promise.resolve(fileHandle(a)), calls, 'a'),
    ];
    const { files, handles } = await droppedFiles({ items, files: [new File([], 'photos'), a] });
    expect(files.map((f) => [f.name, f.webkitRelativePath ?? ''])).toEqual([
      ['a.txt', ''],
      ['x.jpg', 'photos/2024/x.jpg'],
      ['y.jpg', 'photos/y.jpg'],
    ]);
    expect(handles).toHaveLength(3);
    const kept = await droppedFiles({ items, files: [] }, { systemFiles: true });
    expect(kept.files.map((f) => f.webkitRelativePath)).toContain('photos/.DS_Store');
  });

  it('gives the plain files when a handle fails or is missing, or the browser has no handles', async () => {
    const calls: string[] = [];
    const failing = [
      fakeItem(() => Promise.resolve(fileHandle(a)), calls, 'a'),
      fakeItem(() => Promise.reject(new DOMException('gone', 'NotFoundError')), calls, 'b'),
    ];
    expect(await droppedFiles({ items: failing, files: [a, b] })).toEqual({ files: [a, b] });
    const empty = [fakeItem(() => Promise.resolve(null), calls, 'a')];
    expect(await droppedFiles({ items: empty, files: [a] })).toEqual({ files: [a] });
    const unreadable = [
      fakeItem(
        () => Promise.resolve({ kind: 'file', getFile: () => Promise.reject(new Error('moved')) }),
        calls,
        'a',
      ),
    ];
    expect(await droppedFiles({ items: unreadable, files: [a] })).toEqual({ files: [a] });
    const noApi = [{ kind: 'file' as const }];
    expect(await droppedFiles({ items: noApi, files: [a] })).toEqual({ files: [a] });
  });
});
