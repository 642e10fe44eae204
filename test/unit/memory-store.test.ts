import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/engine/memory-store.ts';
import type { UploadRecord } from '../../src/engine/ports.ts';

function record(id: string, fingerprint: string, updatedAt: number): UploadRecord {
  return {
    id,
    fingerprint,
    name: `${id}.bin`,
    size: 10,
    type: '',
    lastModified: 0,
    endpoint: 'http://one',
    mode: 'multipart',
    uploadId: `u-${id}`,
    key: `k/${id}`,
    bucket: 'b',
    token: 't',
    tokenExpiresAt: 0,
    partSize: 5,
    partCount: 2,
    parts: [{ partNumber: 1, size: 5, md5: 'm', etag: 'e' }],
    createdAt: 0,
    updatedAt,
  };
}

describe('memoryStore (the engine fallback when IndexedDB is off)', () => {
  it('finds the newest record of a file, as the IndexedDB store does', async () => {
    const store = memoryStore();
    await store.put(record('old', 'f', 1000));
    await store.put(record('new', 'f', 2000));
    await store.put(record('older', 'f', 500));
    await store.put(record('other', 'g', 3000));
    expect((await store.find('f', 'http://one'))?.id).toBe('new');
    expect(await store.find('f', 'http://two')).toBeUndefined();
  });

  it('keeps its own copies: mutating what was put or read changes nothing saved', async () => {
    const store = memoryStore();
    const put = record('a', 'f', 1);
    await store.put(put);
    put.parts[0]!.etag = 'changed';
    put.parts.push({ partNumber: 2, size: 5, md5: 'm', etag: 'e' });
    (await store.get('a'))!.parts.length = 0;
    (await store.find('f', 'http://one'))!.parts[0]!.etag = 'changed';
    (await store.list())[0]!.parts.pop();
    expect((await store.get('a'))!.parts).toEqual([
      { partNumber: 1, size: 5, md5: 'm', etag: 'e' },
    ]);
  });
});
