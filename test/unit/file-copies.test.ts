import { describe, expect, it, vi } from 'vitest';
import { FileCopies } from '../../src/engine/file-copies.ts';
import type { FileCopier, ResumeStore } from '../../src/engine/ports.ts';
import { memoryStore } from '../../src/engine/memory-store.ts';
import type { UploadRecord } from '../../src/engine/ports.ts';
import { updateRecord } from '../../src/engine/records.ts';
import type { UploadSnapshot } from '../../src/engine/types.ts';

const MiB = 1024 * 1024;

/** A copier in memory that records what it was asked; `free` is what available() answers. */
function fakeCopier(free: number | undefined) {
  const copies = new Map<string, File>();
  const calls: string[] = [];
  let finish: (() => void) | undefined;
  const copier: FileCopier = {
    available: async () => free,
    copy: (name, file) =>
      new Promise<void>((resolve) => {
        calls.push(`copy ${name}`);
        finish = () => {
          copies.set(name, file);
          resolve();
        };
      }),
    read: async (name) => copies.get(name),
    remove: async (name) => {
      calls.push(`remove ${name}`);
      copies.delete(name);
    },
    prune: async (keep) => {
      for (const name of [...copies.keys()]) if (!keep.has(name)) copies.delete(name);
    },
  };
  return { copier, copies, calls, finish: () => finish?.() };
}

function record(id: string, size: number): UploadRecord {
  return {
    id,
    fingerprint: 'f',
    name: 'a.bin',
    size,
    type: 'application/octet-stream',
    lastModified: 1234,
    endpoint: 'e',
    mode: 'multipart',
    uploadId: 'u',
    key: 'k',
    bucket: 'b',
    token: 't',
    tokenExpiresAt: Date.now() + 60_000,
    partSize: 5 * MiB,
    partCount: 2,
    parts: [],
    createdAt: 1,
    updatedAt: 1,
  };
}

const snapshot = () => ({ id: 'x' }) as UploadSnapshot;
const file = (size: number) => new File([new Uint8Array(size)], 'a.bin', { lastModified: 99 });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('FileCopies (private copies for resume after a restart)', () => {
  it('copies a multipart file without a handle, names the copy in its record, and drops both at the end', async () => {
    const fake = fakeCopier(1024 * MiB);
    const events: unknown[] = [];
    const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, (n, d) => events.push([n, d]));
    const inner = memoryStore();
    const store = copies.wrap(inner);
    copies.start('id1', file(6 * MiB), false, snapshot);
    await settle();
    await store.put(record('id1', 6 * MiB));
    // Not complete yet: the record names no copy.
    expect((await inner.get('id1'))?.copy).toBeUndefined();
    fake.finish();
    await settle();
    await settle();
    // Named as soon as the copy is complete, with no further write by the task.
    expect((await inner.get('id1'))?.copy).toBe('id1');
    await store.put(record('id1', 6 * MiB));
    expect((await inner.get('id1'))?.copy).toBe('id1');
    // An update through the wrapper names it too.
    await store.update!('id1', (r) => r && { ...r, copy: undefined });
    expect((await inner.get('id1'))?.copy).toBe('id1');
    await copies.drop('id1');
    expect(await inner.get('id1')).toBeUndefined();
    expect(fake.copies.size).toBe(0);
    expect(events).toEqual([]);
  });

  it('names the copy without losing a part saved meanwhile: the record is read and written in one step', async () => {
    const fake = fakeCopier(1024 * MiB);
    const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, () => {});
    const inner = memoryStore();
    // Reads answer late: a read then a put would write back the record as it was before the part.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: ResumeStore = {
      ...inner,
      get: async (id) => {
        const found = await inner.get(id);
        await gate;
        return found;
      },
    };
    const store = copies.wrap(slow);
    copies.start('id1', file(6 * MiB), false, snapshot);
    await settle();
    await store.put(record('id1', 6 * MiB));
    fake.finish();
    await settle();
    const part = { partNumber: 1, size: 5 * MiB, md5: 'bWQ1', etag: '"e1"' };
    await store.put({ ...record('id1', 6 * MiB), parts: [part] });
    release();
    await settle();
    await settle();
    expect(await inner.get('id1')).toMatchObject({ copy: 'id1', parts: [part] });
  });

  it('updates a record of a store without update() by a read then a put, and writes nothing when told so', async () => {
    const inner = memoryStore();
    const plain: ResumeStore = { ...inner, update: undefined };
    await plain.put(record('p', 6 * MiB));
    await updateRecord(plain, 'p', (r) => r && { ...r, copy: 'p' });
    expect((await inner.get('p'))?.copy).toBe('p');
    await updateRecord(plain, 'absent', () => undefined);
    expect(await inner.list()).toHaveLength(1);
  });

  it('reads a copy back as the original file (name, type, date), so its fingerprint and id match', async () => {
    const fake = fakeCopier(undefined);
    fake.copies.set('id2', new File([new Uint8Array(6 * MiB)], 'other-name', { lastModified: 5 }));
    const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, () => {});
    const f = await copies.fileFor({ ...record('id2', 6 * MiB), copy: 'id2' });
    expect([f?.name, f?.size, f?.type, f?.lastModified]).toEqual([
      'a.bin',
      6 * MiB,
      'application/octet-stream',
      1234,
    ]);
    // A copy of another size (cut short) is no copy.
    expect(await copies.fileFor({ ...record('id2', 7 * MiB), copy: 'id2' })).toBeUndefined();
  });

  it('skips the copy with an event when the browser has no room for it', async () => {
    const fake = fakeCopier(10 * MiB);
    const events: [string, { reason: string; message: string }][] = [];
    const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, (n, d) =>
      events.push([n, d as never]),
    );
    copies.start('id3', file(6 * MiB), false, snapshot);
    await settle();
    expect(fake.calls).toEqual([]);
    expect(events.map(([n, d]) => [n, d.reason])).toEqual([['upload-copy-skipped', 'no-space']]);
  });

  it('copies nothing with a handle, over the limit, for a single part, or when turned off', async () => {
    const fake = fakeCopier(1024 * MiB);
    const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, () => {});
    copies.start('a', file(6 * MiB), true, snapshot);
    copies.start('b', file(5 * MiB), false, snapshot);
    copies.start('c', file(100 * MiB + 1), false, snapshot);
    new FileCopies(fake.copier, 0, 5 * MiB, () => {}).start('d', file(6 * MiB), false, snapshot);
    await settle();
    expect(fake.calls).toEqual([]);
  });

  it('starts a copy only once its upload has run opfsCopyDelay: one that ends sooner gets none', async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeCopier(1024 * MiB);
      const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, () => {}, 3000);
      copies.start('short', file(6 * MiB), false, snapshot);
      copies.start('long', file(6 * MiB), false, snapshot);
      await vi.advanceTimersByTimeAsync(2999);
      expect(fake.calls).toEqual([]);
      // The short upload ends within the delay: no copy of it is ever made.
      await copies.drop('short');
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.calls).toEqual(['remove short', 'copy long']);
      // Destroyed before the delay: nothing starts afterwards.
      copies.start('later', file(6 * MiB), false, snapshot);
      copies.destroy();
      await vi.advanceTimersByTimeAsync(3000);
      expect(fake.calls).toEqual(['remove short', 'copy long']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('prunes at startup the copies no record names (left by a crash), keeping the named ones', async () => {
    const fake = fakeCopier(undefined);
    const bytes = new File([new Uint8Array(1)], 'x');
    fake.copies.set('kept', bytes);
    fake.copies.set('orphan', bytes);
    const copies = new FileCopies(fake.copier, 100 * MiB, 5 * MiB, () => {});
    await copies.prune([{ ...record('kept', 1), copy: 'kept' }]);
    expect([...fake.copies.keys()]).toEqual(['kept']);
  });
});
