import { describe, expect, it } from 'vitest';
import type { Text } from '../../../src/scenario/types';
import { fellBack, textOf } from '../../../src/ui/player/text';

describe('textOf', () => {
  it('returns plain strings as they are', () => {
    expect(textOf('Hello')).toBe('Hello');
    expect(textOf('')).toBe('');
  });

  it('picks the language, falling back to English', () => {
    const t: Text = { en: 'Memory dump', 'zh-CN': '内存转储' };
    expect(textOf(t)).toBe('Memory dump');
    expect(textOf(t, 'zh-CN')).toBe('内存转储');
    expect(textOf({ en: 'Only English' }, 'zh-CN')).toBe('Only English');
  });

  it('never throws on values that are not Text', () => {
    for (const v of [null, undefined, 42, [], {}, { en: 3 }, { 'zh-CN': 'x' }, Object.create(null)]) {
      expect(textOf(v as Text)).toBe('');
    }
    // Inherited properties are not text.
    const inherited = Object.create({ en: 'from the prototype' }) as Text;
    expect(textOf(inherited)).toBe('');
  });
});

describe('fellBack', () => {
  it('says when a language is missing and English is shown instead', () => {
    const both: Text = { en: 'Memory dump', 'zh-CN': '内存转储' };
    expect(fellBack(both, 'zh-CN')).toBe(false);
    expect(fellBack({ en: 'Only English' }, 'zh-CN')).toBe(true);
    expect(fellBack('Plain English', 'zh-CN')).toBe(true);
    expect(fellBack({ en: 'Only English' }, 'en')).toBe(false);
    expect(fellBack(undefined, 'zh-CN')).toBe(false);
    expect(fellBack({ en: '' }, 'zh-CN')).toBe(false);
  });
});
