import type { ResumeStore, UploadRecord } from './ports.ts';

/**
 * A ResumeStore in memory: the engine's fallback when IndexedDB is unavailable or fails (uploads work,
 * nothing survives a reload). It answers as the IndexedDB store does: records are copied in and out,
 * so a caller mutating one changes nothing saved, and `find` returns the newest match.
 */
export function memoryStore(): ResumeStore {
  const records = new Map<string, UploadRecord>();
  const copy = (r: UploadRecord): UploadRecord => ({ ...r, parts: r.parts.map((p) => ({ ...p })) });
  return {
    get: async (id) => {
      const r = records.get(id);
      return r && copy(r);
    },
    async find(fingerprint, endpoint) {
      let found: UploadRecord | undefined;
      for (const r of records.values()) {
        if (r.fingerprint !== fingerprint || r.endpoint !== endpoint) continue;
        if (!found || r.updatedAt > found.updatedAt) found = r;
      }
      return found && copy(found);
    },
    put: async (record) => {
      records.set(record.id, copy(record));
    },
    update: async (id, change) => {
      const r = records.get(id);
      const next = change(r && copy(r));
      if (next) records.set(id, copy(next));
    },
    delete: async (id) => {
      records.delete(id);
    },
    list: async () => [...records.values()].map(copy),
  };
}
