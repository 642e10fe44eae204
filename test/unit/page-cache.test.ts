// The back/forward cache gate of the IndexedDB store (src/persistence/page-cache.ts), over a fake
// transaction runner: what it aborts on pagehide, what it holds, and the order it runs them in after pageshow.
// The real engines (WebKit's blocked database) are in test/engines/element.test.ts.
import { describe, expect, it } from 'vitest';
import type { UseStore } from 'idb-keyval';
import { createPageCacheGate } from '../../src/persistence/page-cache.ts';

/** One transaction the fake runner started: the test ends it. */
interface Started {
  label: string;
  tx: { aborted: boolean };
  finish(): void;
  fail(error: Error): void;
}

/**
 * A UseStore whose transactions end when the test says so. abort() fails the transaction with AbortError
 * a microtask later, as IndexedDB's abort event comes after the call; it throws once the transaction ended.
 * With `deferred`, the transaction is only created when the test calls `open()` (the database still opening).
 */
function fakeRunner(deferred = false) {
  const started: Started[] = [];
  const opening: (() => void)[] = [];
  const base: UseStore = (_mode, callback) =>
    new Promise((resolve, reject) => {
      const create = () => {
        let done = false;
        const tx = {
          aborted: false,
          abort() {
            if (done) throw new DOMException('finished', 'InvalidStateError');
            done = true;
            tx.aborted = true;
            queueMicrotask(() => reject(new DOMException('aborted', 'AbortError')));
          },
        };
        const label = callback({ transaction: tx } as unknown as IDBObjectStore) as string;
        started.push({
          label,
          tx,
          finish: () => {
            done = true;
            resolve(label as never);
          },
          fail: (error) => {
            done = true;
            reject(error);
          },
        });
      };
      if (deferred) opening.push(create);
      else create();
    });
  return {
    base,
    started,
    /** Creates the transactions waiting for the database to open. */
    open: () => opening.splice(0).forEach((create) => create()),
    labels: () => started.map((s) => s.label),
  };
}

/** A page (an EventTarget whose pagehide and pageshow the test fires) and a store gated for it. */
function gated(deferred = false) {
  const target = new EventTarget();
  const fire = (type: 'pagehide' | 'pageshow', persisted: boolean) =>
    target.dispatchEvent(Object.assign(new Event(type), { persisted }));
  const runner = fakeRunner(deferred);
  return { fire, runner, store: createPageCacheGate(target).wrap(runner.base) };
}

/** Lets every pending microtask and promise callback run (an operation starts its transaction a microtask after the call). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createPageCacheGate', () => {
  it('leaves a page that unloads for good alone: its running write is not aborted', async () => {
    const { fire, runner, store } = gated();
    const write = store('readwrite', () => 'put A');
    await settle();
    fire('pagehide', false);
    expect(runner.started[0].tx.aborted).toBe(false);
    runner.started[0].finish();
    await expect(write).resolves.toBe('put A');
  });

  it('aborts the running writes when the page goes into the cache, holds new ones, and after pageshow runs them again in call order', async () => {
    const { fire, runner, store } = gated();
    const a = store('readwrite', () => 'put A');
    const b = store('readwrite', () => 'put B');
    await settle();
    fire('pagehide', true);
    expect(runner.started.map((s) => s.tx.aborted)).toEqual([true, true]);
    // Made while the page is in the cache: held, not started.
    const c = store('readwrite', () => 'put C');
    await settle();
    expect(runner.labels()).toEqual(['put A', 'put B']);

    fire('pageshow', true);
    await settle();
    // A and B again, then C: the order they were made in, so the last put still wins.
    expect(runner.labels()).toEqual(['put A', 'put B', 'put A', 'put B', 'put C']);
    for (const s of runner.started.slice(2)) s.finish();
    // The callers saw their writes succeed, never the gate's AbortError.
    await expect(Promise.all([a, b, c])).resolves.toEqual(['put A', 'put B', 'put C']);
  });

  it('keeps a write that ended before the pagehide, and a read that answered', async () => {
    const { fire, runner, store } = gated();
    const a = store('readwrite', () => 'put A');
    await settle();
    runner.started[0].finish();
    fire('pagehide', true);
    expect(runner.started[0].tx.aborted).toBe(false);
    await expect(a).resolves.toBe('put A');
    fire('pageshow', true);
    await settle();
    expect(runner.labels()).toEqual(['put A']);
  });

  it('aborts a transaction the database creates after the pagehide, and runs it after pageshow', async () => {
    const { fire, runner, store } = gated(true);
    const a = store('readwrite', () => 'put A');
    await settle();
    fire('pagehide', true);
    runner.open();
    expect(runner.started[0].tx.aborted).toBe(true);
    fire('pageshow', true);
    await settle();
    runner.open();
    expect(runner.labels()).toEqual(['put A', 'put A']);
    runner.started[1].finish();
    await expect(a).resolves.toBe('put A');
  });

  it('passes on a failure it did not cause', async () => {
    const { runner, store } = gated();
    const a = store('readwrite', () => 'put A');
    await settle();
    runner.started[0].fail(new DOMException('full', 'QuotaExceededError'));
    await expect(a).rejects.toMatchObject({ name: 'QuotaExceededError' });
  });

  it('goes on where it stopped when the page is hidden again while the held writes are let go', async () => {
    const { fire, runner, store } = gated();
    const a = store('readwrite', () => 'put A');
    await settle();
    fire('pagehide', true);
    const b = store('readwrite', () => 'put B');
    fire('pageshow', true);
    // Hidden again before A's abort came back: nothing starts until the next pageshow.
    fire('pagehide', true);
    await settle();
    expect(runner.labels()).toEqual(['put A']);
    fire('pageshow', true);
    await settle();
    expect(runner.labels()).toEqual(['put A', 'put A', 'put B']);
    runner.started[1].finish();
    runner.started[2].finish();
    await expect(Promise.all([a, b])).resolves.toEqual(['put A', 'put B']);
  });
});
