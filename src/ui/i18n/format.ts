/**
 * Numbers through Intl in a catalogue's own locale, so each catalogue's functions format the counts
 * they are given ("1,234 bytes", "1,234 字节", "1.5 KiB"). Formatters are cached per locale and style.
 */
import type { Locale } from './detect';

const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** A whole or decimal number with the locale's grouping ("12,345"). */
export function formatNumber(locale: Locale, n: number, fractionDigits?: number): string {
  return formatter(
    locale,
    fractionDigits === undefined
      ? {}
      : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits },
  ).format(n);
}

/** A byte count in B, KiB or MiB (binary units, as the evidence files are sized), one decimal above 1 KiB. */
export function formatSize(locale: Locale, n: number): string {
  if (n < 1024) return `${formatNumber(locale, n)} B`;
  if (n < 1024 * 1024) return `${formatNumber(locale, n / 1024, 1)} KiB`;
  return `${formatNumber(locale, n / (1024 * 1024), 1)} MiB`;
}
