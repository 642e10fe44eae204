/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,` + base64 of
 * HMAC-SHA256(secret, `${id}.${timestamp}.${body}`). A secret written `whsec_<base64>` is used as
 * its decoded bytes (secretKey, shared with verifyCallback), so Standard Webhooks verifiers accept
 * our calls.
 */
import { createHmac } from 'node:crypto';
import { secretKey } from './secret.ts';

/** The raw HMAC-SHA256 of one message. */
export function signatureBytes(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
): Buffer {
  return createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest();
}

/** The `webhook-signature` header value for one message, signed with the first secret. */
export function signatureHeader(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
): string {
  return `v1,${signatureBytes(secret, id, timestamp, body).toString('base64')}`;
}
