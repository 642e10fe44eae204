import { createHash } from 'node:crypto';
import { planParts, type SignedPart } from '../../src/protocol/index.ts';
import { EngineError, abortError } from '../../src/engine/errors.ts';
import type {
  ByteRange,
  Hasher,
  Md5Digest,
  PartTransport,
  PutResult,
  ResumeStore,
  UploadLock,
} from '../../src/engine/ports.ts';
import type { BackendAdapter } from '../../src/engine/types.ts';
import { memoryStore } from '../../src/engine/memory-store.ts';
import type { OnlineSource, UploaderInit } from '../../src/engine/uploader.ts';

/** MD5 of bytes in both encodings. */
export function md5Of(bytes: Uint8Array): Md5Digest {
  const digest = createHash('md5').update(bytes).digest();
  return { base64: digest.toString('base64'), hex: digest.toString('hex') };
}

/** A hasher on node:crypto that counts what it hashed. */
export class FakeHasher implements Hasher {
  /** Bytes hashed per call, and the Blob given (the File itself when the engine passed a range). */
  calls: { size: number; blob: Blob; range?: ByteRange }[] = [];
  async md5(whole: Blob, _signal?: AbortSignal, range?: ByteRange): Promise<Md5Digest> {
    const blob = range ? whole.slice(range.start, range.end) : whole;
    this.calls.push({ size: blob.size, blob: whole, ...(range ? { range } : {}) });
    return md5Of(new Uint8Array(await blob.arrayBuffer()));
  }
  /** warm() calls: a worker pool would start a worker for each. */
  warmed = 0;
  warm(): void {
    this.warmed++;
  }
  destroy(): void {}
}

interface StoredUpload {
  key: string;
  size: number;
  partSize: number;
  partCount: number;
  parts: Map<number, { size: number; etag: string }>;
  completed: boolean;
}

/** An in-memory backend with S3 semantics enough for the engine: sessions, signed URLs, parts, complete, abort. */
export class FakeBackend implements BackendAdapter {
  uploads = new Map<string, StoredUpload>();
  calls: { op: string; req: unknown }[] = [];
  /** Lifetime of signed URLs in ms. */
  urlTtl = 60_000;
  private next = 1;

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  private upload(token: string): StoredUpload {
    const upload = this.uploads.get(token);
    if (!upload) throw new EngineError('no-such-upload', 'no such upload', { status: 404 });
    return upload;
  }

  private sign(token: string, partNumber: number, md5: string): SignedPart {
    return {
      partNumber,
      url: `https://store.test/${token}/${partNumber}`,
      method: 'PUT',
      headers: { 'Content-MD5': md5 },
      expiresAt: Date.now() + this.urlTtl,
    };
  }

  async createUpload(req: Parameters<BackendAdapter['createUpload']>[0]) {
    this.calls.push({ op: 'create', req });
    const plan = planParts(req.size, req.partSize);
    const token = `t${this.next++}`;
    this.uploads.set(token, {
      key: `k/${req.fileName}`,
      ...plan,
      parts: new Map(),
      completed: false,
    });
    const single = plan.partCount === 1 && req.contentMd5 !== undefined;
    // As the handler does: part 1 signed with create when the browser's first part is the plan's.
    const first = !single && req.firstPart?.size === plan.partSize ? req.firstPart : undefined;
    return {
      mode: single ? ('single' as const) : ('multipart' as const),
      uploadId: single ? '' : `up-${token}`,
      key: `k/${req.fileName}`,
      bucket: 'b',
      partSize: plan.partSize,
      partCount: plan.partCount,
      token,
      tokenExpiresAt: Date.now() + 86_400_000,
      put: single
        ? this.sign(token, 1, req.contentMd5!)
        : first && this.sign(token, 1, first.contentMd5),
    };
  }

  async signParts(req: Parameters<BackendAdapter['signParts']>[0]) {
    this.calls.push({ op: 'sign', req });
    this.upload(req.token);
    return { parts: req.parts.map((p) => this.sign(req.token, p.partNumber, p.contentMd5)) };
  }

  async listParts(req: { token: string }) {
    this.calls.push({ op: 'list', req });
    const upload = this.upload(req.token);
    return { parts: [...upload.parts].map(([partNumber, p]) => ({ partNumber, ...p })) };
  }

  async completeUpload(req: Parameters<BackendAdapter['completeUpload']>[0]) {
    this.calls.push({ op: 'complete', req });
    const upload = this.upload(req.token);
    for (const p of req.parts) {
      if (upload.parts.get(p.partNumber)?.etag !== p.etag) {
        throw new EngineError('invalid-part', `part ${p.partNumber} missing`, { status: 400 });
      }
    }
    upload.completed = true;
    this.uploads.delete(req.token);
    return {
      bucket: 'b',
      key: upload.key,
      etag: 'x',
      size: upload.size,
      location: '/x',
      contentType: '',
    };
  }

  async abortUpload(req: { token: string }) {
    this.calls.push({ op: 'abort', req });
    this.upload(req.token);
    this.uploads.delete(req.token);
    return { aborted: true };
  }

  /** Stores a part as the store would after a good PUT (called by the transport). */
  storePart(url: string, size: number, etag: string): void {
    const [token, n] = url.replace('https://store.test/', '').split('/');
    this.uploads.get(token!)?.parts.set(Number(n), { size, etag });
  }

  tokenOf(url: string): string {
    return url.replace('https://store.test/', '').split('/')[0]!;
  }
}

/** One PUT the engine made, to answer by hand. */
export interface FakeRequest {
  part: SignedPart;
  body: Blob;
  signal: AbortSignal;
  progress(loaded: number): void;
  /** Answers like the store: default 200 with the MD5 ETag of the body, and stores the part. */
  respond(answer?: Partial<PutResult>): Promise<void>;
  /** No answer at all (connection dropped). */
  fail(): void;
}

/** A transport whose requests tests take one by one (tus-js-client's TestHttpStack style), or answer automatically. */
export class FakeTransport implements PartTransport {
  puts: SignedPart[] = [];
  /** When set, every request is answered by it as soon as it is made. */
  auto?: (req: FakeRequest) => void | Promise<void>;
  private waiting: ((req: FakeRequest) => void)[] = [];
  private queued: FakeRequest[] = [];

  constructor(private readonly backend: FakeBackend) {}

  put(
    part: SignedPart,
    body: Blob,
    onProgress: (loaded: number) => void,
    signal: AbortSignal,
  ): Promise<PutResult> {
    this.puts.push(part);
    return new Promise<PutResult>((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      signal.addEventListener('abort', () => reject(abortError()), { once: true });
      const req: FakeRequest = {
        part,
        body,
        signal,
        progress: (loaded) => onProgress(loaded),
        respond: async (answer = {}) => {
          const status = answer.status ?? 200;
          let etag = answer.etag;
          if (etag === undefined)
            etag = status < 300 ? md5Of(new Uint8Array(await body.arrayBuffer())).hex : '';
          if (status < 300) this.backend.storePart(part.url, body.size, etag);
          resolve({ status, etag, body: answer.body ?? '' });
        },
        fail: () => reject(new EngineError('network', 'dropped')),
      };
      if (this.auto) {
        void this.auto(req);
        return;
      }
      const waiter = this.waiting.shift();
      if (waiter) waiter(req);
      else this.queued.push(req);
    });
  }

  /** The next request the engine makes. */
  nextRequest(): Promise<FakeRequest> {
    const req = this.queued.shift();
    if (req) return Promise.resolve(req);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** A network switch for the engine. */
export class FakeOnline implements OnlineSource {
  online = true;
  private listeners = new Set<(online: boolean) => void>();
  isOnline(): boolean {
    return this.online;
  }
  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(online: boolean): void {
    this.online = online;
    for (const l of this.listeners) l(online);
  }
}

/** A lock shared by "tabs" (Uploaders) of one test. */
export function sharedLock(): UploadLock {
  const held = new Set<string>();
  return {
    async tryAcquire(id) {
      if (held.has(id)) return null;
      held.add(id);
      return { release: () => held.delete(id) };
    },
  };
}

/** A File of `size` bytes with a repeating, position-dependent pattern. */
export function makeFile(
  size: number,
  name = 'f.bin',
  lastModified = 1_700_000_000_000,
  seed = 0,
): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >> 10)) & 0xff;
  return new File([bytes], name, { type: 'application/octet-stream', lastModified });
}

/** Everything one Uploader under test runs on. */
export interface Rig {
  backend: FakeBackend;
  transport: FakeTransport;
  hasher: FakeHasher;
  store: ResumeStore;
  online: FakeOnline;
  lock: UploadLock;
  init(extra?: Partial<UploaderInit>): UploaderInit;
}

/** A fresh set of fakes; `init()` gives Uploader options with small, fast retry settings. */
export function rig(): Rig {
  const backend = new FakeBackend();
  const r: Rig = {
    backend,
    transport: new FakeTransport(backend),
    hasher: new FakeHasher(),
    store: memoryStore(),
    online: new FakeOnline(),
    lock: sharedLock(),
    init: (extra = {}) => ({
      backend: r.backend,
      hasher: r.hasher,
      transport: r.transport,
      store: r.store,
      lock: r.lock,
      online: r.online,
      partSize: 5 * 1024 * 1024,
      concurrency: 2,
      retry: { retries: 3, baseDelay: 1, maxDelay: 5, maxElapsed: 10_000 },
      ...extra,
    }),
  };
  return r;
}

/** Resolves with the detail of the next `name` event. */
export function nextEvent<T>(target: EventTarget, name: string): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener(name, (e) => resolve((e as CustomEvent<T>).detail), { once: true }),
  );
}
