import { describe, expect, it } from 'vitest';
import type { Text } from '../../../src/scenario/types';
import { textOf } from '../../../src/ui/player/text';

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
