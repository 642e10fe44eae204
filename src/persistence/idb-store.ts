import { createStore, del, get, promisifyRequest, set, values, type UseStore } from 'idb-keyval';
import type { ResumeStore, UploadRecord } from '../engine/ports.ts';
import { gatedStore } from './page-cache.ts';

/** The IndexedDB database the records live in by default; the object store is always 'uploads'. */
export const DEFAULT_DB_NAME = 'resumable-upload';
const STORE_NAME = 'uploads';

/** The newest of the records that match, or undefined. */
function newest(records: UploadRecord[]): UploadRecord | undefined {
  return records.reduce<UploadRecord | undefined>(
    (best, r) => (!best || r.updatedAt > best.updatedAt ? r : best),
    undefined,
  );
}

/**
 * A ResumeStore in IndexedDB (idb-keyval, in a database of our own rather than the shared 'keyval-store'),
 * one record per upload keyed by its id. Each put is one readwrite transaction; idb-keyval creates them in
 * call order and IndexedDB runs transactions on one store in creation order, so the last put wins. Its
 * transactions do not outlive a page put in the back/forward cache (`gatedStore`, for WebKit).
 */
export function createIdbResumeStore(name: string = DEFAULT_DB_NAME): ResumeStore {
  let store: UseStore | undefined;
  // Opened on first use: creating the store touches indexedDB, which throws in some sandboxed documents.
  const db = () => (store ??= gatedStore(createStore(name, STORE_NAME)));
  return {
    get: (id) => get<UploadRecord>(id, db()),
    async find(fingerprint, endpoint) {
      const all = await values<UploadRecord>(db());
      return newest(all.filter((r) => r.fingerprint === fingerprint && r.endpoint === endpoint));
    },
    put: (record) => set(record.id, record, db()),
    // One readwrite transaction: puts made before it are read, puts made after it run after it.
    update: (id, change) =>
      db()('readwrite', (store) => {
        const read = store.get(id) as IDBRequest<UploadRecord | undefined>;
        // The put is made inside the read's success event (no promise in between), while the
        // transaction is still active in every engine.
        read.onsuccess = () => {
          const next = change(read.result);
          if (next) store.put(next, id);
        };
        return promisifyRequest(store.transaction);
      }),
    delete: (id) => del(id, db()),
    list: () => values<UploadRecord>(db()),
  };
}
