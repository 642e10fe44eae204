/**
 * Callback configuration as the application writes it, and its checks: every bad value throws a
 * TypeError when the handler is built, never when the first upload completes.
 */
import type { CallbackOutbox } from './outbox.ts';
import { secretKey } from './secret.ts';
import { compileTemplate, type CompiledTemplate } from './template.ts';
import type { PendingCallback } from './types.ts';

/** One `x:` variable the browser may set for a target. */
export interface CallbackVarConfig {
  /** The whole value must match (the pattern is anchored for you); default: anything. */
  pattern?: RegExp | string;
  /** Longest value in characters; default 1024. */
  maxLength?: number;
}

/** A named destination of callbacks, configured on the server only. */
export interface CallbackTargetConfig {
  /** http(s) URL, or several tried in order until one succeeds (as OSS does). */
  urls: string | readonly string[];
  /** Host header to send instead of the URL's host (TLS still verifies the URL's host name). */
  host?: string;
  /**
   * Body template. Form: `a=${bucket}&b=${x:name}` (values URL-encoded). JSON: a JSON document
   * (string or value) whose string values may hold `${...}` (values substituted inside strings).
   * Default: every built-in variable.
   */
  body?: string | object;
  /** `form` (application/x-www-form-urlencoded, the default) or `json` (application/json). */
  bodyType?: 'form' | 'json';
  /** The `x:` variables the browser may pass for this target. */
  vars?: Record<string, CallbackVarConfig>;
  /** Milliseconds per URL attempt (connect, send, answer); default 5000. */
  timeout?: number;
  /** Allow loopback, private, link-local and ULA addresses (tests, local development); default false. */
  allowPrivateAddresses?: boolean;
}

/** Background retries of failed callbacks: delay doubles from baseDelay up to maxDelay. */
export interface CallbackRetryConfig {
  /** Background attempts after the first failure; default 6 (0 disables background retry). */
  attempts?: number;
  /** Milliseconds before the first background attempt; default 2000. */
  baseDelay?: number;
  /** Longest wait between attempts in milliseconds; default 300000 (5 minutes). */
  maxDelay?: number;
}

/** Server-side callback configuration: named targets and signing secrets. */
export interface CallbackConfig {
  targets: Record<string, CallbackTargetConfig>;
  /** Signing secrets: the first signs, every one is accepted by verifyCallback (rotation). */
  secrets: string | readonly string[];
  retry?: CallbackRetryConfig;
  /** Where failed callbacks wait: default the store's outbox (`storage.callbackOutbox()`), else memory. */
  outbox?: CallbackOutbox;
  /** Milliseconds between delivery rounds over the outbox, on every instance; default 5000. */
  deliveryInterval?: number;
  /** Called after every failed attempt (of this instance), e.g. to alert. */
  onFailure?: (entry: PendingCallback) => void;
  /** Called when a queued callback finally succeeds (on the instance that delivered it). */
  onSuccess?: (entry: PendingCallback) => void;
}

/** A target after checks, with its template compiled. */
export interface ResolvedTarget {
  name: string;
  urls: URL[];
  host: string | undefined;
  template: CompiledTemplate;
  vars: Map<string, { pattern: RegExp | undefined; maxLength: number }>;
  timeout: number;
  allowPrivateAddresses: boolean;
}

/** The configuration after checks. */
export interface ResolvedCallbackConfig {
  targets: Map<string, ResolvedTarget>;
  secrets: string[];
  retry: Required<CallbackRetryConfig>;
  outbox: CallbackOutbox | undefined;
  deliveryInterval: number;
  onFailure: CallbackConfig['onFailure'];
  onSuccess: CallbackConfig['onSuccess'];
}

/** `x:` + lowercase letters, digits and underscore, as the issue (and OSS) name custom variables. */
export const VAR_NAME = /^x:[a-z0-9_]+$/;
const DEFAULT_MAX_LENGTH = 1024;
const MIN_SECRET_LENGTH = 16;

/** Checks a callback configuration and fills in defaults; throws a TypeError on any bad value. */
export function resolveCallbackConfig(config: CallbackConfig): ResolvedCallbackConfig {
  if (!config || typeof config !== 'object') {
    throw new TypeError('callbacks must be an object with targets and secrets');
  }
  const secrets = typeof config.secrets === 'string' ? [config.secrets] : config.secrets;
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new TypeError('callbacks.secrets must be a non-empty list of strings');
  }
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new TypeError(`callbacks.secrets: every secret needs ${MIN_SECRET_LENGTH}+ characters`);
    }
    // The same decoding the signer and verifyCallback use, so a bad whsec_ fails here, not later.
    try {
      secretKey(secret);
    } catch (error) {
      throw new TypeError(`callbacks.secrets: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!config.targets || typeof config.targets !== 'object') {
    throw new TypeError('callbacks.targets must be an object of named targets');
  }
  const targets = new Map<string, ResolvedTarget>();
  for (const [name, target] of Object.entries(config.targets)) {
    targets.set(name, resolveTarget(name, target));
  }
  for (const hook of ['onFailure', 'onSuccess'] as const) {
    if (config[hook] !== undefined && typeof config[hook] !== 'function') {
      throw new TypeError(`callbacks.${hook} must be a function`);
    }
  }
  return {
    targets,
    secrets: [...secrets],
    retry: resolveRetry(config.retry),
    outbox: resolveOutbox(config.outbox),
    deliveryInterval: resolveInterval(config.deliveryInterval),
    onFailure: config.onFailure,
    onSuccess: config.onSuccess,
  };
}

function resolveTarget(name: string, target: CallbackTargetConfig): ResolvedTarget {
  const where = `callbacks.targets.${name}`;
  if (!target || typeof target !== 'object') throw new TypeError(`${where} must be an object`);
  const rawUrls = typeof target.urls === 'string' ? [target.urls] : target.urls;
  if (!Array.isArray(rawUrls) || rawUrls.length === 0) {
    throw new TypeError(`${where}.urls must be a URL or a non-empty list of URLs`);
  }
  const urls = rawUrls.map((raw: unknown) => parseUrl(where, raw));
  if (
    target.host !== undefined &&
    (typeof target.host !== 'string' || !/^[^\s/@]+$/.test(target.host))
  ) {
    throw new TypeError(`${where}.host must be a host name (with an optional port)`);
  }
  const bodyType = target.bodyType ?? 'form';
  if (bodyType !== 'form' && bodyType !== 'json') {
    throw new TypeError(`${where}.bodyType must be 'form' or 'json'`);
  }
  const vars = resolveVars(where, target.vars ?? {});
  const timeout = target.timeout ?? 5000;
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new TypeError(`${where}.timeout must be a positive number of milliseconds`);
  }
  const allow = target.allowPrivateAddresses ?? false;
  if (typeof allow !== 'boolean')
    throw new TypeError(`${where}.allowPrivateAddresses must be a boolean`);
  let template: CompiledTemplate;
  try {
    template = compileTemplate(bodyType, target.body, new Set(vars.keys()));
  } catch (error) {
    throw new TypeError(`${where}.body: ${(error as Error).message}`, { cause: error });
  }
  return { name, urls, host: target.host, template, vars, timeout, allowPrivateAddresses: allow };
}

function parseUrl(where: string, raw: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new TypeError(`${where}.urls: "${String(raw)}" is not a URL`);
  }
  if (typeof raw !== 'string' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`${where}.urls: "${String(raw)}" must be an http(s) URL`);
  }
  // Credentials in a URL would be sent as-is to whoever answers; configure them in the body instead.
  if (url.username || url.password) {
    throw new TypeError(`${where}.urls: "${url.host}" must not carry credentials`);
  }
  return url;
}

function resolveVars(
  where: string,
  vars: Record<string, CallbackVarConfig>,
): ResolvedTarget['vars'] {
  if (!vars || typeof vars !== 'object') throw new TypeError(`${where}.vars must be an object`);
  const resolved: ResolvedTarget['vars'] = new Map();
  for (const [name, spec] of Object.entries(vars)) {
    if (!VAR_NAME.test(name)) {
      throw new TypeError(`${where}.vars: "${name}" must be x: followed by [a-z0-9_]`);
    }
    if (!spec || typeof spec !== 'object')
      throw new TypeError(`${where}.vars.${name} must be an object`);
    const maxLength = spec.maxLength ?? DEFAULT_MAX_LENGTH;
    if (!Number.isInteger(maxLength) || maxLength <= 0) {
      throw new TypeError(`${where}.vars.${name}.maxLength must be a positive integer`);
    }
    resolved.set(name, { pattern: anchored(`${where}.vars.${name}`, spec.pattern), maxLength });
  }
  return resolved;
}

/** Patterns must match the whole value, so `[a-z]+` cannot be satisfied by `a<script>`. */
function anchored(where: string, pattern: RegExp | string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  if (pattern instanceof RegExp) {
    return new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  }
  if (typeof pattern !== 'string')
    throw new TypeError(`${where}.pattern must be a RegExp or string`);
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    throw new TypeError(`${where}.pattern is not a valid regular expression`);
  }
}

function resolveRetry(retry: CallbackRetryConfig | undefined): Required<CallbackRetryConfig> {
  const resolved = { attempts: 6, baseDelay: 2000, maxDelay: 300_000, ...retry };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new TypeError(`callbacks.retry.${key} must be a non-negative integer`);
    }
  }
  if (resolved.maxDelay < resolved.baseDelay) {
    throw new TypeError('callbacks.retry.maxDelay must not be below baseDelay');
  }
  return resolved;
}

const OUTBOX_METHODS = ['add', 'claim', 'delivered', 'reschedule', 'list', 'remove'] as const;

function resolveOutbox(outbox: CallbackOutbox | undefined): CallbackOutbox | undefined {
  if (outbox === undefined) return undefined;
  if (!outbox || OUTBOX_METHODS.some((m) => typeof outbox[m] !== 'function')) {
    throw new TypeError(`callbacks.outbox must be a CallbackOutbox (${OUTBOX_METHODS.join(', ')})`);
  }
  return outbox;
}

function resolveInterval(interval: number | undefined): number {
  if (interval === undefined) return 5000;
  // setInterval's limit is 2^31-1 ms; below 10 ms a round would never finish before the next.
  if (!Number.isInteger(interval) || interval < 10 || interval > 2 ** 31 - 1) {
    throw new TypeError(
      'callbacks.deliveryInterval must be an integer of milliseconds, 10 or more',
    );
  }
  return interval;
}
