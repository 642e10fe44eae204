// The element's language: its own `lang`, else the nearest ancestor's (across shadow roots), else
// the document's; the bundled translations are loaded on first use (one small module each).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { defaultStrings, type UploadStrings } from './strings.ts';

/** The bundled locales. */
export const LOCALES = [
  'en',
  'zh-CN',
  'zh-TW',
  'ja',
  'ko',
  'de',
  'fr',
  'es',
  'pt-BR',
  'ru',
  'ar',
] as const;

/** A bundled locale's tag. */
export type LocaleId = (typeof LOCALES)[number];

// Each an import() of its own, so a bundler (and the CDN build) makes one chunk per locale that is
// only fetched when an element needs it. English is the strings' own defaults, always there.
const loaders: Record<LocaleId, () => Promise<{ default: UploadStrings }>> = {
  en: () => Promise.resolve({ default: defaultStrings }),
  'zh-CN': () => import('./locales/zh-CN.ts'),
  'zh-TW': () => import('./locales/zh-TW.ts'),
  ja: () => import('./locales/ja.ts'),
  ko: () => import('./locales/ko.ts'),
  de: () => import('./locales/de.ts'),
  fr: () => import('./locales/fr.ts'),
  es: () => import('./locales/es.ts'),
  'pt-BR': () => import('./locales/pt-BR.ts'),
  ru: () => import('./locales/ru.ts'),
  ar: () => import('./locales/ar.ts'),
};

const loaded = new Map<string, Promise<UploadStrings>>();
const registered = new Map<string, UploadStrings>();

/**
 * Adds (or replaces) a translation for a language the package does not bundle, e.g.
 * `registerLocale('it', { ...defaultStrings, dropZone: '…' })`; elements whose `lang` is `it`
 * (or `it-CH`) use it from their next language change or connection.
 */
export function registerLocale(tag: string, strings: UploadStrings): void {
  registered.set(tag.toLowerCase(), strings);
  loaded.clear();
}

/**
 * The bundled locale for a BCP 47 tag: Chinese by script (zh-HK and zh-Hant are Traditional,
 * zh and zh-SG Simplified), every Portuguese as pt-BR, others by language; English for the rest.
 */
export function matchLocale(tag: string): LocaleId {
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(tag.trim()).maximize();
  } catch {
    return 'en'; // empty or malformed (`lang="en_US"`)
  }
  const language = locale.language;
  if (language === 'zh') return locale.script === 'Hant' ? 'zh-TW' : 'zh-CN';
  if (language === 'pt') return 'pt-BR';
  return (LOCALES as readonly string[]).includes(language) ? (language as LocaleId) : 'en';
}

/** The strings of a language tag: a registered translation, else the bundled locale that matches. */
export function loadLocale(tag: string): Promise<UploadStrings> {
  const lower = tag.trim().toLowerCase();
  const own = registered.get(lower) ?? registered.get(lower.split('-')[0]!);
  if (own) return Promise.resolve(own);
  const id = matchLocale(tag);
  let strings = loaded.get(id);
  if (!strings) {
    strings = loaders[id]().then((m) => m.default);
    // A failed chunk (offline) is tried again by the next element that asks.
    strings.catch(() => loaded.delete(id));
    loaded.set(id, strings);
  }
  return strings;
}

/** The language that applies to `element`: its own `lang`, an ancestor's (across shadow roots), or ''. */
export function inheritedLang(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const found = node.closest('[lang]');
    if (found) return found.getAttribute('lang') ?? '';
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return '';
}

/** A tag Intl accepts for formatting: the page's own (de-CH keeps its separators), else the locale's. */
function formattingLocale(tag: string, fallback: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? fallback;
  } catch {
    return fallback;
  }
}

const controllers = new Set<LocaleController>();
let observer: MutationObserver | undefined;

/** One observer for every element: `lang` changes are rare, and each element compares one string. */
function observe(target: Node): void {
  observer ??= new MutationObserver(() => {
    for (const controller of controllers) controller.refresh();
  });
  observer.observe(target, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/**
 * Follows the host's language and loads its strings; `strings` and `locale` change (and the host
 * updates) when an element's own `lang`, an ancestor's or the document's changes.
 */
export class LocaleController implements ReactiveController {
  /** The translation in use (English until another has loaded). */
  strings: UploadStrings = defaultStrings;
  /** The tag to format numbers with (`en`, `de-CH`, `ar`). */
  locale = 'en';
  /** Settles when the strings of the current language are in place. */
  ready: Promise<void> = Promise.resolve();
  private requested: string | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    // The document (every light-DOM ancestor and the element itself), and each shadow root above.
    observe(this.host.ownerDocument.documentElement);
    for (let root = this.host.getRootNode(); root instanceof ShadowRoot;) {
      observe(root);
      root = root.host.getRootNode();
    }
    this.refresh();
  }

  hostDisconnected(): void {
    controllers.delete(this);
  }

  /** Re-reads the language; loads and applies its strings when it changed. */
  refresh(): void {
    const tag = inheritedLang(this.host) || 'en';
    if (tag === this.requested) return;
    this.requested = tag;
    this.ready = loadLocale(tag).then(
      (strings) => {
        if (this.requested !== tag) return; // a later change won
        this.strings = strings;
        this.locale = formattingLocale(tag, matchLocale(tag));
        this.host.requestUpdate();
      },
      (error: unknown) => {
        this.requested = undefined; // the next change or connection tries again
        console.warn(
          `<resumable-upload>: the "${tag}" strings could not be loaded; keeping the current ones.`,
          error,
        );
      },
    );
  }
}
