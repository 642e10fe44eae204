/**
 * One delivery of a callback: renders the target's template from the store's facts, signs it with
 * the callback's id (the same `webhook-id` on every attempt, on every instance), and POSTs it to the
 * target's URLs in order until one answers well. Never throws: every failure is an outcome.
 */
import type { ResolvedCallbackConfig } from './config.ts';
import type { FailureReason, SendOutcome } from './send.ts';
import { templateValues } from './template.ts';
import type { CallbackChoice, CallbackFacts, PendingCallback } from './types.ts';

/** Sends callback `id` once (every URL in order); never throws. */
export async function deliver(
  config: ResolvedCallbackConfig,
  id: string,
  choice: CallbackChoice,
  facts: CallbackFacts,
): Promise<SendOutcome> {
  try {
    return await deliverOnce(config, id, choice, facts);
  } catch (error) {
    // send() never throws; this guards the template, since a delivery must not throw.
    return { ok: false, reason: 'unreachable', message: String((error as Error)?.message) };
  }
}

async function deliverOnce(
  config: ResolvedCallbackConfig,
  id: string,
  choice: CallbackChoice,
  facts: CallbackFacts,
): Promise<SendOutcome> {
  const target = config.targets.get(choice.target);
  if (!target) {
    return {
      ok: false,
      reason: 'unknown-target',
      message: `callback target "${choice.target}" is no longer configured`,
    };
  }
  // Loaded on first use: node:http and node:dns stay out of the handler's graph until a callback
  // is sent, so the handler still loads in edge runtimes that have no callbacks configured.
  const [{ send }, { signatureHeader }] = await Promise.all([
    import('./send.ts'),
    import('./signing.ts'),
  ]);
  const body = target.template.render(templateValues(facts, choice.vars));
  const failures: string[] = [];
  let outcome: SendOutcome | undefined;
  for (const url of target.urls) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    outcome = await send({
      url,
      host: target.host,
      body,
      timeout: target.timeout,
      allowPrivateAddresses: target.allowPrivateAddresses,
      headers: {
        'content-type': target.template.contentType,
        'user-agent': 'resumable-upload-callback/1',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signatureHeader(config.secrets[0]!, id, timestamp, body),
      },
    });
    if (outcome.ok) return outcome;
    failures.push(outcome.message);
  }
  // Several URLs: the reason and status are the last URL's, the message tells every URL's story.
  return { ...outcome!, message: failures.join('; ') } as SendOutcome;
}

/** The longest one delivery may take (every URL timing out), so a lease outlives it. */
export function longestDelivery(config: ResolvedCallbackConfig): number {
  let longest = 0;
  for (const target of config.targets.values()) {
    longest = Math.max(longest, target.timeout * target.urls.length);
  }
  return longest;
}

const PUBLIC_MESSAGES: Record<FailureReason | 'not-queued', string> = {
  unreachable: 'the callback target could not be reached',
  timeout: 'the callback target did not answer in time',
  'http-status': 'the callback target answered with an error status',
  'not-json': 'the callback target answered with a body that is not JSON',
  'too-large': 'the callback target answered more than 1 MB',
  redirect: 'the callback target answered a redirect, which is not followed',
  'refused-address': 'the callback target resolves to an address it may not reach',
  'unknown-target': 'the callback target is no longer configured',
  'not-queued': 'the callback failed and could not be queued for retry',
};

/** The failure as the browser may read it: no host names or addresses (pending() keeps those). */
export function publicMessage(error: PendingCallback['lastError']): string {
  const message = PUBLIC_MESSAGES[error.reason as FailureReason] ?? 'the callback failed';
  return error.httpStatus === undefined ? message : `${message} (HTTP ${error.httpStatus})`;
}
