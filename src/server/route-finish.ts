/** POST complete and POST abort. */
import type {
  AbortUploadResponse,
  CompleteUploadRequest,
  CompleteUploadResponse,
} from '../protocol/index.ts';
import { HEX_MD5, hexToBase64, unquoteEtag } from '../protocol/digest.ts';
import { checkPartNumber, verifyToken, type RouteContext } from './context.ts';
import { HandlerError } from './errors.ts';
import { completeUploadSchema, parseBody } from './schemas.ts';
import { abortSingle, completeSingle } from './single.ts';
import type { ObjectInfo } from './storage/types.ts';
import type { UploadTokenPayload } from './token.ts';

/**
 * Answers POST complete. The list must name every part 1..partCount in ascending order; the
 * stored object's size is then checked against the declared size. A size that differs (only
 * possible when something else wrote the parts) is refused with part-size-mismatch and the object
 * is kept as it is: the handler never deletes data.
 */
export async function completeUpload(
  ctx: RouteContext,
  body: unknown,
): Promise<CompleteUploadResponse> {
  const upload = await verifyToken(ctx, body);
  const request = parseBody(completeUploadSchema, body);
  const parts = checkCompleteList(upload, request.parts);
  const { storage } = ctx.options;

  let object: ObjectInfo | null;
  let location: string;
  let repeated = false;
  if (upload.mode === 'single') {
    ({ object, repeated } = await completeSingle(storage, upload, parts[0]!.etag));
    location = await singleLocation(ctx, upload, object);
  } else {
    const done = await storage.completeUpload({
      key: upload.key,
      uploadId: upload.uploadId,
      parts,
      context: ctx.sign,
    });
    location = done.location;
    object = await storage.headObject({ key: upload.key });
    if (!object) {
      // Stores are read-after-write consistent; if one is not, answer from the complete itself.
      console.warn(`upload handler: ${upload.key} is not visible right after complete`);
      object = {
        key: upload.key,
        size: upload.size,
        etag: unquoteEtag(done.etag),
        contentType: upload.contentType,
        lastModified: new Date(),
      };
    }
  }
  if (object.size !== upload.size) {
    throw new HandlerError(
      'part-size-mismatch',
      `the stored object has ${object.size} bytes but the upload declared ${upload.size}; it was kept as is`,
    );
  }

  const response: CompleteUploadResponse = {
    bucket: storage.bucket,
    key: upload.key,
    etag: unquoteEtag(object.etag),
    size: object.size,
    location,
    contentType: object.contentType || upload.contentType,
  };
  // A repeated complete of a single-mode upload answers the object again: its callback went once.
  if (upload.callback && ctx.runner && !repeated) {
    response.callback = await ctx.runner.run(upload.callback, {
      bucket: storage.bucket,
      object: upload.key,
      etag: response.etag,
      size: response.size,
      mimeType: response.contentType,
      uploadId: upload.uploadId,
      parts: parts.length,
      ...(HEX_MD5.test(response.etag) ? { contentMd5: hexToBase64(response.etag) } : {}),
      principal: upload.principal,
      ...(upload.relativePath ? { relativePath: upload.relativePath } : {}),
    });
  }
  return response;
}

/** Answers POST abort. In single mode it deletes what the PUT staged (never a completed object). */
export async function abortUpload(ctx: RouteContext, body: unknown): Promise<AbortUploadResponse> {
  const upload = await verifyToken(ctx, body);
  if (upload.mode === 'multipart') {
    await ctx.options.storage.abortUpload({ key: upload.key, uploadId: upload.uploadId });
  } else {
    await abortSingle(ctx.options.storage, upload);
  }
  return { aborted: true };
}

/** Checks the complete list against the plan: every part, ascending, within range. */
function checkCompleteList(
  upload: UploadTokenPayload,
  parts: CompleteUploadRequest['parts'],
): CompleteUploadRequest['parts'] {
  let previous = 0;
  for (const part of parts) {
    checkPartNumber(upload, part.partNumber);
    if (part.partNumber <= previous) {
      throw new HandlerError('invalid-part-order', 'parts must be listed in ascending order');
    }
    previous = part.partNumber;
  }
  if (parts.length !== upload.partCount) {
    throw new HandlerError(
      'invalid-part',
      `complete must list all ${upload.partCount} parts of the upload, not ${parts.length}`,
    );
  }
  return parts.map((part) => ({ partNumber: part.partNumber, etag: unquoteEtag(part.etag) }));
}

/**
 * The object's URL in single mode, where the store gives no location: the presigned PUT's URL
 * without its query is the object's own URL on S3 and on the local store.
 */
async function singleLocation(
  ctx: RouteContext,
  upload: UploadTokenPayload,
  object: ObjectInfo,
): Promise<string> {
  const put = await ctx.options.storage.signPut({
    key: upload.key,
    size: object.size,
    contentMd5: HEX_MD5.test(object.etag) ? hexToBase64(object.etag) : 'AAAAAAAAAAAAAAAAAAAAAA==',
    contentType: upload.contentType,
    expiresIn: 60,
    context: ctx.sign,
  });
  const url = new URL(put.url);
  url.search = '';
  return url.toString();
}
