import { ROUTES, knownCode } from '../protocol/index.ts';
import { EngineError, parseRetryAfter } from './errors.ts';
import type { BackendAdapter } from './types.ts';

/** Options of the JSON backend client. */
export interface BackendClientOptions {
  /** Base URL of the upload handler, e.g. '/api/upload'. */
  endpoint: string;
  /** Extra headers on every call (e.g. Authorization). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Give up on a call with no answer after this many ms (default 30 s); it counts as a network error and is retried. */
  timeout?: number;
}

/** The default BackendAdapter: `POST ${endpoint}/<route>` with JSON, errors read from `{error:{code,message}}`. */
export function createBackendClient(options: BackendClientOptions): BackendAdapter {
  const base = options.endpoint.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function call<T>(route: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${base}/${route}`;
    const request = { method: 'POST', url };
    // A handler that never answers must not hold the upload forever: time out, and let retries decide.
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), options.timeout ?? 30_000);
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      throw new EngineError('network', `${route}: no answer from the upload handler`, {
        request,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      // A 5xx without a code (a proxy's error page) is the store-unavailable the handler would answer.
      const known = knownCode(
        error?.code ?? (response.status >= 500 ? 'store-unavailable' : undefined),
        error?.message ?? `HTTP ${response.status}`,
      );
      throw new EngineError(known.code, `${route}: ${known.message}`, {
        status: response.status,
        request,
        body: text.slice(0, 2000),
        retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      });
    }
    if (json === undefined) {
      throw new EngineError('invalid-response', `${route}: the answer is not JSON`, {
        status: response.status,
        request,
      });
    }
    return json as T;
  }

  return {
    createUpload: (req, signal) => call(ROUTES.createUpload, req, signal),
    signParts: (req, signal) => call(ROUTES.signParts, req, signal),
    listParts: (req, signal) => call(ROUTES.listParts, req, signal),
    completeUpload: (req, signal) => call(ROUTES.completeUpload, req, signal),
    abortUpload: (req, signal) => call(ROUTES.abortUpload, req, signal),
  };
}
