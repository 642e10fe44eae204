import type { FileCopier } from '../engine/ports.ts';
// Inlined like the hash workers (a blob: URL), so the bundle needs no extra file or bundler setting.
import CopyWorker from './opfs-copy.worker.ts?worker&inline';

/** The OPFS folder the copies live in, one file per upload id. */
export const OPFS_COPY_DIR = 'resumable-upload-copies';

/** The copies' folder; rejects with NotFoundError when no copy was ever made (it is never created here). */
async function folder(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(OPFS_COPY_DIR);
}

/**
 * The browser's FileCopier: copies in the origin private file system, written by a dedicated worker with
 * createSyncAccessHandle (Chromium, Firefox and WebKit all have it). Undefined where OPFS or workers are
 * missing (the engine then keeps no copies).
 */
export function createOpfsCopier(): FileCopier | undefined {
  if (
    typeof navigator === 'undefined' ||
    typeof navigator.storage?.getDirectory !== 'function' ||
    typeof Worker === 'undefined'
  ) {
    return undefined;
  }
  return {
    async available() {
      const estimate = await navigator.storage.estimate?.().catch(() => undefined);
      if (estimate?.quota === undefined || estimate.usage === undefined) return undefined;
      return estimate.quota - estimate.usage;
    },
    copy(name, file, signal) {
      return new Promise<void>((resolve, reject) => {
        const worker = new CopyWorker();
        const finish = () => {
          signal.removeEventListener('abort', onAbort);
          worker.terminate();
        };
        const onAbort = () => {
          finish();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        worker.onmessage = (event: MessageEvent<{ ok?: true; error?: string }>) => {
          finish();
          if (event.data.ok) resolve();
          else reject(new Error(event.data.error ?? 'the copy failed'));
        };
        worker.onerror = (event) => {
          finish();
          reject(new Error(event.message || 'the copy worker failed to start'));
        };
        worker.postMessage({ dir: OPFS_COPY_DIR, name, file });
      });
    },
    async read(name) {
      try {
        return await (await (await folder()).getFileHandle(name)).getFile();
      } catch {
        return undefined;
      }
    },
    async prune(keep) {
      const dir = await folder().catch(() => undefined);
      if (!dir) return;
      const names: string[] = [];
      // keys() is missing from TypeScript's DOM types for directory handles.
      for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
        if (!keep.has(name)) names.push(name);
      }
      // One still being written by another tab is locked and stays: removeEntry refuses it.
      await Promise.all(names.map((name) => dir.removeEntry(name).catch(() => {})));
    },
    async remove(name) {
      // No folder: no copy was ever made in this origin (every upload ends here, copied or not).
      const dir = await folder().catch(() => undefined);
      if (!dir) return;
      // A worker terminated in the middle of a write may still hold the file for a moment: retry once.
      await dir.removeEntry(name).catch(async (error: Error) => {
        if (error.name === 'NotFoundError') return;
        await new Promise((r) => setTimeout(r, 100));
        await dir.removeEntry(name).catch(() => {});
      });
    },
  };
}
