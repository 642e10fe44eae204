import { expect, test } from 'vitest';
import { lazyHasher } from '../../src/browser/lazy-hasher.ts';
import { FakeHasher } from './engine-fakes.ts';

test('builds its hasher on first use only, and warm() builds it ahead', async () => {
  const made: FakeHasher[] = [];
  const hasher = lazyHasher(() => {
    const h = new FakeHasher();
    made.push(h);
    return h;
  });
  expect(made).toHaveLength(0);
  hasher.warm!();
  expect(made).toHaveLength(1);
  const bytes = new Blob(['abcdef']);
  // MD5("cd"): the range reaches the hasher.
  expect((await hasher.md5(bytes, undefined, { start: 2, end: 4 })).hex).toBe(
    '6865aeb3a9ed28f9a79ec454b259e5d0',
  );
  expect(made).toHaveLength(1);
});

test('once destroyed, md5() rejects with AbortError and warm() starts no new hasher', async () => {
  let made = 0;
  const hasher = lazyHasher(() => {
    made++;
    return new FakeHasher();
  });
  await hasher.md5(new Blob(['x']));
  hasher.destroy();
  hasher.warm!();
  await expect(hasher.md5(new Blob(['x']))).rejects.toMatchObject({ name: 'AbortError' });
  expect(made).toBe(1);
});
