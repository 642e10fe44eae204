import type { SignedPart } from '../protocol/index.ts';
import type { Md5Digest } from './ports.ts';

/** One part between hashing and the store's answer; dropped once the part is done. */
export interface PartState {
  partNumber: number;
  start: number;
  end: number;
  md5?: Md5Digest;
  hashing?: Promise<Md5Digest>;
  signed?: SignedPart;
  signedAt?: number;
  /** The sign call this part is in, while it runs. */
  signing?: Promise<void>;
  /** A sending lane holds the part (it no longer counts as signed ahead). */
  taken?: boolean;
}

/** How long before its expiry a URL is renewed: a quarter of its lifetime, at most 30 s. */
export function renewMargin(state: PartState, now: number): number {
  if (!state.signed) return 0;
  const lifetime = state.signed.expiresAt - (state.signedAt ?? now);
  return Math.min(30_000, lifetime / 4);
}

/** True when the part has no URL or its URL is within `margins` renewal margins of expiring. */
export function expiring(state: PartState, now: number, margins = 1): boolean {
  if (!state.signed) return true;
  return state.signed.expiresAt - now < margins * renewMargin(state, now);
}
