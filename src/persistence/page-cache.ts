import type { UseStore } from 'idb-keyval';

/** What the gate needs of a window: its pagehide and pageshow events. */
export type PageEvents = Pick<EventTarget, 'addEventListener'>;

/** One operation made through a gated store, across its attempts. */
interface Operation {
  /** The transaction of the running attempt, once IndexedDB created it. */
  tx?: IDBTransaction;
  /** True when the gate aborted the running attempt: it runs again once the page is shown. */
  aborted: boolean;
  /** Lets a held operation go. */
  wake?: () => void;
  /** Tells the release loop this operation was held again or ended. */
  changed?: () => void;
}

/**
 * Keeps IndexedDB transactions from outliving a page that goes into the back/forward cache.
 *
 * WebKit (Safari; seen in WebKitGTK 2.50.6) keeps such a page suspended with the transactions it had running,
 * and every later transaction on the same object store, from any page of the origin, waits behind them until
 * the cached page is restored or evicted: the next page's resume record gets no answer, and the engine turns
 * resume off. Closing the connection on pagehide does not free them; aborting them does.
 *
 * So on a pagehide that puts the page in the cache (`persisted`), the gate aborts the transactions its
 * operations have running and holds every operation until pageshow. Then it runs the aborted ones again and the
 * held ones after them, in the order they were made (the last put still wins), so a caller sees an operation
 * that took longer, never an AbortError of ours. A page unloaded for good (not persisted) is left alone.
 */
export function createPageCacheGate(page: PageEvents): { wrap(base: UseStore): UseStore } {
  /** Unfinished operations, in the order they were made (a Set iterates in insertion order). */
  const ops = new Set<Operation>();
  /** Between a persisted pagehide and the pageshow that restores the page. */
  let hidden = false;
  /** While held and aborted operations are let go in order, after pageshow. */
  let releasing = false;

  const abort = (op: Operation) => {
    try {
      op.tx?.abort();
      op.aborted = !!op.tx;
    } catch {
      // Already finished: its result stands.
    }
  };

  /** Resolves at once unless the page is hidden or held operations are being let go (then in order). */
  const held = (op: Operation) =>
    hidden || releasing
      ? new Promise<void>((resolve) => {
          op.wake = resolve;
          op.changed?.();
        })
      : undefined;

  /**
   * After pageshow: lets the held operations go, lowest first; an aborted one whose failure has not come
   * back yet is waited for, so nothing made after it runs before it runs again. Hidden again meanwhile: the
   * next pageshow goes on.
   */
  const release = async () => {
    releasing = true;
    try {
      while (!hidden) {
        const next = [...ops].find((op) => op.wake || op.aborted);
        if (!next) break;
        const { wake } = next;
        next.wake = undefined;
        if (wake) wake();
        else await new Promise<void>((resolve) => (next.changed = resolve));
      }
    } finally {
      releasing = false;
    }
  };

  page.addEventListener('pagehide', (event) => {
    if (!(event as PageTransitionEvent).persisted) return;
    hidden = true;
    ops.forEach(abort);
  });
  page.addEventListener('pageshow', () => {
    if (!hidden) return;
    hidden = false;
    if (!releasing) void release();
  });

  return {
    wrap: (base) =>
      async function run<T>(
        mode: IDBTransactionMode,
        callback: (store: IDBObjectStore) => T | PromiseLike<T>,
      ): Promise<T> {
        const op: Operation = { aborted: false };
        ops.add(op);
        try {
          for (;;) {
            await held(op);
            try {
              return await base(mode, (store) => {
                op.tx = store.transaction;
                // Created after the page was hidden (the database opened meanwhile): it must not run either.
                if (hidden) abort(op);
                return callback(store);
              });
            } catch (error) {
              if (!op.aborted) throw error;
              op.aborted = false;
            } finally {
              op.tx = undefined;
            }
          }
        } finally {
          ops.delete(op);
          op.changed?.();
        }
      },
  };
}

/** This window's gate, one for every store, so operations keep one order. */
let windowGate: ReturnType<typeof createPageCacheGate> | undefined;

/** `store` gated for this window; as it is where there is no window (a worker has no back/forward cache). */
export function gatedStore(store: UseStore): UseStore {
  if (typeof document === 'undefined') return store;
  return (windowGate ??= createPageCacheGate(globalThis)).wrap(store);
}
