/** Byte-size units. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** S3 multipart limits: every part but the last is at least 5 MiB and at most 5 GiB. */
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * GiB;
/** S3 allows part numbers 1..10,000. */
export const MAX_PARTS = 10_000;
/** Longest lifetime of a presigned URL in seconds: SigV4 allows 7 days. */
export const MAX_URL_EXPIRES_IN = 7 * 24 * 3600;
/** S3's largest object. */
export const MAX_OBJECT_SIZE = 5 * TiB;
/** Part size used when neither side asks for another. */
export const DEFAULT_PART_SIZE = 8 * MiB;

/** True for an integer part number S3 accepts, 1..MAX_PARTS. */
export function isPartNumber(partNumber: number): boolean {
  return Number.isInteger(partNumber) && partNumber >= 1 && partNumber <= MAX_PARTS;
}

/** How a file of `size` bytes is cut: `partCount` parts of `partSize`, the last one shorter. */
export interface PartPlan {
  size: number;
  partSize: number;
  partCount: number;
}

/**
 * Plans the parts of an object of `size` bytes, starting from `preferredPartSize` and growing it
 * (to a whole MiB) until the plan fits in 10,000 parts. Throws a RangeError for sizes S3 cannot store.
 * A 0-byte object is one empty part.
 */
export function planParts(size: number, preferredPartSize = DEFAULT_PART_SIZE): PartPlan {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid size: ${size}`);
  if (size > MAX_OBJECT_SIZE) throw new RangeError(`size ${size} is over the 5 TiB object limit`);
  if (!Number.isSafeInteger(preferredPartSize) || preferredPartSize <= 0) {
    throw new RangeError(`invalid part size: ${preferredPartSize}`);
  }
  let partSize = Math.min(Math.max(preferredPartSize, MIN_PART_SIZE), MAX_PART_SIZE);
  if (Math.ceil(size / partSize) > MAX_PARTS) {
    partSize = Math.ceil(size / MAX_PARTS / MiB) * MiB;
  }
  const partCount = Math.max(1, Math.ceil(size / partSize));
  return { size, partSize, partCount };
}

/** Byte range [start, end) of part `partNumber` (1-based) in a plan. */
export function partRange(plan: PartPlan, partNumber: number): { start: number; end: number } {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`part number ${partNumber} is outside 1..${plan.partCount}`);
  }
  const start = (partNumber - 1) * plan.partSize;
  return { start, end: Math.min(start + plan.partSize, plan.size) };
}
