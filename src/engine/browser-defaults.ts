import { createWorkerHasher } from '../worker/index.ts';
import { lazyHasher } from './lazy-hasher.ts';
import type { UploaderInit, UploaderPorts } from './uploader.ts';
import { createXhrTransport } from './xhr-transport.ts';

/** The browser's ports for every one the caller did not inject: worker pool, XHR, IndexedDB, Web Locks. */
export function browserPorts(init: UploaderInit): UploaderPorts {
  const options = typeof init === 'object' && init !== null ? init : ({} as UploaderInit);
  const injected = typeof options.hasher === 'object' ? options.hasher : undefined;
  const impl = typeof options.hasher === 'string' ? options.hasher : undefined;
  return {
    hasher: injected ?? lazyHasher(() => createWorkerHasher({ workers: options.workers, impl })),
    transport: options.transport ?? createXhrTransport(),
    store: options.store,
    lock: options.lock,
    fileFromHandle:
      options.fileFromHandle ??
      (async (handle) => {
        // queryPermission/requestPermission are Chromium-only and missing from TypeScript's DOM types.
        const h = handle as FileSystemFileHandle & {
          requestPermission?: (d: { mode: string }) => Promise<PermissionState>;
        };
        if (h.requestPermission && (await h.requestPermission({ mode: 'read' })) !== 'granted') {
          throw new Error('permission to read the file was refused');
        }
        return handle.getFile();
      }),
  };
}
