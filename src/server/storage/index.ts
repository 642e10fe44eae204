import { LocalStorage, type LocalStorageOptions } from './local.ts';

/** Storage adapters: the port, the S3 adapter and the embedded local store. */
export * from './types.ts';
export { LocalStorage, type LocalStorageOptions } from './local.ts';

/** The embedded local store on the filesystem under `options.root`, with URLs signed by `options.secret`. */
export function createLocalStorage(options: LocalStorageOptions): LocalStorage {
  return new LocalStorage(options);
}
