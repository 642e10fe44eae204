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
  /** The sanitized path inside the folder the file came from, when it came from one. */
  relativePath?: string;
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

/** A failed callback waiting in the in-memory retry queue. */
export interface PendingCallback {
  /** The callback's id: the `webhook-id` of every attempt, and the `id` of its failed result. */
  id: string;
  target: string;
  choice: CallbackChoice;
  facts: CallbackFacts;
  /** Attempts made so far, the first one included. */
  attempts: number;
  lastError: { reason: string; message: string; httpStatus?: number };
  /** Epoch milliseconds of the next background attempt; absent once background retries are spent. */
  nextAttemptAt?: number;
}

/** The runner createCallbackRunner returns: the seam plus the retry queue (handler.callbacks). */
export interface RetryingCallbackRunner extends CallbackRunner {
  /** As CallbackRunner.run; `options.id` re-sends a callback persisted before a restart under its id. */
  run(
    choice: CallbackChoice,
    facts: CallbackFacts,
    options?: { id?: string },
  ): Promise<CallbackResult>;
  /** Retries a queued callback now; resolves undefined when no callback has that id. */
  retry(id: string): Promise<CallbackResult | undefined>;
  /** The queued failures, oldest first. */
  pending(): PendingCallback[];
  /** Stops background retries (the queue stays readable and retry(id) still works). */
  close(): void;
}
