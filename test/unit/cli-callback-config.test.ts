// The callback settings of `npm start` (src/cli/config.ts): bad values name their variable.
import { describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/cli/config.ts';

describe('the CALLBACK_* variables of npm start', () => {
  it('reads the app target, the outbox interval and prefix', () => {
    const config = demoConfig({
      CALLBACK_URL: 'http://127.0.0.1:3000/hook',
      CALLBACK_SECRET: 'a-callback-secret-123',
      CALLBACK_ALLOW_PRIVATE: '1',
      CALLBACK_OUTBOX_INTERVAL: '250',
      CALLBACK_OUTBOX_PREFIX: 'outbox/',
    });
    expect(config).toMatchObject({
      appCallback: {
        url: 'http://127.0.0.1:3000/hook',
        secret: 'a-callback-secret-123',
        allowPrivate: true,
      },
      outboxInterval: 250,
      outboxPrefix: 'outbox/',
    });
    expect(demoConfig({})).toMatchObject({
      appCallback: undefined,
      outboxInterval: undefined,
      outboxPrefix: undefined,
    });
  });

  it('refuses CALLBACK_URL without a CALLBACK_SECRET of 16+ characters, and a bad interval', () => {
    expect(() => demoConfig({ CALLBACK_URL: 'http://h/x' })).toThrow(/CALLBACK_SECRET/);
    expect(() => demoConfig({ CALLBACK_URL: 'http://h/x', CALLBACK_SECRET: 'short' })).toThrow(
      TypeError,
    );
    for (const bad of ['soon', '5', '1.5']) {
      expect(() => demoConfig({ CALLBACK_OUTBOX_INTERVAL: bad })).toThrow(
        /CALLBACK_OUTBOX_INTERVAL/,
      );
    }
  });
});
