import { withRelativePath } from '../engine/records.ts';
import type { PickedFiles } from './file-picker.ts';

/**
 * Hidden files that operating systems leave in folders (Finder's .DS_Store and ._ AppleDouble
 * files, Windows' Thumbs.db, ehthumbs.db and desktop.ini): skipped in walked folders by default,
 * since nobody means to upload them.
 */
const SYSTEM_FILE = /^(\.DS_Store|\._.+|Thumbs\.db|ehthumbs\.db|desktop\.ini)$/i;

/** Whether a file name is one of the operating system's hidden files (see SYSTEM_FILE). */
export function isSystemFile(name: string): boolean {
  return SYSTEM_FILE.test(name);
}

/** How folders are walked. */
export interface WalkOptions {
  /** Keep .DS_Store, Thumbs.db and the like (default: skip them). */
  systemFiles?: boolean;
}

type Walked = { file: File; handle?: FileSystemFileHandle };

/** Every file under a directory handle, depth first, each with its path from `prefix`. */
async function walkHandle(
  dir: FileSystemDirectoryHandle,
  prefix: string,
  out: Walked[],
  opts: WalkOptions,
): Promise<void> {
  const iterable = dir as unknown as AsyncIterable<[string, FileSystemHandle]>;
  for await (const [name, entry] of iterable) {
    if (entry.kind === 'directory') {
      await walkHandle(entry as FileSystemDirectoryHandle, `${prefix}${name}/`, out, opts);
    } else if (opts.systemFiles || !isSystemFile(name)) {
      const handle = entry as FileSystemFileHandle;
      out.push({ file: withRelativePath(await handle.getFile(), `${prefix}${name}`), handle });
    }
  }
}

/** Every file under a directory entry (the older webkitGetAsEntry API), read in its batches. */
async function walkEntry(entry: FileSystemEntry, out: Walked[], opts: WalkOptions): Promise<void> {
  if (entry.isFile) {
    if (!opts.systemFiles && isSystemFile(entry.name)) return;
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    // fullPath starts with '/', then the dropped folder's own name; a loose dropped file has no folder.
    const path = entry.fullPath.replace(/^\//, '');
    out.push({ file: path.includes('/') ? withRelativePath(file, path) : file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries gives at most 100 entries per call (Chromium): read until it gives none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (!batch.length) break;
    for (const child of batch) await walkEntry(child, out, opts);
  }
}

/** Sorted by path, as a file manager lists them. */
function sortByPath(walked: Walked[]): Walked[] {
  const path = (w: Walked) => w.file.webkitRelativePath;
  return walked.sort((a, b) => (path(a) < path(b) ? -1 : path(a) > path(b) ? 1 : 0));
}

/** Split into files and handles (all of them, or none when any is missing). */
function collect(walked: Walked[]): PickedFiles {
  const files = walked.map((w) => w.file);
  const handles = walked.map((w) => w.handle);
  return handles.every((h) => h)
    ? { files, handles: handles as FileSystemFileHandle[] }
    : { files };
}

/** The files of dropped File System Access handles: files as they are, then folders walked. */
export async function filesOfHandles(
  handles: FileSystemHandle[],
  opts: WalkOptions,
): Promise<PickedFiles> {
  const loose: Walked[] = [];
  const walked: Walked[] = [];
  for (const handle of handles) {
    if (handle.kind === 'directory') {
      await walkHandle(handle as FileSystemDirectoryHandle, `${handle.name}/`, walked, opts);
    } else {
      const file = handle as FileSystemFileHandle;
      loose.push({ file: await file.getFile(), handle: file });
    }
  }
  return collect([...loose, ...sortByPath(walked)]);
}

/** The files of dropped entries (webkitGetAsEntry): files as they are, folders walked. */
export async function filesOfEntries(
  entries: FileSystemEntry[],
  opts: WalkOptions,
): Promise<PickedFiles> {
  const walked: Walked[] = [];
  for (const entry of entries) await walkEntry(entry, walked, opts);
  return { files: sortByPath(walked).map((w) => w.file) };
}

type ShowDirectoryPicker = (options?: { mode?: 'read' }) => Promise<FileSystemDirectoryHandle>;

/**
 * Lets the person choose a folder: `showDirectoryPicker` where the browser has it (the handles let
 * an upload resume after a restart without choosing again), else `<input webkitdirectory>` (its
 * files carry their `webkitRelativePath` already). Resolves null when cancelled. Call it from a click.
 */
export async function pickFolder(
  input: HTMLInputElement,
  opts: WalkOptions,
): Promise<PickedFiles | null> {
  const picker = (globalThis as { showDirectoryPicker?: ShowDirectoryPicker }).showDirectoryPicker;
  if (typeof picker === 'function' && window.self === window.top) {
    try {
      const dir = await picker({ mode: 'read' });
      return await filesOfHandles([dir], opts);
    } catch (err) {
      if ((err as DOMException)?.name === 'AbortError') return null;
      // SecurityError (a sandboxed frame) and the like: the input still works.
    }
  }
  return new Promise((resolve) => {
    const done = () => {
      input.removeEventListener('change', done);
      input.removeEventListener('cancel', done);
      const files = Array.from(input.files ?? []).filter(
        (f) => opts.systemFiles || !isSystemFile(f.name),
      );
      input.value = '';
      resolve(files.length ? { files } : null);
    };
    input.addEventListener('change', done);
    input.addEventListener('cancel', done);
    input.click();
  });
}
