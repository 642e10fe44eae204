// The S3 outbox's lease on a store that honours If-Match (AWS S3, MinIO, R2): Swift s3api here
// refuses conditional PUTs, so this path runs against a small in-memory stand-in of those stores.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/server/callbacks/index.ts';
import { createS3Outbox } from '../../src/server/storage/s3-outbox.ts';

function sdkError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** Objects by key; PutObject honours IfMatch (412 on a changed ETag, 404 on a missing key). */
function conditionalStore(conditional = true) {
  const objects = new Map<string, { body: string; etag: string }>();
  const puts: { key: string; ifMatch?: string }[] = [];
  const client = {
    async send(command: unknown) {
      // Every call yields first, as a network round trip would: concurrent claims interleave.
      await new Promise((r) => setImmediate(r));
      if (command instanceof PutObjectCommand) {
        const { Key, Body, IfMatch } = command.input;
        puts.push({ key: Key!, ...(IfMatch ? { ifMatch: IfMatch } : {}) });
        if (IfMatch && !conditional) throw sdkError('NotImplemented', 501);
        const current = objects.get(Key!);
        if (IfMatch && !current) throw sdkError('NoSuchKey', 404);
        if (IfMatch && current!.etag !== IfMatch) throw sdkError('PreconditionFailed', 412);
        const etag = `"${createHash('md5').update(String(Body)).digest('hex')}"`;
        objects.set(Key!, { body: String(Body), etag });
        return { ETag: etag };
      }
      if (command instanceof GetObjectCommand) {
        const found = objects.get(command.input.Key!);
        if (!found) throw sdkError('NoSuchKey', 404);
        return { ETag: found.etag, Body: { transformToString: async () => found.body } };
      }
      if (command instanceof ListObjectsV2Command) {
        const prefix = command.input.Prefix ?? '';
        const contents = [...objects].filter(([k]) => k.startsWith(prefix));
        return {
          Contents: contents.map(([Key, o]) => ({ Key, ETag: o.etag })),
          IsTruncated: false,
        };
      }
      if (command instanceof DeleteObjectCommand) {
        objects.delete(command.input.Key!);
        return {};
      }
      throw new Error('unexpected command');
    },
  } as unknown as S3Client;
  return { client, objects, puts };
}

const ENTRY: OutboxEntry = {
  id: 'cb_one',
  target: 'app',
  choice: { target: 'app', vars: {} },
  facts: {
    bucket: 'b',
    object: 'k',
    etag: 'e',
    size: 1,
    mimeType: 'x/y',
    uploadId: '',
    parts: 1,
    principal: 'p',
  },
  attempts: 1,
  lastError: { reason: 'unreachable', message: 'down' },
  createdAt: 1000,
  nextAttemptAt: 2000,
};

describe('the S3 outbox on a store with conditional writes', () => {
  it('takes each lease with If-Match, so of two instances claiming at once exactly one wins', async () => {
    const store = conditionalStore();
    const a = createS3Outbox(store.client, 'b');
    const b = createS3Outbox(store.client, 'b');
    // Added by a third instance: both read it, then both try to take it.
    await createS3Outbox(store.client, 'b').add(ENTRY);
    const [gotA, gotB] = await Promise.all([
      a.claim({ owner: 'a', leaseMs: 10_000, now: 5000 }),
      b.claim({ owner: 'b', leaseMs: 10_000, now: 5000 }),
    ]);
    expect(gotA.length + gotB.length).toBe(1);
    expect(a.conditionalWrites).toBe(true);
    expect(store.puts.filter((p) => p.ifMatch)).toHaveLength(2);
    const winner = gotA.length ? a : b;
    const loserName = gotA.length ? 'b' : 'a';
    // The loser's late write-back finds another's lease and leaves the entry alone.
    await (winner === a ? b : a).reschedule({ ...ENTRY, attempts: 7 }, loserName);
    expect(
      JSON.parse(store.objects.get('.resumable-upload/callbacks/cb_one.json')!.body),
    ).toMatchObject({
      attempts: 1,
      lease: { owner: gotA.length ? 'a' : 'b' },
    });
  });

  it('falls back to a plain PUT and a read-back when the store answers 501 to If-Match', async () => {
    const store = conditionalStore(false);
    const a = createS3Outbox(store.client, 'b', 'outbox/');
    await a.add(ENTRY);
    expect(await a.claim({ owner: 'a', leaseMs: 10_000, now: 5000 })).toHaveLength(1);
    expect(a.conditionalWrites).toBe(false);
    // Later writes skip the refused condition.
    await a.reschedule({ ...ENTRY, attempts: 2 }, 'a');
    expect(store.puts.filter((p) => p.ifMatch)).toHaveLength(1);
  });

  it('refuses a prefix that is not a folder-like ASCII path', () => {
    const { client } = conditionalStore();
    for (const prefix of ['', 'no-slash', '/abs/', 'a/../b/', 'a//b/']) {
      expect(() => createS3Outbox(client, 'b', prefix)).toThrow(TypeError);
    }
  });
});
