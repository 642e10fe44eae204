/** The server entry of the package: the upload handler, the storage adapters, callbacks and types. */
export { createUploadHandler, type UploadHandler } from './handler.ts';
export type { UploadHandlerOptions } from './options.ts';
export { HandlerError } from './errors.ts';
export { sanitizeFileName, type KeyInput } from './keys.ts';
export * from './storage/index.ts';
export * from './callbacks/index.ts';
export * from '../protocol/index.ts';
