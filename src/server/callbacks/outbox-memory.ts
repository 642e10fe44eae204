/**
 * The in-memory outbox: for one instance that may lose its queue on restart (tests, stores that
 * offer no outbox). Entries are copied in and out, as a store would serialize them.
 */
import {
  byAge,
  claimable,
  CLAIM_LIMIT,
  withLease,
  type CallbackOutbox,
  type ClaimRequest,
  unleased,
  type OutboxEntry,
} from './outbox.ts';

/** Most entries the memory outbox holds; add() beyond it throws, so complete says "not queued". */
export const MAX_MEMORY_ENTRIES = 10_000;

/** Builds an outbox in this process's memory (a restart loses it). */
export function createMemoryOutbox(limit = MAX_MEMORY_ENTRIES): CallbackOutbox {
  const entries = new Map<string, OutboxEntry>();
  const copy = (entry: OutboxEntry): OutboxEntry => structuredClone(entry);
  return {
    add(entry) {
      if (entries.size >= limit && !entries.has(entry.id)) {
        return Promise.reject(new Error(`the memory outbox is full (${limit} entries)`));
      }
      entries.set(entry.id, copy(entry));
      return Promise.resolve();
    },
    claim(request: ClaimRequest) {
      const claimed: OutboxEntry[] = [];
      for (const entry of [...entries.values()].sort(byAge)) {
        if (claimed.length >= (request.limit ?? CLAIM_LIMIT)) break;
        if (!claimable(entry, request)) continue;
        const leased = withLease(entry, request);
        entries.set(entry.id, leased);
        claimed.push(copy(leased));
      }
      return Promise.resolve(claimed);
    },
    delivered(id) {
      entries.delete(id);
      return Promise.resolve();
    },
    reschedule(entry, owner) {
      const current = entries.get(entry.id);
      // Removed meanwhile (remove(id)), or another instance took the lease over: leave it.
      if (current && (!current.lease || current.lease.owner === owner)) {
        const rest = unleased(copy(entry));
        entries.set(entry.id, rest);
      }
      return Promise.resolve();
    },
    list() {
      return Promise.resolve([...entries.values()].sort(byAge).map(copy));
    },
    remove(id) {
      return Promise.resolve(entries.delete(id));
    },
  };
}
