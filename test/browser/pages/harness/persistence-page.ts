// Exposes the persistence layer to Playwright: tests call window.harness.* through page.evaluate.
import { memoryStore } from '../../../../src/engine/memory-store.ts';
import type { UploadRecord } from '../../../../src/engine/ports.ts';
import { fileFingerprint as fingerprint } from '../../../../src/engine/records.ts';
import {
  createIdbResumeStore,
  createWebLock,
  fileFromHandle,
  isFileHandle,
  isPersistenceAvailable,
  persistenceProblem,
} from '../../../../src/persistence/index.ts';

const store = createIdbResumeStore('resumable-upload-test');
// Web Locks are there in every browser the tests run (localhost is a secure context).
const lock = createWebLock()!;
const held = new Map<string, { release(): void }>();

/** A record as the engine writes it, with `parts` finished parts. */
function record(
  id: string,
  endpoint: string,
  parts: number,
  updatedAt: number,
  handle?: FileSystemFileHandle,
): UploadRecord {
  const file = {
    name: `${id}.bin`,
    size: 20 * 1024 * 1024,
    lastModified: 1_700_000_000_000,
    type: 'application/octet-stream',
  };
  return {
    id,
    fingerprint: fingerprint(file),
    ...file,
    endpoint,
    mode: 'multipart',
    uploadId: `upload-${id}`,
    key: `files/${id}.bin`,
    bucket: 'uploads',
    token: 'token',
    tokenExpiresAt: updatedAt + 3_600_000,
    partSize: 5 * 1024 * 1024,
    partCount: 4,
    parts: Array.from({ length: parts }, (_, i) => ({
      partNumber: i + 1,
      size: 5 * 1024 * 1024,
      md5: `md5-${i}`,
      etag: `etag-${i}`,
    })),
    handle,
    createdAt: updatedAt - 1000,
    updatedAt,
  };
}

/** What a record looks like once the handle is reduced to something JSON can carry back to Node. */
function plain(r: UploadRecord | undefined) {
  if (!r) return r;
  return { ...r, handle: isFileHandle(r.handle) ? `handle:${r.handle.name}` : r.handle };
}

const harness = {
  record: (id: string, endpoint: string, parts: number, updatedAt: number) =>
    plain(record(id, endpoint, parts, updatedAt)),
  async put(id: string, endpoint: string, parts: number, updatedAt: number) {
    await store.put(record(id, endpoint, parts, updatedAt));
  },
  /** Puts every version of a record without awaiting in between, as the engine does when parts finish together. */
  async putMany(id: string, endpoint: string, versions: number) {
    await Promise.all(
      Array.from({ length: versions }, (_, i) => store.put(record(id, endpoint, i + 1, 1000 + i))),
    );
  },
  /**
   * Puts a record with 1 part, then, without awaiting, a version with 2 parts and an update naming a copy
   * (what the engine does when a part ends as the file's copy completes); also updates an absent record
   * with a change that writes nothing. Answers the record, the ids stored, and what the change was given.
   */
  async updateBesidePuts(id: string) {
    await store.put(record(id, 'http://one', 1, 1000));
    const seen: number[] = [];
    await Promise.all([
      store.put(record(id, 'http://one', 2, 1001)),
      store.update!(id, (r) => {
        seen.push(r?.parts.length ?? -1);
        return r && { ...r, copy: id };
      }),
      store.update!(`${id}-absent`, (r) => {
        seen.push(r?.parts.length ?? -1);
        return r;
      }),
    ]);
    return { record: plain(await store.get(id)), ids: (await store.list()).map((r) => r.id), seen };
  },
  get: async (id: string) => plain(await store.get(id)),
  find: async (fp: string, endpoint: string) => plain(await store.find(fp, endpoint)),
  list: async () => (await store.list()).map(plain).sort((a, b) => a!.id.localeCompare(b!.id)),
  delete: (id: string) => store.delete(id),
  fingerprintOf: (id: string) => record(id, '', 0, 0).fingerprint,
  /** Writes `text` to an OPFS file and stores a record holding its handle. */
  async putWithOpfsHandle(id: string, text: string) {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(`${id}.txt`, { create: true });
    const writable = await handle.createWritable();
    await writable.write(text);
    await writable.close();
    await store.put(record(id, 'http://backend', 1, Date.now(), handle));
  },
  /** Reads the file behind the stored handle of record `id`. */
  async readStoredHandle(id: string) {
    const r = await store.get(id);
    if (!isFileHandle(r?.handle)) return { isHandle: false };
    const file = await fileFromHandle(r.handle);
    return { isHandle: true, name: file.name, text: await file.text() };
  },
  /** The memory fallback: same answers as IndexedDB, and a caller mutating a record changes nothing saved. */
  async memoryStoreRoundTrip() {
    const memory = memoryStore();
    const a = record('a', 'http://one', 2, 1000);
    await memory.put(a);
    await memory.put(record('a2', 'http://one', 1, 500));
    a.parts.push({ partNumber: 9, size: 1, md5: 'x', etag: 'y' });
    const got = await memory.get('a');
    got!.parts.length = 0;
    return {
      parts: (await memory.get('a'))!.parts.length,
      found: (await memory.find(a.fingerprint, 'http://one'))?.id,
      ids: (await memory.list()).map((r) => r.id).sort(),
      afterDelete: await memory.delete('a').then(() => memory.get('a')),
    };
  },
  isPersistenceAvailable: () => isPersistenceAvailable('resumable-upload-test'),
  persistenceProblem: async () => (await persistenceProblem('resumable-upload-test'))?.message,
  async acquire(id: string) {
    const handle = await lock.tryAcquire(id);
    if (handle) held.set(id, handle);
    return handle !== null;
  },
  release(id: string) {
    held.get(id)?.release();
    held.delete(id);
  },
};

Object.assign(window, { harness });
document.body.dataset.ready = 'true';
