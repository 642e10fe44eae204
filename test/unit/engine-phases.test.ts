import { describe, expect, it } from 'vitest';
import { ACTIVE_PHASES, isActivePhase } from '../../src/engine/phases.ts';
import type { UploadPhase } from '../../src/engine/types.ts';

const phases: Record<UploadPhase, boolean> = {
  waiting: true,
  hashing: true,
  uploading: true,
  paused: true,
  completing: true,
  done: false,
  failed: false,
  aborted: false,
};

describe('upload phases', () => {
  it('counts an upload as active until it is done, failed or aborted', () => {
    for (const [phase, active] of Object.entries(phases)) {
      expect([phase, isActivePhase(phase as UploadPhase)]).toEqual([phase, active]);
    }
    expect([...ACTIVE_PHASES].sort()).toEqual(
      Object.keys(phases)
        .filter((p) => phases[p as UploadPhase])
        .sort(),
    );
  });
});
