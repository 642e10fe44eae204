import type { UploadPhase } from '../engine/types.ts';
import type { ErrorCode } from '../protocol/index.ts';

/** A set of error codes, each checked against ERROR_CODES (a misspelled one does not compile). */
type Codes<T extends ErrorCode> = T;

/**
 * Codes with no explanation of their own: a fault of the page or server, or a code that reaches a
 * person only inside 'retries-exhausted' or never (resumePending's); `errorOther` shows their message.
 */
type UnexplainedCode = Codes<
  | 'part-number-out-of-range'
  | 'part-size-mismatch'
  | 'invalid-digest'
  | 'invalid-part'
  | 'invalid-part-order'
  | 'entity-too-small'
  | 'signature-mismatch'
  | 'not-found'
  | 'method-not-allowed'
  | 'internal'
  | 'request-timeout'
  | 'slow-down'
  | 'unknown-error'
  | 'invalid-response'
  | 'no-such-record'
  | 'no-file-handle'
  | 'duplicate'
>;

/** The codes every locale explains in plain words (ERROR_CODES but the unexplained ones). */
export type ExplainedErrorCode = Exclude<ErrorCode, UnexplainedCode>;

/** Plain-words explanations by error code: every explained code, and any other code optionally. */
export type ErrorTexts = Record<ExplainedErrorCode, string> & Partial<Record<ErrorCode, string>>;

/**
 * A text that counts something, one form per Intl.PluralRules category of the locale (English:
 * one, other; Russian: one, few, many, other; Arabic: zero, one, two, few, many, other), with
 * `{count}` filled in; `other` is the fallback.
 */
export type PluralText = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/**
 * Every string the element shows or announces. Placeholders in braces ({name}, {size}, ...) are
 * filled in at render time, so a translation is plain JSON: set `element.strings = {...}` with any
 * subset and the rest stays in the element's locale. The bundled translations are in
 * `./locales/` (one file per locale, keys in this order); a new key goes into every one of them.
 */
export interface UploadStrings {
  dropZone: string;
  dropZoneActive: string;
  dropZoneHint: string;
  dropZoneHintMultiple: string;
  /** The button that opens the folder picker (with `multiple`). */
  chooseFolder: string;
  empty: string;
  listLabel: string;
  /** State names shown next to each file. */
  phases: Record<UploadPhase, string>;
  pause: string;
  resume: string;
  cancel: string;
  retry: string;
  remove: string;
  start: string;
  pauseAll: string;
  resumeAll: string;
  cancelAll: string;
  retryAll: string;
  startAll: string;
  clearFinished: string;
  /** Accessible names of per-file buttons. */
  pauseFile: string;
  resumeFile: string;
  cancelFile: string;
  retryFile: string;
  removeFile: string;
  startFile: string;
  progressText: string;
  speed: string;
  eta: string;
  resumedBadge: string;
  /** Counted: `{count}` unfinished uploads. */
  pendingHeading: PluralText;
  pendingIntro: string;
  pendingProgress: string;
  resumePending: string;
  resumePendingFile: string;
  choosePendingFile: string;
  choosePendingFileLabel: string;
  notSameFile: string;
  discardPending: string;
  discardPendingFile: string;
  resumeUnavailable: string;
  rejectedHeading: string;
  rejected: string;
  rejectTooLarge: string;
  rejectType: string;
  rejectDuplicate: string;
  rejectOther: string;
  /** A file under `min-file-size` ({min}). */
  rejectTooSmall: string;
  /** The list already holds `max-files` files (a function: the sentence depends on the number). */
  rejectTooMany: PluralText;
  /** The file would take the list over `max-total-size` ({max}). */
  rejectTotalTooLarge: string;
  dismiss: string;
  dismissRejected: string;
  errorIntro: string;
  /** Plain-words explanations of failures, by error code (src/protocol/errors.ts); `errorOther` for the rest. */
  errors: ErrorTexts;
  errorOther: string;
  /** Live-region announcements. */
  announceAdded: string;
  announcePhase: string;
  announceDone: string;
  /** A stored file whose callback to the application failed (the server retries it). */
  callbackFailed: string;
  /** Plain-words reasons of a failed callback, by the server's reason code; the code itself for others. */
  callbackReasons: Record<string, string>;
  announceFailed: string;
  announceRejected: string;
  /** Shown by the browser when a form is submitted while an upload runs. */
  validityUploading: string;
}

/** The English strings, used for anything `strings` leaves out. */
export const defaultStrings: UploadStrings = {
  dropZone: 'Drop files here or choose files',
  dropZoneActive: 'Release to upload',
  dropZoneHint: 'One file at a time.',
  dropZoneHintMultiple: 'Any number of files. Uploads resume after a reload.',
  chooseFolder: 'Choose a folder',
  empty: 'No uploads yet.',
  listLabel: 'Uploads',
  phases: {
    waiting: 'Waiting',
    hashing: 'Checking the file',
    uploading: 'Uploading',
    paused: 'Paused',
    completing: 'Finishing',
    done: 'Done',
    failed: 'Failed',
    aborted: 'Cancelled',
  },
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  start: 'Start',
  pauseAll: 'Pause all',
  resumeAll: 'Resume all',
  cancelAll: 'Cancel all',
  retryAll: 'Retry all',
  startAll: 'Start all',
  clearFinished: 'Clear finished',
  pauseFile: 'Pause {name}',
  resumeFile: 'Resume {name}',
  cancelFile: 'Cancel {name}',
  retryFile: 'Retry {name}',
  removeFile: 'Remove {name} from the list',
  startFile: 'Start {name}',
  // {percent} and {speed} come formatted for the locale ("45%", "12.5 MB/s").
  progressText: '{percent} ({done} of {total})',
  speed: '{speed}',
  eta: '{eta} left',
  resumedBadge: 'resumed',
  pendingHeading: { one: '{count} unfinished upload', other: '{count} unfinished uploads' },
  pendingIntro: 'These uploads stopped before they finished. Resume them where they left off.',
  pendingProgress: '{done} of {total} already uploaded',
  resumePending: 'Resume',
  resumePendingFile: 'Resume {name}',
  choosePendingFile: 'Choose the same file to resume',
  choosePendingFileLabel: 'Choose {name} again to resume it',
  notSameFile: 'this is not the unfinished file. Choose {name} ({size}) to resume it.',
  discardPending: 'Discard',
  discardPendingFile: 'Discard the unfinished upload of {name}',
  resumeUnavailable:
    'This browser cannot save upload progress ({reason}). Uploads work, but cannot resume after the page is closed.',
  rejectedHeading: 'Not added',
  rejected: '{name} was not added: {reason}',
  rejectTooLarge: 'it is larger than the {max} limit. Choose a smaller file.',
  rejectType: 'this type of file is not accepted here (accepted: {accept}).',
  rejectDuplicate: 'it is already in the list.',
  rejectOther: '{message}',
  rejectTooSmall: 'it is smaller than the {min} minimum. Choose a larger file.',
  rejectTooMany: {
    one: 'only one file can be added. Remove the one in the list to add another.',
    other: 'only {count} files can be added. Remove one from the list to add another.',
  },
  rejectTotalTooLarge:
    'with it the files in the list would be over the {max} total. Remove some files first.',
  dismiss: 'Dismiss',
  dismissRejected: 'Dismiss the message about {name}',
  errorIntro: '{name} could not be uploaded.',
  errors: {
    network:
      'The connection to the server was lost. Check your connection, then press Retry: the parts already sent are kept.',
    'retries-exhausted':
      'The server did not accept the file after several attempts. Press Retry to try again; the parts already sent are kept.',
    'file-changed':
      'The file changed on your device since the upload began. Remove it and choose the file again.',
    'file-unreadable':
      'The file can no longer be read (it may have been moved or deleted). Choose it again.',
    'etag-mismatch':
      'The storage returned a different checksum than expected. Press Retry to send the affected parts again.',
    'worker-failed': 'The browser could not check the file. Reload the page and try again.',
    'upload-gone':
      'The server no longer knows this upload (it may have expired). Press Retry to start it again.',
    'busy-in-other-tab':
      'This file is being uploaded in another tab or window. Close that one, then press Retry.',
    unauthorized: 'You are not signed in. Sign in, then press Retry.',
    forbidden: 'You are not allowed to upload here.',
    'invalid-token': 'The upload permission expired. Press Retry to continue.',
    'file-too-large': 'The file is larger than the server allows. Choose a smaller file.',
    'file-too-small': 'The file is smaller than the server allows. Choose a larger file.',
    'invalid-relative-path':
      'The folder path of this file is too long or too deep for the server. Move the file to a shorter path, then choose it again.',
    'content-type-not-allowed':
      'The server does not accept this type of file. Choose a file of another type.',
    'invalid-file-name':
      'The server cannot store a file under this name. Rename the file, then choose it again.',
    // Refusals of the page's own settings: the same request fails again, only the site can fix it.
    'unknown-callback-target':
      "The page's upload settings are wrong (they name a callback the server does not know), so retrying will not help. Tell the site's owner.",
    'invalid-callback-variable':
      "The page's upload settings are wrong (a callback value the server does not accept), so retrying will not help. Tell the site's owner.",
    'invalid-request':
      "The page's upload settings are wrong (the server refused the request), so retrying will not help. Tell the site's owner.",
    'invalid-json':
      "The page's upload settings are wrong (the server could not read the request), so retrying will not help. Tell the site's owner.",
    'payload-too-large':
      "The page's upload settings are wrong (the file's details are too long for the server), so retrying will not help. Tell the site's owner.",
    'invalid-part-size':
      "The page's upload settings do not suit this file (its part size), so retrying will not help. Tell the site's owner.",
    'store-unavailable': 'The storage is busy right now. Wait a moment, then press Retry.',
    'no-such-upload': 'The server no longer knows this upload. Press Retry to start it again.',
    'bad-digest': 'Some data was damaged on the way. Press Retry to send it again.',
    'url-expired': 'An upload link expired. Press Retry to continue.',
  },
  errorOther: 'Something went wrong ({message}). Press Retry to try again.',
  announceAdded: '{name} added.',
  announcePhase: '{name}: {phase}.',
  announceDone: '{name} uploaded.',
  callbackFailed:
    '{name} is stored, but the application could not be told yet: {reason}. The server retries this on its own; there is no need to upload again.',
  callbackReasons: {
    unreachable: 'its server was unreachable',
    timeout: 'its server did not answer in time',
    'http-status': 'its server answered with an error',
    'not-json': 'its server gave an answer that could not be read',
    'too-large': "its server's answer was too long",
    redirect: 'its server answered with a redirect, which is not followed',
    'refused-address': 'its address is not allowed',
    'unknown-target': 'the callback is no longer configured on the server',
  },
  announceFailed: '{name} failed: {message}',
  announceRejected: '{name} was not added: {reason}',
  validityUploading: 'Please wait until the upload finishes.',
};

/** Replacement strings: any subset, down to single phase names and error explanations. */
export type UploadStringsOverride = Partial<
  Omit<UploadStrings, 'phases' | 'errors' | 'callbackReasons'>
> & {
  phases?: Partial<UploadStrings['phases']>;
  errors?: Partial<Record<ErrorCode, string>>;
  callbackReasons?: Record<string, string>;
};

/** Merges a partial set of replacement strings over a locale's (phases, errors and reasons merge too). */
export function mergeStrings(
  partial: UploadStringsOverride | undefined | null,
  base: UploadStrings = defaultStrings,
): UploadStrings {
  if (!partial || typeof partial !== 'object') return base;
  return {
    ...base,
    ...partial,
    phases: { ...base.phases, ...partial.phases },
    errors: { ...base.errors, ...partial.errors },
    callbackReasons: { ...base.callbackReasons, ...partial.callbackReasons },
  };
}

/** Fills `{placeholder}`s in a template; unknown placeholders are left as they are. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in vars ? String(vars[key]) : whole,
  );
}
