import {
  EngineError,
  OfflineError,
  fileChangedError,
  isAbortError,
  toEngineError,
} from './errors.ts';
import { classifyPut } from './part-response.ts';
import type { PartState } from './part-state.ts';
import type { Md5Digest, PartTransport } from './ports.ts';
import type { ByteCounter } from './progress.ts';
import { RetryBudget, sleep } from './retry.ts';
import type { RetryPolicy } from './types.ts';

/** What a PartSender needs from its upload. */
export interface PartSenderContext {
  file: File;
  transport: PartTransport;
  retry: RetryPolicy;
  bytes: ByteCounter;
  isOnline(): boolean;
  /** The store throttles (429, SlowDown): fewer parts in flight for a while. */
  slowDown(): void;
  /** Reads the part again after a BadDigest (throws 'file-changed' when the file is not the same). */
  rehash(state: PartState, signal: AbortSignal): Promise<Md5Digest>;
  /** Rejects with 'file-changed' when the file can no longer be read. */
  assertReadable(state: PartState): Promise<void>;
  /** A PUT is about to start. */
  sending(): void;
  /** Bytes moved (progress). */
  progressed(): void;
  /** The store confirmed the part with `etag`. */
  stored(state: PartState, etag: string): void;
}

/**
 * Sends one part until the store confirms it: retries with backoff, renews expired URLs through `urlFor`,
 * re-hashes on BadDigest (a changed file fails as 'file-changed'), and pauses (OfflineError) when offline.
 */
export class PartSender {
  constructor(private readonly ctx: PartSenderContext) {}

  /**
   * Resolves once the store holds the part. `urlFor` makes sure `state.signed` is a fresh URL (it is called
   * before every attempt).
   */
  async send(
    state: PartState,
    signal: AbortSignal,
    urlFor: (state: PartState) => Promise<void>,
  ): Promise<void> {
    const { ctx } = this;
    const budget = new RetryBudget(ctx.retry);
    const size = state.end - state.start;
    let rehashed = false;
    let expiries = 0;
    const retryOrThrow = async (error: EngineError) => {
      const delay = budget.next();
      if (delay === null) {
        const code = error.code === 'etag-mismatch' ? 'etag-mismatch' : 'retries-exhausted';
        throw new EngineError(
          code,
          `part ${state.partNumber}: gave up after ${budget.used + 1} attempts: ${error.message}`,
          { status: error.status, request: error.request, cause: error },
        );
      }
      await sleep(delay, signal);
    };
    for (;;) {
      await urlFor(state);
      const signed = state.signed!;
      const md5 = state.md5!;
      ctx.sending();
      let result;
      try {
        result = await ctx.transport.put(
          signed,
          ctx.file.slice(state.start, state.end),
          (loaded) => {
            ctx.bytes.progress(state.partNumber, loaded, size);
            ctx.progressed();
          },
          signal,
        );
      } catch (error) {
        ctx.bytes.drop(state.partNumber);
        if (signal.aborted || isAbortError(error)) throw signal.reason ?? error;
        // Offline is a pause, not a failure: the Uploader resumes on 'online'.
        if (!ctx.isOnline()) throw new OfflineError();
        await ctx.assertReadable(state);
        await retryOrThrow(toEngineError(error, 'network'));
        continue;
      }
      const outcome = classifyPut(result, signed, md5);
      if (outcome.kind === 'ok') {
        ctx.bytes.confirm(state.partNumber, size);
        ctx.stored(state, outcome.etag);
        return;
      }
      ctx.bytes.drop(state.partNumber);
      switch (outcome.kind) {
        case 'expired':
          // Not a failure and not counted, unless the clock is so far off that every fresh URL is dead.
          if (++expiries > ctx.retry.retries + 3) {
            throw new EngineError(
              'url-expired',
              `part ${state.partNumber}: every signed URL was expired (clock skew?)`,
              { status: 403 },
            );
          }
          state.signed = undefined;
          continue;
        case 'bad-digest': {
          // The bytes sent were not the bytes hashed: has the file changed on disk?
          if (rehashed) throw outcome.error;
          rehashed = true;
          const again = await ctx.rehash(state, signal);
          if (again.base64 !== md5.base64) throw fileChangedError(ctx.file.name, outcome.error);
          state.signed = undefined;
          await retryOrThrow(outcome.error);
          continue;
        }
        case 'retry':
          if (outcome.slowDown) ctx.slowDown();
          await retryOrThrow(outcome.error);
          continue;
        case 'gone':
        case 'fail':
          throw outcome.error;
      }
    }
  }
}
