import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UploadSnapshot } from '../engine/types.ts';
import type { ThumbnailReply } from '../worker/thumbnail-protocol.ts';
import { parseByteSize } from './options.ts';
// Inlined like the MD5 workers (a blob: URL), so nothing needs configuring; CSP: worker-src blob:.
import ThumbnailWorker from '../worker/thumbnail.worker.ts?worker&inline';

/** Images browsers decode (AVIF where supported: a failed decode just shows no thumbnail). */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);
const IMAGE_EXTENSION = /\.(jpe?g|png|webp|gif|avif)$/i;
/** Images decoded at once: a 24-megapixel photo takes about 100 MB while it is decoded. */
const AT_ONCE = 2;
/** Thumbnail size in CSS pixels, times two for high-density screens. */
const EDGE = 96;

/** Where an upload's thumbnail stands: made, being made, or not made (not an image, too large, off, failed). */
export type ThumbnailState = 'queued' | 'ready' | 'skipped' | 'failed';

/** Images over 50 MB get no thumbnail unless `thumbnail-max-size` says otherwise. */
const DEFAULT_LIMIT = 50_000_000;

/** `thumbnails` is on when absent: an enumerated attribute like `spellcheck`; "off" or "false" turns it off. */
export const onUnlessOff = {
  fromAttribute: (v: string | null): boolean => v !== 'off' && v !== 'false',
  toAttribute: (v: boolean): string | null => (v ? null : 'off'),
};

/** What the thumbnail controller needs from its element. */
export interface ThumbnailHost extends ReactiveControllerHost {
  /** Thumbnails on (the `thumbnails` attribute is not "off"). */
  readonly thumbnails: boolean;
  /** Largest image that gets a thumbnail, bytes or with a unit; invalid or unset: 50 MB. */
  readonly thumbnailMaxSize: string | number | null;
  readonly uploads: UploadSnapshot[];
}

/** Whether a file looks like an image the browser may decode, by type or else by extension. */
export function isImage(file: { name: string; type: string }): boolean {
  return file.type ? IMAGE_TYPES.has(file.type.toLowerCase()) : IMAGE_EXTENSION.test(file.name);
}

/**
 * Small previews of the image files in the list, as Uppy's Dashboard and FilePond show: decoded and
 * scaled in workers (at most two images at a time, so a folder of photos neither blocks the page
 * nor fills its memory), shown from object URLs that are revoked when the upload leaves the list.
 */
export class ThumbnailController implements ReactiveController {
  private readonly urls = new Map<string, string>();
  private readonly states = new Map<string, ThumbnailState>();
  private readonly queue: { id: string; file: File }[] = [];
  private readonly idle: Worker[] = [];
  private busy = 0;

  constructor(private readonly host: ThumbnailHost) {
    host.addController(this);
  }

  /** The object URL of an upload's thumbnail, once made. */
  url(id: string): string | undefined {
    return this.urls.get(id);
  }

  /** Where an upload's thumbnail stands (undefined for files added before thumbnails were asked). */
  state(id: string): ThumbnailState | undefined {
    return this.states.get(id);
  }

  /** Queues thumbnails of newly listed files (their snapshots' ids with the Files behind them). */
  track(added: { id: string; file: File }[]): void {
    if (!this.host.thumbnails) return;
    for (const { id, file } of added) {
      this.forget(id);
      if (!isImage(file) || file.size > this.limit()) {
        this.states.set(id, 'skipped');
        continue;
      }
      this.states.set(id, 'queued');
      this.queue.push({ id, file });
    }
    this.pump();
  }

  private limit(): number {
    const max = this.host.thumbnailMaxSize;
    const limit = max == null || max === '' ? NaN : parseByteSize(max);
    return limit >= 0 ? limit : DEFAULT_LIMIT;
  }

  hostUpdated(): void {
    // Uploads that left the list, or every one when thumbnails were turned off.
    const listed = new Set(this.host.thumbnails ? this.host.uploads.map((u) => u.id) : []);
    const gone = [...this.states.keys()].filter((id) => !listed.has(id));
    for (const id of gone) this.forget(id);
    // This runs after the render: render again without the forgotten previews.
    if (gone.length) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    for (const id of [...this.states.keys()]) this.forget(id);
    for (const worker of this.idle.splice(0)) worker.terminate();
  }

  private forget(id: string): void {
    const url = this.urls.get(id);
    if (url) URL.revokeObjectURL(url);
    this.urls.delete(id);
    this.states.delete(id);
    const queued = this.queue.findIndex((q) => q.id === id);
    if (queued >= 0) this.queue.splice(queued, 1);
  }

  private pump(): void {
    while (this.busy < AT_ONCE && this.queue.length) {
      const next = this.queue.shift()!;
      this.busy++;
      const worker = this.idle.pop() ?? new ThumbnailWorker();
      worker.onmessage = (e: MessageEvent<ThumbnailReply>) => this.done(worker, e.data);
      worker.onerror = () => {
        // A worker that failed to load or crashed is not reused.
        worker.terminate();
        this.done(undefined, { id: next.id, ok: false, error: 'worker error' });
      };
      worker.postMessage({ id: next.id, file: next.file, edge: EDGE * 2 });
    }
    // Nothing left to decode: the workers go, and their memory with them.
    if (!this.busy) for (const worker of this.idle.splice(0)) worker.terminate();
  }

  private done(worker: Worker | undefined, reply: ThumbnailReply): void {
    this.busy--;
    if (worker) this.idle.push(worker);
    // An upload removed (or thumbnails turned off) while its image was decoded gets nothing.
    if (this.states.get(reply.id) === 'queued') {
      if (reply.ok) {
        this.urls.set(reply.id, URL.createObjectURL(reply.blob));
        this.states.set(reply.id, 'ready');
      } else {
        this.states.set(reply.id, 'failed');
      }
      this.host.requestUpdate();
    }
    this.pump();
  }
}
