/**
 * Body templates, compiled once at configuration time. A value can never break out of its place:
 * form values are URL-encoded, and a JSON template is parsed as JSON and values are substituted
 * inside its string values only, so the output is always the same JSON shape as the template.
 */
import type { CallbackFacts } from './types.ts';

/** The variables every template may use; values come from the store's answers. */
export const BUILTIN_VARS = [
  'bucket',
  'object',
  'etag',
  'size',
  'mimeType',
  'uploadId',
  'parts',
  'contentMd5',
  'principal',
  'relativePath',
] as const;

/** The variables of the default bodies: relativePath only when a template asks for it. */
const DEFAULT_VARS = BUILTIN_VARS.filter((name) => name !== 'relativePath');

/** Variables a JSON string value holding only that variable renders as a number. */
const NUMERIC_VARS = new Set(['size', 'parts']);

type Segment = string | { name: string };
type JsonTemplate =
  | { kind: 'text'; segments: Segment[] }
  | { kind: 'array'; items: JsonTemplate[] }
  | { kind: 'object'; entries: [string, JsonTemplate][] }
  | { kind: 'literal'; value: null | boolean | number };

/** A template ready to render. */
export interface CompiledTemplate {
  contentType: string;
  render(values: Record<string, string>): string;
}

const DEFAULT_FORM = DEFAULT_VARS.map((name) => `${name}=\${${name}}`).join('&');
const DEFAULT_JSON = Object.fromEntries(DEFAULT_VARS.map((name) => [name, `\${${name}}`]));

/** Compiles a template; throws an Error naming the first unknown or malformed `${...}`. */
export function compileTemplate(
  bodyType: 'form' | 'json',
  body: string | object | undefined,
  allowedVars: ReadonlySet<string>,
): CompiledTemplate {
  if (bodyType === 'form') {
    if (body !== undefined && typeof body !== 'string')
      throw new Error('a form template is a string');
    const segments = parseSegments(body ?? DEFAULT_FORM, allowedVars);
    return {
      contentType: 'application/x-www-form-urlencoded',
      render: (values) =>
        segments
          .map((s) => (typeof s === 'string' ? s : encodeURIComponent(values[s.name] ?? '')))
          .join(''),
    };
  }
  let document: unknown;
  try {
    document = typeof body === 'string' ? JSON.parse(body) : (body ?? DEFAULT_JSON);
  } catch {
    throw new Error('a JSON template must be a valid JSON document');
  }
  const compiled = compileJson(document, allowedVars);
  return {
    contentType: 'application/json',
    render: (values) => JSON.stringify(renderJson(compiled, values)),
  };
}

/** The template values of an object's facts and the browser's `x:` variables. */
export function templateValues(
  facts: CallbackFacts,
  vars: Record<string, string>,
): Record<string, string> {
  const values: Record<string, string> = { ...vars };
  for (const name of BUILTIN_VARS) {
    const value = facts[name];
    values[name] = value === undefined ? '' : String(value);
  }
  return values;
}

function parseSegments(text: string, allowedVars: ReadonlySet<string>): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    segments.push(literal(text.slice(last, match.index)));
    const name = match[1]!;
    if (!(BUILTIN_VARS as readonly string[]).includes(name) && !allowedVars.has(name)) {
      const hint = name.startsWith('x:') ? ' (declare it in the target vars)' : '';
      throw new Error(`unknown variable \${${name}}${hint}`);
    }
    segments.push({ name });
    last = match.index + match[0].length;
  }
  segments.push(literal(text.slice(last)));
  return segments.filter((s) => s !== '');
}

function literal(text: string): string {
  if (text.includes('${')) throw new Error(`unclosed \${ in "${text}"`);
  return text;
}

function compileJson(value: unknown, allowedVars: ReadonlySet<string>): JsonTemplate {
  if (typeof value === 'string')
    return { kind: 'text', segments: parseSegments(value, allowedVars) };
  if (value === null || typeof value === 'boolean') return { kind: 'literal', value };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'literal', value };
  if (Array.isArray(value)) {
    return { kind: 'array', items: value.map((item) => compileJson(item, allowedVars)) };
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]): [string, JsonTemplate] => {
        if (key.includes('${')) throw new Error(`variables go in values, not in the key "${key}"`);
        return [key, compileJson(item, allowedVars)];
      },
    );
    return { kind: 'object', entries };
  }
  throw new Error(
    'a JSON template holds only strings, numbers, booleans, null, arrays and objects',
  );
}

function renderJson(template: JsonTemplate, values: Record<string, string>): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'array':
      return template.items.map((item) => renderJson(item, values));
    case 'object':
      return Object.fromEntries(template.entries.map(([k, v]) => [k, renderJson(v, values)]));
    case 'text': {
      const [only] = template.segments;
      if (
        template.segments.length === 1 &&
        typeof only === 'object' &&
        NUMERIC_VARS.has(only.name)
      ) {
        return Number(values[only.name]);
      }
      return template.segments
        .map((s) => (typeof s === 'string' ? s : (values[s.name] ?? '')))
        .join('');
    }
  }
}
