import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatPlural,
  formatSpeed,
} from '../../src/element/format.ts';
import { LOCALES, loadLocale, matchLocale, registerLocale } from '../../src/element/locale.ts';
import { defaultStrings, type PluralText, type UploadStrings } from '../../src/element/strings.ts';

type Leaf = string | PluralText;
const NESTED = new Set(['phases', 'errors', 'callbackReasons']);

/** Every text of a strings object by dotted key, in declaration order. */
function leaves(strings: UploadStrings): [string, Leaf][] {
  return Object.entries(strings).flatMap(([key, value]): [string, Leaf][] =>
    NESTED.has(key)
      ? Object.entries(value as Record<string, string>).map(([k, v]) => [`${key}.${k}`, v])
      : [[key, value as Leaf]],
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What is wrong with a translation, compared with the English strings (empty: nothing). */
function localeProblems(strings: UploadStrings, locale: string): string[] {
  const problems: string[] = [];
  const english = new Map(leaves(defaultStrings));
  const own = leaves(strings);
  const keys = own.map(([k]) => k);
  for (const key of english.keys()) if (!keys.includes(key)) problems.push(`missing ${key}`);
  for (const key of keys) if (!english.has(key)) problems.push(`unknown ${key}`);
  // Same order as strings.ts, so a key added to every file lands in the same place.
  const order = [...english.keys()].filter((k) => keys.includes(k));
  if (keys.filter((k) => english.has(k)).join() !== order.join())
    problems.push('key order differs');
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  for (const [key, value] of own) {
    const source = english.get(key);
    if (source === undefined) continue;
    const sourceText = typeof source === 'string' ? source : source.other;
    if (typeof value === 'string') {
      if (typeof source !== 'string') problems.push(`${key} is not plural`);
      else if (value === '' && source !== '') problems.push(`${key} is empty`);
      else if (placeholders(value).join() !== placeholders(source).join()) {
        problems.push(`${key} placeholders ${placeholders(value)} != ${placeholders(source)}`);
      }
      continue;
    }
    for (const category of categories) {
      if (!(category in value)) problems.push(`${key} lacks the plural form "${category}"`);
    }
    for (const [category, form] of Object.entries(value)) {
      // A form may leave {count} out (Arabic says "one upload" in words) but add nothing else.
      const extra = placeholders(form!).filter((p) => !placeholders(sourceText).includes(p));
      if (extra.length) problems.push(`${key}.${category} has unknown placeholders ${extra}`);
    }
  }
  return problems;
}

describe('the bundled locales', () => {
  it('has one module per locale in src/element/locales, each listed', () => {
    const files = readdirSync(join(import.meta.dirname, '../../src/element/locales'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(LOCALES.filter((l) => l !== 'en').sort());
  });

  it.each(LOCALES)(
    '%s translates every string, with its placeholders and plural forms',
    async (id) => {
      const strings = await loadLocale(id);
      expect(localeProblems(strings, id)).toEqual([]);
      if (id === 'en') return;
      // Translated, not copied: only a few texts may equal the English ("Pause", "{message}").
      const english = new Map(leaves(defaultStrings));
      const same = leaves(strings).filter(
        ([k, v]) => JSON.stringify(v) === JSON.stringify(english.get(k)),
      );
      expect(same.length).toBeLessThan(8);
    },
  );

  it('finds a missing key, a lost placeholder and a missing plural form (the check can fail)', () => {
    const broken = structuredClone(defaultStrings) as unknown as Record<string, unknown>;
    delete broken.dismiss;
    delete (broken.errors as Record<string, string>)['url-expired'];
    broken.cancelFile = 'Cancel';
    broken.pendingHeading = { other: '{count}' };
    // English has two plural forms; give the other counted texts Russian's four so only the above count.
    broken.rejectTooMany = { one: '{count}', few: '{count}', many: '{count}', other: '{count}' };
    expect(localeProblems(broken as unknown as UploadStrings, 'ru')).toEqual([
      'missing dismiss',
      'missing errors.url-expired',
      'cancelFile placeholders  != name',
      'pendingHeading lacks the plural form "few"',
      'pendingHeading lacks the plural form "many"',
      'pendingHeading lacks the plural form "one"',
    ]);
  });
});

describe('matchLocale', () => {
  it.each([
    ['en-US', 'en'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-TW', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['ja-JP', 'ja'],
    ['ko', 'ko'],
    ['de-CH', 'de'],
    ['fr-CA', 'fr'],
    ['es-419', 'es'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['RU', 'ru'],
    ['ar-EG', 'ar'],
    ['it', 'en'],
    ['', 'en'],
    ['en_US', 'en'],
  ])('%s -> %s', (tag, id) => {
    expect(matchLocale(tag)).toBe(id);
  });

  it('prefers a registered translation for its language', async () => {
    const italian = { ...defaultStrings, dropZone: 'Trascina qui i file o scegli i file' };
    registerLocale('it', italian);
    expect((await loadLocale('it-CH')).dropZone).toBe(italian.dropZone);
    expect((await loadLocale('de')).dropZone).toBe('Dateien hierher ziehen oder auswählen');
  });
});

/** ICU versions differ in the kind of space they put between number and unit: compare without it. */
const plain = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('locale formatting', () => {
  it('formats sizes and speeds in decimal units with the locale separators', () => {
    expect(formatBytes(11_534_336, 'en')).toBe('11.5 MB');
    expect(formatBytes(4_200_000, 'de')).toBe('4,2 MB');
    expect(formatBytes(999, 'en')).toBe('999 bytes');
    expect(plain(formatBytes(1_500_000_000, 'fr'))).toBe('1,5 Go');
    expect(formatSpeed(12_500_000, 'en')).toBe('12.5 MB/s');
    expect(plain(formatSpeed(12_500_000, 'ru'))).toBe('12,5 МБ/c');
  });

  it('formats percentages rounded down, never 100% before the end', () => {
    expect(formatPercent(0.999, 'en')).toBe('99%');
    expect(formatPercent(1, 'en')).toBe('100%');
    expect(plain(formatPercent(0.45, 'de'))).toBe('45 %');
  });

  it('formats the time left in two units at most', () => {
    expect(formatDuration(45, 'en')).toBe('45 sec');
    expect(formatDuration(200, 'en')).toBe('3 min 20 sec');
    expect(formatDuration(3900, 'zh-CN')).toBe('1小时5分钟');
    expect(formatDuration(200, 'ja')).toMatch(/^3\s?分\s?20\s?秒$/);
  });

  it('picks plural forms through Intl.PluralRules (Russian four, Arabic six)', async () => {
    const ru = (await loadLocale('ru')).pendingHeading;
    expect([1, 3, 5, 21].map((n) => formatPlural(ru, n, 'ru'))).toEqual([
      '1 незавершённая загрузка',
      '3 незавершённые загрузки',
      '5 незавершённых загрузок',
      '21 незавершённая загрузка',
    ]);
    const ar = (await loadLocale('ar')).pendingHeading;
    const forms = [0, 1, 2, 3, 11, 100].map((n) => formatPlural(ar, n, 'ar'));
    expect(new Set(forms).size).toBe(6);
    expect(forms[1]).toBe('عملية رفع واحدة غير مكتملة');
    expect(formatPlural(defaultStrings.pendingHeading, 1, 'en')).toBe('1 unfinished upload');
    expect(formatPlural(defaultStrings.pendingHeading, 1200, 'en')).toBe(
      '1,200 unfinished uploads',
    );
  });
});
