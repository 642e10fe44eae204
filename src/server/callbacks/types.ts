import type { CallbackResult } from '../../protocol/index.ts';
import type { CallbackOutbox } from './outbox.ts';

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

/** A failed callback waiting in the outbox. */
export interface PendingCallback {
  /** The callback's id: the `webhook-id` of every attempt, and the `id` of its failed result. */
  id: string;
  target: string;
  choice: CallbackChoice;
  facts: CallbackFacts;
  /** Attempts made so far, the first one included. */
  attempts: number;
  lastError: { reason: string; message: string; httpStatus?: number };
  /** Epoch milliseconds of the first failure. */
  createdAt: number;
  /** Epoch milliseconds of the next background attempt; absent once background retries are spent. */
  nextAttemptAt?: number;
  /** waiting (for nextAttemptAt), delivering (an instance holds its lease now) or dead (attempts spent: retry(id) or remove(id)). */
  state: 'waiting' | 'delivering' | 'dead';
}

/** The runner createCallbackRunner returns: the seam plus the outbox (handler.callbacks). */
export interface RetryingCallbackRunner extends CallbackRunner {
  /** Where failed callbacks wait (the store's outbox by default). */
  readonly outbox: CallbackOutbox;
  /** As CallbackRunner.run; `options.id` re-sends a callback persisted elsewhere under its id. */
  run(
    choice: CallbackChoice,
    facts: CallbackFacts,
    options?: { id?: string },
  ): Promise<CallbackResult>;
  /**
   * Delivers an outbox entry now, waiting or dead, whichever instance queued it; resolves undefined
   * when no callback has that id, and reason `in-flight` while another instance delivers it.
   */
  retry(id: string): Promise<CallbackResult | undefined>;
  /** Every failed callback in the outbox, oldest first, from every instance on the same outbox. */
  pending(): Promise<PendingCallback[]>;
  /** Drops a callback from the outbox for good (it will not be delivered); false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Runs one delivery round now (the interval runs them too); resolves when it is done. */
  deliverDue(): Promise<void>;
  /** Stops this instance's delivery rounds; entries stay in the outbox for the other instances. */
  close(): void;
}
