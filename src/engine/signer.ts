import { MAX_SIGN_BATCH, type SignedPart } from '../protocol/index.ts';
import { abortError, EngineError } from './errors.ts';
import { expiring, renewMargin, type PartState } from './part-state.ts';
import { timerDelay } from './retry.ts';

/**
 * The most parts one call gathers before signing ahead, once ramped up. A 64-part file (512 MiB in 8 MiB
 * parts, part 1 signed by create) takes 6-7 calls with hashing ahead of the network: 1, 2, 4, 8, 16, 32
 * parts, and the rest once hashing is over. With a ceiling of 16 it took 7-9 (1, 2, 4, 8, 16, 16, 16, ...).
 */
export const SIGN_BATCH = 32;

/**
 * Parts hashed ahead of the lanes by default: two sign batches beyond the parts in flight, so one batch can
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
  /** The most parts a call gathers before it signs ahead of need (the ramp's ceiling). */
  batch: number;
  /** True once every part to send has its MD5 (nothing more will arrive to fill a batch). */
  hashingDone(): boolean;
  /** PUTs on the wire now: a lane waits for a fuller batch only while the network has work. */
  sending(): number;
  now?: () => number;
}

/**
 * Signs part URLs in batches, ahead of need, with at most one sign call in flight (the next gathers what
 * is hashed meanwhile). A call is made when:
 * - enough parts are hashed and fewer than a batch of fresh URLs wait for lanes. "Enough" ramps up like TCP's
 *   slow start: 1 part for the first call, then 2, 4, 8, up to `batch`, so the first PUT waits for one hash,
 *   not for a batch, and a file hashed ahead of the network needs few calls;
 * - a lane waits for a URL (`urlFor`) and no PUT is on the wire: waiting longer would leave the network idle;
 * - hashing is over: nothing more can fill a batch, so the rest is signed at once.
 * So a lane waits for a sign call only when its part was hashed after the lane freed, and then only while
 * other PUTs keep the network busy. URLs signed ahead are renewed before they expire.
 */
export class Signer {
  private readonly pending = new Set<PartState>();
  /** Signed ahead, not yet taken by a lane. */
  private readonly ready = new Set<PartState>();
  /** Parts whose lane waits in `urlFor`, with the wake-up of each. */
  private readonly waiting = new Map<PartState, () => void>();
  /** Parts whose lane waits for a call in flight: their PUTs go on the wire as soon as it answers. */
  private readonly handing = new Set<PartState>();
  private calling = 0;
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

  /** A part whose URL was signed elsewhere (create signs part 1): it waits for its lane like one signed here. */
  signedAhead(state: PartState, signed: SignedPart): void {
    if (this.closed) return;
    state.signed = signed;
    state.signedAt = this.now();
    if (!state.taken) this.ready.add(state);
    this.scheduleRenewal();
    this.consider();
  }

  /** A lane took the part: its URL no longer counts as signed ahead. */
  taken(state: PartState): void {
    state.taken = true;
    this.ready.delete(state);
    this.consider();
  }

  /** Something the rules read changed (a PUT ended, hashing finished): sign now if a rule says so. */
  nudge(): void {
    this.consider();
  }

  /**
   * Ensures `state.signed` is a URL that is not about to expire, waiting for a sign call if need be. A call
   * made for this lane that fails rejects with its error (the call itself already ran the retry policy).
   */
  async urlFor(state: PartState): Promise<void> {
    try {
      await this.signedUrl(state);
    } finally {
      // Signed or failed, this lane is no longer about to put a PUT on the wire.
      this.handing.delete(state);
    }
  }

  private async signedUrl(state: PartState): Promise<void> {
    let mine = false;
    for (let attempt = 0; ; attempt++) {
      if (state.signed && !expiring(state, this.now())) return;
      if (state.signing) {
        // This lane's PUT goes on the wire as soon as the call answers.
        this.handing.add(state);
        // A call signed ahead for someone else may fail: this lane asks again, and reports its own failure.
        await (mine ? state.signing : state.signing.catch(() => {}));
        continue;
      }
      if (this.closed) throw abortError('the upload stopped');
      if (attempt > 2)
        throw new EngineError(
          'invalid-response',
          `sign-parts did not sign part ${state.partNumber}`,
        );
      state.signed = undefined;
      this.pending.add(state);
      await new Promise<void>((resolve) => {
        this.waiting.set(state, resolve);
        this.consider();
      });
      mine = true;
    }
  }

  /** Stops signing ahead (the run ended); lanes still waiting for a URL are told so. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
    this.ready.clear();
    for (const wake of this.waiting.values()) wake();
    this.waiting.clear();
    this.handing.clear();
  }

  private freshReady(): number {
    const now = this.now();
    let fresh = 0;
    for (const state of this.ready) if (!expiring(state, now)) fresh++;
    return fresh;
  }

  /** Parts the next call gathers before signing ahead: 1, 2, 4, ... up to `batch`. */
  private target(): number {
    return Math.min(this.options.batch, 2 ** this.calls);
  }

  /** Signs when waiting longer could leave the network idle, or nothing more is coming (see the class). */
  private consider(): void {
    if (this.closed || this.pending.size === 0 || this.calling > 0) return;
    const { batch } = this.options;
    if (
      this.options.hashingDone() ||
      (this.waiting.size > 0 && this.options.sending() === 0 && this.handing.size === 0) ||
      (this.pending.size >= this.target() && (this.waiting.size > 0 || this.freshReady() < batch))
    ) {
      // A failure here is left to the lane that needs the URL: it signs again and reports the error.
      this.flush().catch(() => {});
    }
  }

  /** One sign-parts call for the pending parts, lowest part numbers first. */
  private async flush(): Promise<void> {
    const batch = [...this.pending]
      .sort((a, b) => a.partNumber - b.partNumber)
      .slice(0, MAX_SIGN_BATCH);
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
    for (const state of batch) {
      state.signing = marked;
      // The lane waiting for this part now waits on the call.
      this.waiting.get(state)?.();
      this.waiting.delete(state);
    }
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
          // With the first URL due, every URL that would fall due within another margin: URLs signed by
          // calls moments apart are renewed in one call, not in one call each.
          if (!expiring(state, now, 2)) continue;
          this.ready.delete(state);
          this.pending.add(state);
        }
        if (this.pending.size > 0 && !this.closed) this.flush().catch(() => {});
        else this.scheduleRenewal();
      },
      timerDelay(due - now),
    );
  }
}
