import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import {
  fileChoosers,
  holdParts,
  item,
  openElementPage,
  startElementEnv,
  storedMd5,
  recordedEvents,
  writeTestFile,
  type ElementEnv,
} from './element-fixture.ts';

const MiB = 1024 * 1024;
let env: ElementEnv;

beforeAll(async () => {
  env = await startElementEnv();
});
afterAll(async () => {
  await env?.close();
});

/** What has the keyboard focus inside the element: its label and whether the focus is visible. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector('resumable-upload')!;
    const active = document.activeElement === el ? el.shadowRoot!.activeElement : null;
    if (!active) return null;
    const style = getComputedStyle(active);
    return {
      label: active.getAttribute('aria-label') ?? active.textContent!.trim().replace(/\s+/g, ' '),
      part: active.getAttribute('part'),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

/** Presses Tab until the focused control's label matches (at most `max` presses). */
async function tabTo(page: Page, label: string | RegExp, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && (typeof label === 'string' ? f.label === label : label.test(f.label))) return;
  }
  throw new Error(`no control labelled ${String(label)} reached with Tab`);
}

describe('<resumable-upload> from the keyboard alone', () => {
  it('chooses, pauses, resumes and removes a file with Tab, Enter and Space, with a visible focus', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': '5MiB', concurrency: '1' });
    const choosers = fileChoosers(page);
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'keyboard.bin', 11 * MiB, 31);

    // The drop zone is a button in the tab order, and Enter opens the file chooser.
    await tabTo(page, /Drop files here or choose files/);
    expect(await focused(page)).toMatchObject({ part: 'drop-zone', outline: true });
    await page.keyboard.press('Enter');
    const chooser = await choosers.next();
    await chooser.setFiles([file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);

    // Pause with Space; the same button, still focused, now resumes.
    await tabTo(page, 'Pause keyboard.bin');
    expect(await focused(page)).toMatchObject({ outline: true });
    await page.keyboard.press('Space');
    await expect.poll(() => item(page, 'keyboard.bin').getAttribute('data-phase')).toBe('paused');
    expect(await focused(page)).toMatchObject({ label: 'Resume keyboard.bin', outline: true });
    await gate.open();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => item(page, 'keyboard.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    const success = (await recordedEvents(page)).find((e) => e.type === 'upload-success')!;
    expect(await storedMd5(env.storage, (success.detail.result as { key: string }).key)).toBe(
      file.md5,
    );

    // Remove it from the list, still from the keyboard.
    await tabTo(page, 'Remove keyboard.bin from the list');
    await page.keyboard.press('Enter');
    await expect.poll(() => item(page, 'keyboard.bin').count()).toBe(0);

    // Space on the drop zone opens the chooser too.
    await page.locator('input[name=title]').focus();
    await tabTo(page, /Drop files here/);
    await page.keyboard.press('Space');
    const again = await choosers.next();
    expect(again.isMultiple()).toBe(false);
    await page.close();
  });
});
