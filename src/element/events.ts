import type { UploaderEventMap } from '../engine/types.ts';

/**
 * The element's events: the engine's events of the same name, re-dispatched from the element so
 * they bubble and cross shadow roots (composed). One detail type per event, from the engine's map.
 */
export const ELEMENT_EVENTS = [
  'upload-added',
  'upload-rejected',
  'upload-progress',
  'upload-part',
  'upload-paused',
  'upload-resumed',
  'upload-success',
  'upload-error',
  'upload-aborted',
  'upload-resume-unavailable',
  'upload-copy-skipped',
  'upload-discarded',
] as const;

/** Names of the events the element fires. */
export type ElementEventName = (typeof ELEMENT_EVENTS)[number];

/** Detail of each event the element fires. */
export type ResumableUploadEventDetail = Pick<UploaderEventMap, ElementEventName>;

/** A file was accepted and listed. */
export type UploadAddedEvent = CustomEvent<UploaderEventMap['upload-added']>;
/** A file was refused before any request (too large, wrong type); the detail says why. */
export type UploadRejectedEvent = CustomEvent<UploaderEventMap['upload-rejected']>;
/** Bytes moved: the upload's snapshot and the overall progress. */
export type UploadProgressEvent = CustomEvent<UploaderEventMap['upload-progress']>;
/** One part was stored (its number, size and ETag). */
export type UploadPartEvent = CustomEvent<UploaderEventMap['upload-part']>;
/** An upload was paused. */
export type UploadPausedEvent = CustomEvent<UploaderEventMap['upload-paused']>;
/** A paused or saved upload continued. */
export type UploadResumedEvent = CustomEvent<UploaderEventMap['upload-resumed']>;
/** The object is complete: key, ETag, size, location and the callback's answer in `result`. */
export type UploadSuccessEvent = CustomEvent<UploaderEventMap['upload-success']>;
/** An upload failed: a stable code, a message, and the upload (its file name and size). */
export type UploadErrorEvent = CustomEvent<UploaderEventMap['upload-error']>;
/** An upload was cancelled and its parts dropped by the store. */
export type UploadAbortedEvent = CustomEvent<UploaderEventMap['upload-aborted']>;
/** Progress cannot be saved in this browser (no IndexedDB or Web Locks): no resume after a reload. */
export type UploadResumeUnavailableEvent = CustomEvent<
  UploaderEventMap['upload-resume-unavailable']
>;
/** No copy of a file is kept to resume it after a browser restart (no room, or the copy failed). */
export type UploadCopySkippedEvent = CustomEvent<UploaderEventMap['upload-copy-skipped']>;

/** A saved unfinished upload was dropped (aborted, record removed): its file was chosen again edited. */
export type UploadDiscardedEvent = CustomEvent<UploaderEventMap['upload-discarded']>;

/** Dispatches `name` from `target` with `detail`, bubbling and composed. */
export function emit<K extends ElementEventName>(
  target: EventTarget,
  name: K,
  detail: UploaderEventMap[K],
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'upload-added': UploadAddedEvent;
    'upload-rejected': UploadRejectedEvent;
    'upload-progress': UploadProgressEvent;
    'upload-part': UploadPartEvent;
    'upload-paused': UploadPausedEvent;
    'upload-resumed': UploadResumedEvent;
    'upload-success': UploadSuccessEvent;
    'upload-error': UploadErrorEvent;
    'upload-aborted': UploadAbortedEvent;
    'upload-resume-unavailable': UploadResumeUnavailableEvent;
    'upload-copy-skipped': UploadCopySkippedEvent;
    'upload-discarded': UploadDiscardedEvent;
  }
}
