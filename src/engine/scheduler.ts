import { abortError } from './errors.ts';
import { MAX_CONCURRENCY } from './options.ts';

/**
 * Lowers the number of parts in flight when the store throttles (429, SlowDown) and raises it back
 * step by step once the store has been quiet for a while. Shared by every upload of one Uploader.
 */
export class Throttle {
  private factor = 1;
  private recoverTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters = new Set<() => void>();

  constructor(private readonly recoverAfterMs = 10_000) {}

  /** Parts allowed in flight for an upload whose configured concurrency is `base`. */
  limit(base: number): number {
    return Math.max(1, Math.floor(base * this.factor));
  }

  /** Halves the allowed parts in flight (never below one) and restarts the quiet-time clock. */
  slowDown(): void {
    // At the floor even the largest concurrency is down to one part in flight.
    this.factor = Math.max(this.factor / 2, 1 / MAX_CONCURRENCY);
    this.scheduleRecovery();
  }

  /** Resolves when part lane `index` (0-based) may send under concurrency `base`, or when `done()` says no work is left. */
  admit(
    index: number,
    base: number,
    signal: AbortSignal,
    done: () => boolean = () => false,
  ): Promise<void> {
    if (index < this.limit(base) || done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (signal.aborted) {
          cleanup();
          reject(signal.reason ?? abortError());
        } else if (index < this.limit(base) || done()) {
          cleanup();
          resolve();
        }
      };
      const cleanup = () => {
        this.waiters.delete(check);
        signal.removeEventListener('abort', check);
      };
      this.waiters.add(check);
      signal.addEventListener('abort', check, { once: true });
    });
  }

  /** Wakes waiting lanes to check again (a part finished, maybe the last one). */
  poke(): void {
    for (const check of [...this.waiters]) check();
  }

  /** Stops the recovery timer. */
  destroy(): void {
    clearTimeout(this.recoverTimer);
  }

  private scheduleRecovery(): void {
    clearTimeout(this.recoverTimer);
    this.recoverTimer = setTimeout(() => {
      this.factor = Math.min(1, this.factor * 2);
      for (const check of [...this.waiters]) check();
      if (this.factor < 1) this.scheduleRecovery();
    }, this.recoverAfterMs);
  }
}

/** Lets at most `max` uploads (files) run at once; the others wait in the order they asked. */
export class FileQueue {
  private running = 0;
  private queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  /** Resolves with a release function once fewer than `max` files run; rejects if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.running++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.running--;
          this.queue.shift()?.();
        });
      };
      const onAbort = () => {
        this.queue = this.queue.filter((g) => g !== grant);
        reject(signal.reason ?? abortError());
      };
      if (signal.aborted) return reject(signal.reason ?? abortError());
      if (this.running < this.max) return grant();
      this.queue.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
