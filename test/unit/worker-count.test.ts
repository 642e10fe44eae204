import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultWorkerCount } from '../../src/worker/count.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('defaultWorkerCount', () => {
  it('leaves a core to the page and the network service, with at least one worker and at most four', () => {
    const count = (cores: number) => {
      vi.stubGlobal('navigator', { hardwareConcurrency: cores });
      return defaultWorkerCount();
    };
    expect([1, 2, 3, 4, 8, 16].map(count)).toEqual([1, 1, 2, 3, 4, 4]);
  });

  it('uses one worker where the browser does not say how many cores it has', () => {
    vi.stubGlobal('navigator', {});
    expect(defaultWorkerCount()).toBe(1);
  });
});
