// The demo page: the element inside a form, settings a visitor can change, a "generate a large file"
// button to show resume, the store's contents and a live event log.
import '../src/element/resumable-upload.ts';
import { ELEMENT_EVENTS } from '../src/element/events.ts';
import { formatBytes } from '../src/element/format.ts';
import { generatedBlock, MiB } from './generated-file.ts';

const uploader = document.querySelector('resumable-upload')!;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// Settings: each control sets the matching attribute.
$<HTMLSelectElement>('part-size').addEventListener('change', (e) => {
  uploader.setAttribute('part-size', (e.target as HTMLSelectElement).value);
});
$<HTMLInputElement>('concurrency').addEventListener('change', (e) => {
  uploader.setAttribute('concurrency', (e.target as HTMLInputElement).value);
});
$<HTMLInputElement>('multiple').addEventListener('change', (e) => {
  uploader.multiple = (e.target as HTMLInputElement).checked;
});

// The event log: every event the element fires, progress thinned to one line per 10%.
const log = $<HTMLOListElement>('log');
const lastDecile = new Map<string, number>();
function logLine(name: string, text: string): void {
  const li = document.createElement('li');
  const time = new Date().toLocaleTimeString(undefined, { hour12: false });
  li.innerHTML = `<time></time> <code></code> <span></span>`;
  li.children[0]!.textContent = time;
  li.children[1]!.textContent = name;
  li.children[2]!.textContent = text;
  li.dataset.event = name;
  log.prepend(li);
  while (log.children.length > 200) log.lastElementChild!.remove();
}
for (const name of ELEMENT_EVENTS) {
  uploader.addEventListener(name, (event) => {
    const d = (event as CustomEvent).detail;
    const file = d.upload?.name ?? d.file?.name ?? '';
    let text = file;
    switch (name) {
      case 'upload-progress': {
        const decile = Math.floor(d.upload.progress * 10);
        if (lastDecile.get(d.upload.id) === decile) return;
        lastDecile.set(d.upload.id, decile);
        text = `${file} ${Math.floor(d.upload.progress * 100)}%`;
        break;
      }
      case 'upload-part':
        text = `${file} part ${d.partNumber} (${formatBytes(d.size)}) ETag ${d.etag}`;
        break;
      case 'upload-success':
        text = `${file} -> ${d.result.key} (${formatBytes(d.result.size)})`;
        void refreshStore();
        break;
      case 'upload-error':
      case 'upload-rejected':
        text = `${file}: ${d.code} ${d.message}`;
        break;
      case 'upload-resume-unavailable':
        text = d.reason;
        break;
    }
    logLine(name, text);
  });
}
$('clear-log').addEventListener('click', () => log.replaceChildren());

// What the store holds: the demo server's optional listing route next to the upload handler.
const store = $<HTMLDivElement>('store');
async function refreshStore(): Promise<void> {
  const endpoint = uploader.endpoint || '/api/upload';
  try {
    const res = await fetch(`${endpoint}/objects`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as
      | { objects: { key: string; size: number; etag: string }[] }
      | { key: string; size: number; etag: string }[];
    const objects = Array.isArray(body) ? body : body.objects;
    if (!objects.length) {
      store.innerHTML = '<p class="hint">Nothing yet. Finished uploads appear here.</p>';
      return;
    }
    const table = document.createElement('table');
    table.innerHTML =
      '<thead><tr><th scope="col">Key</th><th scope="col">Size</th><th scope="col">ETag</th></tr></thead><tbody></tbody>';
    for (const o of objects) {
      const tr = table.tBodies[0]!.insertRow();
      tr.insertCell().textContent = o.key;
      tr.insertCell().textContent = formatBytes(o.size);
      tr.insertCell().textContent = o.etag;
    }
    store.replaceChildren(table);
  } catch (err) {
    store.innerHTML = '<p class="hint"></p>';
    store.firstElementChild!.textContent = `The server offers no listing here (${(err as Error).message}).`;
  }
}
$('refresh-store').addEventListener('click', () => void refreshStore());
void refreshStore();

// The form: its value is the uploaded keys under name="files".
const form = $<HTMLFormElement>('upload-form');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(form);
  const lines = [...data.entries()].map(([k, v]) => `${k} = ${String(v)}`);
  $('form-output').textContent = `Submitted: ${lines.join(', ') || '(nothing)'}`;
});

// "Generate a large file": deterministic bytes written to the Origin Private File System, so the
// file (and its handle, saved with the upload) is still there after a reload and the upload resumes.
const status = $<HTMLParagraphElement>('generate-status');
$<HTMLButtonElement>('generate').addEventListener('click', async (e) => {
  const button = e.currentTarget as HTMLButtonElement;
  const mib = Number($<HTMLSelectElement>('generate-size').value);
  const name = `generated-${mib}MiB.bin`;
  button.disabled = true;
  try {
    let file: File;
    let handle: FileSystemFileHandle | undefined;
    try {
      const dir = await navigator.storage.getDirectory();
      handle = await dir.getFileHandle(name, { create: true });
      file = await handle.getFile();
      if (file.size !== mib * MiB) {
        const writable = await handle.createWritable();
        for (let i = 0; i < mib; i++) {
          await writable.write(generatedBlock(i));
          if (i % 16 === 0) status.textContent = `Writing ${name}: ${i} of ${mib} MiB…`;
        }
        await writable.close();
        file = await handle.getFile();
      }
    } catch {
      // No private file system: an in-memory file uploads fine but cannot resume after a reload.
      handle = undefined;
      file = new File(
        Array.from({ length: mib }, (_, i) => generatedBlock(i)),
        name,
        { type: 'application/octet-stream' },
      );
    }
    status.textContent = handle
      ? `${name} (${formatBytes(file.size)}) added. Reload the page while it uploads, then press Resume.`
      : `${name} added (in memory only: it cannot resume after a reload in this browser).`;
    uploader.addFiles([file], handle ? [handle] : undefined);
  } finally {
    button.disabled = false;
  }
});
