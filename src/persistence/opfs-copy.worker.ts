// Copies one File into the origin private file system with a sync access handle: the one way to write
// OPFS files that Firefox and WebKit (no createWritable there) share with Chromium, and it exists in
// dedicated workers only. One message in ({ dir, name, file }), one out ({ ok } or { error }).
import { byobChunks } from '../worker/md5-digest.ts';

/**
 * A piece at a time, read into one reused buffer as the MD5 workers read (slices where Blob streams are not
 * byte streams: WebKit), so the worker's memory stays bounded whatever the file's size and no piece is
 * garbage (4 MiB slices read with arrayBuffer() made a new buffer each).
 */
const CHUNK = 2 * 1024 * 1024;

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
    let at = 0;
    for await (const bytes of byobChunks(file, CHUNK)) {
      let written = 0;
      while (written < bytes.length) {
        written += access.write(bytes.subarray(written), { at: at + written });
      }
      at += bytes.length;
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
