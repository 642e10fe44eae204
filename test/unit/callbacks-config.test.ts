import { describe, expect, it } from 'vitest';
import {
  createCallbackRunner,
  type CallbackConfig,
  type CallbackTargetConfig,
} from '../../src/server/callbacks/index.ts';
import { isPrivateAddress } from '../../src/server/callbacks/address.ts';
import { resolveCallbackConfig } from '../../src/server/callbacks/config.ts';
import { HandlerError } from '../../src/server/errors.ts';

const SECRET = 'callback-secret-0123456789';

function withTarget(target: Partial<CallbackTargetConfig>, extra: Partial<CallbackConfig> = {}) {
  return () =>
    createCallbackRunner({
      targets: { app: { urls: 'https://app.example.com/cb', ...target } },
      secrets: [SECRET],
      ...extra,
    });
}

describe('callback configuration is checked at construction', () => {
  it.each<[string, Partial<CallbackTargetConfig>]>([
    ['an unknown variable', { body: 'a=${filename}' }],
    ['an undeclared x: variable', { body: 'a=${x:album}' }],
    ['an unclosed variable', { body: 'a=${bucket' }],
    ['a bad x: name', { vars: { 'x:Album': {} } }],
    ['a name without x:', { vars: { album: {} } }],
    ['a non-http URL', { urls: 'file:///etc/passwd' }],
    ['a URL with credentials', { urls: 'https://user:pw@app.example.com/' }],
    ['no URL', { urls: [] }],
    ['a bad body type', { bodyType: 'xml' as 'json' }],
    ['a JSON template that is not JSON', { bodyType: 'json', body: '{"a": ${size}}' }],
    ['a variable in a JSON key', { bodyType: 'json', body: '{"${bucket}": 1}' }],
    ['a zero timeout', { timeout: 0 }],
    ['a bad pattern', { vars: { 'x:a': { pattern: '(' } } }],
    ['a bad maxLength', { vars: { 'x:a': { maxLength: -1 } } }],
  ])('refuses %s with a TypeError', (_name, target) => {
    expect(withTarget(target)).toThrow(TypeError);
  });

  it('refuses missing, empty or short secrets and bad retry values', () => {
    expect(withTarget({}, { secrets: [] })).toThrow(TypeError);
    expect(withTarget({}, { secrets: ['short'] })).toThrow(TypeError);
    expect(withTarget({}, { retry: { attempts: -1 } })).toThrow(TypeError);
    expect(withTarget({}, { retry: { baseDelay: 10, maxDelay: 5 } })).toThrow(TypeError);
  });

  it('gives a target 5000 ms per URL attempt by default, and variables 1024 characters', () => {
    const { targets } = resolveCallbackConfig({
      targets: { app: { urls: 'https://app.example.com/cb', vars: { 'x:a': {} } } },
      secrets: SECRET,
    });
    expect(targets.get('app')).toMatchObject({ timeout: 5000 });
    expect(targets.get('app')?.vars.get('x:a')?.maxLength).toBe(1024);
  });

  it('accepts a good configuration, JSON templates given as objects included', () => {
    expect(
      withTarget({
        bodyType: 'json',
        body: { size: '${size}', x: ['${x:a}'] },
        vars: { 'x:a': {} },
      }),
    ).not.toThrow();
  });
});

describe('the browser choice is checked at create time', () => {
  const runner = createCallbackRunner({
    targets: {
      app: {
        urls: 'https://app.example.com/cb',
        body: 'album=${x:album}&n=${x:n}',
        vars: {
          'x:album': { maxLength: 20 },
          'x:n': { pattern: /\d+/ },
          'x:big': { maxLength: 6000 },
        },
      },
    },
    secrets: SECRET,
  });

  function refusal(choice: unknown): string {
    try {
      runner.validate(choice as { target: string });
    } catch (error) {
      expect(error).toBeInstanceOf(HandlerError);
      return (error as HandlerError).code;
    }
    return 'accepted';
  }

  it('accepts a configured target with declared variables', () => {
    expect(runner.validate({ target: 'app', vars: { 'x:album': 'Summer', 'x:n': '42' } })).toEqual({
      target: 'app',
      vars: { 'x:album': 'Summer', 'x:n': '42' },
    });
    expect(runner.validate({ target: 'app' })).toEqual({ target: 'app', vars: {} });
  });

  it('refuses an unknown target, inherited names included', () => {
    expect(refusal({ target: 'nope' })).toBe('unknown-callback-target');
    expect(refusal({ target: '__proto__' })).toBe('unknown-callback-target');
    expect(refusal({ target: 'https://evil.example.com/' })).toBe('unknown-callback-target');
  });

  it('refuses unknown, badly named, over-long, non-matching and non-string variables', () => {
    expect(refusal({ target: 'app', vars: { 'x:other': 'a' } })).toBe('invalid-callback-variable');
    expect(refusal({ target: 'app', vars: { 'X:album': 'a' } })).toBe('invalid-callback-variable');
    expect(refusal({ target: 'app', vars: { url: 'https://evil.example.com' } })).toBe(
      'invalid-callback-variable',
    );
    expect(refusal({ target: 'app', vars: { 'x:album': 'a'.repeat(21) } })).toBe(
      'invalid-callback-variable',
    );
    expect(refusal({ target: 'app', vars: { 'x:n': '42; drop' } })).toBe(
      'invalid-callback-variable',
    );
    expect(refusal({ target: 'app', vars: { 'x:n': 42 } })).toBe('invalid-callback-variable');
    expect(refusal({ target: 'app', vars: ['x:n'] })).toBe('invalid-callback-variable');
  });

  it('refuses variables over 5 KB in total', () => {
    expect(refusal({ target: 'app', vars: { 'x:big': 'a'.repeat(5000) } })).toBe('accepted');
    expect(refusal({ target: 'app', vars: { 'x:big': 'é'.repeat(3000) } })).toBe(
      'invalid-callback-variable',
    );
  });
});

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::10.0.0.1',
    // IPv4 embedded in IPv6, dotted or in hex (issue 11, finding 5):
    '64:ff9b::7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b:1::808:808',
    '64:ff9b:1:0a00:0100::',
    '::7f00:1',
    '::127.0.0.1',
    '::a00:1',
    '0:0:0:0:0:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '::ffff:0:7f00:1',
    '::ffff:0:c0a8:101',
    '2002:7f00:1::1',
    '2002:a00:1::',
    '2002:c0a8:101:1::1',
    'fe80::1%eth0',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '::ffff:0:808:808',
    '2002:808:808::1',
    '2a00:1450:4001:82a::200e',
  ])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
