import type { UseStore } from 'idb-keyval';

/** What the gate needs of a window: its pagehide and pageshow events. */
export type PageEvents = Pick<EventTarget, 'addEventListener'>;

/** One operation made through a gated store, across its attempts. */
interface Operation {
  readonly seq: number;
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
export class PageCacheGate {
  private seq = 0;
  private readonly ops = new Map<number, Operation>();
  /** Between a persisted pagehide and the pageshow that restores the page. */
  private hidden = false;
  /** While held and aborted operations are let go in order, after pageshow. */
  private releasing = false;

  constructor(page: PageEvents) {
    page.addEventListener('pagehide', (event) => {
      if (!(event as PageTransitionEvent).persisted) return;
      this.hidden = true;
      for (const op of this.ops.values()) this.abort(op);
    });
    page.addEventListener('pageshow', () => {
      if (!this.hidden) return;
      this.hidden = false;
      void this.release();
    });
  }

  /** `base` with every transaction it runs under the gate. */
  wrap(base: UseStore): UseStore {
    return (mode, callback) => this.run(base, mode, callback);
  }

  private async run<T>(
    base: UseStore,
    mode: IDBTransactionMode,
    callback: (store: IDBObjectStore) => T | PromiseLike<T>,
  ): Promise<T> {
    const op: Operation = { seq: ++this.seq, aborted: false };
    this.ops.set(op.seq, op);
    try {
      for (;;) {
        await this.held(op);
        try {
          return await base(mode, (store) => {
            op.tx = store.transaction;
            // Created after the page was hidden (the database opened meanwhile): it must not run either.
            if (this.hidden) this.abort(op);
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
      this.ops.delete(op.seq);
      op.changed?.();
    }
  }

  /** Resolves at once unless the page is hidden or held operations are being let go (then in order). */
  private held(op: Operation): Promise<void> | undefined {
    if (!this.hidden && !this.releasing) return undefined;
    return new Promise((resolve) => {
      op.wake = resolve;
      op.changed?.();
    });
  }

  private abort(op: Operation): void {
    if (!op.tx) return;
    try {
      op.tx.abort();
      op.aborted = true;
    } catch {
      // Already finished: its result stands.
    }
  }

  /**
   * After pageshow: lets the held operations go, lowest first; an aborted one whose failure has not come back
   * yet is waited for, so nothing made after it runs before it runs again.
   */
  private async release(): Promise<void> {
    if (this.releasing) return;
    this.releasing = true;
    try {
      while (!this.hidden) {
        let next: Operation | undefined;
        for (const op of this.ops.values())
          if ((op.wake || op.aborted) && (!next || op.seq < next.seq)) next = op;
        if (!next) break;
        const wake = next.wake;
        if (wake) {
          next.wake = undefined;
          wake();
          continue;
        }
        const op = next;
        await new Promise<void>((resolve) => (op.changed = resolve));
        op.changed = undefined;
      }
    } finally {
      this.releasing = false;
    }
    // Hidden again before every operation went: the next pageshow goes on.
  }
}

const gates = new WeakMap<object, PageCacheGate>();

/** The gate of `page` (one per window, so operations of every store keep one order). */
export function pageCacheGate(page: PageEvents): PageCacheGate {
  let gate = gates.get(page);
  if (!gate) gates.set(page, (gate = new PageCacheGate(page)));
  return gate;
}

/** `store` gated for this window; as it is where there is no window (a worker has no back/forward cache). */
export function gatedStore(store: UseStore): UseStore {
  const page = globalThis as unknown as Partial<PageEvents> & { document?: unknown };
  if (typeof page.addEventListener !== 'function' || typeof page.document === 'undefined')
    return store;
  return pageCacheGate(page as PageEvents).wrap(store);
}
