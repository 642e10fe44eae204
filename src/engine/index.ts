/**
 * The engine core's public API: `Uploader` takes every browser part (hasher, transport, resume store,
 * lock, file copier) as a port; src/browser/engine.ts supplies the defaults and is the package's
 * `resumable-upload/engine` entry. Nothing here imports a browser module (eslint.config.js enforces it).
 */
export { Uploader } from './uploader.ts';
export { EngineError } from './errors.ts';
export { createBackendClient, type BackendClientOptions } from './backend-client.ts';
export type { OnlineSource, UploaderInit, UploaderPorts } from './uploader.ts';
export type * from './types.ts';
export type * from './ports.ts';
export { withRelativePath } from './records.ts';
