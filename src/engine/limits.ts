/**
 * Limits on the list as a whole (maxFiles, maxTotalSize) and on each file's size (minFileSize),
 * checked in `add()` before any request, as Uppy's `restrictions` and FilePond's `maxFiles` are.
 */

/** The limits; any of them may be absent. */
export interface ListLimits {
  /** Most uploads in the list at once, unfinished ones included (cancelled ones do not count). */
  maxFiles?: number;
  /** Smallest file in bytes (0-byte files are refused by `minFileSize: 1`). */
  minFileSize?: number;
  /** Most bytes of every upload in the list together (cancelled ones do not count). */
  maxTotalSize?: number;
}

/** What the list already holds: its number of uploads and their bytes. */
export interface ListUsage {
  count: number;
  bytes: number;
}

/** A refusal: the `upload-rejected` code and message. */
export interface LimitRefusal {
  code: 'too-many-files' | 'file-too-small' | 'total-too-large';
  message: string;
}

/**
 * Checks one file against the limits given what the list holds; a file that fits is counted into
 * `usage` by the caller. Files of one batch are checked in order, so the first ones that fit are
 * added and only the rest are refused (what a person expects when dropping too many).
 */
export function checkLimits(
  file: { name: string; size: number },
  limits: ListLimits,
  usage: ListUsage,
): LimitRefusal | undefined {
  if (limits.minFileSize !== undefined && file.size < limits.minFileSize) {
    return {
      code: 'file-too-small',
      message: `${file.name} is under the ${limits.minFileSize}-byte minimum`,
    };
  }
  if (limits.maxFiles !== undefined && usage.count >= limits.maxFiles) {
    return {
      code: 'too-many-files',
      message: `the list already holds the maximum of ${limits.maxFiles} files`,
    };
  }
  if (limits.maxTotalSize !== undefined && usage.bytes + file.size > limits.maxTotalSize) {
    return {
      code: 'total-too-large',
      message: `${file.name} would take the list over its ${limits.maxTotalSize}-byte total`,
    };
  }
  return undefined;
}
