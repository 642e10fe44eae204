/**
 * The `resumable-upload/engine` entry, and the one place that wires the browser into the engine:
 * `Uploader` with the browser's default ports (a Web Worker MD5 pool, an XHR part transport, IndexedDB
 * records, Web Locks, OPFS copies) plus the engine's public API. The element builds on this Uploader.
 */
import { Uploader as CoreUploader, type UploaderInit } from '../engine/index.ts';
import { browserPorts } from './ports.ts';

export * from '../engine/index.ts';
export { createXhrTransport, type XhrTransportOptions } from './xhr-transport.ts';

/** The engine with the browser's defaults for every port the caller does not inject. */
export class Uploader extends CoreUploader {
  constructor(init: UploaderInit) {
    const ports = browserPorts(init);
    super({ ...init, ...ports } as UploaderInit);
  }
}
