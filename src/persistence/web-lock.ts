import type { UploadLock } from '../engine/ports.ts';

/** Lock names are scoped so they cannot clash with the page's own Web Locks. */
const PREFIX = 'resumable-upload:';

/**
 * An UploadLock on Web Locks: the lock is held (its callback's promise stays pending) until release(),
 * and `ifAvailable` makes a second tab get null at once instead of queueing. Locks are per origin and
 * are released by the browser when the holding tab closes or crashes.
 * Undefined without Web Locks (old browsers, insecure origins): the engine's default lock then keeps
 * apart only the uploads within this page.
 */
export function createWebLock(prefix: string = PREFIX): UploadLock | undefined {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return undefined;
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
