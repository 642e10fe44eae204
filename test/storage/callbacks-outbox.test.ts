// The CallbackOutbox port, run against every implementation the package ships: in memory, in the
// local store's folder, and as objects on Swift s3api through the S3 adapter. Times are passed as
// `now`, so leases run out without waiting.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createMemoryOutbox,
  type CallbackOutbox,
  type OutboxEntry,
} from '../../src/server/callbacks/index.ts';
import {
  createLocalStorage,
  createS3Storage,
  type S3Outbox,
  type S3Storage,
} from '../../src/server/storage/index.ts';

const T0 = 1_800_000_000_000;
const LEASE = 30_000;

function entry(id: string, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    target: 'app',
    choice: { target: 'app', vars: { 'x:album': 'Summer' } },
    facts: {
      bucket: 'b',
      object: `uploads/${id}.jpg`,
      etag: 'e',
      size: 3,
      mimeType: 'image/jpeg',
      uploadId: 'u',
      parts: 1,
      principal: 'alice',
    },
    attempts: 1,
    lastError: { reason: 'unreachable', message: 'down' },
    createdAt: T0,
    nextAttemptAt: T0 + 1000,
    ...fields,
  };
}

interface Subject {
  outbox: CallbackOutbox;
  /** A second outbox on the same store, as another instance would make it. */
  twin: CallbackOutbox;
  /** Writes something that is not an entry where entries live. */
  litter(): Promise<void>;
  close(): Promise<void>;
}

const subjects: Record<string, () => Promise<Subject>> = {
  memory: async () => {
    const outbox = createMemoryOutbox();
    return { outbox, twin: outbox, litter: async () => {}, close: async () => {} };
  },
  'local store': async () => {
    const root = await mkdtemp(join(tmpdir(), 'ru-outbox-'));
    const store = () => createLocalStorage({ root, secret: 'local-store-secret-0123456789' });
    return {
      outbox: store().callbackOutbox(),
      twin: store().callbackOutbox(),
      litter: () => writeFile(join(root, 'callbacks', 'cb_broken.json'), '{"id":'),
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
  'Swift s3api': async () => {
    const s3 = inject('s3');
    const prefix = `.outbox-test-${randomBytes(4).toString('hex')}/`;
    const make = () =>
      createS3Storage({
        endpoint: s3.endpoint,
        region: s3.region,
        bucket: s3.bucket,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
    const stores: S3Storage[] = [make(), make()];
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    return {
      outbox: stores[0]!.callbackOutbox(prefix),
      twin: stores[1]!.callbackOutbox(prefix),
      litter: async () => {
        await client.send(
          new PutObjectCommand({
            Bucket: s3.bucket,
            Key: `${prefix}cb_broken.json`,
            Body: '{"id":',
          }),
        );
      },
      close: async () => {
        for (const store of stores) store.destroy();
        client.destroy();
      },
    };
  },
};

for (const [name, make] of Object.entries(subjects)) {
  describe(`the callback outbox (${name})`, () => {
    let subject: Subject;
    let outbox: CallbackOutbox;
    let twin: CallbackOutbox;
    beforeAll(async () => {
      subject = await make();
      ({ outbox, twin } = subject);
    });
    afterAll(() => subject?.close());

    const claim = (box: CallbackOutbox, owner: string, now: number, id?: string) =>
      box.claim({ owner, leaseMs: LEASE, now, ...(id ? { id } : {}) });

    it('lists what was added, oldest first, to every instance on the same store', async () => {
      await outbox.add(entry('cb_list-b', { createdAt: T0 + 5 }));
      await outbox.add(entry('cb_list-a', { createdAt: T0 + 1 }));
      const listed = (await twin.list()).filter((e) => e.id.startsWith('cb_list-'));
      expect(listed.map((e) => e.id)).toEqual(['cb_list-a', 'cb_list-b']);
      expect(listed[0]).toEqual(entry('cb_list-a', { createdAt: T0 + 1 }));
      expect(await outbox.remove('cb_list-a')).toBe(true);
      expect(await outbox.remove('cb_list-b')).toBe(true);
      expect(await outbox.remove('cb_list-b')).toBe(false);
    });

    it('claims due entries only, and a dead one only by its id', async () => {
      await outbox.add(entry('cb_due', { nextAttemptAt: T0 + 1000 }));
      await outbox.add(entry('cb_later', { nextAttemptAt: T0 + 60_000 }));
      const dead = entry('cb_dead');
      delete dead.nextAttemptAt;
      await outbox.add(dead);
      expect(await claim(outbox, 'early', T0 + 999)).toEqual([]);
      const due = await claim(outbox, 'a', T0 + 1000);
      expect(due.map((e) => e.id)).toEqual(['cb_due']);
      expect(due[0]!.lease).toEqual({ owner: 'a', until: T0 + 1000 + LEASE });
      const byId = await claim(outbox, 'a', T0 + 1000, 'cb_dead');
      expect(byId.map((e) => e.id)).toEqual(['cb_dead']);
      expect(byId[0]).not.toHaveProperty('nextAttemptAt');
      expect(await claim(outbox, 'a', T0, 'cb_missing')).toEqual([]);
      for (const id of ['cb_due', 'cb_later', 'cb_dead']) await outbox.remove(id);
    });

    it('leaves a leased entry to its owner until the lease runs out, then lets another take it', async () => {
      await outbox.add(entry('cb_lease'));
      const now = T0 + 2000;
      expect(await claim(outbox, 'a', now)).toHaveLength(1);
      expect(await claim(twin, 'b', now + 1)).toEqual([]);
      expect(await claim(twin, 'b', now + 1, 'cb_lease')).toEqual([]);
      const listed = (await twin.list()).find((e) => e.id === 'cb_lease');
      expect(listed?.lease?.owner).toBe('a');

      const after = now + LEASE + 1;
      const taken = await claim(twin, 'b', after);
      expect(taken.map((e) => [e.id, e.lease?.owner])).toEqual([['cb_lease', 'b']]);
      // The first owner's late answer does not undo the takeover.
      await outbox.reschedule(entry('cb_lease', { attempts: 9, nextAttemptAt: T0 }), 'a');
      const kept = (await outbox.list()).find((e) => e.id === 'cb_lease');
      expect(kept?.attempts).toBe(1);

      await twin.reschedule(entry('cb_lease', { attempts: 2, nextAttemptAt: after + 5000 }), 'b');
      const rescheduled = (await outbox.list()).find((e) => e.id === 'cb_lease');
      expect(rescheduled).toMatchObject({ attempts: 2, nextAttemptAt: after + 5000 });
      expect(rescheduled?.lease).toBeUndefined();
      expect(await claim(outbox, 'a', after + 4999)).toEqual([]);
      expect(await claim(outbox, 'a', after + 5000)).toHaveLength(1);
      await outbox.delivered('cb_lease', 'a');
      expect((await twin.list()).some((e) => e.id === 'cb_lease')).toBe(false);
    });

    it('does not bring back an entry removed while it was being delivered', async () => {
      await outbox.add(entry('cb_removed'));
      expect(await claim(outbox, 'a', T0 + 1000)).toHaveLength(1);
      expect(await twin.remove('cb_removed')).toBe(true);
      await outbox.reschedule(entry('cb_removed', { attempts: 2 }), 'a');
      expect((await outbox.list()).some((e) => e.id === 'cb_removed')).toBe(false);
    });

    it('gives a due entry to at least one of two instances claiming at once', async () => {
      await outbox.add(entry('cb_race'));
      const [a, b] = await Promise.all([
        claim(outbox, 'a', T0 + 1000),
        claim(twin, 'b', T0 + 1000),
      ]);
      const winners = [...a, ...b].filter((e) => e.id === 'cb_race');
      expect(winners.length).toBeGreaterThanOrEqual(1);
      // Where the store has exclusive writes (memory, O_EXCL files, If-Match), exactly one wins.
      const exclusive = name !== 'Swift s3api' || (outbox as S3Outbox).conditionalWrites;
      if (exclusive) expect(winners).toHaveLength(1);
      await outbox.remove('cb_race');
    });

    it('skips anything under its prefix that is not an entry', async () => {
      await subject.litter();
      await outbox.add(entry('cb_fine'));
      expect((await outbox.list()).map((e) => e.id)).toContain('cb_fine');
      expect((await outbox.list()).map((e) => e.id)).not.toContain('cb_broken');
      await outbox.remove('cb_fine');
    });
  });
}

describe('where the outboxes live', () => {
  it('Swift s3api refuses conditional PUTs, so the S3 outbox falls back to a plain PUT and a read-back', async () => {
    const s3 = inject('s3');
    const storage = createS3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: s3.bucket,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const prefix = `.outbox-test-${randomBytes(4).toString('hex')}/`;
    const outbox = storage.callbackOutbox(prefix);
    expect(outbox.keyPrefix).toBe(prefix);
    expect(outbox.conditionalWrites).toBeUndefined();
    await outbox.add(entry('cb_probe'));
    expect(await outbox.claim({ owner: 'a', leaseMs: LEASE, now: T0 + 1000 })).toHaveLength(1);
    // Swift 2.30's s3api answers 501 NotImplemented to If-Match and If-None-Match on PutObject.
    expect(outbox.conditionalWrites).toBe(false);
    expect((await storage.listObjects({ prefix })).map((o) => o.key)).toEqual([
      `${prefix}cb_probe.json`,
    ]);
    // The default key space (uploads/) does not show it.
    expect(
      (await storage.listObjects({ prefix: 'uploads/' })).some((o) => o.key.startsWith(prefix)),
    ).toBe(false);
    await outbox.remove('cb_probe');
    expect(storage.callbackOutbox().keyPrefix).toBe('.resumable-upload/callbacks/');
    storage.destroy();
  });

  it('the local outbox keeps one file per entry in <root>/callbacks and nothing in objects/', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ru-outbox-'));
    try {
      const storage = createLocalStorage({ root, secret: 'local-store-secret-0123456789' });
      await storage.callbackOutbox().add(entry('cb_file'));
      expect(await readdir(join(root, 'callbacks'))).toEqual(['cb_file.json']);
      expect(await storage.listObjects({ prefix: '' })).toEqual([]);
      expect(() => storage.callbackOutbox('objects')).toThrow(TypeError);
      expect(() => storage.callbackOutbox('../elsewhere')).toThrow(TypeError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
