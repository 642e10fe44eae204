import { unquoteEtag, type SignedPart } from '../protocol/index.ts';
import { EngineError, abortError } from '../engine/errors.ts';
import type { PartTransport, PutResult } from '../engine/ports.ts';

/** Headers the browser sets itself and refuses from script. */
const FORBIDDEN = new Set(['content-length', 'host', 'connection', 'expect', 'accept-encoding']);

/** Options of the XHR transport. */
export interface XhrTransportOptions {
  /**
   * Give up on a PUT that made no progress (nor answered) for this long, in ms (default 60 s); it is then
   * retried. A PUT that has sent nothing yet counts as stalled only when no PUT to its origin made progress
   * for that long: the browser queues requests beyond its connections per host (6 in Chromium), and a
   * queued PUT is waiting, not stalled.
   */
  stallTimeout?: number;
}

/**
 * When a PUT to each origin last made progress, over every transport of the page: the browser's queue of
 * requests per host is shared by all of them.
 */
const originProgress = new Map<string, number>();

/**
 * The default PartTransport: XMLHttpRequest, because fetch has no upload progress. The body is the
 * Blob slice itself: as an ArrayBuffer the same PUTs ran at 14 MB/s instead of 280 and the renderer grew by a GB.
 */
export function createXhrTransport(options: XhrTransportOptions = {}): PartTransport {
  const stallTimeout = options.stallTimeout ?? 60_000;
  return {
    put(
      part: SignedPart,
      body: Blob,
      onProgress: (loaded: number) => void,
      signal: AbortSignal,
    ): Promise<PutResult> {
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(abortError());
        const xhr = new XMLHttpRequest();
        const request = { method: part.method, url: part.url };
        // A URL that does not parse rejects here, as xhr.open() would.
        const origin = new URL(part.url, location.href).origin;
        let stalled = false;
        let started = false;
        let watchdog: ReturnType<typeof setTimeout> | undefined;
        // A connection that silently stops (no RST, no answer) would otherwise hold the part forever.
        const watch = (delay: number) => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            // Not sent a byte yet while other PUTs to the origin move: queued behind them, not stalled.
            const quiet = Date.now() - (originProgress.get(origin) ?? 0);
            if (!started && quiet < stallTimeout) return watch(stallTimeout - quiet);
            stalled = true;
            xhr.abort();
          }, delay);
        };
        const feed = () => watch(stallTimeout);
        const onAbort = () => xhr.abort();
        const done = () => {
          clearTimeout(watchdog);
          signal.removeEventListener('abort', onAbort);
        };
        xhr.open(part.method, part.url);
        // Text, never a Document: Firefox parses an empty 200 answer as XML otherwise and logs
        // "XML Parsing Error: no root element found" to the console for every part.
        xhr.responseType = 'text';
        for (const [name, value] of Object.entries(part.headers)) {
          if (!FORBIDDEN.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
        }
        xhr.upload.onprogress = (event) => {
          if (event.loaded > 0) {
            started = true;
            originProgress.set(origin, Date.now());
          }
          feed();
          onProgress(event.loaded);
        };
        xhr.upload.onload = feed;
        xhr.onload = () => {
          // An answer frees a connection: PUTs queued for one are moving again.
          originProgress.set(origin, Date.now());
          done();
          resolve({
            status: xhr.status,
            etag: unquoteEtag(xhr.getResponseHeader('ETag') ?? ''),
            body: xhr.status >= 300 ? xhr.responseText : '',
          });
        };
        xhr.onerror = () => {
          done();
          reject(
            new EngineError('network', `part ${part.partNumber}: the connection failed`, {
              request,
            }),
          );
        };
        xhr.onabort = () => {
          done();
          if (stalled) {
            reject(
              new EngineError(
                'network',
                `part ${part.partNumber}: no progress for ${stallTimeout} ms`,
                {
                  request,
                },
              ),
            );
          } else reject(abortError());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        feed();
        xhr.send(body);
      });
    },
  };
}
