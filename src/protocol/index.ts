/** The wire protocol shared by the browser engine and the server handler. */
export * from './api.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './digest.ts';
