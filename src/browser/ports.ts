import type { UploaderInit, UploaderPorts } from '../engine/uploader.ts';
import { browserOnline } from './online.ts';
import { createXhrTransport } from './xhr-transport.ts';
import {
  createOpfsCopier,
  createWebLock,
  fileFromHandle,
  openIdbResumeStore,
} from '../persistence/index.ts';
import { announcingHasher, createWorkerHasher } from '../worker/index.ts';
import { lazyHasher } from './lazy-hasher.ts';

/**
 * The browser's ports for every one the caller did not inject: worker pool, XHR, IndexedDB, Web Locks, OPFS,
 * and the network's online/offline events.
 */
export function browserPorts(init: UploaderInit): UploaderPorts {
  const options = typeof init === 'object' && init !== null ? init : ({} as UploaderInit);
  const injected = typeof options.hasher === 'object' ? options.hasher : undefined;
  const impl = typeof options.hasher === 'string' ? options.hasher : undefined;
  return {
    // Built on first use: a bad option still throws its TypeError before any worker starts.
    // hash-wasm unless `hasher` says otherwise; the pool falls back to spark-md5 where WebAssembly is refused.
    hasher:
      injected ??
      lazyHasher(() =>
        announcingHasher(createWorkerHasher({ workers: options.workers, impl }), impl),
      ),
    transport: options.transport ?? createXhrTransport(),
    online: options.online ?? browserOnline(),
    // A rejected open (no IndexedDB, private mode, blocked) makes the engine use memory and warn.
    store: options.store ?? (options.persist === false ? undefined : openIdbResumeStore()),
    // Without Web Locks (old browsers, insecure origins) the engine's own page-local lock applies.
    lock: options.lock ?? createWebLock(),
    fileFromHandle: options.fileFromHandle ?? fileFromHandle,
    copier: options.copier ?? (options.opfsCopyMaxSize === 0 ? undefined : createOpfsCopier()),
  };
}
