/** Bytes per second over a sliding window of samples (default: the last 5 seconds). */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the running total of bytes sent. */
  sample(bytes: number): void {
    const t = this.now();
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Bytes per second between the oldest and newest sample in the window; 0 when unknown. */
  get speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t - first.t < 200) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.t - first.t));
  }

  /** Forgets the samples (after a pause, so the idle time does not drag the speed down). */
  reset(): void {
    this.samples = [];
  }
}

/** Seconds left at `speed`, or null when the speed is unknown. */
export function eta(remaining: number, speed: number): number | null {
  if (remaining <= 0) return 0;
  return speed > 0 ? remaining / speed : null;
}

/**
 * Bytes of one upload as the user sees them: confirmed parts plus in-flight bytes (each clamped to its part),
 * never below what was shown before, so a failed or paused part never moves the bar back.
 */
export class ByteCounter {
  private confirmed = 0;
  private readonly inFlight = new Map<number, { loaded: number; size: number }>();
  private shown = 0;

  constructor(private readonly total: number) {}

  /** A part's bytes in flight so far. */
  progress(partNumber: number, loaded: number, size: number): void {
    this.inFlight.set(partNumber, { loaded: Math.min(Math.max(loaded, 0), size), size });
  }

  /** Drops a part's in-flight bytes (failed, paused). */
  drop(partNumber: number): void {
    this.inFlight.delete(partNumber);
  }

  /** Counts a part as confirmed by the store. */
  confirm(partNumber: number, size: number): void {
    this.inFlight.delete(partNumber);
    this.confirmed += size;
  }

  /** Takes back a confirmed part (its bytes on the store turned out stale); the shown value is kept. */
  unconfirm(size: number): void {
    this.confirmed -= size;
  }

  /** Starts again from nothing (an upload restarted from scratch); the shown value is kept. */
  clear(): void {
    this.inFlight.clear();
    this.confirmed = 0;
  }

  /** Bytes the store confirmed. */
  get confirmedBytes(): number {
    return this.confirmed;
  }

  /** Confirmed plus in flight, never less than the last value returned, at most the total. */
  get value(): number {
    let current = this.confirmed;
    for (const part of this.inFlight.values()) current += part.loaded;
    this.shown = Math.min(this.total, Math.max(this.shown, current));
    return this.shown;
  }
}
