import { describe, expect, it } from 'vitest';
import {
  GiB,
  MAX_PARTS,
  MIN_PART_SIZE,
  MiB,
  TiB,
  partRange,
  planParts,
} from '../../src/protocol/index.ts';

describe('planParts', () => {
  it('plans a 0-byte file as one empty part', () => {
    expect(planParts(0)).toEqual({ size: 0, partSize: 8 * MiB, partCount: 1 });
  });

  it('raises a part size under 5 MiB to 5 MiB', () => {
    expect(planParts(12 * MiB, 1 * MiB).partSize).toBe(MIN_PART_SIZE);
  });

  it('grows the part size so a 5 TiB object fits in 10,000 parts', () => {
    const plan = planParts(5 * TiB, 8 * MiB);
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(plan.partSize % MiB).toBe(0);
    expect(plan.partSize * plan.partCount).toBeGreaterThanOrEqual(5 * TiB);
  });

  it('keeps the last part short: 5 MiB + 1 byte in 5 MiB parts is 2 parts', () => {
    const plan = planParts(5 * MiB + 1, 5 * MiB);
    expect(plan.partCount).toBe(2);
    expect(partRange(plan, 2)).toEqual({ start: 5 * MiB, end: 5 * MiB + 1 });
  });

  it('refuses sizes S3 cannot store', () => {
    expect(() => planParts(-1)).toThrow(RangeError);
    expect(() => planParts(5 * TiB + 1)).toThrow(/5 TiB/);
    expect(() => planParts(1.5)).toThrow(RangeError);
  });

  it('clamps a preferred part size to the 5 MiB..5 GiB S3 allows', () => {
    expect(planParts(10, 6 * GiB).partSize).toBe(5 * GiB);
    expect(planParts(10 * MiB, 1 * MiB).partSize).toBe(5 * MiB);
  });

  it('refuses part numbers outside the plan', () => {
    const plan = planParts(20 * MiB, 8 * MiB);
    expect(() => partRange(plan, 0)).toThrow(RangeError);
    expect(() => partRange(plan, 4)).toThrow(RangeError);
  });
});
