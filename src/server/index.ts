/** The server entry of the package: the upload handler, its errors and types. */
export { createUploadHandler, type UploadHandler } from './handler.ts';
export type { UploadHandlerOptions } from './options.ts';
export { HandlerError } from './errors.ts';
export { sanitizeFileName, type KeyInput } from './keys.ts';
export { StorageError } from './storage/types.ts';
export type { ObjectInfo, SignContext, StorageAdapter, StorageErrorCode } from './storage/types.ts';
export type { CallbackConfig } from './callbacks/index.ts';
export type { CallbackChoice, CallbackFacts, CallbackRunner } from './callbacks/types.ts';
export * from '../protocol/index.ts';
