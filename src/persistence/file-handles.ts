/** Helpers for FileSystemFileHandles kept in IndexedDB (Chromium's File System Access API). */

/** The permission methods Chromium has on handles; TypeScript's DOM types do not declare them yet. */
interface PermissionedHandle {
  queryPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

/** True for a FileSystemFileHandle (also one read back from IndexedDB). */
export function isFileHandle(value: unknown): value is FileSystemFileHandle {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as FileSystemHandle).kind === 'file' &&
    typeof (value as FileSystemFileHandle).getFile === 'function'
  );
}

/**
 * Resolves true when the page may read the handle's file, asking for permission if needed. Handles from
 * the picker lose their permission when the browser restarts, and requestPermission needs a user gesture
 * (so call this from a click handler); without one, or when refused, this resolves false: show a "resume" button.
 */
export async function ensureReadPermission(
  handle: FileSystemFileHandle,
  options: { request?: boolean } = {},
): Promise<boolean> {
  const h = handle as FileSystemFileHandle & PermissionedHandle;
  // Browsers without the permission methods grant reading to every handle they give out.
  if (typeof h.queryPermission !== 'function') return true;
  if ((await h.queryPermission({ mode: 'read' })) === 'granted') return true;
  if (options.request === false || typeof h.requestPermission !== 'function') return false;
  try {
    return (await h.requestPermission({ mode: 'read' })) === 'granted';
  } catch (error) {
    // Chromium throws SecurityError when there is no user activation: that is "not yet", not a failure.
    if ((error as Error).name === 'SecurityError') return false;
    throw error;
  }
}

/** The File behind a handle; rejects with NotAllowedError when read permission is not granted. */
export async function fileFromHandle(handle: FileSystemFileHandle): Promise<File> {
  if (!(await ensureReadPermission(handle))) {
    throw new DOMException(`Permission to read ${handle.name} was not granted.`, 'NotAllowedError');
  }
  return handle.getFile();
}
