/**
 * Resume state in the browser, as adapters of the engine's ports (src/engine/ports.ts): upload records
 * in IndexedDB, file handles, private copies in OPFS, and one-tab-per-upload locks.
 */
export { createIdbResumeStore, DEFAULT_DB_NAME } from './idb-store.ts';
export { isPersistenceAvailable, openIdbResumeStore, persistenceProblem } from './availability.ts';
export { createWebLock } from './web-lock.ts';
export { createOpfsCopier, OPFS_COPY_DIR } from './opfs-copy.ts';
export { ensureReadPermission, fileFromHandle, isFileHandle } from './file-handles.ts';
