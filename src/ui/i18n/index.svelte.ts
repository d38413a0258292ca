/**
 * The UI's language: the current locale as shared reactive state, and its catalogue.
 *
 * How a component uses it
 * ------------------------
 *   import { messages } from '../i18n/index.svelte';
 *   let text = $derived(messages().timeline);        // the component's own section
 *   …  {text.play}  {text.valueText(step, total, title)}  {messages().outcomes[o]}
 *
 * `messages()` reads reactive state, so `text` (and anything derived from it) follows the language
 * switcher without a reload. Add a component's strings as a new section of en.ts and the same keys in
 * zh-CN.ts (svelte-check fails on a missing or extra key; tests/unit/ui/i18n.test.ts on a missing
 * translation or a different function arity, and needs sample arguments for a new function).
 * Text the simulation produces (src/model, src/core) stays English; App says so in zh-CN.
 * In a plain .ts module, call `messages()` when the text is needed, never once at load.
 *
 * A page other than the explorer (player, embed) mounts `<LanguageSwitcher />` in its own header; it
 * writes `lang` into the fragment when the fragment already names one, else into the query string
 * (`?lang=zh-CN`), which survives navigation between the explorer's and the player's fragments.
 *
 * Other exports: `locale()` (for Intl and `lang` attributes), `setLocale()` (state and <html lang>),
 * `chooseLocale()` (what the switcher does: also writes `lang` into the URL), `LanguageSwitcher.svelte`,
 * and width helpers for SVG text (`textUnits`, `fitUnits`, `wrapUnits`, `widen`: CJK glyphs are wider
 * than the layouts' per-character budget).
 *
 * The language at load: the link's `lang` (fragment, then query: `#…&lang=zh-CN`, `?lang=zh-CN`), then
 * navigator.languages (any zh → zh-CN), else English (detect.ts).
 */
import { DEFAULT_LOCALE, detectLocale, urlWithLocale, type Locale, type LocaleSource } from './detect';
import { en, type Messages } from './en';
import { zhCN } from './zh-CN';

export { LOCALES, LOCALE_NAMES, matchLocale, type Locale, type LocaleSource } from './detect';
export { textUnits, fitUnits, wrapUnits, widen, unwiden } from './width';
export { formatNumber, formatSize } from './format';
export type { Messages } from './en';

export const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, 'zh-CN': zhCN };

function initial(): { locale: Locale; source: LocaleSource } {
  if (typeof location === 'undefined') return { locale: DEFAULT_LOCALE, source: 'default' };
  return detectLocale({
    search: location.search,
    hash: location.hash,
    languages: typeof navigator === 'undefined' ? [] : navigator.languages,
  });
}

const current = $state(initial());

function applyToDocument(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
applyToDocument(current.locale);

/** The current language. */
export function locale(): Locale {
  return current.locale;
}

/** Where the current language came from ('url' once the user has chosen one). */
export function localeSource(): LocaleSource {
  return current.source;
}

/** The current language's catalogue. */
export function messages(): Messages {
  return CATALOGUES[current.locale];
}

/** An attack's title in the current language (its id, for an id no catalogue knows). */
export function attackTitle(id: string): string {
  const titles: Record<string, string> = messages().attackTitles;
  return Object.prototype.hasOwnProperty.call(titles, id) ? titles[id] : id;
}

/** Switches the language (and <html lang>) without touching the URL, e.g. when a link changes. */
export function setLocale(locale: Locale, source: LocaleSource = 'url'): void {
  current.locale = locale;
  current.source = source;
  applyToDocument(locale);
}

/** The user chose a language: switch, and keep it in the URL so a reload or a shared link keeps it. */
export function chooseLocale(locale: Locale): void {
  setLocale(locale, 'url');
  if (typeof location !== 'undefined' && typeof history !== 'undefined') {
    const next = urlWithLocale(location.href, locale);
    if (next !== location.href) history.replaceState(history.state, '', next);
  }
}
