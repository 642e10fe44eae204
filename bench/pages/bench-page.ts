// The bench page: npm run bench drives these through page.evaluate and times them here, in the page.
import { Uploader } from '../../src/browser/engine.ts';
import type { SignedPart } from '../../src/protocol/index.ts';
import {
  createWorkerHasher,
  defaultWorkerCount,
  type HashImpl,
  type WorkerHasherOptions,
} from '../../src/worker/index.ts';

/** The engine options a phase passes; `hasher` and `workers` left out mean the engine's defaults. */
interface EngineOptions {
  hasher?: HashImpl;
  partSize: number;
  concurrency: number;
  workers?: number;
  opfsCopyMaxSize?: number;
  opfsCopyDelay?: number;
}

let longest = 0;
// The start and end of every part PUT (XHR from the engine, fetch from the raw phase), for the time split in
// timed(): wrapped here because Resource Timing leaves these uploads out in this Chromium.
let puts: { start: number; end: number }[] = [];
const pageSend = XMLHttpRequest.prototype.send;
const pageOpen = XMLHttpRequest.prototype.open;
const putRequests = new WeakSet<XMLHttpRequest>();
XMLHttpRequest.prototype.open = function (
  this: XMLHttpRequest,
  method: string,
  ...rest: unknown[]
) {
  if (method.toUpperCase() === 'PUT') putRequests.add(this);
  return (pageOpen as (...a: unknown[]) => void).call(this, method, ...rest);
} as typeof XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
  if (putRequests.has(this)) {
    const timing = { start: performance.now(), end: 0 };
    puts.push(timing);
    this.addEventListener('loadend', () => (timing.end = performance.now()));
  }
  return pageSend.call(this, body);
};
const pageFetch = window.fetch;
window.fetch = async (input, init) => {
  if (init?.method !== 'PUT') return pageFetch(input, init);
  const timing = { start: performance.now(), end: 0 };
  puts.push(timing);
  try {
    return await pageFetch(input, init);
  } finally {
    timing.end = performance.now();
  }
};

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
}).observe({ type: 'longtask', buffered: true });

// Workers alive now and the most alive at once since the phase began: whatever count the engine chooses,
// and however, the bench sees what really ran (a recycled worker is terminated before its successor starts).
let alive = 0;
let peakWorkers = 0;
const PageWorker = window.Worker;
window.Worker = class CountedWorker extends PageWorker {
  private ended = false;
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    alive++;
    peakWorkers = Math.max(peakWorkers, alive);
  }
  override terminate(): void {
    if (!this.ended) alive--;
    this.ended = true;
    super.terminate();
  }
};

function file(): File {
  const chosen = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!chosen) throw new Error('no file chosen');
  return chosen;
}

/**
 * A phase's result: wall time in the page, the longest main-thread task, the most workers alive at once, and
 * where the time went (the part PUTs the page made): from the start to the first part PUT's
 * start, and from the last PUT's end to the phase's end (create, the first hash and sign call; complete).
 */
interface Timed {
  ms: number;
  longestTask: number;
  peakWorkers: number;
  beforeFirstPutMs: number;
  afterLastPutMs: number;
}

async function timed(run: () => Promise<void>): Promise<Timed> {
  longest = 0;
  peakWorkers = alive;
  puts = [];
  const started = performance.now();
  await run();
  const ended = performance.now();
  const ms = ended - started;
  const firstPut = Math.min(...puts.map((e) => e.start));
  const lastPutEnd = Math.max(...puts.map((e) => e.end));
  // Long tasks are reported after they end: give the observer a frame to deliver the last ones.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    ms,
    longestTask: longest,
    peakWorkers,
    beforeFirstPutMs: puts.length ? firstPut - started : 0,
    afterLastPutMs: puts.length ? ended - lastPutEnd : 0,
  };
}

type Success = { upload: { resumed: boolean }; result: { key: string } };

/** Adds `chosen` (the chosen file) to `uploader` and resolves with its upload-success detail (rejects on upload-error). */
function uploadFile(uploader: Uploader, chosen: File = file()): Promise<Success> {
  return new Promise((resolve, reject) => {
    uploader.addEventListener('upload-success', (event) =>
      resolve((event as CustomEvent<Success>).detail),
    );
    uploader.addEventListener('upload-error', (event) => {
      const detail = (event as CustomEvent<{ code: string; message: string }>).detail;
      reject(new Error(`engine upload failed: ${detail.code}: ${detail.message}`));
    });
    uploader.add([chosen]);
  });
}

const bench = {
  /**
   * An uncounted engine upload of the file's first two parts (its own small file), before the measured
   * phases: the first Uploader of a page costs more than the next (module code compiled, the worker's
   * script and hash-wasm compiled, IndexedDB opened), which otherwise fell on whichever engine phase came
   * first in a run.
   */
  async engineWarmUp(options: EngineOptions): Promise<void> {
    const uploader = new Uploader({ endpoint: '/api/upload', ...options });
    const whole = file();
    const part = new File([whole.slice(0, 2 * options.partSize)], `warm-up-${whole.name}`);
    try {
      await uploadFile(uploader, part);
    } finally {
      uploader.destroy();
    }
  },

  /** How many MD5 workers the engine runs when not told (its default on this machine). */
  defaultWorkers(): Promise<number> {
    return Promise.resolve(defaultWorkerCount());
  },

  /**
   * Reads every part of the file in one worker, with the MD5 workers' BYOB loop, and hashes nothing: what the
   * hashing phase's one worker spends on reading, apart from the MD5.
   */
  read(partSize: number): Promise<Timed> {
    const f = file();
    const worker = new Worker(new URL('./read.worker.ts', import.meta.url), { type: 'module' });
    return timed(async () => {
      let read = 0;
      await new Promise<void>((resolve, reject) => {
        worker.onerror = (event) => reject(new Error(`read worker failed: ${event.message}`));
        worker.onmessage = (event: MessageEvent<{ bytes: number }>) => {
          read += event.data.bytes;
          if (read === f.size) resolve();
        };
        let id = 0;
        for (let offset = 0; offset < f.size; offset += partSize)
          worker.postMessage({ id: id++, blob: f.slice(offset, offset + partSize) });
      });
    }).finally(() => worker.terminate());
  },

  /** Hashes every part of the file with `workers` workers, all parts queued at once (no uploading). */
  hash(
    impl: HashImpl,
    workers: number,
    partSize: number,
    options: WorkerHasherOptions = {},
  ): Promise<Timed> {
    const f = file();
    const hasher = createWorkerHasher({ ...options, impl, workers });
    return timed(async () => {
      const jobs = [];
      for (let offset = 0; offset < f.size; offset += partSize)
        jobs.push(hasher.md5(f.slice(offset, offset + partSize)));
      await Promise.all(jobs);
      if (hasher.impl !== impl)
        throw new Error(`${impl} was not available (fell back to ${hasher.impl})`);
    }).finally(() => hasher.destroy());
  },

  /**
   * The engine end to end: add the file, wait for upload-success; `pool` tunes its worker pool. With the
   * default options, so the record is saved in IndexedDB as parts finish (each run completes, which deletes
   * it, so the next run does not resume). With `persist: false` instead, 7 Dec: 14.6 against 13.4 CPU s/GiB,
   * 91.4 against 96.2 MB/s (local, hash-wasm, medians of 3): the record writes cost nothing measurable.
   */
  engine(options: EngineOptions, pool?: WorkerHasherOptions): Promise<Timed & { key: string }> {
    const hasher = pool
      ? createWorkerHasher({ ...pool, impl: options.hasher, workers: options.workers })
      : undefined;
    const uploader = new Uploader({
      endpoint: '/api/upload',
      ...options,
      ...(hasher ? { hasher } : {}),
    });
    let key = '';
    return timed(async () => {
      key = (await uploadFile(uploader)).result.key;
    })
      .then((t) => ({ ...t, key }))
      .finally(() => {
        uploader.destroy();
        hasher?.destroy();
      });
  },

  /**
   * Starts a persisted upload and resolves once `parts` parts are stored, leaving it running, so that the
   * bench can reload the page mid-upload (the reload phase).
   */
  engineUntil(options: EngineOptions, parts: number): Promise<{ partCount: number }> {
    const uploader = new Uploader({ endpoint: '/api/upload', ...options });
    return new Promise((resolve, reject) => {
      uploader.addEventListener('upload-part', (event) => {
        const { upload } = (
          event as CustomEvent<{ upload: { partsDone: number; partCount: number } }>
        ).detail;
        if (upload.partsDone >= parts) resolve({ partCount: upload.partCount });
      });
      uploader.addEventListener('upload-error', (event) => {
        const detail = (event as CustomEvent<{ code: string; message: string }>).detail;
        reject(new Error(`engine upload failed: ${detail.code}: ${detail.message}`));
      });
      uploader.add([file()]);
    });
  },

  /** After a reload: adds the same file again and times the resumed upload to upload-success. */
  engineResume(options: EngineOptions): Promise<Timed & { resumed: boolean }> {
    const uploader = new Uploader({ endpoint: '/api/upload', ...options });
    let resumed = false;
    return timed(async () => {
      resumed = (await uploadFile(uploader)).upload.resumed;
    })
      .then((t) => ({ ...t, resumed }))
      .finally(() => uploader.destroy());
  },

  /** The raw ceiling: PUT presigned Blob slices with fetch, `concurrency` in flight, no hashing. */
  raw(
    parts: SignedPart[],
    partSize: number,
    concurrency: number,
  ): Promise<Timed & { etags: string[] }> {
    const f = file();
    const etags: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < parts.length) {
        const part = parts[next++];
        const offset = (part.partNumber - 1) * partSize;
        const response = await fetch(part.url, {
          method: 'PUT',
          headers: part.headers,
          body: f.slice(offset, offset + partSize),
        });
        if (!response.ok)
          throw new Error(
            `PUT part ${part.partNumber}: ${response.status} ${await response.text()}`,
          );
        etags[part.partNumber - 1] = (response.headers.get('ETag') ?? '').replace(/"/g, '');
      }
    };
    return timed(async () => {
      await Promise.all(Array.from({ length: concurrency }, lane));
    }).then((t) => ({ ...t, etags }));
  },
};

Object.assign(window, { bench });
document.body.dataset.ready = 'true';
