// What the cross-engine cases do in the page, written once over the EngineDriver interface.
import type { EngineDriver } from './driver.ts';

/** An event the test page recorded. */
export interface Recorded {
  type: string;
  detail: Record<string, unknown>;
}

/**
 * Waits until `check` gives a value that is not false/undefined (polling the page: a condition,
 * never a fixed delay), or fails with `what` after `timeout` ms (generous: the machine is shared).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | false | undefined>,
  timeout = 120_000,
): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the cross-engine test page with the element's `attrs`, and waits for the element. */
export async function openPage(
  driver: EngineDriver,
  origin: string,
  attrs: Record<string, string>,
): Promise<void> {
  await driver.goto(`${origin}/test/engines/page.html?${new URLSearchParams(attrs)}`);
  await waitForElement(driver);
}

/** Waits for the element to be defined and rendered (after a navigation or a reload). */
export async function waitForElement(driver: EngineDriver): Promise<void> {
  await waitFor('the element to render', () =>
    driver.evaluate(async () => {
      const el = document.querySelector('resumable-upload');
      if (!customElements.get('resumable-upload') || !el) return false;
      await el.updateComplete;
      return !!el.shadowRoot?.querySelector('.drop-zone');
    }, null),
  );
}

/** The events the page recorded. */
export function events(driver: EngineDriver): Promise<Recorded[]> {
  return driver.evaluate(() => (window as unknown as { events: Recorded[] }).events, null);
}

/** Waits for the upload of `name` to succeed and returns its object key; fails at once on an error event. */
export async function uploaded(driver: EngineDriver, name: string): Promise<string> {
  return waitFor(`the upload of ${name}`, async () => {
    for (const e of await events(driver)) {
      const upload = e.detail.upload as { name?: string } | undefined;
      if (upload?.name !== name) continue;
      if (e.type === 'upload-error') throw new Error(`${name}: ${JSON.stringify(e.detail)}`);
      if (e.type === 'upload-success') return (e.detail.result as { key: string }).key;
    }
    return false;
  });
}

/** The phase the element shows for `name` (its list item's data-phase). */
export function phase(driver: EngineDriver, name: string): Promise<string | null> {
  return driver.evaluate((n) => {
    const items = document
      .querySelector('resumable-upload')!
      .shadowRoot!.querySelectorAll('li.item');
    const li = [...items].find((i) => i.textContent?.includes(n));
    return li?.getAttribute('data-phase') ?? null;
  }, name);
}

/** Clicks the element's button whose accessible name is `label` (e.g. "Pause a.bin"), as a person does. */
export async function clickButton(driver: EngineDriver, label: string): Promise<void> {
  const clicked = await driver.evaluate((l) => {
    const root = document.querySelector('resumable-upload')!.shadowRoot!;
    const button = [...root.querySelectorAll('button')].find(
      (b) => b.getAttribute('aria-label') === l,
    );
    button?.click();
    return !!button;
  }, label);
  if (!clicked) throw new Error(`no button "${label}"`);
}

/** How many parts the saved resume record of `name` lists (read from IndexedDB itself). */
export function savedParts(driver: EngineDriver, name: string): Promise<number> {
  return driver.evaluate(
    (n) =>
      new Promise<number>((resolve, reject) => {
        // An IndexedDB that does not answer yields -1 for this poll instead of holding the command.
        setTimeout(() => resolve(-1), 10_000);
        const open = indexedDB.open('resumable-upload');
        // No database yet: do not create an empty one the element would then open without its store.
        open.onupgradeneeded = () => open.transaction!.abort();
        open.onerror = () => (open.error?.name === 'AbortError' ? resolve(0) : reject(open.error));
        open.onblocked = () => reject(new Error('the database open is blocked'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('uploads')) {
            db.close();
            return resolve(0);
          }
          const all = db.transaction('uploads').objectStore('uploads').getAll();
          all.onsuccess = () => {
            const records = all.result as { name: string; parts: unknown[] }[];
            resolve(records.find((r) => r.name === n)?.parts.length ?? 0);
            db.close();
          };
          all.onerror = () => {
            reject(all.error);
            db.close();
          };
        };
      }),
    name,
  );
}

/** axe-core's violations on the element (shadow DOM included), as "rule: target" lines. */
export function axeViolations(driver: EngineDriver): Promise<string[]> {
  return driver.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; nodes: { target: unknown }[] }[];
    }
    const { axe } = window as unknown as {
      axe: { run(context: unknown, options: unknown): Promise<AxeResult> };
    };
    const result = await axe.run(document.querySelector('resumable-upload'), {
      resultTypes: ['violations'],
    });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`),
    );
  }, null);
}

/** The saved resume record of `name`: its part count and the name of its private copy, if any. */
export function savedRecord(
  driver: EngineDriver,
  name: string,
): Promise<{ parts: number; copy: string | null } | null> {
  return driver.evaluate(
    (n) =>
      new Promise<{ parts: number; copy: string | null } | null>((resolve, reject) => {
        const open = indexedDB.open('resumable-upload');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('uploads')) return resolve(null);
          const all = db.transaction('uploads').objectStore('uploads').getAll();
          all.onsuccess = () => {
            const records = all.result as { name: string; parts: unknown[]; copy?: string }[];
            const r = records.find((x) => x.name === n);
            resolve(r ? { parts: r.parts.length, copy: r.copy ?? null } : null);
            db.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
    name,
  );
}

/** The private copies the engine keeps in OPFS: name and size of each. */
export function opfsCopies(driver: EngineDriver): Promise<{ name: string; size: number }[]> {
  return driver.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    let dir: FileSystemDirectoryHandle;
    try {
      dir = await root.getDirectoryHandle('resumable-upload-copies');
    } catch {
      return [];
    }
    const found: { name: string; size: number }[] = [];
    const entries = (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values();
    for await (const entry of entries) {
      if (entry.kind === 'file') {
        found.push({
          name: entry.name,
          size: (await (entry as FileSystemFileHandle).getFile()).size,
        });
      }
    }
    return found;
  }, null);
}
