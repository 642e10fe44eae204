import type { CallbackResult } from '../../protocol/index.ts';

/**
 * The seam between the upload handler and the callbacks module (src/server/callbacks).
 * The handler validates the browser's choice at create time, keeps it in the upload token,
 * and runs the callback after complete; a failed callback never fails the complete.
 */

/** Facts of a stored object, taken from the store's own answers, never from the browser. */
export interface CallbackFacts {
  bucket: string;
  object: string;
  etag: string;
  size: number;
  mimeType: string;
  uploadId: string;
  parts: number;
  /** Base64 MD5 of the whole object where known (single-request uploads). */
  contentMd5?: string;
  principal: string;
}

/** The browser's choice, as validated at create time. */
export interface CallbackChoice {
  target: string;
  vars: Record<string, string>;
}

/** What the handler needs from the callbacks module. */
export interface CallbackRunner {
  /** Validates a browser's choice; throws a HandlerError (unknown-callback-target, invalid-callback-variable). */
  validate(choice: { target: string; vars?: Record<string, string> }): CallbackChoice;
  /** Calls the target after an upload completed; never throws, failures are queued for retry. */
  run(choice: CallbackChoice, facts: CallbackFacts): Promise<CallbackResult>;
}
