import { pageLock } from '../engine/page-lock.ts';
import type { UploadLock } from '../engine/ports.ts';

/** Lock names are scoped so they cannot clash with the page's own Web Locks. */
const PREFIX = 'resumable-upload:';

/**
 * An UploadLock on Web Locks: the lock is held (its callback's promise stays pending) until release(),
 * and `ifAvailable` makes a second tab get null at once instead of queueing. Locks are per origin and
 * are released by the browser when the holding tab closes or crashes.
 * Without Web Locks (old browsers, insecure origins) only uploads within this page are kept apart.
 */
export function createWebLock(prefix: string = PREFIX): UploadLock {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return pageLock();
  return {
    tryAcquire(id) {
      return new Promise((resolve, reject) => {
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        locks
          .request(prefix + id, { ifAvailable: true }, async (lock) => {
            if (!lock) return resolve(null);
            resolve({ release });
            await released;
          })
          .catch(reject);
      });
    },
  };
}
