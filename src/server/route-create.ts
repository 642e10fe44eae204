/** POST create: checks the file, plans its parts, chooses the key and signs the upload token. */
import {
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  planParts,
  type CreateUploadRequest,
  type CreateUploadResponse,
} from '../protocol/index.ts';
import type { CallbackChoice } from './callbacks/types.ts';
import { checkContentMd5, type RouteContext } from './context.ts';
import { HandlerError } from './errors.ts';
import { assertSafeKey, sanitizeFileName, sanitizeRelativePath } from './keys.ts';
import { createUploadSchema, parseBody } from './schemas.ts';
import { newSingleId, SINGLE_MARKER, singleMetadata, stagingKey } from './single.ts';
import type { UploadTokenPayload } from './token.ts';

/** Answers POST create. */
export async function createUpload(
  ctx: RouteContext,
  body: unknown,
): Promise<CreateUploadResponse> {
  const request: CreateUploadRequest = parseBody(createUploadSchema, body);
  const { options, principal } = ctx;
  if (request.fileName.trim() === '') {
    throw new HandlerError('invalid-file-name', 'fileName is empty');
  }
  const fileName = sanitizeFileName(request.fileName);
  const size = checkSize(request.size, options.maxFileSize, options.minFileSize);
  const contentType = checkContentType(request.contentType, options.allowedContentTypes);
  const plan = planFor(size, request.partSize ?? options.defaultPartSize);
  if (request.contentMd5 !== undefined) checkContentMd5(request.contentMd5, 'contentMd5');
  if (request.firstPart) checkContentMd5(request.firstPart.contentMd5, 'firstPart.contentMd5');
  if (
    request.metadata &&
    Object.keys(request.metadata).some((n) => n.toLowerCase() === SINGLE_MARKER)
  ) {
    throw new HandlerError('invalid-request', `metadata: the name ${SINGLE_MARKER} is reserved`);
  }
  const callback = chooseCallback(ctx, request.callback);
  const relativePath = checkRelativePath(request.relativePath);
  const metadata = withRelativePath(request.metadata, relativePath);

  const key = await options.key({
    fileName,
    originalFileName: request.fileName,
    principal,
    contentType,
    ...(relativePath ? { relativePath } : {}),
  });
  assertSafeKey(key);
  const reserved = options.outbox?.keyPrefix;
  // A custom key function must not write over the callback outbox's objects.
  if (reserved !== undefined && key.startsWith(reserved)) {
    throw new TypeError(`the key is under the callback outbox's prefix "${reserved}"`);
  }

  // A file that fits in one part skips multipart: one PUT of the whole file, then complete.
  const mode = size <= plan.partSize ? 'single' : 'multipart';
  const { uploadId } =
    mode === 'multipart'
      ? await options.storage.createUpload({ key, contentType, metadata })
      : { uploadId: '' };

  const payload: UploadTokenPayload = {
    v: 1,
    mode,
    uploadId,
    key,
    principal,
    size,
    partSize: plan.partSize,
    partCount: plan.partCount,
    contentType,
    exp: Date.now() + options.tokenTtl * 1000,
  };
  if (mode === 'single') {
    payload.singleId = newSingleId();
    assertSafeKey(stagingKey(payload));
    if (metadata) payload.metadata = metadata;
  }
  if (callback) payload.callback = callback;
  if (relativePath) payload.relativePath = relativePath;

  const response: CreateUploadResponse = {
    mode,
    uploadId,
    key,
    bucket: options.storage.bucket,
    partSize: plan.partSize,
    partCount: plan.partCount,
    token: await ctx.signer.sign(payload),
    tokenExpiresAt: payload.exp,
  };
  if (mode === 'single' && request.contentMd5 !== undefined) {
    const put = await options.storage.signPut({
      key: stagingKey(payload),
      size,
      contentMd5: request.contentMd5,
      contentType,
      metadata: singleMetadata(payload),
      expiresIn: options.urlExpiresIn,
      context: ctx.sign,
    });
    response.put = { ...put, partNumber: 1 };
  }
  // The browser hashed its first part while waiting: sign it now, unless the plan changed its size (then
  // the browser signs part 1 with the others).
  if (mode === 'multipart' && request.firstPart?.size === plan.partSize) {
    response.put = await options.storage.signPart({
      key,
      uploadId,
      partNumber: 1,
      size: plan.partSize,
      contentMd5: request.firstPart.contentMd5,
      expiresIn: options.urlExpiresIn,
      context: ctx.sign,
    });
  }
  return response;
}

function checkSize(size: number, maxFileSize: number, minFileSize: number): number {
  if (size < 0) throw new HandlerError('invalid-request', 'size: must be 0 or more');
  if (size < minFileSize) {
    throw new HandlerError('file-too-small', `the file is under the ${minFileSize}-byte minimum`);
  }
  if (size > maxFileSize) {
    throw new HandlerError('file-too-large', `the file is over the ${maxFileSize}-byte limit`);
  }
  return size;
}

// type/subtype with optional parameters, printable ASCII only: the browser sends it as a header.
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;[\x20-\x7e]*)?$/;

/** The content type to store: application/octet-stream when empty; checked against the allowed list. */
function checkContentType(raw: string, allowed: readonly string[] | undefined): string {
  const contentType = raw.trim() || 'application/octet-stream';
  if (!CONTENT_TYPE.test(contentType)) {
    throw new HandlerError('invalid-request', 'contentType: not a MIME type');
  }
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  const [type] = essence.split('/');
  const ok =
    !allowed ||
    allowed.some((pattern) => pattern === essence || pattern === '*/*' || pattern === `${type}/*`);
  if (!ok) {
    throw new HandlerError('content-type-not-allowed', `content type ${essence} is not allowed`);
  }
  return contentType;
}

/** Accepts the browser's part size within S3's limits and grows it for big files (planParts). */
function planFor(size: number, preferredPartSize: number) {
  if (preferredPartSize < MIN_PART_SIZE || preferredPartSize > MAX_PART_SIZE) {
    throw new HandlerError(
      'invalid-part-size',
      `partSize must be within ${MIN_PART_SIZE}..${MAX_PART_SIZE} bytes`,
    );
  }
  const plan = planParts(size, preferredPartSize);
  // planParts grows the part size to fit 10,000 parts; it can only break 5 GiB past the 5 TiB limit.
  if (plan.partSize > MAX_PART_SIZE) {
    throw new HandlerError('invalid-part-size', 'the file needs parts over 5 GiB');
  }
  return plan;
}

/** The sanitized relative path of a file from a folder, or undefined (none, or nothing left of it). */
function checkRelativePath(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return sanitizeRelativePath(raw);
  } catch (error) {
    throw new HandlerError('invalid-relative-path', (error as Error).message);
  }
}

// S3 allows 2 KB of user metadata in all (names and values).
const MAX_METADATA_BYTES = 2048;

/**
 * The metadata to store: the browser's, plus `relative-path` (percent-encoded UTF-8, since metadata
 * travels as ASCII headers) when the file came from a folder and it still fits in S3's 2 KB; the key
 * holds the path anyway.
 */
function withRelativePath(
  metadata: Record<string, string> | undefined,
  relativePath: string | undefined,
): Record<string, string> | undefined {
  if (!relativePath) return metadata;
  const all = { ...metadata, 'relative-path': encodeURIComponent(relativePath) };
  const bytes = Object.entries(all).reduce((n, [k, v]) => n + k.length + v.length, 0);
  return bytes <= MAX_METADATA_BYTES ? all : metadata;
}

/** Validates the browser's callback choice at create time, so a bad one fails before any byte moves. */
function chooseCallback(
  ctx: RouteContext,
  choice: CreateUploadRequest['callback'],
): CallbackChoice | undefined {
  if (!choice) return undefined;
  if (!ctx.runner) {
    throw new HandlerError(
      'unknown-callback-target',
      `callback target "${choice.target}" is not configured`,
    );
  }
  return ctx.runner.validate(choice);
}
