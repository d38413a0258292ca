import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/model/explore';
import {
  asciiOf,
  byteLength,
  bytesPerRow,
  clampRange,
  describeRange,
  fieldAt,
  fieldIndexByByte,
  hexOffset,
  hexRow,
  hexRows,
  isKeyField,
  normaliseHex,
  offsetDigits,
  rowCount,
  rowOf,
  shortHex,
  visibleRows,
} from '../../../src/ui/lib/hex';

const snp = explore({ platform: 'sev-snp', attacks: [], misconfiguration: {}, seed: 1 });
const tdx = explore({ platform: 'tdx', attacks: ['tampered-boot'], misconfiguration: {}, seed: 1 });

describe('hex dump', () => {
  it('lays a 1184-byte SNP report out as 74 rows of 16 (148 of 8)', () => {
    const hex = snp.evidence?.bytes ?? '';
    expect(byteLength(hex)).toBe(1184);
    const rows = hexRows(hex, 16);
    expect(rows).toHaveLength(74);
    for (const r of rows) expect(r.bytes).toHaveLength(16);
    expect(rows[73].offset).toBe(1168);
    expect(rows.map((r) => r.bytes.join('')).join('')).toBe(hex);
    expect(hexRows(hex, 8)).toHaveLength(148);
    // Row 0 begins with the report's VERSION field (little-endian 32-bit).
    expect(rows[0].bytes.slice(0, 4).join('')).toBe(hex.slice(0, 8));
  });

  it('fields: the SNP field at 0x90 spans 48 bytes when fields are present; none otherwise', () => {
    const fields = snp.evidence?.fields ?? [];
    const at = fieldAt(fields, 0x90);
    if (fields.length === 0) {
      expect(at).toBeNull();
      expect([...fieldIndexByByte(fields, 1184)].every((i) => i === -1)).toBe(true);
    } else {
      expect(at).toMatchObject({ offset: 0x90, length: 48 });
      const map = fieldIndexByByte(fields, 1184);
      const idx = fields.indexOf(at as (typeof fields)[number]);
      for (let b = 0x90; b < 0x90 + 48; b++) expect(map[b]).toBe(idx);
      expect(isKeyField(at?.name ?? '')).toBe(true);
    }
  });

  it('maps bytes to the narrowest field and cuts fields at the end', () => {
    const fields = [
      { name: 'body', offset: 0, length: 8, description: '' },
      { name: 'MEASUREMENT', offset: 2, length: 3, description: '' },
      { name: 'tail', offset: 6, length: 4, description: '' },
    ];
    expect([...fieldIndexByByte(fields, 8)]).toEqual([0, 0, 1, 1, 1, 0, 2, 2]);
    expect(fieldAt(fields, 3)?.name).toBe('MEASUREMENT');
    expect(fieldAt(fields, 9)?.name).toBe('tail');
    expect(fieldAt(fields, 99)).toBeNull();
  });

  it('renders rows alone for virtual scrolling, with an ASCII column', () => {
    const hex = '48656c6c6f00ff7e20' + '41'.repeat(16);
    expect(hexRow(hex, 0, 16).ascii).toBe('Hello..~ AAAAAAA');
    const last = hexRow(hex, 1, 16);
    expect(last.offset).toBe(16);
    expect(last.bytes).toHaveLength(9);
    expect(asciiOf(0x1f)).toBe('.');
    expect(asciiOf(0x7f)).toBe('.');
    expect(asciiOf(0x41)).toBe('A');
  });

  it('renders only a window of a 100 KB payload', () => {
    const length = 100 * 1024;
    const rows = rowCount(length, 16);
    expect(rows).toBe(6400);
    const top = visibleRows(0, 400, 20, rows);
    expect(top.start).toBe(0);
    expect(top.end - top.start).toBeLessThan(50);
    const mid = visibleRows(50_000, 400, 20, rows);
    expect(mid.start).toBeLessThanOrEqual(2500);
    expect(mid.end).toBeGreaterThanOrEqual(2500 + 20);
    expect(mid.end - mid.start).toBeLessThan(50);
    const end = visibleRows(rows * 20, 400, 20, rows);
    expect(end.end).toBe(rows);
    expect(visibleRows(0, 400, 20, 0)).toEqual({ start: 0, end: 0 });
  });

  it('a 3,656-byte TDX quote: 229 rows of 16, offsets of 4 digits, the RTMR1 range from the verdict', () => {
    const hex = tdx.evidence?.bytes ?? '';
    expect(byteLength(hex)).toBe(3656);
    expect(rowCount(3656, 16)).toBe(229);
    expect(offsetDigits(3656)).toBe(4);
    const rtmr1 = tdx.verdict?.checks.find((c) => c.check === 'measurement');
    expect(rtmr1?.range).toEqual([424, 472]);
    expect(describeRange(rtmr1?.range ?? [0, 0])).toBe('0x01a8–0x01d7 (48 bytes)');
    expect(rowOf(424, 16)).toBe(26);
  });

  it('helpers', () => {
    expect(normaliseHex('0xAB cd:EF')).toBe('abcdef');
    expect(normaliseHex('abc')).toBeNull();
    expect(normaliseHex('zz')).toBeNull();
    expect(normaliseHex('')).toBe('');
    expect(shortHex('0123456789abcdef0123', 4, 4)).toBe('0123…0123');
    expect(shortHex('abcd')).toBe('abcd');
    expect(hexOffset(0x90)).toBe('0x0090');
    expect(offsetDigits(100 * 1024)).toBe(5);
    expect(offsetDigits(0)).toBe(4);
    expect(bytesPerRow(479)).toBe(8);
    expect(bytesPerRow(480)).toBe(16);
    expect(clampRange([1000, 5000], 1184)).toEqual([1000, 1184]);
    expect(clampRange([2000, 3000], 1184)).toBeNull();
    for (const n of [
      'MEASUREMENT',
      'REPORT_DATA',
      'POLICY',
      'MRTD',
      'RTMR0',
      'RTMR3',
      'REPORTDATA',
      'pcrDigest',
      'extraData',
    ])
      expect(isKeyField(n)).toBe(true);
    for (const n of ['VERSION', 'SIGNATURE', 'CHIP_ID', 'TEE_TCB_SVN']) expect(isKeyField(n)).toBe(false);
  });
});
