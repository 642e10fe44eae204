/**
 * The demo's own callback receiver (DEMO_CALLBACK=1): a callback target named `demo` that posts to
 * `/demo/callback` on the demo server itself, which verifies the signature and answers with what it
 * received, so the demo shows the whole OSS-style callback round trip without another server.
 */
import { verifyCallback, type CallbackConfig, type StorageAdapter } from '../server/index.ts';
import type { DemoConfig } from './config.ts';

/** Path of the receiver on the demo server. */
export const DEMO_CALLBACK_PATH = '/demo/callback';

/** The callbacks option of the demo handler: target `demo` with one optional `x:note` variable. */
export function demoCallbackConfig(serverUrl: string, secret: string): CallbackConfig {
  return {
    secrets: secret,
    targets: {
      demo: {
        urls: `${serverUrl}${DEMO_CALLBACK_PATH}`,
        bodyType: 'json',
        body: {
          bucket: '${bucket}',
          object: '${object}',
          size: '${size}',
          etag: '${etag}',
          mimeType: '${mimeType}',
          note: '${x:note}',
        },
        vars: { 'x:note': { maxLength: 200 } },
        // The receiver is this very server on 127.0.0.1.
        allowPrivateAddresses: true,
      },
    },
  };
}

/** Answers a callback: 200 with the verified payload, or 401 when the signature does not verify. */
export async function receiveDemoCallback(request: Request, secret: string): Promise<Response> {
  try {
    const { payload } = await verifyCallback(request, secret);
    return Response.json({ received: true, payload });
  } catch (error) {
    return Response.json({ received: false, error: (error as Error).message }, { status: 401 });
  }
}

/**
 * The callbacks option of `npm start`: target `demo` (DEMO_CALLBACK), target `app` (CALLBACK_URL),
 * both signed with one secret (CALLBACK_SECRET, else one derived from the token secret), and the
 * store's outbox (CALLBACK_OUTBOX_PREFIX, CALLBACK_OUTBOX_INTERVAL); undefined when neither is set.
 */
export function serverCallbacks(
  config: DemoConfig,
  storage: StorageAdapter,
  serverUrl: string,
): { callbacks: CallbackConfig | undefined; secret: string } {
  const secret = config.appCallback?.secret ?? `${config.tokenSecret}:demo-callback`;
  if (!config.demoCallback && !config.appCallback) return { callbacks: undefined, secret };
  const callbacks: CallbackConfig = { secrets: secret, targets: {} };
  if (config.demoCallback) {
    callbacks.targets = { ...demoCallbackConfig(serverUrl, secret).targets };
  }
  if (config.appCallback) {
    // No body: every built-in variable, as JSON.
    callbacks.targets.app = {
      urls: config.appCallback.url,
      bodyType: 'json',
      allowPrivateAddresses: config.appCallback.allowPrivate,
    };
  }
  if (config.outboxInterval !== undefined) callbacks.deliveryInterval = config.outboxInterval;
  if (config.outboxPrefix !== undefined && storage.callbackOutbox) {
    callbacks.outbox = storage.callbackOutbox(config.outboxPrefix);
  }
  return { callbacks, secret };
}
