import { LocalStorage, type LocalStorageOptions } from './local.ts';
import { S3Storage } from './s3.ts';
import type { S3StorageOptions } from './s3-options.ts';

/** Storage adapters: the port, the S3 adapter and the embedded local store. */
export * from './types.ts';
export { LocalStorage, type LocalStorageOptions } from './local.ts';
export { S3Storage } from './s3.ts';
export { s3OptionsFromEnv, type S3StorageOptions } from './s3-options.ts';
export { toStorageError } from './s3-errors.ts';
export { S3_OUTBOX_PREFIX, type ConditionalWrites, type S3Outbox } from './s3-outbox.ts';
export { LOCAL_OUTBOX_FOLDER } from './local-outbox.ts';

/** The embedded local store on the filesystem under `options.root`, with URLs signed by `options.secret`. */
export function createLocalStorage(options: LocalStorageOptions): LocalStorage {
  return new LocalStorage(options);
}

/** The S3 adapter (AWS SDK v3) for AWS S3 or any S3-compatible store. */
export function createS3Storage(options: S3StorageOptions): S3Storage {
  return new S3Storage(options);
}
