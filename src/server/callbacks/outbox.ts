/**
 * The CallbackOutbox port: where failed callbacks wait for their next attempt. It lives beside the
 * objects (the S3 adapter's objects under a prefix, the local store's folder), so a restart loses
 * nothing and every instance behind a load balancer sees and delivers the same entries.
 */
import type { PendingCallback } from './types.ts';

/** An entry as an outbox stores it: the callback, its schedule, and the lease of whoever delivers it. */
export interface OutboxEntry extends Omit<PendingCallback, 'state'> {
  /** Held while one instance delivers the entry; others skip it until `until` has passed. */
  lease?: { owner: string; until: number };
}

/** What claim() takes. */
export interface ClaimRequest {
  /** This instance's id (random per runner). */
  owner: string;
  /** Lease length in milliseconds: long enough for one delivery, short enough to recover from a crash. */
  leaseMs: number;
  /** The current time in epoch milliseconds. */
  now: number;
  /** Claim this entry whether it is due or dead (retry(id)); else every due entry. */
  id?: string;
  /** Most entries claimed at once; default 50. */
  limit?: number;
}

/** Durable storage of failed callbacks, shared by every instance that uses the same store. */
export interface CallbackOutbox {
  /** Key prefix the outbox reserves in the store, or undefined when it lives elsewhere; upload keys never start with it. */
  readonly keyPrefix?: string;
  /** Stores a new entry (the first failure); throws when it cannot be stored. */
  add(entry: OutboxEntry): Promise<void>;
  /** Takes a lease on due entries (or on `id`) that nobody else holds, and returns them. */
  claim(request: ClaimRequest): Promise<OutboxEntry[]>;
  /** Drops an entry after its callback was delivered. */
  delivered(id: string, owner: string): Promise<void>;
  /** Writes the entry's new state after a failed attempt and releases the lease (kept if another owner took over). */
  reschedule(entry: OutboxEntry, owner: string): Promise<void>;
  /** Every entry, oldest first (due, waiting and dead). */
  list(): Promise<OutboxEntry[]>;
  /** Removes an entry for good; resolves false when there was none. */
  remove(id: string): Promise<boolean>;
}

/** Default most entries one claim returns. */
export const CLAIM_LIMIT = 50;

/** True when `entry` may be claimed by `request` now: due (or the named one), and not leased by someone else. */
export function claimable(entry: OutboxEntry, request: ClaimRequest): boolean {
  const leased =
    entry.lease !== undefined &&
    entry.lease.until > request.now &&
    entry.lease.owner !== request.owner;
  if (leased) return false;
  if (request.id !== undefined) return entry.id === request.id;
  return entry.nextAttemptAt !== undefined && entry.nextAttemptAt <= request.now;
}

/** The entry with `owner`'s lease on it. */
export function withLease(entry: OutboxEntry, request: ClaimRequest): OutboxEntry {
  return { ...entry, lease: { owner: request.owner, until: request.now + request.leaseMs } };
}

/** A copy of the entry without its lease (what is stored, or written back after an attempt). */
export function unleased(entry: OutboxEntry): OutboxEntry {
  const copy = { ...entry };
  delete copy.lease;
  return copy;
}

/** The entry as pending() shows it: its lease becomes its state. */
export function toPending(entry: OutboxEntry, now: number): PendingCallback {
  const { lease } = entry;
  const rest = unleased(entry);
  const state =
    lease && lease.until > now
      ? 'delivering'
      : entry.nextAttemptAt === undefined
        ? 'dead'
        : 'waiting';
  return { ...rest, state };
}

/** Oldest first, then by id, so every instance lists entries in one order. */
export function byAge(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Ids as file and key names: what the runner makes (`cb_` + base64url) and safe header values. */
export const ENTRY_ID = /^[\w.-]{1,128}$/;

/** Parses a stored entry; undefined for anything that is not one (a half-written or foreign file). */
export function parseEntry(text: string): OutboxEntry | undefined {
  try {
    const value = JSON.parse(text) as OutboxEntry;
    if (
      value &&
      typeof value.id === 'string' &&
      ENTRY_ID.test(value.id) &&
      typeof value.attempts === 'number' &&
      typeof value.createdAt === 'number' &&
      value.choice &&
      value.facts
    ) {
      return value;
    }
  } catch {
    // Not JSON: not an entry.
  }
  return undefined;
}
