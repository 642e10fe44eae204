/**
 * Zod schemas of the request bodies (src/protocol/api.ts). They check shapes and types only;
 * range checks with their own error codes (sizes, part numbers, digests) live in the routes.
 */
import { z } from 'zod';
import { MAX_PARTS, MAX_SIGN_BATCH } from '../protocol/index.ts';
import { HandlerError } from './errors.ts';

// Large enough for any real name (the key keeps 200 bytes of it), small enough to bound the work.
const MAX_RAW_FILE_NAME = 4096;
// S3 limits user-defined metadata to 2 KB in all.
const MAX_METADATA_BYTES = 2048;

// Not z.int(): that also refuses unsafe integers, and a 1e300-byte file is too large, not malformed.
const integer = z.number().refine(Number.isInteger, 'expected an integer');
// Room for the largest token create can sign (5 KB of callback vars, 2 KB of metadata, a 1 KB key).
const token = z
  .string()
  .min(1)
  .max(64 * 1024);

const metadata = z
  .record(
    // Metadata travels as x-amz-meta-* headers: names must be header tokens, values printable ASCII.
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'metadata names are [A-Za-z0-9_-], 1..64'),
    z.string().regex(/^[\x20-\x7e]*$/, 'metadata values are printable ASCII (encode others)'),
  )
  .refine((record) => JSON.stringify(record).length <= MAX_METADATA_BYTES, 'metadata is over 2 KB');

// Types only: the target's name, the x: name pattern, each target's maxLength and the 5 KB total
// are the callback runner's checks (invalid-callback-variable), so one place decides them all.
// Strict: the browser names a target and its variables, never a URL, host, template or body type.
const callbackChoice = z.strictObject(
  { target: z.string(), vars: z.record(z.string(), z.string()).optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `only target and vars may be set, the server configures the rest (got ${issue.keys.join(', ')})`
        : undefined,
  },
);

/** POST create. */
export const createUploadSchema = z.object({
  fileName: z.string().max(MAX_RAW_FILE_NAME),
  size: integer,
  contentType: z.string().max(255),
  partSize: integer.optional(),
  metadata: metadata.optional(),
  contentMd5: z.string().max(64).optional(),
  firstPart: z.object({ size: integer, contentMd5: z.string().max(64) }).optional(),
  relativePath: z.string().max(MAX_RAW_FILE_NAME).optional(),
  callback: callbackChoice.optional(),
});

/** POST sign-parts. */
export const signPartsSchema = z.object({
  token,
  parts: z
    .array(z.object({ partNumber: integer, size: integer, contentMd5: z.string().max(64) }))
    .min(1)
    .max(MAX_SIGN_BATCH),
});

/** POST list-parts and abort. */
export const tokenOnlySchema = z.object({ token });

/** POST complete. */
export const completeUploadSchema = z.object({
  token,
  parts: z
    .array(z.object({ partNumber: integer, etag: z.string().min(1).max(128) }))
    .min(1)
    .max(MAX_PARTS),
});

// A complete of 10,000 malformed parts has 20,000 issues (2 MB of JSON): the first few say enough.
const MAX_DETAILS = 20;

/**
 * Parses a body against a schema; throws HandlerError('invalid-request') naming the first bad field,
 * with the first MAX_DETAILS issues as details.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { issues } = result.error;
  const issue = issues[0]!;
  const path = issue.path.length ? issue.path.map(String).join('.') : 'body';
  const more = issues.length > MAX_DETAILS ? ` (${issues.length} problems in all)` : '';
  throw new HandlerError('invalid-request', `${path}: ${issue.message}${more}`, {
    details: issues
      .slice(0, MAX_DETAILS)
      .map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}
