import type { UploadSnapshot } from '../engine/types.ts';
import { fill, type UploadStrings } from './strings.ts';

/** The plain-words warning for a stored file whose callback failed, or '' when there is none. */
export function callbackWarning(t: UploadStrings, u: UploadSnapshot): string {
  const callback = u.result?.callback;
  if (u.phase !== 'done' || callback?.status !== 'failed') return '';
  const reason = t.callbackReasons[callback.reason] ?? callback.reason;
  return fill(t.callbackFailed, { name: u.name, reason });
}

/** Why an upload failed: the text for its code, else the engine's own message. */
export function errorText(t: UploadStrings, u: UploadSnapshot): string {
  const error = u.error;
  return (error && t.errors[error.code]) ?? fill(t.errorOther, { message: error?.message ?? '' });
}

/** What the live region says when an upload enters a new phase. */
export function phaseAnnouncement(t: UploadStrings, u: UploadSnapshot): string {
  if (u.phase === 'done') {
    const message = fill(t.announceDone, { name: u.name });
    const warning = callbackWarning(t, u);
    return warning ? `${message} ${warning}` : message;
  }
  if (u.phase === 'failed')
    return fill(t.announceFailed, { name: u.name, message: errorText(t, u) });
  if (u.phase === 'waiting') return fill(t.announceAdded, { name: u.name });
  return fill(t.announcePhase, { name: u.name, phase: t.phases[u.phase] });
}
