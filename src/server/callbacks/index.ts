/** Upload callbacks to the application's server, as Alibaba OSS and UCloud US3 offer them. */
export { createCallbackRunner, type RunnerDefaults } from './runner.ts';
export { createMemoryOutbox, MAX_MEMORY_ENTRIES } from './outbox-memory.ts';
export type { CallbackOutbox, ClaimRequest, OutboxEntry } from './outbox.ts';
export type {
  CallbackConfig,
  CallbackRetryConfig,
  CallbackTargetConfig,
  CallbackVarConfig,
} from './config.ts';
export { MAX_VARS_BYTES } from './choice.ts';
// Type only: send.ts (node:http, node:dns) loads when the first callback is sent.
export type { FailureReason } from './send.ts';
export { BUILTIN_VARS } from './template.ts';
export {
  CallbackVerificationError,
  verifyCallback,
  verifyCallbackNode,
  type CallbackVerificationCode,
  type VerifiedCallback,
  type VerifyOptions,
} from './verify.ts';
export type {
  CallbackChoice,
  CallbackFacts,
  CallbackRunner,
  PendingCallback,
  RetryingCallbackRunner,
} from './types.ts';
