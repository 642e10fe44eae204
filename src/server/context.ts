/** What every route gets: the resolved options, the request's principal and the signing helpers. */
import { isContentMd5 } from '../protocol/digest.ts';
import { partRange, type PartPlan } from '../protocol/index.ts';
import type { CallbackRunner } from './callbacks/types.ts';
import { HandlerError } from './errors.ts';
import { parseBody, tokenOnlySchema } from './schemas.ts';
import type { ResolvedOptions } from './options.ts';
import type { SignContext } from './storage/types.ts';
import type { TokenSigner, UploadTokenPayload } from './token.ts';

/** Per-request state shared by the routes. */
export interface RouteContext {
  options: ResolvedOptions;
  signer: TokenSigner;
  runner: CallbackRunner | undefined;
  principal: string;
  /** The store builds its URLs from it (the local store serves them under the handler). */
  sign: SignContext;
}

/**
 * Verifies the upload token of a request body against the request's principal, before the rest
 * of the body is validated: without a valid token, a large malformed body costs no more than this.
 */
export function verifyToken(ctx: RouteContext, body: unknown): Promise<UploadTokenPayload> {
  const { token } = parseBody(tokenOnlySchema, body);
  return ctx.signer.verify(token, ctx.principal);
}

/** Throws invalid-digest unless the value is a well-formed base64 Content-MD5. */
export function checkContentMd5(value: string, where: string): void {
  if (!isContentMd5(value)) {
    throw new HandlerError(
      'invalid-digest',
      `${where}: Content-MD5 must be the base64 of 16 bytes`,
    );
  }
}

/** Throws part-number-out-of-range unless 1 <= partNumber <= the plan's partCount. */
export function checkPartNumber(upload: UploadTokenPayload, partNumber: number): void {
  if (partNumber < 1 || partNumber > upload.partCount) {
    throw new HandlerError(
      'part-number-out-of-range',
      `part number ${partNumber} is outside 1..${upload.partCount} of this upload`,
    );
  }
}

/** The exact size of a part in the upload's plan: partSize, except the last part (the remainder). */
export function expectedPartSize(upload: UploadTokenPayload, partNumber: number): number {
  const plan: PartPlan = {
    size: upload.size,
    partSize: upload.partSize,
    partCount: upload.partCount,
  };
  const { start, end } = partRange(plan, partNumber);
  return end - start;
}
