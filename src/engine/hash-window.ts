import { partRange, type PartPlan } from '../protocol/index.ts';
import type { PartState } from './part-state.ts';
import type { Md5Digest, RecordedPart } from './ports.ts';

/** What a HashWindow needs. */
export interface HashWindowOptions {
  plan: PartPlan;
  /** Part numbers to send, in the order lanes take them. */
  send: number[];
  /** Parts trusted from a saved record, to hash again and compare with their recorded MD5. */
  verify: RecordedPart[];
  /** Hashes started ahead of the lanes (parts not yet taken, checks not yet finished), at most. */
  size: number;
  /** Hashes bytes [start, end) of the file. */
  hash(start: number, end: number): Promise<Md5Digest>;
  /** A part to send got its MD5 (the signer takes it from here). */
  hashed(state: PartState): void;
  /** A trusted part was hashed again: `same` says whether it still matches its record. */
  checked(part: RecordedPart, md5: Md5Digest, same: boolean): void;
}

/**
 * Hashes parts ahead of the sending lanes, at most `size` at a time, in part order; once every part to send
 * is hashed, it re-hashes the trusted parts of a resumed upload. A trusted part whose bytes changed joins
 * the parts to send (S3 replaces a part number), so complete only ever names bytes read in this run.
 */
export class HashWindow {
  private readonly send: number[];
  private readonly verify: RecordedPart[];
  private readonly states = new Map<number, PartState>();
  /** How many of the first `send` entries already have their hash started. */
  private started = 0;
  private ahead = 0;
  private sendHashing = 0;
  private checking = 0;
  private failure: { error: unknown } | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: HashWindowOptions) {
    this.send = [...options.send];
    this.verify = [...options.verify];
  }

  /** Starts hashing the first parts. */
  start(): void {
    this.fill();
  }

  /** True once every part to send so far has its MD5 (checks may still add parts). */
  get sendHashed(): boolean {
    return this.started === this.send.length && this.sendHashing === 0;
  }

  /** Parts to send not yet taken, plus checks running or waiting. */
  get busy(): boolean {
    return this.send.length > 0 || this.checking > 0 || this.verify.length > 0;
  }

  /**
   * The next part to send, its hash started; undefined once nothing is left to send and every trusted part
   * is checked. Rejects when a check could not read the file.
   */
  async next(signal: AbortSignal): Promise<PartState | undefined> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      signal.throwIfAborted();
      const partNumber = this.send.shift();
      if (partNumber !== undefined) {
        const state = this.stateOf(partNumber);
        if (this.started > 0) {
          this.started--;
          this.ahead--;
        } else {
          this.startHash(state);
        }
        this.fill();
        return state;
      }
      if (!this.busy) return undefined;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Forgets a part once the store holds it. */
  release(state: PartState): void {
    this.states.delete(state.partNumber);
  }

  private stateOf(partNumber: number): PartState {
    let state = this.states.get(partNumber);
    if (!state) {
      const range = partRange(this.options.plan, partNumber);
      state = { partNumber, start: range.start, end: range.end };
      this.states.set(partNumber, state);
    }
    return state;
  }

  private fill(): void {
    while (this.ahead < this.options.size && !this.failure) {
      if (this.started < this.send.length) {
        this.startHash(this.stateOf(this.send[this.started++]!));
        this.ahead++;
      } else if (this.verify.length > 0) {
        this.check(this.verify.shift()!);
        this.ahead++;
      } else {
        return;
      }
    }
  }

  private startHash(state: PartState): void {
    this.sendHashing++;
    state.hashing = this.options.hash(state.start, state.end).then(
      (md5) => {
        state.md5 = md5;
        this.sendHashing--;
        this.options.hashed(state);
        return md5;
      },
      (error: unknown) => {
        this.sendHashing--;
        throw error;
      },
    );
    // The lane that takes the part awaits this promise and reports its failure.
    state.hashing.catch(() => {});
  }

  private check(part: RecordedPart): void {
    this.checking++;
    const range = partRange(this.options.plan, part.partNumber);
    this.options.hash(range.start, range.end).then(
      (md5) => {
        this.checking--;
        this.ahead--;
        const same = md5.base64 === part.md5;
        this.options.checked(part, md5, same);
        if (!same) {
          // Send it next with the MD5 just computed: it is hashed already.
          const state = this.stateOf(part.partNumber);
          state.md5 = md5;
          state.hashing = Promise.resolve(md5);
          this.send.splice(this.started, 0, part.partNumber);
          this.started++;
          this.ahead++;
          this.options.hashed(state);
        }
        this.fill();
        this.wake();
      },
      (error: unknown) => {
        this.checking--;
        this.failure = { error };
        this.wake();
      },
    );
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
