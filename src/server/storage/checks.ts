/** The range checks every adapter makes before it signs a URL; a value out of range is a RangeError. */
import {
  isPartNumber,
  MAX_PART_SIZE,
  MAX_PARTS,
  MAX_URL_EXPIRES_IN,
} from '../../protocol/index.ts';

/** Throws unless `partNumber` is one S3 accepts (1..10,000). */
export function checkPartNumber(partNumber: number): void {
  if (!isPartNumber(partNumber)) {
    throw new RangeError(`part number must be 1..${MAX_PARTS}, got ${partNumber}`);
  }
}

/** Throws unless `size` is a part size S3 accepts (0..5 GiB). */
export function checkPartSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_PART_SIZE) {
    throw new RangeError(`part size must be 0..${MAX_PART_SIZE} bytes, got ${size}`);
  }
}

/** Throws unless `expiresIn` is a presigned URL's lifetime SigV4 accepts (1 s..7 days). */
export function checkExpiresIn(expiresIn: number): void {
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_URL_EXPIRES_IN) {
    throw new RangeError(`expiresIn must be 1..${MAX_URL_EXPIRES_IN} seconds, got ${expiresIn}`);
  }
}
