// Exposes the worker hasher to Playwright: tests call window.harness.* through page.evaluate.
import {
  createWorkerHasher,
  type HashImpl,
  type WorkerHasherOptions,
} from '../../../../src/worker/index.ts';
import { testBytes } from './bytes.ts';

type Outcome =
  | { ok: true; hex: string; base64: string; impl: string }
  | { ok: false; name: string; message: string };

async function outcome(
  hasher: ReturnType<typeof createWorkerHasher>,
  run: Promise<{ hex: string; base64: string }>,
): Promise<Outcome> {
  try {
    const digest = await run;
    return { ok: true, ...digest, impl: hasher.impl };
  } catch (error) {
    const e = error as Error;
    return { ok: false, name: e.name, message: e.message };
  }
}

function chosenFile(): File {
  const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file chosen');
  return file;
}

const harness = {
  /** MD5 of testBytes(size) hashed in a fresh pool. */
  async hashBytes(
    size: number,
    impl: HashImpl,
    options: WorkerHasherOptions = {},
  ): Promise<Outcome> {
    const hasher = createWorkerHasher({ ...options, impl, workers: 1 });
    const result = await outcome(hasher, hasher.md5(new Blob([testBytes(size) as BlobPart])));
    hasher.destroy();
    return result;
  },
  /** MD5 of the file set on the input. */
  async hashFile(impl: HashImpl, options: WorkerHasherOptions = {}): Promise<Outcome> {
    const hasher = createWorkerHasher({ workers: 1, ...options, impl });
    const result = await outcome(hasher, hasher.md5(chosenFile()));
    hasher.destroy();
    return result;
  },
  /** Hashes every part of the chosen file concurrently (more jobs than workers) and returns each digest. */
  async hashParts(
    impl: HashImpl,
    partSize: number,
    workers: number,
    recycleAfterBytes?: number,
    ranged = false,
  ): Promise<Outcome[]> {
    const file = chosenFile();
    const hasher = createWorkerHasher({ impl, workers, recycleAfterBytes });
    const jobs: Promise<Outcome>[] = [];
    for (let offset = 0; offset < file.size; offset += partSize) {
      const end = Math.min(offset + partSize, file.size);
      // ranged: the whole File goes to the pool with the part's range, and the worker slices (as the engine does).
      const job = ranged
        ? hasher.md5(file, undefined, { start: offset, end })
        : hasher.md5(file.slice(offset, end));
      jobs.push(outcome(hasher, job));
    }
    const results = await Promise.all(jobs);
    hasher.destroy();
    return results;
  },
  /** A worker whose script throws at load: the job must reject, and the next job reject too (no hang). */
  async hashWithBrokenWorker(): Promise<Outcome[]> {
    const hasher = createWorkerHasher({
      workers: 1,
      createWorker: () => new Worker('data:text/javascript,throw new Error("worker script broke")'),
    });
    const first = await outcome(hasher, hasher.md5(new Blob(['abc'])));
    const second = await outcome(hasher, hasher.md5(new Blob(['abc'])));
    hasher.destroy();
    return [first, second];
  },
  /** Worker creation throws (as under a CSP forbidding blob: workers): every queued job must reject. */
  async hashWhenWorkersCannotStart(): Promise<Outcome[]> {
    const hasher = createWorkerHasher({
      workers: 2,
      createWorker: () => {
        throw new DOMException('blocked by CSP', 'SecurityError');
      },
    });
    const jobs = [1, 2, 3].map(() => outcome(hasher, hasher.md5(new Blob(['abc']))));
    const results = await Promise.all(jobs);
    hasher.destroy();
    return results;
  },
  /** A worker that never answers: the job must fail with TimeoutError once the time limit passes. */
  async hashWithSilentWorker(): Promise<Outcome> {
    const hasher = createWorkerHasher({
      workers: 1,
      jobTimeout: 300,
      createWorker: () => new Worker('data:text/javascript,'),
    });
    const result = await outcome(hasher, hasher.md5(new Blob(['abc'])));
    hasher.destroy();
    return result;
  },
  /** Aborts a running hash of the chosen file and a queued one, then checks the pool still hashes. */
  async abortThenHash(
    impl: HashImpl,
  ): Promise<{ running: Outcome; queued: Outcome; preAborted: Outcome; after: Outcome }> {
    const hasher = createWorkerHasher({ impl, workers: 1 });
    const controller = new AbortController();
    const running = outcome(hasher, hasher.md5(chosenFile(), controller.signal));
    const queued = outcome(hasher, hasher.md5(chosenFile(), controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const preAborted = await outcome(hasher, hasher.md5(new Blob(['x']), controller.signal));
    const result = {
      running: await running,
      queued: await queued,
      preAborted,
      after: await outcome(hasher, hasher.md5(new Blob(['abc']))),
    };
    hasher.destroy();
    return result;
  },
  /** destroy() rejects pending jobs instead of leaving them hanging. */
  async destroyWhileHashing(): Promise<Outcome> {
    const hasher = createWorkerHasher({ workers: 1 });
    const pending = outcome(hasher, hasher.md5(chosenFile()));
    hasher.destroy();
    return pending;
  },
};

Object.assign(window, { harness });
document.body.dataset.ready = 'true';
