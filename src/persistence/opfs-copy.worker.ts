// Copies one File into the origin private file system with a sync access handle: the one way to write
// OPFS files that Firefox and WebKit (no createWritable there) share with Chromium, and it exists in
// dedicated workers only. One message in ({ dir, name, file }), one out ({ ok } or { error }).

/** A piece at a time: the worker's memory stays bounded whatever the file's size. */
const CHUNK = 4 * 1024 * 1024;

interface SyncAccessHandle {
  write(buffer: ArrayBufferView, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

self.onmessage = async (event: MessageEvent<{ dir: string; name: string; file: File }>) => {
  const { dir, name, file } = event.data;
  let access: SyncAccessHandle | undefined;
  try {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle(dir, { create: true });
    const handle = await folder.getFileHandle(name, { create: true });
    access = await (
      handle as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }
    ).createSyncAccessHandle();
    access.truncate(0);
    for (let at = 0; at < file.size; at += CHUNK) {
      const bytes = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
      let written = 0;
      while (written < bytes.length) {
        written += access.write(bytes.subarray(written), { at: at + written });
      }
    }
    access.flush();
    access.close();
    access = undefined;
    self.postMessage({ ok: true });
  } catch (error) {
    access?.close();
    self.postMessage({ error: `${(error as Error).name}: ${(error as Error).message}` });
  }
};
