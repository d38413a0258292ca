/**
 * Trainer-written text is a string or per language ({ en, 'zh-CN' }); the player shows one language.
 * Only English for now: `lang` is there so a language switch needs no change to the callers.
 */
import type { Text } from '../../scenario/types';

export type Lang = 'en' | 'zh-CN';

/** The text in `lang`, falling back to English; '' for anything that is not Text (never throws). */
export function textOf(t: Text | null | undefined, lang: Lang = 'en'): string {
  if (typeof t === 'string') return t;
  if (t === null || typeof t !== 'object') return '';
  const wanted = Object.hasOwn(t, lang) ? (t as Record<string, unknown>)[lang] : undefined;
  if (typeof wanted === 'string') return wanted;
  const en = Object.hasOwn(t, 'en') ? (t as Record<string, unknown>).en : undefined;
  return typeof en === 'string' ? en : '';
}
