import { describe, expect, it } from 'vitest';
import { isPendingFile } from '../../src/element/file-intake.ts';
import { fileFingerprint, toPending } from '../../src/engine/records.ts';
import type { PendingUpload } from '../../src/engine/types.ts';
import type { UploadRecord } from '../../src/engine/ports.ts';

const DATE = 1_700_000_000_000;

function pendingOf(file: File, relativePath?: string): PendingUpload {
  const record = {
    id: 'u1',
    name: file.name,
    size: file.size,
    type: file.type,
    lastModified: file.lastModified,
    fingerprint: fileFingerprint(file),
    parts: [],
    ...(relativePath ? { relativePath } : {}),
  } as unknown as UploadRecord;
  return toPending(record);
}

function file(name = 'a.txt', body = 'hello', lastModified = DATE, type = 'text/plain'): File {
  return new File([body], name, { type, lastModified });
}

describe('choosing the file of an unfinished upload again', () => {
  it('accepts the same file, by the engine fingerprint', () => {
    expect(isPendingFile(file(), pendingOf(file()))).toBe(true);
  });

  it('refuses a file with another name, size, date or type', () => {
    const item = pendingOf(file());
    expect(isPendingFile(file('b.txt'), item)).toBe(false);
    expect(isPendingFile(file('a.txt', 'hello!'), item)).toBe(false);
    expect(isPendingFile(file('a.txt', 'hello', DATE + 1), item)).toBe(false);
    expect(isPendingFile(file('a.txt', 'hello', DATE, 'text/html'), item)).toBe(false);
  });

  it('gives a file from a folder its saved path, so its fingerprint is the saved one', () => {
    const chosen = file();
    const item = pendingOf(chosen, 'docs/a.txt');
    expect(isPendingFile(chosen, item)).toBe(true);
    expect(chosen.webkitRelativePath).toBe('docs/a.txt');
    expect(fileFingerprint(chosen)).toBe(
      fileFingerprint({ ...item, webkitRelativePath: 'docs/a.txt' }),
    );
  });
});
