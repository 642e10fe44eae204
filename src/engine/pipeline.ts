import type { PartPlan, SignedPart } from '../protocol/index.ts';
import { HashWindow } from './hash-window.ts';
import type { PartSender } from './part-sender.ts';
import type { PartState } from './part-state.ts';
import type { Md5Digest, RecordedPart } from './ports.ts';
import type { Throttle } from './scheduler.ts';
import { SIGN_BATCH, Signer } from './signer.ts';

/** The Content-MD5 a signed URL was signed for (its header, whatever its case). */
function contentMd5Of(signed: SignedPart): string | undefined {
  for (const [name, value] of Object.entries(signed.headers))
    if (name.toLowerCase() === 'content-md5') return value;
  return undefined;
}

/** What one run of the multipart pipeline needs. */
export interface PipelineOptions {
  plan: PartPlan;
  /** Part numbers the store does not hold yet. */
  send: number[];
  /** Parts trusted from a saved record, to check against the file before complete. */
  verify: RecordedPart[];
  concurrency: number;
  hashWindow: number;
  throttle: Throttle;
  /** Hashes bytes [start, end) of the file in the workers. */
  hash(start: number, end: number, signal: AbortSignal): Promise<Md5Digest>;
  /** One sign-parts call (with the retry policy). */
  signParts(
    parts: { partNumber: number; size: number; contentMd5: string }[],
    signal: AbortSignal,
  ): Promise<SignedPart[]>;
  sender: PartSender;
  /** A trusted part was checked: `same` is false when the file's bytes differ from the record. */
  checked(part: RecordedPart, md5: Md5Digest, same: boolean): void;
  /** Parts signed ahead per call (default SIGN_BATCH). */
  signBatch?: number;
  /** A part's URL signed already (create signs part 1): used once its hash matches the URL's Content-MD5. */
  presigned?: SignedPart;
}

/**
 * Runs the pipeline until the store holds every part: a hash window ahead of `concurrency` sending lanes,
 * a signer batching URLs ahead of need, and the checks of trusted parts in the same window. The first part
 * that fails for good stops the others; its error is thrown. Returns the number of sign-parts calls.
 */
export async function runPipeline(options: PipelineOptions, signal: AbortSignal): Promise<number> {
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort(signal.reason);
  if (signal.aborted) onOuterAbort();
  signal.addEventListener('abort', onOuterAbort, { once: true });
  const pipe = inner.signal;
  let presigned = options.presigned;
  const window: HashWindow = new HashWindow({
    plan: options.plan,
    send: options.send,
    verify: options.verify,
    size: options.hashWindow,
    hash: (start, end) => options.hash(start, end, pipe),
    hashed: (state) => {
      const signed = presigned;
      if (signed?.partNumber === state.partNumber) {
        presigned = undefined;
        if (contentMd5Of(signed) === state.md5!.base64) return signer.signedAhead(state, signed);
      }
      signer.hashed(state);
    },
    checked: (part, md5, same) => {
      options.checked(part, md5, same);
      // A check that ends the work lets throttled lanes see there is nothing left.
      options.throttle.poke();
    },
  });
  /** PUTs on the wire: between a lane getting its URL and the PUT's end (retry waits included). */
  let sending = 0;
  const signer: Signer = new Signer({
    batch: options.signBatch ?? SIGN_BATCH,
    hashingDone: () => window.sendHashed,
    sending: () => sending,
    call: (states: PartState[]) =>
      options.signParts(
        states.map((s) => ({
          partNumber: s.partNumber,
          size: s.end - s.start,
          contentMd5: s.md5!.base64,
        })),
        pipe,
      ),
  });

  /** Sends one part; counts it as on the wire from its URL to its end, so the signer knows. */
  const send = async (state: PartState) => {
    let onWire = false;
    const off = () => {
      if (onWire) sending--;
      onWire = false;
    };
    try {
      await options.sender.send(state, pipe, async (s) => {
        off();
        await signer.urlFor(s);
        onWire = true;
        sending++;
      });
    } finally {
      off();
      signer.nudge();
    }
  };

  const lane = async (index: number) => {
    for (;;) {
      await options.throttle.admit(index, options.concurrency, pipe, () => !window.busy);
      const state = await window.next(pipe);
      if (!state) return;
      signer.taken(state);
      await state.hashing;
      await send(state);
      window.release(state);
      options.throttle.poke();
    }
  };
  try {
    window.start();
    const lanes = Array.from({ length: options.concurrency }, (_, i) =>
      lane(i).catch((error: unknown) => {
        // One part failed for good: stop the others, report the first cause.
        if (!pipe.aborted) inner.abort(error);
        throw error;
      }),
    );
    const results = await Promise.allSettled(lanes);
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw pipe.reason ?? (failure as PromiseRejectedResult).reason;
    return signer.calls;
  } finally {
    signer.close();
    signal.removeEventListener('abort', onOuterAbort);
  }
}
