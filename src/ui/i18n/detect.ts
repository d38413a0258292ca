/**
 * Which language the page speaks, as pure functions (no DOM, no runes), so the order is tested
 * without a browser: the link's `lang` (in the fragment, then the query string), then the browser's
 * preferred languages in order, else English.
 */

/** The languages the UI has a catalogue for; the first is the source language and the fallback. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's name in itself, as the switcher lists it (the same in every catalogue). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', 'zh-CN': '简体中文' };

/** Where the current language came from: the link, the browser's preferences, or neither. */
export type LocaleSource = 'url' | 'browser' | 'default';

/**
 * The supported language a BCP 47 tag asks for, or null: any Chinese (zh, zh-CN, zh-Hans, zh-TW,
 * zh-Hant-HK …) is Simplified Chinese, the only Chinese catalogue; any English is English.
 */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (typeof tag !== 'string') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return null;
}

/** The raw `lang` value of a query string or fragment ("?a=1&lang=zh-CN", "#…&lang=en"), if any. */
export function langParam(part: string): string | null {
  const raw = part.startsWith('?') || part.startsWith('#') ? part.slice(1) : part;
  if (raw === '' || raw.length > 4096) return null;
  try {
    return new URLSearchParams(raw).get('lang');
  } catch {
    return null;
  }
}

/** The language a link asks for: the fragment's `lang`, else the query's; null when neither names one. */
export function localeFromUrl(search: string, hash: string): Locale | null {
  return matchLocale(langParam(hash)) ?? matchLocale(langParam(search));
}

/** The first of the browser's preferred languages (navigator.languages, in order) that the UI has. */
export function localeFromBrowser(languages: readonly string[] | null | undefined): Locale | null {
  for (const tag of languages ?? []) {
    const l = matchLocale(tag);
    if (l) return l;
  }
  return null;
}

export interface LocaleInputs {
  search: string;
  hash: string;
  languages: readonly string[] | null | undefined;
}

/** The page's language and why: the URL, then the browser, then English. */
export function detectLocale(inputs: LocaleInputs): { locale: Locale; source: LocaleSource } {
  const fromUrl = localeFromUrl(inputs.search, inputs.hash);
  if (fromUrl) return { locale: fromUrl, source: 'url' };
  const fromBrowser = localeFromBrowser(inputs.languages);
  if (fromBrowser) return { locale: fromBrowser, source: 'browser' };
  return { locale: DEFAULT_LOCALE, source: 'default' };
}

const LANG_IN_FRAGMENT = /(^|&)lang=[^&]*/;

/**
 * `href` with its language set to `locale`, so a reload or a shared link keeps it: the fragment's
 * `lang=` is replaced where the fragment has one (the explorer keeps it there), and the query's
 * `lang` is set otherwise, or too when it has one already (so the two never disagree). The rest of
 * the URL is left exactly as it was.
 */
export function urlWithLocale(href: string, locale: Locale): string {
  const at = href.indexOf('#');
  const base = at < 0 ? href : href.slice(0, at);
  let fragment = at < 0 ? null : href.slice(at + 1);
  const inFragment = fragment !== null && LANG_IN_FRAGMENT.test(fragment);
  if (fragment !== null && inFragment) fragment = fragment.replace(LANG_IN_FRAGMENT, `$1lang=${locale}`);
  const url = new URL(base);
  if (!inFragment || url.searchParams.has('lang')) url.searchParams.set('lang', locale);
  return `${url.toString()}${fragment === null ? '' : `#${fragment}`}`;
}
