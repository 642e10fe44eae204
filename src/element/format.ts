// Sizes, speeds, percentages and durations for people, in the element's locale, through Intl.
// Units are decimal (1 kB = 1,000 bytes), as file managers and browsers show sizes and as
// Intl's own byte units count; the attributes still accept binary units (`16MiB`).
import type { PluralText } from './strings.ts';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
const formats = new Map<string, Intl.NumberFormat>();
const lists = new Map<string, Intl.ListFormat>();

/** One cached NumberFormat per locale and options (they are costly to build, and render runs often). */
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions) {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** The value and unit of a byte count: the largest decimal unit under 1,000 of it, 3 digits shown. */
function scale(bytes: number): { value: number; unit: string; digits: number } {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return { value, unit: UNITS[unit]!, digits: unit === 0 || value >= 100 ? 0 : 1 };
}

/** Byte counts for people: "4.2 MB", "4,2 Mo", "4.2 kB", "10 bytes". */
export function formatBytes(bytes: number, locale?: string): string {
  const { value, unit, digits } = scale(bytes);
  return numberFormat(locale, {
    style: 'unit',
    unit,
    // Under 1 kB the long form: CLDR's short English byte is "10 byte"; the long one is "10 bytes".
    unitDisplay: unit === 'byte' ? 'long' : 'short',
    maximumFractionDigits: digits,
  }).format(value);
}

/** A speed in bytes per second for people: "12.5 MB/s", "12,5 Mo/s". */
export function formatSpeed(bytesPerSecond: number, locale?: string): string {
  const { value, unit, digits } = scale(bytesPerSecond);
  return numberFormat(locale, {
    style: 'unit',
    unit: `${unit}-per-second`,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(value);
}

/** A fraction 0..1 as a whole percentage, rounded down (never "100%" before the end): "45%", "45 %". */
export function formatPercent(fraction: number, locale?: string): string {
  const whole = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(whole / 100);
}

/** A plain number in the locale's digits and separators. */
export function formatNumber(value: number, locale?: string): string {
  return numberFormat(locale, {}).format(value);
}

/**
 * A duration in seconds for people, two units at most: "45 sec", "3 min 20 sec", "1 hr, 5 min",
 * "3分钟20秒". Unit amounts through NumberFormat, joined as a unit list (what Intl.DurationFormat
 * does, which older browsers lack); RelativeTimeFormat would say "in 3 minutes", a moment rather
 * than the time left, and with one unit only.
 */
export function formatDuration(seconds: number, locale?: string): string {
  const s = Math.max(0, Math.round(seconds));
  const unit = (value: number, name: string) =>
    numberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const parts =
    s < 60
      ? [unit(s, 'second')]
      : s < 3600
        ? [unit(Math.floor(s / 60), 'minute'), unit(s % 60, 'second')]
        : [unit(Math.floor(s / 3600), 'hour'), unit(Math.floor(s / 60) % 60, 'minute')];
  const key = locale ?? '';
  let list = lists.get(key);
  if (!list)
    lists.set(key, (list = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' })));
  return list.format(parts);
}

/**
 * The form of a counted text for `count` in `locale` (Intl.PluralRules: Arabic has six forms,
 * Russian four), `{count}` filled in with the locale's digits; a plain string is used as it is.
 */
export function formatPlural(text: string | PluralText, count: number, locale?: string): string {
  const form =
    typeof text === 'string'
      ? text
      : (text[new Intl.PluralRules(locale).select(count)] ?? text.other);
  return form.replace(/\{count\}/g, formatNumber(count, locale));
}
