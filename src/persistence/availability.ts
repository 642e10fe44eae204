import { createStore, del, get, set } from 'idb-keyval';
import type { ResumeStore } from '../engine/ports.ts';
import { createIdbResumeStore, DEFAULT_DB_NAME } from './idb-store.ts';
import { gatedStore } from './page-cache.ts';

/** How long opening IndexedDB may take before we call it unavailable (an open can stay blocked forever). */
const PROBE_TIMEOUT = 5000;
const PROBE_KEY = '__resumable-upload-probe__';

/**
 * Resolves true when IndexedDB can write and read back in database `name`; false in an opaque origin,
 * Firefox private mode, a blocked open, a full disk or a browser without IndexedDB. Never rejects.
 */
export async function isPersistenceAvailable(name: string = DEFAULT_DB_NAME): Promise<boolean> {
  return (await persistenceProblem(name)) === undefined;
}

/** Why IndexedDB cannot be used, or undefined when it works (the probe behind isPersistenceAvailable). */
export async function persistenceProblem(
  name: string = DEFAULT_DB_NAME,
): Promise<Error | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`IndexedDB did not open within ${PROBE_TIMEOUT} ms`)),
      PROBE_TIMEOUT,
    );
  });
  const probe = async () => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    const store = gatedStore(createStore(name, 'uploads'));
    const token = Math.random();
    await set(PROBE_KEY, token, store);
    if ((await get(PROBE_KEY, store)) !== token)
      throw new Error('IndexedDB did not read back what was written');
    await del(PROBE_KEY, store);
  };
  try {
    await Promise.race([probe(), timeout]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The IndexedDB store after a successful probe; rejects with the reason otherwise, so the engine
 * (which takes a Promise<ResumeStore>) falls back to memory and warns that resume is off.
 */
export async function openIdbResumeStore(name: string = DEFAULT_DB_NAME): Promise<ResumeStore> {
  const problem = await persistenceProblem(name);
  if (problem) throw problem;
  return createIdbResumeStore(name);
}
