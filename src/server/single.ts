/**
 * Single-mode uploads (files that fit in one part) write to a staging key of their own, and complete
 * copies that object to the upload's key. So no URL ever signed for an upload can write the object
 * its complete announced: a PUT with the upload's token or URLs after complete only reaches the
 * staging key, which a repeated complete or an abort deletes. The copy carries a marker in its
 * metadata (the upload's id), which tells a repeated complete from a first one: a repeat answers the
 * object again and never sends the callback a second time.
 */
import { HEX_MD5 } from '../protocol/digest.ts';
import { HandlerError } from './errors.ts';
import { randomId } from './keys.ts';
import type { ObjectInfo, StorageAdapter } from './storage/types.ts';
import type { UploadTokenPayload } from './token.ts';

/** Metadata name of the marker (x-amz-meta-upload-marker); create refuses it in the browser's metadata. */
export const SINGLE_MARKER = 'upload-marker';

/** A new single-mode upload's id: names its staging key and marks the object its complete made. */
export function newSingleId(): string {
  return randomId();
}

/**
 * Where the browser's PUT goes: beside the key (same prefix, so a policy on the prefix covers it),
 * `<folder>/.upload-<id>`. Tokens from before staging keys have no id: their PUT went to the key.
 */
export function stagingKey(upload: Pick<UploadTokenPayload, 'key' | 'singleId'>): string {
  if (!upload.singleId) return upload.key;
  const folder = upload.key.slice(0, upload.key.lastIndexOf('/') + 1);
  return `${folder}.upload-${upload.singleId}`;
}

/** The metadata signed into the single PUT: the browser's, and the marker. */
export function singleMetadata(upload: UploadTokenPayload): Record<string, string> | undefined {
  if (!upload.singleId) return upload.metadata;
  return { ...upload.metadata, [SINGLE_MARKER]: upload.singleId };
}

/** True when the object at the upload's key is the one this upload's complete made. */
function completedBy(upload: UploadTokenPayload, object: ObjectInfo | null): boolean {
  return (
    upload.singleId !== undefined &&
    object !== null &&
    object.metadata?.[SINGLE_MARKER] === upload.singleId
  );
}

/**
 * Completes a single-mode upload: checks the staged object against the browser's ETag, copies it
 * to the key and deletes the staging object. `repeated` is true when an earlier complete already
 * did (then nothing is copied, and a staging object PUT since is deleted).
 */
export async function completeSingle(
  storage: StorageAdapter,
  upload: UploadTokenPayload,
  etag: string,
): Promise<{ object: ObjectInfo; repeated: boolean }> {
  const staging = stagingKey(upload);
  const existing = upload.singleId ? await storage.headObject({ key: upload.key }) : null;
  if (completedBy(upload, existing)) {
    await storage.deleteObject({ key: staging });
    checkEtag(existing!, etag);
    return { object: existing!, repeated: true };
  }
  const staged = await storage.headObject({ key: staging });
  if (!staged) throw new HandlerError('invalid-part', 'the file was not uploaded (no object)');
  checkEtag(staged, etag);
  if (staged.size !== upload.size) return { object: staged, repeated: false };
  if (staging === upload.key) return { object: staged, repeated: false };
  await storage.copyObject({
    from: staging,
    to: upload.key,
    contentType: upload.contentType,
    metadata: singleMetadata(upload),
  });
  await storage.deleteObject({ key: staging });
  const object = await storage.headObject({ key: upload.key });
  // Stores are read-after-write consistent; if one is not, answer from the staged object.
  return { object: object ?? { ...staged, key: upload.key }, repeated: false };
}

/**
 * Aborts a single-mode upload: deletes what its PUT staged, never the object a complete made.
 * After complete the upload is finished, as a multipart upload is: no-such-upload.
 */
export async function abortSingle(
  storage: StorageAdapter,
  upload: UploadTokenPayload,
): Promise<void> {
  if (!upload.singleId) return;
  await storage.deleteObject({ key: stagingKey(upload) });
  if (completedBy(upload, await storage.headObject({ key: upload.key }))) {
    throw new HandlerError(
      'no-such-upload',
      'this upload was completed; its object stays (an abort only drops unfinished uploads)',
    );
  }
}

/** Refuses sign-parts and list-parts after complete, so nothing is written to the staging key again. */
export async function checkNotCompleted(
  storage: StorageAdapter,
  upload: UploadTokenPayload,
): Promise<void> {
  if (!upload.singleId) return;
  if (completedBy(upload, await storage.headObject({ key: upload.key }))) {
    throw new HandlerError('no-such-upload', 'this upload was completed');
  }
}

function checkEtag(object: ObjectInfo, etag: string): void {
  if (HEX_MD5.test(object.etag) && object.etag.toLowerCase() !== etag.toLowerCase()) {
    throw new HandlerError('invalid-part', 'the stored object has another ETag');
  }
}
