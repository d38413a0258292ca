/**
 * What the Memory Inspector shows, computed from the run's real bytes: where the secret's bytes are in
 * a page as the guest sees it and as the host reads it (a byte-aligned search of the hex, never the
 * judged outcome), what the host's read amounts to, hex-dump rows with those bytes marked, which of
 * the attacker's reads had happened by a step, and whether the guest had stored the secret yet.
 * Pure functions over ExplorerRun; no DOM.
 */
import type { ExplorerRun, HostViewKind, MemoryPage } from '../../model/explore-types';
import type { EventKind, TranscriptEvent } from '../../model/transcript';
import { asciiOf, hexOffset } from './hex';

/** Transcript kinds through which an attack reads guest state. */
export const READ_KINDS: readonly EventKind[] = ['page-read', 'dma', 'registers', 'page-remap', 'shared-io'];

/** Rows shown before "show all". */
export const FIRST_ROWS = 16;

/** A byte range [start, end). */
export type ByteRange = readonly [number, number];

/** Byte offsets where `needle` occurs in `haystack` (both hex), aligned to whole bytes; overlaps count. */
export function findBytes(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle || needle.length % 2 !== 0) return found;
  const hay = haystack.toLowerCase();
  const pin = needle.toLowerCase();
  for (let i = hay.indexOf(pin); i !== -1; i = hay.indexOf(pin, i + 1)) if (i % 2 === 0) found.push(i / 2);
  return found;
}

/** The ranges of every occurrence of `needle` in `haystack`, in bytes. */
export function occurrences(haystack: string, needle: string): ByteRange[] {
  const length = needle.length / 2;
  return findBytes(haystack, needle).map((at) => [at, at + length] as const);
}

const PAGE = 4096;

/** Where the run's secret was stored in `page` (from MemoryView.secret), when it lies in that page. */
export function secretLocation(run: ExplorerRun, page: MemoryPage): ByteRange | null {
  const secret = run.memory.secret;
  if (!secret || secret.length <= 0) return null;
  const offset = Number(BigInt(secret.gpa) - BigInt(page.gpa));
  if (offset < 0 || offset >= PAGE) return null;
  return [offset, Math.min(PAGE, offset + secret.length)];
}

/** Ranges merged where they overlap or touch, sorted. */
export function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export interface GuestPane {
  /** Marked bytes: where the secret was stored and wherever its bytes appear. */
  marks: ByteRange[];
  location: ByteRange | null;
  /** True when the bytes at the secret's location are the secret (a remap or replay can change them). */
  holdsSecretAtLocation: boolean;
  /** Offsets where the secret's bytes appear in the page. */
  found: number[];
}

export function guestPane(run: ExplorerRun, page: MemoryPage): GuestPane {
  const location = secretLocation(run, page);
  const found = findBytes(page.guestView, run.secret);
  const held =
    location !== null &&
    run.secret.length > 0 &&
    page.guestView.slice(2 * location[0], 2 * location[1]) ===
      run.secret.slice(0, 2 * (location[1] - location[0]));
  return {
    marks: mergeRanges([...(location ? [location] : []), ...occurrences(page.guestView, run.secret)]),
    location,
    holdsSecretAtLocation: held,
    found,
  };
}

/** What a read amounts to, from its bytes: the view words each case. */
export type ReadVerdict =
  /** The secret's bytes appear in what was read. */
  | 'secret'
  /** Bytes the host cannot use: ciphertext. */
  | 'ciphertext'
  /** Abort values (reads of protected memory return a fixed pattern). */
  | 'abort-values'
  /** The read faulted: no bytes. */
  | 'fault'
  /** Plaintext, but without the secret's bytes. */
  | 'plaintext'
  /** No bytes at all. */
  | 'empty'
  /** The run has no secret to look for. */
  | 'no-secret';

export interface HostPane {
  kind: HostViewKind;
  verdict: ReadVerdict;
  /** Offsets where the secret's bytes appear in the host's view. */
  found: number[];
  marks: ByteRange[];
  /** The one value every byte has (0xff for abort values), or null. */
  uniformByte: number | null;
}

/** The byte every byte of `hex` equals, or null when they differ (or there are none). */
export function uniformByte(hex: string): number | null {
  if (hex.length < 2) return null;
  const first = hex.slice(0, 2);
  for (let i = 2; i < hex.length; i += 2) if (hex.slice(i, i + 2) !== first) return null;
  return parseInt(first, 16);
}

export function hostPane(run: ExplorerRun, page: MemoryPage): HostPane {
  const found = findBytes(page.hostView, run.secret);
  const base = {
    kind: page.hostViewKind,
    found,
    marks: mergeRanges(occurrences(page.hostView, run.secret)),
    uniformByte: uniformByte(page.hostView),
  };
  if (!run.secret) return { ...base, verdict: 'no-secret' };
  if (found.length) return { ...base, verdict: 'secret' };
  if (page.hostViewKind === 'fault') return { ...base, verdict: 'fault' };
  if (!page.hostView) return { ...base, verdict: 'empty' };
  return { ...base, verdict: page.hostViewKind };
}

/** What one attacker read obtained, judged from its bytes. */
export interface AttackerRead {
  event: TranscriptEvent;
  bytes: string;
  found: number[];
  marks: ByteRange[];
  verdict: 'secret' | 'no-secret-bytes' | 'empty';
}

function judgeRead(run: ExplorerRun, event: TranscriptEvent): AttackerRead {
  const bytes = event.bytes ?? '';
  const found = run.secret ? findBytes(bytes, run.secret) : [];
  return {
    event,
    bytes,
    found,
    marks: mergeRanges(run.secret ? occurrences(bytes, run.secret) : []),
    verdict: !bytes ? 'empty' : found.length ? 'secret' : 'no-secret-bytes',
  };
}

/** The attacks' reads of guest state among the first `step` events (events[0..step-1]), in order. */
export function attackerReads(run: ExplorerRun, step: number): AttackerRead[] {
  return run.events
    .filter((e) => e.seq < step && e.attack !== undefined && READ_KINDS.includes(e.kind))
    .map((e) => judgeRead(run, e));
}

/** True when `text` names `address` (hex, "0x…") as a whole number, not as the start of a longer one. */
export function namesAddress(text: string, address: string): boolean {
  const escaped = address.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^0-9a-fx])${escaped}(?![0-9a-f])`).test(text.toLowerCase());
}

/**
 * The read to show first for `page`: the latest one naming the page's frame (HPA) or its GPA, else
 * the latest read; null when no attack has read anything by `step`.
 */
export function attackerReadFor(
  run: ExplorerRun,
  step: number,
  page: MemoryPage | null,
): AttackerRead | null {
  const reads = attackerReads(run, step);
  if (!reads.length) return null;
  const forPage = page
    ? reads.filter((r) => namesAddress(r.event.title, page.hpa) || namesAddress(r.event.title, page.gpa))
    : [];
  return (forPage.length ? forPage : reads)[(forPage.length ? forPage : reads).length - 1];
}

/** The event in which the guest stores the secret in its memory (the first page-write no attack made). */
export function secretStoreEvent(run: ExplorerRun): TranscriptEvent | null {
  return run.events.find((e) => e.kind === 'page-write' && e.attack === undefined) ?? null;
}

/**
 * Whether the guest has stored the secret after `step` events: 'stored', 'not-yet' (the pages show
 * memory as the run left it, later), or 'never' (no page-write in the run).
 */
export function secretStored(run: ExplorerRun, step: number): 'stored' | 'not-yet' | 'never' {
  const store = secretStoreEvent(run);
  if (!store) return 'never';
  return store.seq < step ? 'stored' : 'not-yet';
}

/** The page with `gpa`, else the page holding the secret, else the first. */
export function pickPage(run: ExplorerRun, gpa: string | undefined): MemoryPage | null {
  const pages = run.memory.pages;
  const secretPage = pages.find((p) => secretLocation(run, p) !== null);
  return pages.find((p) => p.gpa === gpa) ?? secretPage ?? pages[0] ?? null;
}

/** A run of characters in a hex-dump row, marked or not. */
export interface Segment {
  text: string;
  mark: boolean;
}

export interface DumpRow {
  offset: string;
  hex: Segment[];
  ascii: Segment[];
}

function segments(chars: string, width: number, marked: (i: number) => boolean, count: number): Segment[] {
  // `width` characters a byte; the separator after a byte is marked only inside a marked run.
  const out: Segment[] = [];
  const push = (text: string, mark: boolean) => {
    const last = out[out.length - 1];
    if (last && last.mark === mark) last.text += text;
    else if (text) out.push({ text, mark });
  };
  for (let i = 0; i < count; i++) {
    const mark = marked(i);
    push(chars.slice(i * width, i * width + (width > 1 ? 2 : 1)), mark);
    if (width > 2 && i < count - 1) push(' ', mark && marked(i + 1));
  }
  return out;
}

/**
 * Rows of the dump of `hex` at `perRow` bytes a row, the first `limit` rows only (all when null), with
 * the bytes in `marks` marked in both the hex and the ASCII column.
 */
export function dumpRows(
  hex: string,
  perRow: number,
  marks: readonly ByteRange[],
  limit: number | null,
): DumpRow[] {
  const length = Math.floor(hex.length / 2);
  const total = Math.ceil(length / perRow);
  const shown = limit === null ? total : Math.min(total, limit);
  const digits = Math.max(3, (Math.max(1, length) - 1).toString(16).length);
  const isMarked = (b: number) => marks.some(([s, e]) => b >= s && b < e);
  const rows: DumpRow[] = [];
  for (let r = 0; r < shown; r++) {
    const start = r * perRow;
    const count = Math.min(perRow, length - start);
    const pairs = hex.slice(2 * start, 2 * (start + count));
    const spaced = Array.from({ length: count }, (_, i) => pairs.slice(2 * i, 2 * i + 2)).join(' ');
    let ascii = '';
    for (let i = 0; i < count; i++) ascii += asciiOf(parseInt(pairs.slice(2 * i, 2 * i + 2), 16));
    const marked = (i: number) => isMarked(start + i);
    rows.push({
      offset: hexOffset(start, digits),
      hex: segments(spaced, 3, marked, count),
      ascii: segments(ascii, 1, marked, count),
    });
  }
  return rows;
}

/** The number of rows the dump of `hex` takes at `perRow` bytes a row. */
export function totalRows(hex: string, perRow: number): number {
  return Math.ceil(Math.floor(hex.length / 2) / perRow);
}
