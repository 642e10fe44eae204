/**
 * The browser's callback choice, checked at create time: it may name a configured target and set
 * the `x:` variables that target declares, nothing else (never a URL, host, template or body type).
 */
import { HandlerError } from '../errors.ts';
import { isWellFormed } from '../keys.ts';
import { VAR_NAME, type ResolvedCallbackConfig } from './config.ts';
import type { CallbackChoice } from './types.ts';

/** Total size of the `x:` names and values in UTF-8 bytes, as OSS limits callback-var. */
export const MAX_VARS_BYTES = 5 * 1024;

const encoder = new TextEncoder();

/** Returns the validated choice, or throws unknown-callback-target / invalid-callback-variable. */
export function validateChoice(
  config: ResolvedCallbackConfig,
  choice: { target: string; vars?: Record<string, string> },
): CallbackChoice {
  const targetName = choice?.target;
  const target = typeof targetName === 'string' ? config.targets.get(targetName) : undefined;
  if (!target) {
    throw new HandlerError(
      'unknown-callback-target',
      `callback target "${String(targetName)}" is not configured`,
    );
  }
  const raw: unknown = choice.vars ?? {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid('callback vars must be an object of strings');
  }
  const vars: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(raw)) {
    if (!VAR_NAME.test(name)) {
      throw invalid(
        `callback variable "${name}" must be x: followed by lowercase letters, digits or _`,
      );
    }
    const spec = target.vars.get(name);
    if (!spec) throw invalid(`callback target "${target.name}" does not accept "${name}"`);
    if (typeof value !== 'string') throw invalid(`callback variable "${name}" must be a string`);
    // A lone surrogate has no UTF-8 form: the form template's encodeURIComponent would throw.
    if (!isWellFormed(value)) {
      throw invalid(`callback variable "${name}" is not well-formed Unicode`);
    }
    if (value.length > spec.maxLength) {
      throw invalid(`callback variable "${name}" is longer than ${spec.maxLength} characters`);
    }
    if (spec.pattern && !spec.pattern.test(value)) {
      throw invalid(`callback variable "${name}" does not match its pattern`);
    }
    bytes += encoder.encode(name).length + encoder.encode(value).length;
    vars[name] = value;
  }
  if (bytes > MAX_VARS_BYTES) {
    throw invalid(`callback variables take ${bytes} bytes; at most ${MAX_VARS_BYTES} are allowed`);
  }
  return { target: target.name, vars };
}

function invalid(message: string): HandlerError {
  return new HandlerError('invalid-callback-variable', message);
}
