// Placeholder with the module's public shape; the callbacks issue replaces it.
import type { CallbackRunner } from './types.ts';
export type { CallbackChoice, CallbackFacts, CallbackRunner } from './types.ts';

/** Server-side callback configuration: named targets and signing secrets. */
export interface CallbackConfig {
  targets: Record<string, unknown>;
  secrets: string[];
}

/** Builds the runner the upload handler uses after complete. */
export function createCallbackRunner(_config: CallbackConfig): CallbackRunner {
  throw new Error('callbacks are not implemented yet');
}
