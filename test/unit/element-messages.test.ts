import { describe, expect, it } from 'vitest';
import { callbackWarning, errorText, phaseAnnouncement } from '../../src/element/messages.ts';
import { defaultStrings as t } from '../../src/element/strings.ts';
import type { UploadSnapshot } from '../../src/engine/types.ts';

function upload(patch: Partial<UploadSnapshot>): UploadSnapshot {
  return {
    id: 'u1',
    name: 'a.txt',
    size: 5,
    type: 'text/plain',
    phase: 'waiting',
    bytesUploaded: 0,
    progress: 0,
    speed: 0,
    eta: null,
    partCount: 1,
    partsDone: 0,
    resumed: false,
    ...patch,
  };
}

const result = {
  bucket: 'b',
  key: 'k',
  etag: 'e',
  size: 5,
  location: '/k',
  contentType: 'text/plain',
};

describe('element messages', () => {
  it('explains a known error code in plain words, and an unknown one by its message', () => {
    const known = upload({
      phase: 'failed',
      error: { code: 'network', message: 'x', retryable: true },
    });
    expect(errorText(t, known)).toBe(t.errors.network);
    const other = upload({
      phase: 'failed',
      error: { code: 'unknown-error', message: 'it broke', retryable: true },
    });
    expect(errorText(t, other)).toBe('Something went wrong (it broke). Press Retry to try again.');
  });

  it('warns about a failed callback only for a stored file', () => {
    const callback = { status: 'failed', reason: 'timeout', message: 'm', id: 'w1' } as const;
    const done = upload({ phase: 'done', result: { ...result, callback } });
    expect(callbackWarning(t, done)).toBe(
      'a.txt is stored, but the application could not be told yet: its server did not answer in time. The server retries this on its own; there is no need to upload again.',
    );
    expect(callbackWarning(t, upload({ phase: 'done', result }))).toBe('');
    expect(callbackWarning(t, upload({ phase: 'failed', result: { ...result, callback } }))).toBe(
      '',
    );
  });

  it('announces each phase, with the reason of a failure and the warning of a stored file', () => {
    expect(phaseAnnouncement(t, upload({ phase: 'waiting' }))).toBe('a.txt added.');
    expect(phaseAnnouncement(t, upload({ phase: 'paused' }))).toBe(`a.txt: ${t.phases.paused}.`);
    expect(phaseAnnouncement(t, upload({ phase: 'done', result }))).toBe('a.txt uploaded.');
    const callback = { status: 'failed', reason: 'unreachable', message: 'm', id: 'w1' } as const;
    expect(phaseAnnouncement(t, upload({ phase: 'done', result: { ...result, callback } }))).toBe(
      `a.txt uploaded. ${callbackWarning(t, upload({ phase: 'done', result: { ...result, callback } }))}`,
    );
    const failed = upload({
      phase: 'failed',
      error: { code: 'network', message: 'x', retryable: true },
    });
    expect(phaseAnnouncement(t, failed)).toBe(`a.txt failed: ${t.errors.network}`);
  });
});
