import type { ResumeStore, UploadRecord } from '../engine/ports.ts';

/**
 * A ResumeStore in memory, for when IndexedDB is unavailable: uploads work, nothing survives a reload.
 * Records are copied in and out (structuredClone), as IndexedDB would, so callers cannot mutate saved state.
 */
export function createMemoryResumeStore(): ResumeStore {
  const records = new Map<string, UploadRecord>();
  const copy = (r: UploadRecord | undefined) =>
    r ? { ...r, parts: r.parts.map((p) => ({ ...p })) } : undefined;
  return {
    get: async (id) => copy(records.get(id)),
    async find(fingerprint, endpoint) {
      let found: UploadRecord | undefined;
      for (const r of records.values()) {
        if (
          r.fingerprint === fingerprint &&
          r.endpoint === endpoint &&
          (!found || r.updatedAt > found.updatedAt)
        )
          found = r;
      }
      return copy(found);
    },
    put: async (record) => {
      records.set(record.id, copy(record)!);
    },
    delete: async (id) => {
      records.delete(id);
    },
    list: async () => [...records.values()].map((r) => copy(r)!),
  };
}
