import { filesOfEntries, filesOfHandles, type WalkOptions } from './folder-walk.ts';

/** Files a person chose, with their File System Access handles when the picker gave them. */
export interface PickedFiles {
  files: File[];
  handles?: FileSystemFileHandle[];
}

interface OpenFilePickerOptions {
  multiple?: boolean;
  excludeAcceptAllOption?: boolean;
  types?: { description?: string; accept: Record<string, string[]> }[];
}

type ShowOpenFilePicker = (options?: OpenFilePickerOptions) => Promise<FileSystemFileHandle[]>;

/**
 * Converts an `<input accept>` list ('.png,image/*') into showOpenFilePicker `types`. The picker wants
 * extensions grouped under a MIME type, so bare extensions go under application/octet-stream.
 */
export function pickerTypes(accept: string): OpenFilePickerOptions['types'] {
  const tokens = accept
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tokens.length === 0) return undefined;
  const map: Record<string, string[]> = {};
  for (const token of tokens) {
    if (token.startsWith('.')) (map['application/octet-stream'] ??= []).push(token);
    else if (/^[\w.+-]+\/[\w.+*-]+$/.test(token)) map[token] ??= [];
  }
  return Object.keys(map).length ? [{ description: accept, accept: map }] : undefined;
}

function inputPick(input: HTMLInputElement): Promise<PickedFiles | null> {
  return new Promise((resolve) => {
    const done = () => {
      input.removeEventListener('change', done);
      input.removeEventListener('cancel', done);
      const files = Array.from(input.files ?? []);
      // Cleared so choosing the same file again still fires 'change'.
      input.value = '';
      resolve(files.length ? { files } : null);
    };
    input.addEventListener('change', done);
    input.addEventListener('cancel', done);
    input.click();
  });
}

/**
 * Opens the File System Access picker where the browser has it (its handles let an upload resume
 * after a restart without re-picking), else the given `<input type=file>`. Resolves null when the
 * person cancels. Must be called from a user gesture.
 */
export async function pickFiles(
  input: HTMLInputElement,
  opts: { multiple: boolean; accept: string },
): Promise<PickedFiles | null> {
  const picker = (globalThis as { showOpenFilePicker?: ShowOpenFilePicker }).showOpenFilePicker;
  // Cross-origin iframes expose the function but throw SecurityError: the input works there.
  if (typeof picker === 'function' && window.self === window.top) {
    try {
      const handles = await picker({ multiple: opts.multiple, types: pickerTypes(opts.accept) });
      const files = await Promise.all(handles.map((h) => h.getFile()));
      return { files, handles };
    } catch (err) {
      if ((err as DOMException)?.name === 'AbortError') return null;
      // A TypeError (an accept list the picker refuses) or SecurityError: fall back to the input.
    }
  }
  return inputPick(input);
}

/** A drop's item: File System Access handles where the browser has them (Chromium), else entries. */
type HandleItem = Pick<DataTransferItem, 'kind'> & {
  getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>;
  webkitGetAsEntry?: () => FileSystemEntry | null;
};

/**
 * The files of a drop, dropped folders walked (each file with its relative path), with their
 * FileSystemFileHandles where the browser gives them (so a dropped file resumes after a restart
 * without being chosen again). Call it in the drop handler itself: the items are emptied once the
 * event returns, so every handle or entry is requested before anything is awaited. Without either
 * API, or when a handle fails, it gives the plain `files`.
 */
export function droppedFiles(
  data: { items: ArrayLike<HandleItem>; files: ArrayLike<File> },
  opts: WalkOptions = {},
): Promise<PickedFiles> {
  const files = Array.from(data.files);
  const items = Array.from(data.items).filter((i) => i.kind === 'file');
  if (items.length && items.every((i) => typeof i.getAsFileSystemHandle === 'function')) {
    const requested = items.map((i) => i.getAsFileSystemHandle!());
    return Promise.all(requested)
      .then((all) =>
        all.some((h) => !h) ? { files } : filesOfHandles(all as FileSystemHandle[], opts),
      )
      .catch(() => ({ files }));
  }
  const entries = items.map((i) => i.webkitGetAsEntry?.() ?? null);
  if (entries.some((e) => e?.isDirectory) && entries.every((e) => e)) {
    return filesOfEntries(entries as FileSystemEntry[], opts).catch(() => ({ files }));
  }
  return Promise.resolve({ files });
}
