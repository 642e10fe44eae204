/**
 * The callback runner: renders the target's template from the store's facts, signs it, POSTs it to
 * the target's URLs in order, and queues a failure for background retries with exponential backoff.
 * The queue lives in memory (a restart loses it; onFailure lets the application persist it).
 */
import type { CallbackResult } from '../../protocol/index.ts';
import { validateChoice } from './choice.ts';
import {
  resolveCallbackConfig,
  type CallbackConfig,
  type ResolvedCallbackConfig,
} from './config.ts';
import type { FailureReason, SendOutcome } from './send.ts';
import { templateValues } from './template.ts';
import type {
  CallbackChoice,
  CallbackFacts,
  PendingCallback,
  RetryingCallbackRunner,
} from './types.ts';

/** Most failed callbacks kept in memory. */
export const MAX_PENDING = 10_000;

interface Entry extends PendingCallback {
  timer?: ReturnType<typeof setTimeout>;
  inFlight?: Promise<CallbackResult>;
}

/** Builds the runner the upload handler uses after complete; a bad configuration throws a TypeError. */
export function createCallbackRunner(config: CallbackConfig): RetryingCallbackRunner {
  return new Runner(resolveCallbackConfig(config));
}

class Runner implements RetryingCallbackRunner {
  readonly #config: ResolvedCallbackConfig;
  readonly #queue = new Map<string, Entry>();
  #closed = false;

  constructor(config: ResolvedCallbackConfig) {
    this.#config = config;
  }

  validate(choice: { target: string; vars?: Record<string, string> }): CallbackChoice {
    return validateChoice(this.#config, choice);
  }

  async run(
    choice: CallbackChoice,
    facts: CallbackFacts,
    options?: { id?: string },
  ): Promise<CallbackResult> {
    const id = options?.id;
    // A re-sent id must stay a safe header value; anything else gets a fresh one.
    return this.#attempt(id && /^[\w.-]{1,128}$/.test(id) ? id : newCallbackId(), choice, facts);
  }

  retry(id: string): Promise<CallbackResult | undefined> {
    const entry = this.#queue.get(id);
    if (!entry) return Promise.resolve(undefined);
    // A background attempt already under way answers for both callers: one POST, not two.
    if (entry.inFlight) return entry.inFlight;
    clearTimeout(entry.timer);
    delete entry.timer;
    const attempt = this.#attempt(entry.id, entry.choice, entry.facts).finally(() => {
      delete entry.inFlight;
    });
    entry.inFlight = attempt;
    return attempt;
  }

  pending(): PendingCallback[] {
    return [...this.#queue.values()].map(snapshot);
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#queue.values()) {
      clearTimeout(entry.timer);
      delete entry.timer;
      delete entry.nextAttemptAt;
    }
  }

  /** One delivery (every URL in order); never throws. */
  async #attempt(
    id: string,
    choice: CallbackChoice,
    facts: CallbackFacts,
  ): Promise<CallbackResult> {
    let outcome: SendOutcome;
    try {
      outcome = await this.#deliver(id, choice, facts);
    } catch (error) {
      // send() never throws; this guards the template and hooks, since run() must not throw.
      outcome = { ok: false, reason: 'unreachable', message: String((error as Error)?.message) };
    }
    const entry = this.#queue.get(id);
    if (outcome.ok) {
      if (entry) {
        this.#queue.delete(id);
        clearTimeout(entry.timer);
        callHook(this.#config.onSuccess, snapshot(entry));
      }
      return { status: 'ok', httpStatus: outcome.httpStatus, body: outcome.body };
    }
    const lastError: PendingCallback['lastError'] = {
      reason: outcome.reason,
      message: outcome.message,
    };
    if (outcome.httpStatus !== undefined) lastError.httpStatus = outcome.httpStatus;
    const queued: Entry = entry ?? {
      id,
      target: choice.target,
      choice,
      facts,
      attempts: 0,
      lastError,
    };
    queued.attempts += 1;
    queued.lastError = lastError;
    this.#queue.set(id, queued);
    this.#trim();
    this.#schedule(queued);
    callHook(this.#config.onFailure, snapshot(queued));
    // The browser gets a message without host names or addresses; pending() keeps the details.
    return { status: 'failed', ...lastError, message: publicMessage(lastError), id };
  }

  async #deliver(id: string, choice: CallbackChoice, facts: CallbackFacts): Promise<SendOutcome> {
    const target = this.#config.targets.get(choice.target);
    if (!target) {
      return {
        ok: false,
        reason: 'unknown-target',
        message: `callback target "${choice.target}" is no longer configured`,
      };
    }
    // Loaded on first use: node:http and node:dns stay out of the handler's graph until a callback
    // is sent, so the handler still loads in edge runtimes that have no callbacks configured.
    const [{ send }, { signatureHeader }] = await Promise.all([
      import('./send.ts'),
      import('./signing.ts'),
    ]);
    const body = target.template.render(templateValues(facts, choice.vars));
    const failures: string[] = [];
    let outcome: SendOutcome | undefined;
    for (const url of target.urls) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      outcome = await send({
        url,
        host: target.host,
        body,
        timeout: target.timeout,
        allowPrivateAddresses: target.allowPrivateAddresses,
        headers: {
          'content-type': target.template.contentType,
          'user-agent': 'resumable-upload-callback/1',
          'webhook-id': id,
          'webhook-timestamp': timestamp,
          'webhook-signature': signatureHeader(this.#config.secrets[0]!, id, timestamp, body),
        },
      });
      if (outcome.ok) return outcome;
      failures.push(outcome.message);
    }
    // Several URLs: the reason and status are the last URL's, the message tells every URL's story.
    return { ...outcome!, message: failures.join('; ') } as SendOutcome;
  }

  /** Bounds memory through a long outage: the oldest entries go (onFailure has seen every one). */
  #trim(): void {
    for (const [oldId, oldest] of this.#queue) {
      if (this.#queue.size <= MAX_PENDING) return;
      clearTimeout(oldest.timer);
      this.#queue.delete(oldId);
    }
  }

  #schedule(entry: Entry): void {
    const { attempts, baseDelay, maxDelay } = this.#config.retry;
    const backgroundDone = entry.attempts - 1;
    if (this.#closed || backgroundDone >= attempts) {
      delete entry.nextAttemptAt;
      return;
    }
    const full = Math.min(maxDelay, baseDelay * 2 ** backgroundDone);
    // Half fixed, half random: many callbacks failing together do not all retry in the same instant.
    const delay = Math.round(full / 2 + (Math.random() * full) / 2);
    entry.nextAttemptAt = Date.now() + delay;
    const timer = setTimeout(() => void this.retry(entry.id), delay);
    // Queued retries never keep a process alive on their own.
    timer.unref?.();
    entry.timer = timer;
  }
}

const PUBLIC_MESSAGES: Record<FailureReason, string> = {
  unreachable: 'the callback target could not be reached',
  timeout: 'the callback target did not answer in time',
  'http-status': 'the callback target answered with an error status',
  'not-json': 'the callback target answered with a body that is not JSON',
  'too-large': 'the callback target answered more than 1 MB',
  redirect: 'the callback target answered a redirect, which is not followed',
  'refused-address': 'the callback target resolves to an address it may not reach',
  'unknown-target': 'the callback target is no longer configured',
};

function publicMessage(error: PendingCallback['lastError']): string {
  const message = PUBLIC_MESSAGES[error.reason as FailureReason] ?? 'the callback failed';
  return error.httpStatus === undefined ? message : `${message} (HTTP ${error.httpStatus})`;
}

function snapshot(entry: Entry): PendingCallback {
  const copy: PendingCallback = {
    id: entry.id,
    target: entry.target,
    choice: entry.choice,
    facts: entry.facts,
    attempts: entry.attempts,
    lastError: entry.lastError,
  };
  if (entry.nextAttemptAt !== undefined) copy.nextAttemptAt = entry.nextAttemptAt;
  return copy;
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

/** A fresh message id (kept across retries of one callback, so receivers can deduplicate). */
function newCallbackId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `cb_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}`;
}
