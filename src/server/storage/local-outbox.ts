/**
 * The local store's callback outbox: one JSON file per failed callback in `<root>/<folder>/`, and
 * a `<id>.lease` file while an instance delivers it. A lease file is created with O_EXCL ('wx'), so
 * two processes on one folder never both take a free entry; an expired lease is broken by whoever
 * sees it first, which may, in a narrow race, let two deliver one callback (same webhook-id).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  byAge,
  claimable,
  CLAIM_LIMIT,
  ENTRY_ID,
  parseEntry,
  withLease,
  type CallbackOutbox,
  type ClaimRequest,
  unleased,
  type OutboxEntry,
} from '../callbacks/outbox.ts';
import { isNotFound } from './local-files.ts';

type Lease = NonNullable<OutboxEntry['lease']>;

/** Default folder of the outbox inside the local store's root. */
export const LOCAL_OUTBOX_FOLDER = 'callbacks';

/** The outbox in `folder` (one name, no separators) under the local store's `root`. */
export function createLocalOutbox(root: string, folder = LOCAL_OUTBOX_FOLDER): CallbackOutbox {
  if (!/^[\w-][\w.-]*$/.test(folder)) {
    throw new TypeError('callbackOutbox: the folder must be one name of letters, digits, . _ -');
  }
  if (['uploads', 'objects', 'trash'].includes(folder)) {
    throw new TypeError(`callbackOutbox: "${folder}" is a folder of the local store itself`);
  }
  return new LocalOutbox(join(root, folder));
}

class LocalOutbox implements CallbackOutbox {
  constructor(private readonly dir: string) {}

  async add(entry: OutboxEntry): Promise<void> {
    const stored = unleased(entry);
    await mkdir(this.dir, { recursive: true });
    await this.write(stored);
  }

  async claim(request: ClaimRequest): Promise<OutboxEntry[]> {
    const claimed: OutboxEntry[] = [];
    const entries = request.id ? [await this.read(request.id)] : await this.entries();
    for (const entry of entries) {
      if (claimed.length >= (request.limit ?? CLAIM_LIMIT)) break;
      // The lease lives in its own file: the entry's fields decide whether it is due.
      if (!entry || !claimable({ ...entry, lease: undefined }, request)) continue;
      const leased = withLease(entry, request);
      if (await this.takeLease(entry.id, leased.lease!, request)) claimed.push(leased);
    }
    return claimed;
  }

  async delivered(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
    await rm(this.leaseFile(id), { force: true });
  }

  async reschedule(entry: OutboxEntry, owner: string): Promise<void> {
    const lease = await this.readLease(entry.id);
    // Another instance took the entry over after our lease ran out: its state wins.
    if (lease && lease.owner !== owner) return;
    // Removed while we delivered it (remove(id)): it stays removed.
    if (!(await this.read(entry.id))) return;
    const stored = unleased(entry);
    await this.write(stored);
    await rm(this.leaseFile(entry.id), { force: true });
  }

  async list(): Promise<OutboxEntry[]> {
    const entries = await this.entries();
    for (const entry of entries) {
      const lease = await this.readLease(entry.id);
      if (lease) entry.lease = lease;
    }
    return entries;
  }

  async remove(id: string): Promise<boolean> {
    if (!ENTRY_ID.test(id)) return false;
    const existed = (await this.read(id)) !== undefined;
    await rm(this.file(id), { force: true });
    await rm(this.leaseFile(id), { force: true });
    return existed;
  }

  /** Creates the lease file exclusively; breaks an expired (or our own) lease first. */
  private async takeLease(id: string, lease: Lease, request: ClaimRequest): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const file = await open(this.leaseFile(id), 'wx');
        await file.writeFile(JSON.stringify(lease));
        await file.close();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = await this.readLease(id);
      if (held && held.until > request.now && held.owner !== request.owner) return false;
      // Expired (or unreadable: a process killed between open and write): break it, once.
      await rm(this.leaseFile(id), { force: true });
    }
    return false;
  }

  private async entries(): Promise<OutboxEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const entries: OutboxEntry[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const entry = await this.read(name.slice(0, -5));
      if (entry) entries.push(entry);
    }
    return entries.sort(byAge);
  }

  private async read(id: string): Promise<OutboxEntry | undefined> {
    if (!ENTRY_ID.test(id)) return undefined;
    try {
      const entry = parseEntry(await readFile(this.file(id), 'utf8'));
      return entry?.id === id ? entry : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async readLease(id: string): Promise<Lease | undefined> {
    try {
      const lease = JSON.parse(await readFile(this.leaseFile(id), 'utf8')) as Lease;
      return typeof lease?.owner === 'string' && typeof lease.until === 'number'
        ? lease
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Temporary file, fsync, rename: a crash leaves the old entry or the new one, never half. */
  private async write(entry: OutboxEntry): Promise<void> {
    const temp = join(this.dir, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(JSON.stringify(entry));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.file(entry.id));
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  private file(id: string): string {
    if (!ENTRY_ID.test(id)) throw new TypeError('invalid callback id');
    return join(this.dir, `${id}.json`);
  }

  private leaseFile(id: string): string {
    if (!ENTRY_ID.test(id)) throw new TypeError('invalid callback id');
    return join(this.dir, `${id}.lease`);
  }
}
