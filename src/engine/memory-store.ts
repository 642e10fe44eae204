import type { ResumeStore, UploadRecord } from './ports.ts';

/** A ResumeStore in memory: the fallback when IndexedDB is unavailable (uploads work, no resume after reload). */
export function memoryStore(): ResumeStore {
  const records = new Map<string, UploadRecord>();
  return {
    get: async (id) => records.get(id),
    find: async (fingerprint, endpoint) =>
      [...records.values()].find((r) => r.fingerprint === fingerprint && r.endpoint === endpoint),
    put: async (record) => {
      records.set(record.id, { ...record, parts: [...record.parts] });
    },
    delete: async (id) => {
      records.delete(id);
    },
    list: async () => [...records.values()],
  };
}
