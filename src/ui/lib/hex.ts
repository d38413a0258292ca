/**
 * Hex-dump arithmetic for the payload inspector (and short hex for every view): rows of bytes with an
 * offset and an ASCII column, which annotated field each byte belongs to, which rows are in view of a
 * scrolled window (so a 100 KB payload renders a screenful of rows, not 6,400), and which fields are
 * the ones worth a reader's attention. Pure functions over lowercase hex strings; no DOM.
 */
import type { EvidenceField } from '../../core/evidence/fields';

/** Lowercase hex without whitespace, "0x" or ":" separators; null when what is left is not hex bytes. */
export function normaliseHex(input: string): string | null {
  const hex = input.replace(/^0x/i, '').replace(/[\s:]/g, '').toLowerCase();
  return /^(?:[0-9a-f]{2})*$/.test(hex) ? hex : null;
}

/** The number of bytes `hex` holds (two characters a byte). */
export function byteLength(hex: string): number {
  return Math.floor(hex.length / 2);
}

/** `hex` cut to its first `head` and last `tail` characters around an ellipsis, when that is shorter. */
export function shortHex(hex: string, head = 8, tail = 8): string {
  return hex.length <= head + tail + 1 ? hex : `${hex.slice(0, head)}…${hex.slice(hex.length - tail)}`;
}

/** "0x" and `n` in lowercase hex, zero-padded to `digits`. */
export function hexOffset(n: number, digits = 4): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** How many hex digits the offset column needs for `length` bytes (at least 4). */
export function offsetDigits(length: number): number {
  return Math.max(4, Math.max(0, length - 1).toString(16).length);
}

/** Bytes per hex-dump row for a container `width` px wide: 16, or 8 below 480 px. */
export function bytesPerRow(width: number): 8 | 16 {
  return width < 480 ? 8 : 16;
}

/** The number of rows a payload of `length` bytes takes at `perRow` bytes a row. */
export function rowCount(length: number, perRow: number): number {
  return Math.ceil(length / perRow);
}

/** The printable-ASCII rendering of one byte ('.' for anything outside 0x20–0x7e). */
export function asciiOf(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

export interface HexRow {
  /** Row number, from 0. */
  index: number;
  /** The offset of the row's first byte. */
  offset: number;
  /** The row's bytes, two hex digits each (fewer than `perRow` in the last row). */
  bytes: string[];
  /** The row's printable-ASCII rendering, one character a byte. */
  ascii: string;
}

/** Row `index` of the dump of `hex` at `perRow` bytes a row (computed alone, for virtual scrolling). */
export function hexRow(hex: string, index: number, perRow: number): HexRow {
  const offset = index * perRow;
  const end = Math.min(byteLength(hex), offset + perRow);
  const bytes: string[] = [];
  let ascii = '';
  for (let i = offset; i < end; i++) {
    const pair = hex.slice(2 * i, 2 * i + 2);
    bytes.push(pair);
    ascii += asciiOf(parseInt(pair, 16));
  }
  return { index, offset, bytes, ascii };
}

/** Every row of the dump of `hex` (for tests and small payloads; views render a window of rows). */
export function hexRows(hex: string, perRow: number): HexRow[] {
  return Array.from({ length: rowCount(byteLength(hex), perRow) }, (_, i) => hexRow(hex, i, perRow));
}

/**
 * For each byte of a `length`-byte payload, the index in `fields` of the field it belongs to, or -1.
 * Where fields overlap (a container and its parts), the later, narrower field in the list wins; fields
 * reaching past the end are cut at it.
 */
export function fieldIndexByByte(fields: readonly EvidenceField[], length: number): Int32Array {
  const out = new Int32Array(length).fill(-1);
  const order = fields.map((f, i) => ({ f, i })).sort((a, b) => b.f.length - a.f.length || a.i - b.i);
  for (const { f, i } of order) {
    const end = Math.min(length, f.offset + f.length);
    for (let b = Math.max(0, f.offset); b < end; b++) out[b] = i;
  }
  return out;
}

/** The field covering byte `offset`, when one does (the narrowest, as in fieldIndexByByte). */
export function fieldAt(fields: readonly EvidenceField[], offset: number): EvidenceField | null {
  let best: EvidenceField | null = null;
  for (const f of fields) {
    if (offset >= f.offset && offset < f.offset + f.length && (!best || f.length < best.length)) best = f;
  }
  return best;
}

/** The row holding byte `offset` at `perRow` bytes a row. */
export function rowOf(offset: number, perRow: number): number {
  return Math.floor(Math.max(0, offset) / perRow);
}

/**
 * The rows [start, end) to render for a window scrolled to `scrollTop` px showing `viewport` px of
 * `total` rows each `rowHeight` px tall, with `overscan` rows either side so fast scrolling shows no gap.
 */
export function visibleRows(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { start: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(viewport, rowHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first) - overscan);
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/** A byte range [start, end) clamped to a payload of `length` bytes; null when nothing of it is left. */
export function clampRange(range: readonly [number, number], length: number): [number, number] | null {
  const start = Math.max(0, Math.min(range[0], length));
  const end = Math.max(start, Math.min(range[1], length));
  return end > start ? [start, end] : null;
}

/** "0x0090–0x00bf (48 bytes)" for the range [start, end). */
export function describeRange(range: readonly [number, number], digits = 4): string {
  const n = range[1] - range[0];
  return `${hexOffset(range[0], digits)}–${hexOffset(Math.max(range[0], range[1] - 1), digits)} (${n} byte${n === 1 ? '' : 's'})`;
}

/**
 * Fields a reader should find first: the launch measurement, the nonce binding and the guest policy of
 * SNP (MEASUREMENT, REPORT_DATA, POLICY, HOST_DATA), the TD measurements of TDX (MRTD, RTMR0–3,
 * REPORTDATA), the enclave identity of SGX (MRENCLAVE, MRSIGNER), the quoted PCRs and nonce of a TPM
 * quote (pcrDigest, extraData), Nitro's PCRs, nonce and user data, CCA's realm measurements and challenge.
 */
const KEY_FIELDS =
  /^(measurement|report_?data|policy|host_data|mrtd|rtmr\d?|mr_?enclave|mr_?signer|pcr_?digest|extra_?data|nonce|user_?data|public_?key|pcrs?|pcr[0-48]|rim|rem\d?|challenge|realm_?(initial_?)?measurement|measure|mnonce|ta_hash|cca_realm_(initial_measurement|challenge|extensible_measurements\[\d+\]))$/i;

/** True when `name` is one of the fields of interest (case and separators as the formats spell them). */
export function isKeyField(name: string): boolean {
  return KEY_FIELDS.test(name.trim().replace(/[\s-]+/g, '_'));
}
