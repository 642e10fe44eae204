import { retryClass } from '../protocol/index.ts';
import { EngineError, isAbortError } from './errors.ts';
import type { RetryPolicy } from './types.ts';

/** Defaults of the retry policy (see RetryPolicy). */
export const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  baseDelay: 500,
  maxDelay: 20_000,
  maxElapsed: 120_000,
};

/**
 * True when an error may succeed on a later attempt: its code is retried by the engine (ERROR_CODES),
 * or its HTTP status says so (5xx, 408 timeout, 429 throttled) whatever the code.
 */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof EngineError &&
    (retryClass(error.code) === 'engine' ||
      error.status >= 500 ||
      error.status === 408 ||
      error.status === 429)
  );
}

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Counts attempts of one operation and says how long to wait before the next, or null when it must give up. */
export class RetryBudget {
  private attempts = 0;
  private firstFailure = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt, or null when the count or the elapsed-time bound is spent. */
  next(): number | null {
    const now = this.now();
    if (this.attempts === 0) this.firstFailure = now;
    if (this.attempts >= this.policy.retries) return null;
    const delay = backoffDelay(this.attempts, this.policy, this.random);
    if (now - this.firstFailure + delay > this.policy.maxElapsed) return null;
    this.attempts++;
    return delay;
  }

  /** Attempts used so far (retries, not counting the first try). */
  get used(): number {
    return this.attempts;
  }
}

/**
 * `ms` as a setTimeout delay: setTimeout fires at once for delays over 2^31 - 1 ms (about 24 days), so longer
 * ones fire at that bound instead; negative ones are 0.
 */
export function timerDelay(ms: number): number {
  return Math.min(2 ** 31 - 1, Math.max(0, ms));
}

/** Waits `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, retrying retryable errors with backoff; used for the backend calls
 * (create, sign-parts, list-parts, complete), whose failures are as transient as a part's.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (error: EngineError) => void,
): Promise<T> {
  const budget = new RetryBudget(policy);
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (isAbortError(error) || signal?.aborted || !isRetryable(error)) throw error;
      const delay = budget.next();
      if (delay === null) {
        const last = error as EngineError;
        throw new EngineError(
          'retries-exhausted',
          `gave up after ${budget.used + 1} attempts: ${last.message}`,
          {
            status: last.status,
            request: last.request,
            cause: last,
          },
        );
      }
      onRetry?.(error as EngineError);
      // A server that says how long to wait (Retry-After on a 429 or 503) is obeyed, up to maxDelay.
      const asked = (error as EngineError).retryAfter ?? 0;
      await sleep(Math.max(delay, Math.min(asked, policy.maxDelay)), signal);
    }
  }
}
