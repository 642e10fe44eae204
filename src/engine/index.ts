/**
 * The upload engine's browser entry: `Uploader` with the browser's default ports (a Web Worker MD5
 * pool, an XHR part transport, IndexedDB records, Web Locks), `EngineError`, and the public types.
 */
import { browserPorts } from './browser-defaults.ts';
import { Uploader as CoreUploader, type UploaderInit } from './uploader.ts';

/** The engine with the browser's defaults for every port the caller does not inject. */
export class Uploader extends CoreUploader {
  constructor(init: UploaderInit) {
    const ports = browserPorts(init);
    super({ ...init, ...ports } as UploaderInit);
  }
}

export { EngineError } from './errors.ts';
export { createBackendClient, type BackendClientOptions } from './backend-client.ts';
export { createXhrTransport, type XhrTransportOptions } from './xhr-transport.ts';
export type { OnlineSource, UploaderInit, UploaderPorts } from './uploader.ts';
export type * from './types.ts';
export type * from './ports.ts';
export { withRelativePath } from './records.ts';
