import { formatBytes, formatPlural } from './format.ts';
import { parseByteSize } from './options.ts';
import { fill, type UploadStrings } from './strings.ts';
import type { Notice } from './upload-controller.ts';

/** The settings a refusal's explanation names (the limit that was hit). */
export interface LimitSettings {
  accept: string;
  maxFileSize: string | number | null;
  minFileSize: string | number | null;
  maxTotalSize: string | number | null;
  maxFiles: string | number | null;
}

function bytes(value: string | number | null): number {
  return value == null || value === '' ? NaN : parseByteSize(value);
}

/** The plain-words reason of a refused file, naming the limit it broke (the engine's code decides). */
export function rejectionReason(
  n: Notice,
  t: UploadStrings,
  s: LimitSettings,
  locale?: string,
): string {
  const max = bytes(s.maxFileSize);
  if (n.code === 'file-too-large' && max > 0) {
    return fill(t.rejectTooLarge, { max: formatBytes(max, locale) });
  }
  if (n.code === 'type-not-accepted' || n.code === 'content-type-not-allowed') {
    return fill(t.rejectType, { accept: s.accept });
  }
  if (n.code === 'duplicate') return t.rejectDuplicate;
  const min = bytes(s.minFileSize);
  if (n.code === 'file-too-small' && min >= 0) {
    return fill(t.rejectTooSmall, { min: formatBytes(min, locale) });
  }
  const maxFiles = Number(s.maxFiles);
  if (n.code === 'too-many-files' && maxFiles > 0)
    return formatPlural(t.rejectTooMany, maxFiles, locale);
  const total = bytes(s.maxTotalSize);
  if (n.code === 'total-too-large' && total >= 0) {
    return fill(t.rejectTotalTooLarge, { max: formatBytes(total, locale) });
  }
  return fill(t.rejectOther, { message: n.message });
}
