import type { UploadPhase } from './types.ts';

/**
 * The phases of an upload that is not over: it still has work to do (or is paused), so it cannot leave
 * the list, can be cancelled, blocks a form submit, and a second copy of its file is refused.
 */
export const ACTIVE_PHASES: ReadonlySet<UploadPhase> = new Set<UploadPhase>([
  'waiting',
  'hashing',
  'uploading',
  'paused',
  'completing',
]);

/** True while an upload is not over: neither done, failed nor aborted. */
export function isActivePhase(phase: UploadPhase): boolean {
  return ACTIVE_PHASES.has(phase);
}
