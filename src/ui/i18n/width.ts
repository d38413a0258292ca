/**
 * Text width in "character units" for the SVG views, which cannot measure text and budget a fixed
 * advance per character (about 0.6 em). A CJK ideograph, kana, Hangul syllable or full-width sign is
 * about 1 em wide, so it counts as WIDE units; everything else counts 1. For ASCII text these
 * functions agree with `.length` and the layouts' own `fit`, so English renders exactly as before.
 */

/** East Asian wide and full-width characters (Unicode UAX #11, the common blocks). */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** A wide glyph (≈ 1 em) in units of the layouts' per-character budget (≈ 0.58 em). */
export const WIDE_UNITS = 1.75;

function unitsOf(ch: string): number {
  return WIDE.test(ch) ? WIDE_UNITS : 1;
}

/** How many character units `text` takes. */
export function textUnits(text: string): number {
  let n = 0;
  for (const ch of text) n += unitsOf(ch);
  return n;
}

/** `text` cut to at most `units` character units, ending in "…" when cut. */
export function fitUnits(text: string, units: number): string {
  if (textUnits(text) <= units) return text;
  const room = Math.max(1, units - 1);
  let out = '';
  let used = 0;
  for (const ch of text) {
    const u = unitsOf(ch);
    if (used + u > room && out !== '') break;
    out += ch;
    used += u;
  }
  return `${out.trimEnd()}…`;
}

/**
 * Breaks `text` into at most `lines` lines of at most `units` character units: at a space when one
 * is near the end of the line, anywhere else (CJK text has no spaces, and may break between any two
 * characters); the last line is cut with "…".
 */
export function wrapUnits(text: string, units: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest !== '' && out.length < lines - 1 && textUnits(rest) > units) {
    const chars = [...rest];
    let used = 0;
    let at = 0;
    while (at < chars.length && used + unitsOf(chars[at]) <= units) used += unitsOf(chars[at++]);
    at = Math.max(1, at);
    const space = chars.slice(0, at + 1).lastIndexOf(' ');
    const cut = space > at / 3 ? space : at;
    out.push(chars.slice(0, cut).join('').trimEnd());
    rest = chars.slice(cut).join('').trimStart();
  }
  if (rest !== '') out.push(fitUnits(rest, units));
  return out;
}

const WIDE_ALL = new RegExp(WIDE.source, 'g');
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * For a layout that budgets one advance (≈ 0.6 em) per UTF-16 character and cuts by character count
 * (lib/layout/attestation-flow.ts): each wide glyph is followed by an invisible zero-width space, so
 * it counts as two characters (1.2 em, a safe estimate of its 1 em). ASCII text is returned as it is.
 * Screen readers skip zero-width spaces, and an accessible name built from the drawn text should keep
 * them (axe compares the two); `unwiden` strips them where the text is copied or compared.
 */
export function widen(text: string): string {
  return text.replace(WIDE_ALL, (ch) => ch + ZERO_WIDTH_SPACE);
}

export function unwiden(text: string): string {
  return text.replaceAll(ZERO_WIDTH_SPACE, '');
}
