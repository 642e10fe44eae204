import type { UploadLock } from './ports.ts';

/**
 * A lock that only keeps two uploads of one page apart: the fallback where Web Locks are missing
 * (old browsers, insecure origins) and the default when no lock is given.
 */
export function pageLock(): UploadLock {
  const held = new Set<string>();
  return {
    async tryAcquire(id) {
      if (held.has(id)) return null;
      held.add(id);
      return { release: () => held.delete(id) };
    },
  };
}
