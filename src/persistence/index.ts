/** Resume state in the browser: upload records in IndexedDB, file handles, and one-tab-per-upload locks. */
export { createIdbResumeStore, DEFAULT_DB_NAME } from './idb-store.ts';
export { createMemoryResumeStore } from './memory-store.ts';
export { isPersistenceAvailable, openIdbResumeStore, persistenceProblem } from './availability.ts';
export { createWebLock } from './web-lock.ts';
export { createOpfsCopier, OPFS_COPY_DIR } from './opfs-copy.ts';
export { ensureReadPermission, fileFromHandle, isFileHandle } from './file-handles.ts';
export { fileFingerprint as fingerprint } from '../engine/records.ts';
