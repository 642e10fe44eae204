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

/** A drop's item where the browser has File System Access drops (Chromium). */
type HandleItem = Pick<DataTransferItem, 'kind'> & {
  getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>;
};

/**
 * The files of a drop, with their FileSystemFileHandles where the browser gives them (so a dropped
 * file resumes after a restart without being chosen again). Call it in the drop handler itself: the
 * items are emptied once the event returns, so every handle is requested before anything is awaited.
 * Without the API, or when any handle fails, it gives the plain `files`.
 */
export function droppedFiles(data: {
  items: ArrayLike<HandleItem>;
  files: ArrayLike<File>;
}): Promise<PickedFiles> {
  const files = Array.from(data.files);
  const items = Array.from(data.items).filter((i) => i.kind === 'file');
  if (!items.length || !items.every((i) => typeof i.getAsFileSystemHandle === 'function')) {
    return Promise.resolve({ files });
  }
  const requested = items.map((i) => i.getAsFileSystemHandle!());
  return (async () => {
    try {
      const all = await Promise.all(requested);
      if (all.some((h) => !h)) return { files };
      // A dropped folder gives a directory handle (and a File that cannot be read): it is left out.
      const handles = all.filter((h): h is FileSystemFileHandle => h!.kind === 'file');
      return { files: await Promise.all(handles.map((h) => h.getFile())), handles };
    } catch {
      return { files };
    }
  })();
}
