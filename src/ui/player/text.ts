/**
 * Trainer-written text is a string or per language ({ en, 'zh-CN' }); the player shows one language,
 * the UI's (`locale()`), and falls back to English where the trainer wrote no translation.
 */
import type { Text } from '../../scenario/types';
import type { Locale } from '../i18n/index.svelte';

export type Lang = Locale;

function own(t: object, key: string): unknown {
  return Object.hasOwn(t, key) ? (t as Record<string, unknown>)[key] : undefined;
}

/** The text in `lang`, falling back to English; '' for anything that is not Text (never throws). */
export function textOf(t: Text | null | undefined, lang: Lang = 'en'): string {
  if (typeof t === 'string') return t;
  if (t === null || typeof t !== 'object') return '';
  const wanted = own(t, lang);
  if (typeof wanted === 'string') return wanted;
  const en = own(t, 'en');
  return typeof en === 'string' ? en : '';
}

/**
 * Whether `textOf(t, lang)` shows English in place of `lang`: there is text, `lang` is not English,
 * and the trainer wrote none in `lang` (a plain string is English).
 */
export function fellBack(t: Text | null | undefined, lang: Lang): boolean {
  if (lang === 'en' || textOf(t, lang) === '') return false;
  return typeof t === 'string' || (typeof t === 'object' && t !== null && typeof own(t, lang) !== 'string');
}
