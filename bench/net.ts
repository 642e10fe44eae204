import type { CDPSession, Page } from 'playwright';

/** An emulated link: round-trip latency added to every request, and the upload rate. */
export interface NetLink {
  latencyMs: number;
  mbit: number;
}

/** Parses `--net=LATENCY_MS:MBIT` (e.g. `40:400`); undefined when absent; a TypeError names a bad value. */
export function parseNet(value: string | undefined): NetLink | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(value.trim());
  const latencyMs = Number(match?.[1]);
  const mbit = Number(match?.[2]);
  if (!match || !(mbit > 0) || !(latencyMs >= 0))
    throw new TypeError(`bench: --net=LATENCY_MS:MBIT (e.g. --net=40:400), got ${value}`);
  return { latencyMs, mbit };
}

/** The CDP parameters of Network.emulateNetworkConditions for `link`: only uploads are throttled. */
export function networkConditions(link: NetLink): {
  offline: false;
  latency: number;
  downloadThroughput: number;
  uploadThroughput: number;
} {
  return {
    offline: false,
    latency: link.latencyMs,
    downloadThroughput: -1,
    uploadThroughput: (link.mbit * 1e6) / 8,
  };
}

/**
 * Throttles `page`'s requests (its XHR and fetch PUTs) like `link` until the returned session is detached:
 * Chromium drops the conditions with the session that set them.
 */
export async function emulateLink(page: Page, link: NetLink): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', networkConditions(link));
  return cdp;
}
