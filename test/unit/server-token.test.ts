import { describe, expect, it } from 'vitest';
import { HandlerError } from '../../src/server/errors.ts';
import { TokenSigner, type UploadTokenPayload } from '../../src/server/token.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const payload = (exp = Date.now() + 60_000): UploadTokenPayload => ({
  v: 1,
  mode: 'multipart',
  uploadId: 'up-1',
  key: 'uploads/x/a.bin',
  principal: 'alice',
  size: 20_000_000,
  partSize: 8 * 1024 * 1024,
  partCount: 3,
  contentType: 'application/octet-stream',
  exp,
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HandlerError);
  expect((error as HandlerError).code).toBe('invalid-token');
  expect((error as HandlerError).status).toBe(403);
  return (error as HandlerError).message;
}

describe('upload token', () => {
  it('verifies what it signed, for the same principal', async () => {
    const signer = new TokenSigner([SECRET]);
    const signed = payload();
    const token = await signer.sign(signed);
    expect(await signer.verify(token, 'alice')).toEqual(signed);
  });

  it('refuses a token signed with another secret (forged)', async () => {
    const forged = await new TokenSigner(['another-secret-of-thirty-two-chars!!']).sign(payload());
    expect(await refusal(new TokenSigner([SECRET]).verify(forged, 'alice'))).toMatch(/not valid/);
  });

  it('refuses a token whose payload was altered', async () => {
    const signer = new TokenSigner([SECRET]);
    const [, mac] = (await signer.sign(payload())).split('.');
    const bigger = { ...payload(), size: 1 };
    const body = Buffer.from(JSON.stringify(bigger)).toString('base64url');
    await refusal(signer.verify(`${body}.${mac}`, 'alice'));
  });

  it('refuses an expired token', async () => {
    const signer = new TokenSigner([SECRET]);
    const token = await signer.sign(payload(Date.now() - 1));
    expect(await refusal(signer.verify(token, 'alice'))).toMatch(/expired/);
  });

  it("refuses another user's token", async () => {
    const signer = new TokenSigner([SECRET]);
    const token = await signer.sign(payload());
    expect(await refusal(signer.verify(token, 'mallory'))).toMatch(/another user/);
  });

  it('refuses garbage', async () => {
    const signer = new TokenSigner([SECRET]);
    for (const token of ['', 'x', 'a.b.c', '!!!.???', `${'A'.repeat(10)}.${'B'.repeat(43)}`]) {
      await refusal(signer.verify(token, 'alice'));
    }
  });

  it('refuses a signature written with other spare bits in its last character', async () => {
    const signer = new TokenSigner([SECRET]);
    const token = await signer.sign(payload());
    const [body, mac] = token.split('.') as [string, string];
    // 32 bytes are 43 base64url characters: the last one carries 4 bits of the MAC and 2 spare bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac.at(-1)!);
    const siblings = [1, 2, 3].map((spare) => alphabet[(last & ~3) | spare]!);
    for (const sibling of siblings) {
      await refusal(signer.verify(`${body}.${mac.slice(0, -1)}${sibling}`, 'alice'));
    }
    expect((await signer.verify(token, 'alice')).key).toBe('uploads/x/a.bin');
  });

  it('still accepts tokens of a rotated-out secret listed after the new one', async () => {
    const old = await new TokenSigner([SECRET]).sign(payload());
    const rotated = new TokenSigner(['the-new-secret-of-thirty-two-characters', SECRET]);
    expect((await rotated.verify(old, 'alice')).key).toBe('uploads/x/a.bin');
  });
});
