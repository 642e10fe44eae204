/** POST sign-parts and POST list-parts. */
import type { ListPartsResponse, SignPartsResponse, SignedPart } from '../protocol/index.ts';
import {
  checkContentMd5,
  checkPartNumber,
  expectedPartSize,
  verifyToken,
  type RouteContext,
} from './context.ts';
import { HandlerError } from './errors.ts';
import { parseBody, signPartsSchema } from './schemas.ts';
import { checkNotCompleted, singleMetadata, stagingKey } from './single.ts';

/** Answers POST sign-parts: every part is checked against the plan before anything is signed. */
export async function signParts(ctx: RouteContext, body: unknown): Promise<SignPartsResponse> {
  const upload = await verifyToken(ctx, body);
  const request = parseBody(signPartsSchema, body);
  for (const part of request.parts) {
    checkPartNumber(upload, part.partNumber);
    const expected = expectedPartSize(upload, part.partNumber);
    if (part.size !== expected) {
      throw new HandlerError(
        'part-size-mismatch',
        `part ${part.partNumber} must be ${expected} bytes, not ${part.size}`,
      );
    }
    checkContentMd5(part.contentMd5, `part ${part.partNumber}`);
  }
  const { storage, urlExpiresIn } = ctx.options;
  if (upload.mode === 'single') await checkNotCompleted(storage, upload);
  const parts = await Promise.all(
    request.parts.map(async (part): Promise<SignedPart> => {
      if (upload.mode === 'single') {
        const put = await storage.signPut({
          key: stagingKey(upload),
          size: part.size,
          contentMd5: part.contentMd5,
          contentType: upload.contentType,
          metadata: singleMetadata(upload),
          expiresIn: urlExpiresIn,
          context: ctx.sign,
        });
        return { ...put, partNumber: 1 };
      }
      return storage.signPart({
        key: upload.key,
        uploadId: upload.uploadId,
        partNumber: part.partNumber,
        size: part.size,
        contentMd5: part.contentMd5,
        expiresIn: urlExpiresIn,
        context: ctx.sign,
      });
    }),
  );
  return { parts };
}

/**
 * Answers POST list-parts: every part the store holds (all pages merged by the adapter). In single
 * mode the staged object is part 1 once its PUT landed with the declared size.
 */
export async function listParts(ctx: RouteContext, body: unknown): Promise<ListPartsResponse> {
  const upload = await verifyToken(ctx, body);
  const { storage } = ctx.options;
  if (upload.mode === 'single') {
    await checkNotCompleted(storage, upload);
    const object = await storage.headObject({ key: stagingKey(upload) });
    return {
      parts:
        object && object.size === upload.size
          ? [{ partNumber: 1, size: object.size, etag: object.etag }]
          : [],
    };
  }
  return { parts: await storage.listParts({ key: upload.key, uploadId: upload.uploadId }) };
}
