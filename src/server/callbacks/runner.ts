/**
 * The callback runner: delivers a callback after complete, writes a failure to the outbox before
 * complete answers, and delivers due outbox entries on an interval with exponential backoff. The
 * outbox lives in the store (by default), so a restart loses nothing and any instance delivers any
 * instance's failures: at least once, every attempt under the callback's one `webhook-id`.
 */
import type { CallbackResult } from '../../protocol/index.ts';
import { validateChoice } from './choice.ts';
import {
  resolveCallbackConfig,
  type CallbackConfig,
  type ResolvedCallbackConfig,
} from './config.ts';
import { deliver, longestDelivery, publicMessage } from './deliver.ts';
import { createMemoryOutbox } from './outbox-memory.ts';
import { ENTRY_ID, toPending, unleased, type CallbackOutbox, type OutboxEntry } from './outbox.ts';
import type { SendOutcome } from './send.ts';
import type {
  CallbackChoice,
  CallbackFacts,
  PendingCallback,
  RetryingCallbackRunner,
} from './types.ts';

/** Where the runner keeps failures when the configuration names no outbox. */
export interface RunnerDefaults {
  /** The store's outbox (the handler passes `storage.callbackOutbox()`); default: in memory. */
  outbox?: CallbackOutbox;
}

/** Builds the runner the upload handler uses after complete; a bad configuration throws a TypeError. */
export function createCallbackRunner(
  config: CallbackConfig,
  defaults: RunnerDefaults = {},
): RetryingCallbackRunner {
  const resolved = resolveCallbackConfig(config);
  return new Runner(resolved, resolved.outbox ?? defaults.outbox ?? createMemoryOutbox());
}

class Runner implements RetryingCallbackRunner {
  readonly outbox: CallbackOutbox;
  readonly #config: ResolvedCallbackConfig;
  /** This instance's lease owner name. */
  readonly #owner = `i_${randomId()}`;
  /** Lease length: twice the longest delivery, so a lease never runs out under a live delivery. */
  readonly #leaseMs: number;
  readonly #inFlight = new Map<string, Promise<CallbackResult>>();
  readonly #timer: ReturnType<typeof setInterval>;
  #round: Promise<void> | undefined;

  constructor(config: ResolvedCallbackConfig, outbox: CallbackOutbox) {
    this.#config = config;
    this.outbox = outbox;
    this.#leaseMs = 2 * longestDelivery(config) + 2000;
    this.#timer = setInterval(() => void this.deliverDue(), config.deliveryInterval);
    // Delivery rounds never keep a process alive on their own.
    this.#timer.unref?.();
  }

  validate(choice: { target: string; vars?: Record<string, string> }): CallbackChoice {
    return validateChoice(this.#config, choice);
  }

  async run(
    choice: CallbackChoice,
    facts: CallbackFacts,
    options?: { id?: string },
  ): Promise<CallbackResult> {
    // A re-sent id must stay a safe header value and file name; anything else gets a fresh one.
    const id = options?.id && ENTRY_ID.test(options.id) ? options.id : newCallbackId();
    const outcome = await deliver(this.#config, id, choice, facts);
    if (outcome.ok) return okResult(outcome);
    const now = Date.now();
    const entry: OutboxEntry = {
      id,
      target: choice.target,
      choice,
      facts,
      attempts: 1,
      lastError: lastError(outcome),
      createdAt: now,
    };
    this.#schedule(entry, now, true);
    try {
      // Before complete answers: once the browser reads "failed", the retry is durable.
      await this.outbox.add(entry);
    } catch (error) {
      // Never silent: the browser reads not-queued, the log and onFailure get the whole entry.
      console.error(
        `upload handler: callback ${id} failed and could not be queued for retry: ${String(
          (error as Error)?.message ?? error,
        )}; entry: ${JSON.stringify(entry)}`,
      );
      callHook(this.#config.onFailure, toPending(entry, now));
      const message = `${publicMessage(entry.lastError)}; ${publicMessage({ reason: 'not-queued', message: '' })}`;
      return { status: 'failed', reason: 'not-queued', message, id };
    }
    callHook(this.#config.onFailure, toPending(entry, now));
    return failedResult(entry);
  }

  async retry(id: string): Promise<CallbackResult | undefined> {
    // A delivery under way in this instance answers for both callers: one POST, not two.
    const running = this.#inFlight.get(id);
    if (running) return running;
    if (!ENTRY_ID.test(id)) return undefined;
    const now = Date.now();
    const [entry] = await this.outbox.claim({
      owner: this.#owner,
      leaseMs: this.#leaseMs,
      now,
      id,
    });
    if (entry) return this.#attempt(entry);
    const held = (await this.outbox.list()).find((e) => e.id === id);
    if (!held) return undefined;
    return {
      status: 'failed',
      reason: 'in-flight',
      message: 'another instance is delivering this callback right now',
      id,
    };
  }

  async pending(): Promise<PendingCallback[]> {
    const now = Date.now();
    return (await this.outbox.list()).map((entry) => toPending(entry, now));
  }

  remove(id: string): Promise<boolean> {
    return this.outbox.remove(id);
  }

  /** One delivery round: claims due entries and delivers them (rounds never overlap). */
  deliverDue(): Promise<void> {
    this.#round ??= (async () => {
      const now = Date.now();
      const claimed = await this.outbox.claim({ owner: this.#owner, leaseMs: this.#leaseMs, now });
      await Promise.all(claimed.map((entry) => this.#attempt(entry)));
    })()
      .catch((error: unknown) => {
        console.warn(`upload handler: a callback delivery round failed: ${String(error)}`);
      })
      .finally(() => {
        this.#round = undefined;
      });
    return this.#round;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** Delivers a claimed entry and writes its outcome back; never throws. */
  #attempt(entry: OutboxEntry): Promise<CallbackResult> {
    const attempt = this.#deliverClaimed(entry).finally(() => this.#inFlight.delete(entry.id));
    this.#inFlight.set(entry.id, attempt);
    return attempt;
  }

  async #deliverClaimed(claimed: OutboxEntry): Promise<CallbackResult> {
    const outcome = await deliver(this.#config, claimed.id, claimed.choice, claimed.facts);
    const now = Date.now();
    const entry = unleased(claimed);
    if (outcome.ok) {
      // A failure to drop it means one more delivery later, under the same id: at least once.
      await this.outbox
        .delivered(entry.id, this.#owner)
        .catch((error: unknown) => warn(`could not drop delivered callback ${entry.id}`, error));
      callHook(this.#config.onSuccess, toPending(entry, now));
      return okResult(outcome);
    }
    entry.attempts += 1;
    entry.lastError = lastError(outcome);
    // A dead entry retried by hand stays dead when it fails again; a waiting one backs off.
    this.#schedule(entry, now, entry.nextAttemptAt !== undefined);
    await this.outbox
      .reschedule(entry, this.#owner)
      // Its lease runs out and the entry is due again: nothing lost.
      .catch((error: unknown) => warn(`could not reschedule callback ${entry.id}`, error));
    callHook(this.#config.onFailure, toPending(entry, now));
    return failedResult(entry);
  }

  /** Sets nextAttemptAt by exponential backoff, or leaves it unset (dead) once attempts are spent. */
  #schedule(entry: OutboxEntry, now: number, alive: boolean): void {
    const { attempts, baseDelay, maxDelay } = this.#config.retry;
    const backgroundDone = entry.attempts - 1;
    delete entry.nextAttemptAt;
    if (!alive || backgroundDone >= attempts) return;
    const full = Math.min(maxDelay, baseDelay * 2 ** backgroundDone);
    // Half fixed, half random: many callbacks failing together do not all retry in the same instant.
    entry.nextAttemptAt = now + Math.round(full / 2 + (Math.random() * full) / 2);
  }
}

function lastError(outcome: SendOutcome & { ok: false }): PendingCallback['lastError'] {
  const error: PendingCallback['lastError'] = { reason: outcome.reason, message: outcome.message };
  if (outcome.httpStatus !== undefined) error.httpStatus = outcome.httpStatus;
  return error;
}

function okResult(outcome: SendOutcome & { ok: true }): CallbackResult {
  return { status: 'ok', httpStatus: outcome.httpStatus, body: outcome.body };
}

function failedResult(entry: OutboxEntry): CallbackResult {
  // The browser gets a message without host names or addresses; pending() keeps the details.
  return {
    status: 'failed',
    ...entry.lastError,
    message: publicMessage(entry.lastError),
    id: entry.id,
  };
}

function callHook(
  hook: ((entry: PendingCallback) => void) | undefined,
  entry: PendingCallback,
): void {
  try {
    hook?.(entry);
  } catch {
    // An application hook that throws must not turn a callback result into a failed complete.
  }
}

function warn(what: string, error: unknown): void {
  console.warn(`upload handler: ${what}: ${String((error as Error)?.message ?? error)}`);
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** A fresh message id (kept across retries of one callback, so receivers can deduplicate). */
function newCallbackId(): string {
  return `cb_${randomId()}`;
}
