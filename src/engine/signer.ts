import { MAX_SIGN_BATCH, type SignedPart } from '../protocol/index.ts';
import { EngineError } from './errors.ts';
import { expiring, renewMargin, type PartState } from './part-state.ts';

/**
 * Parts gathered before signing ahead. With hashing ahead of the network, a 64-part file (512 MiB in 8 MiB
 * parts) took 8-10 calls here: the first 4-5 parts one by one (a free slot waits for each as it is hashed),
 * then batches of 16-20.
 */
export const SIGN_BATCH = 16;

/**
 * Parts hashed ahead of the slots by default: two sign batches beyond the parts in flight, so one batch can
 * wait signed while the next gathers. Hashing ahead holds no bytes (parts are file-backed Blob slices), and
 * how many hash at once is the worker count, so the window is not tied to the number of cores.
 */
export function defaultHashWindow(concurrency: number): number {
  return concurrency + 2 * SIGN_BATCH;
}

/** What a Signer needs. */
export interface SignerOptions {
  /** One sign-parts call for these hashed parts (retried by the caller); answers their URLs. */
  call(parts: PartState[]): Promise<SignedPart[]>;
  /** Parts to gather before signing ahead of need. */
  batch: number;
  /** Parts in flight at most: fewer fresh URLs than this, with a slot freeing soon, signs what is hashed. */
  lowWater: number;
  /** True once every part to send has its MD5 (nothing more will arrive to fill a batch). */
  hashingDone(): boolean;
  now?: () => number;
}

/**
 * Signs part URLs in batches, ahead of need: a hashed part waits in `pending` until a batch is full while
 * fewer than a batch of fresh URLs wait, or the reserve falls under `lowWater` with a slot about to free (its
 * PUT half sent) or hashing over. A slot that needs a URL now (`urlFor`) gets it signed at once with
 * everything pending, so a part only waits for a sign call when it was hashed after its slot was free.
 * URLs signed ahead are renewed before they expire.
 */
export class Signer {
  private readonly pending = new Set<PartState>();
  /** Signed ahead, not yet taken by a slot. */
  private readonly ready = new Set<PartState>();
  private calling = 0;
  private dueSoon = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly now: () => number;

  /** Sign-parts calls made (tests and the bench). */
  calls = 0;

  constructor(private readonly options: SignerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A part got its MD5: it can be signed. */
  hashed(state: PartState): void {
    if (this.closed) return;
    this.pending.add(state);
    this.consider();
  }

  /** A slot took the part: its URL no longer counts as signed ahead. */
  taken(state: PartState): void {
    state.taken = true;
    this.ready.delete(state);
    this.consider();
  }

  /** A slot will free soon (its part is half sent): make sure a URL waits for it. */
  soon(): void {
    this.dueSoon = true;
    this.consider();
  }

  /** Ensures `state.signed` is a URL that is not about to expire, signing it now if need be. */
  async urlFor(state: PartState): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (state.signed && !expiring(state, this.now())) return;
      if (state.signing) {
        await state.signing.catch(() => {});
        continue;
      }
      if (attempt > 1)
        throw new EngineError(
          'invalid-response',
          `sign-parts did not sign part ${state.partNumber}`,
        );
      state.signed = undefined;
      await this.flush(state);
    }
  }

  /** Stops signing ahead (the run ended). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
    this.ready.clear();
  }

  private freshReady(): number {
    const now = this.now();
    let fresh = 0;
    for (const state of this.ready) if (!expiring(state, now)) fresh++;
    return fresh;
  }

  /** Signs ahead when waiting longer could make a slot wait for a URL, or nothing more is coming. */
  private consider(): void {
    if (this.closed || this.pending.size === 0 || this.calling > 0) return;
    const fresh = this.freshReady();
    const { batch, lowWater } = this.options;
    if (
      (this.pending.size >= batch && fresh < batch) ||
      (fresh < lowWater && (this.dueSoon || this.options.hashingDone()))
    ) {
      this.dueSoon = false;
      // A failure here is left to the slot that needs the URL: it signs again and reports the error.
      this.flush().catch(() => {});
    }
  }

  /** One sign-parts call for `first` (if given) and the pending parts, lowest part numbers first. */
  private async flush(first?: PartState): Promise<void> {
    const batch = first ? [first] : [];
    const rest = [...this.pending].sort((a, b) => a.partNumber - b.partNumber);
    for (const state of rest) {
      if (batch.length >= MAX_SIGN_BATCH) break;
      if (state !== first) batch.push(state);
    }
    for (const state of batch) this.pending.delete(state);
    this.calling++;
    this.calls++;
    const settled = this.options.call(batch).then((parts) => {
      const signedAt = this.now();
      const byNumber = new Map(batch.map((s) => [s.partNumber, s]));
      for (const part of parts) {
        const state = byNumber.get(part.partNumber);
        if (!state) continue;
        state.signed = part;
        state.signedAt = signedAt;
        if (!state.taken && !this.closed) this.ready.add(state);
      }
    });
    const marked = settled.finally(() => {
      for (const state of batch) if (state.signing === marked) state.signing = undefined;
      this.calling--;
      this.scheduleRenewal();
      this.consider();
    });
    for (const state of batch) state.signing = marked;
    await marked;
  }

  /** Renews URLs signed ahead shortly before the first of them expires, in one call. */
  private scheduleRenewal(): void {
    clearTimeout(this.timer);
    if (this.closed || this.ready.size === 0) return;
    const now = this.now();
    let due = Infinity;
    for (const state of this.ready)
      due = Math.min(due, state.signed!.expiresAt - renewMargin(state, now));
    this.timer = setTimeout(
      () => {
        const now = this.now();
        for (const state of [...this.ready]) {
          if (!expiring(state, now)) continue;
          this.ready.delete(state);
          this.pending.add(state);
        }
        if (this.pending.size > 0 && !this.closed) this.flush().catch(() => {});
        else this.scheduleRenewal();
      },
      // setTimeout fires at once for delays over 2^31 - 1 ms: wake at least every 24 days.
      Math.min(2 ** 31 - 1, Math.max(0, due - now)),
    );
  }
}
