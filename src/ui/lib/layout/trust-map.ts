/**
 * Layout of the trust-domain map: the four trust domains as a 2 × 2 grid of regions (owner and guest
 * on top — the tenant's side; host and platform below — the provider's side), a small node each for a
 * device on the host's bus and the vendor's PKI, and one arrow per transcript event between the
 * regions of its sender and receiver (a loop when both are the same). The grid puts the one pair that
 * rarely talks (owner ↔ platform) and the host ↔ guest pair on the diagonals, so the busy pairs
 * (owner ↔ guest, owner ↔ host, host ↔ platform, platform ↔ guest) are neighbours.
 *
 * Arrows are laid out for every event of the run at once, so an arrow never moves while the player
 * steps: the view shows those with `seq < step`. Arrows between the same two actors run parallel,
 * spread across the gap. Also here: what each domain could read in plaintext up to a step (the view's
 * "sees in plaintext" lists). Pure: numbers and SVG path strings, no DOM.
 */
import { attackById } from '../../../model/attacks';
import type { ExplorerRun } from '../../../model/explore-types';
import type { Actor, EventKind, TranscriptEvent } from '../../../model/transcript';

export type RegionId = 'platform' | 'host' | 'guest' | 'owner';
export type NodeId = 'device' | 'vendor';

/** The domains in reading order (the order of the plaintext lists). */
export const REGION_IDS: readonly RegionId[] = ['platform', 'host', 'guest', 'owner'];
export const NODE_IDS: readonly NodeId[] = ['device', 'vendor'];

/** What each region holds, by id (the view names them; the platform's are named for the run's platform). */
export const COMPONENTS: Readonly<Record<RegionId, readonly string[]>> = {
  platform: ['cpu', 'security-processor', 'root-of-trust'],
  host: ['hypervisor', 'host-admin', 'devices'],
  guest: ['firmware', 'kernel', 'workload'],
  owner: ['verifier', 'key-broker'],
};

/** Grid cell of each region: column, row. */
const CELL: Readonly<Record<RegionId, readonly [number, number]>> = {
  owner: [0, 0],
  guest: [1, 0],
  host: [0, 1],
  platform: [1, 1],
};
/** Column each node sits under: the device below the host, the vendor below the platform. */
const NODE_COLUMN: Readonly<Record<NodeId, number>> = { device: 0, vendor: 1 };

/** Outer margin, so strokes and focus rings are not cut off. */
export const MARGIN = 4;
/** Arrow ends lie this far inside their region's border. */
const INSET = 2;
const PAD = 12;
/** Title, subtitle and the badge row at the top of each region. */
const HEADER = 64;
const COMP_H = 24;
const COMP_GAP = 6;
/** The band at the bottom of each region where its self-events loop. */
const LOOP_STRIP = 30;
const LOOP_SPACING = 26;
const NODE_W = 132;
const NODE_H = 26;
const NODE_GAP = 12;
const HEAD_LEN = 8;
/** Lines in the compact caption: the title on up to two, the attack on the third. */
export const CAPTION_LINES = 3;
const HEAD_HALF = 4;
/** Below this region width the components stack in a column; above it they sit in a row. */
const ROW_MIN_REGION = 410;
/** Average advance of a character at 11 px (labels) and 12–13 px (titles), for cutting text to fit. */
export const CHAR_PX = 6.4;
export const TITLE_CHAR_PX = 7.4;
/** Below this container width the layout is compact (smaller gaps and short region titles). */
export const COMPACT = 560;

export interface Pt {
  x: number;
  y: number;
}
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface ComponentGeom extends Rect {
  id: string;
}
export interface RegionGeom extends Rect {
  id: RegionId;
  components: ComponentGeom[];
  /** Baselines of the title, the subtitle and the badge (left-aligned at x); the tag is right-aligned at x. */
  title: Pt;
  tag: Pt;
  subtitle: Pt;
  badge: Pt;
  /** How many characters of 11 px text fit on one line inside the region. */
  chars: number;
  /** How many characters of the title fit. */
  titleChars: number;
}
export interface NodeGeom extends Rect {
  id: NodeId;
}
export interface ArrowGeom {
  seq: number;
  kind: EventKind;
  from: Actor;
  to: Actor;
  self: boolean;
  attack?: string;
  /** Where the arrow leaves its sender and where its head's tip touches its receiver. */
  start: Pt;
  end: Pt;
  /** The shaft (ends at the head's base) and the head (a closed triangle). */
  path: string;
  head: string;
  /** Where a label for this arrow goes. */
  mid: Pt;
}
export interface TrustMapLayout {
  width: number;
  height: number;
  compact: boolean;
  regions: RegionGeom[];
  nodes: NodeGeom[];
  /** One per event, in seq order. */
  arrows: ArrowGeom[];
  /**
   * Compact layouts only: a band below the map for the latest event's title (an inline label would
   * hide the short arrows of a narrow map); the arrow itself then carries just its number.
   */
  caption: Rect | null;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const centre = (r: Rect): Pt => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const inset = (r: Rect, by: number): Rect => ({
  x: r.x + by,
  y: r.y + by,
  width: r.width - 2 * by,
  height: r.height - 2 * by,
});

export function isRegion(a: Actor): a is RegionId {
  return (REGION_IDS as readonly string[]).includes(a);
}

export function contains(r: Rect, p: Pt, slack = 0): boolean {
  return (
    p.x >= r.x - slack && p.x <= r.x + r.width + slack && p.y >= r.y - slack && p.y <= r.y + r.height + slack
  );
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The largest t in [0, 1] with p + t·(q − p) still inside r (p inside r). */
function exitT(p: Pt, q: Pt, r: Rect): number {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const tx = dx > 0 ? (r.x + r.width - p.x) / dx : dx < 0 ? (r.x - p.x) / dx : Infinity;
  const ty = dy > 0 ? (r.y + r.height - p.y) / dy : dy < 0 ? (r.y - p.y) / dy : Infinity;
  return clamp(Math.min(tx, ty, 1), 0, 1);
}

function head(tip: Pt, ux: number, uy: number): { base: Pt; path: string } {
  const base = { x: tip.x - HEAD_LEN * ux, y: tip.y - HEAD_LEN * uy };
  const nx = -uy;
  const ny = ux;
  const path =
    `M${r1(tip.x)},${r1(tip.y)}` +
    `L${r1(base.x + HEAD_HALF * nx)},${r1(base.y + HEAD_HALF * ny)}` +
    `L${r1(base.x - HEAD_HALF * nx)},${r1(base.y - HEAD_HALF * ny)}Z`;
  return { base, path };
}

/** A straight arrow from rect a to rect b, shifted sideways by `offset` (parallel lanes). */
function straightArrow(
  a: Rect,
  b: Rect,
  offset: number,
): Pick<ArrowGeom, 'start' | 'end' | 'path' | 'head' | 'mid'> {
  const ca = centre(a);
  const cb = centre(b);
  const len = Math.hypot(cb.x - ca.x, cb.y - ca.y) || 1;
  const ux = (cb.x - ca.x) / len;
  const uy = (cb.y - ca.y) / len;
  const ia = inset(a, INSET);
  const ib = inset(b, INSET);
  // Shift both centres sideways, keeping them inside their rects.
  const p = {
    x: clamp(ca.x - uy * offset, ia.x, ia.x + ia.width),
    y: clamp(ca.y + ux * offset, ia.y, ia.y + ia.height),
  };
  const q = {
    x: clamp(cb.x - uy * offset, ib.x, ib.x + ib.width),
    y: clamp(cb.y + ux * offset, ib.y, ib.y + ib.height),
  };
  const ta = exitT(p, q, ia);
  const tb = exitT(q, p, ib);
  const start = { x: p.x + ta * (q.x - p.x), y: p.y + ta * (q.y - p.y) };
  const end = { x: q.x + tb * (p.x - q.x), y: q.y + tb * (p.y - q.y) };
  const l = Math.hypot(end.x - start.x, end.y - start.y) || 1;
  const h = head(end, (end.x - start.x) / l, (end.y - start.y) / l);
  return {
    start: { x: r1(start.x), y: r1(start.y) },
    end: { x: r1(end.x), y: r1(end.y) },
    path: `M${r1(start.x)},${r1(start.y)}L${r1(h.base.x)},${r1(h.base.y)}`,
    head: h.path,
    mid: { x: r1((start.x + end.x) / 2), y: r1((start.y + end.y) / 2) },
  };
}

/** The k-th self-event of a rect: a small loop in the band along its bottom edge. */
function loopArrow(r: Rect, k: number): Pick<ArrowGeom, 'start' | 'end' | 'path' | 'head' | 'mid'> {
  const capacity = Math.max(1, Math.floor((r.width - 2 * PAD - 8) / LOOP_SPACING));
  const slot = k % capacity;
  const bx = r.x + PAD + 12 + slot * LOOP_SPACING;
  const by = r.y + r.height - 6;
  const start = { x: bx - 6, y: by };
  const tip = { x: bx + 6, y: by };
  const c1 = { x: bx - 16, y: by - 24 };
  const c2 = { x: bx + 16, y: by - 24 };
  const dl = Math.hypot(tip.x - c2.x, tip.y - c2.y);
  const h = head(tip, (tip.x - c2.x) / dl, (tip.y - c2.y) / dl);
  return {
    start,
    end: tip,
    path: `M${r1(start.x)},${r1(start.y)}C${c1.x},${c1.y} ${c2.x},${c2.y} ${r1(h.base.x)},${r1(h.base.y)}`,
    head: h.path,
    // Labels go to the loop's right, in the band (later loops of the region are not drawn yet).
    mid: { x: bx + 20, y: by - 11 },
  };
}

/** How far apart the parallel arrows between two rects may spread, in total. */
function maxSpread(a: Rect, b: Rect, gapH: number, gapV: number): number {
  const ca = centre(a);
  const cb = centre(b);
  const side = Math.abs(cb.y - ca.y) < 1; // horizontal neighbours
  const above = Math.abs(cb.x - ca.x) < 1; // vertical neighbours
  if (side) return Math.max(0, Math.min(a.height, b.height) - 2 * 20);
  if (above) return Math.max(0, Math.min(a.width, b.width) - 2 * 20);
  // Diagonal: stay within the crossing of the two gaps.
  return Math.min(gapH, gapV) * 0.8;
}

export interface TrustMapInput {
  /** Container width in px. */
  width: number;
  /** Every event of the run (the view shows those with seq < step). */
  events: readonly TranscriptEvent[];
}

export function layoutTrustMap({ width, events }: TrustMapInput): TrustMapLayout {
  const W = Math.max(280, Math.floor(width));
  const compact = W < COMPACT;
  const gapH = compact ? 28 : clamp(Math.round(W * 0.06), 40, 96);
  const gapV = compact ? 32 : clamp(Math.round(W * 0.05), 40, 64);
  const cw = (W - 2 * MARGIN - gapH) / 2;
  const row = cw >= ROW_MIN_REGION;
  const maxComps = Math.max(...REGION_IDS.map((id) => COMPONENTS[id].length));
  const compsH = row ? COMP_H : maxComps * COMP_H + (maxComps - 1) * COMP_GAP;
  const rh = HEADER + compsH + 8 + LOOP_STRIP;

  const regions: RegionGeom[] = REGION_IDS.map((id) => {
    const [col, rowIdx] = CELL[id];
    const x = MARGIN + col * (cw + gapH);
    const y = MARGIN + rowIdx * (rh + gapV);
    const ids = COMPONENTS[id];
    const inner = cw - 2 * PAD;
    const components: ComponentGeom[] = row
      ? (() => {
          const w = Math.min(170, (inner - (ids.length - 1) * 8) / ids.length);
          const total = ids.length * w + (ids.length - 1) * 8;
          const x0 = x + (cw - total) / 2;
          return ids.map((cid, i) => ({
            id: cid,
            x: r1(x0 + i * (w + 8)),
            y: y + HEADER,
            width: r1(w),
            height: COMP_H,
          }));
        })()
      : ids.map((cid, i) => ({
          id: cid,
          x: r1(x + PAD),
          y: y + HEADER + i * (COMP_H + COMP_GAP),
          width: r1(inner),
          height: COMP_H,
        }));
    return {
      id,
      x: r1(x),
      y,
      width: r1(cw),
      height: rh,
      components,
      title: { x: r1(x + 10), y: y + 19 },
      tag: { x: r1(x + cw - 8), y: y + 6 },
      subtitle: { x: r1(x + 10), y: y + 35 },
      badge: { x: r1(x + 8), y: y + 42 },
      chars: Math.max(4, Math.floor((cw - 16) / CHAR_PX)),
      titleChars: Math.max(4, Math.floor((cw - 20) / TITLE_CHAR_PX)),
    };
  });

  const gridBottom = MARGIN + 2 * rh + gapV;
  const nodes: NodeGeom[] = NODE_IDS.map((id) => {
    const col = NODE_COLUMN[id];
    const w = Math.min(NODE_W, cw);
    return {
      id,
      x: r1(MARGIN + col * (cw + gapH) + (cw - w) / 2),
      y: gridBottom + NODE_GAP,
      width: r1(w),
      height: NODE_H,
    };
  });
  const nodesBottom = gridBottom + NODE_GAP + NODE_H;
  const caption = compact
    ? { x: MARGIN, y: nodesBottom + 8, width: r1(W - 2 * MARGIN), height: CAPTION_LINES * 15 + 8 }
    : null;
  const height = (caption ? caption.y + caption.height : nodesBottom) + MARGIN;

  const rects = new Map<Actor, Rect>([...regions, ...nodes].map((r) => [r.id, r]));
  const rectOf = (a: Actor): Rect => {
    const r = rects.get(a);
    if (!r) throw new RangeError(`trust map: no region or node for actor '${a}'`);
    return r;
  };

  // Lanes: events between the same two actors (either direction) spread side by side.
  const pairKey = (e: TranscriptEvent) => [e.from, e.to].sort().join('|');
  const lanes = new Map<string, number[]>();
  const loops = new Map<Actor, number[]>();
  for (const e of events) {
    if (e.from === e.to) loops.set(e.from, [...(loops.get(e.from) ?? []), e.seq]);
    else lanes.set(pairKey(e), [...(lanes.get(pairKey(e)) ?? []), e.seq]);
  }

  const arrows: ArrowGeom[] = events.map((e) => {
    const base = {
      seq: e.seq,
      kind: e.kind,
      from: e.from,
      to: e.to,
      ...(e.attack ? { attack: e.attack } : {}),
    };
    if (e.from === e.to) {
      const k = (loops.get(e.from) ?? []).indexOf(e.seq);
      return { ...base, self: true, ...loopArrow(rectOf(e.from), k) };
    }
    const lane = lanes.get(pairKey(e)) ?? [e.seq];
    const n = lane.length;
    const i = lane.indexOf(e.seq);
    // Offsets are measured perpendicular to a canonical direction, so both directions share one set of lanes.
    const [first, second] = [e.from, e.to].sort() as [Actor, Actor];
    const spread = Math.min((n - 1) * 10, maxSpread(rectOf(first), rectOf(second), gapH, gapV));
    const offset = n > 1 ? -spread / 2 + (i * spread) / (n - 1) : 0;
    const signed = e.from === first ? offset : -offset;
    return { ...base, self: false, ...straightArrow(rectOf(e.from), rectOf(e.to), signed) };
  });

  return { width: W, height, compact, regions, nodes, arrows, caption };
}

/** Opacity of an arrow `age` events before the latest (age 0 is the latest). */
export function arrowOpacity(age: number): number {
  return age <= 0 ? 1 : Math.max(0.3, 0.7 - 0.06 * (age - 1));
}

/** Breaks text at spaces into at most `lines` lines of at most `chars` characters; the last is cut with an ellipsis. */
export function wrapText(text: string, chars: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > 0 && out.length < lines - 1 && rest.length > chars) {
    const cut = rest.lastIndexOf(' ', chars);
    const at = cut > chars / 3 ? cut : chars;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) out.push(fit(rest, chars));
  return out;
}

/** Cuts text to `chars` characters, ending in an ellipsis when cut. */
export function fit(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1)).trimEnd()}…`;
}

export interface LabelBox extends Rect {
  /** How many characters of 11 px text fit on one line. */
  chars: number;
}

/**
 * A label box of `lines` lines for `chars` characters next to `at`, kept inside [0, width] ×
 * [0, height] and no wider than `maxWidth`: centred above `at`, or — for a label `beside` a steep
 * arrow, which a box above would hide — to its right (left when the right has no room), centred on it.
 */
export function labelBox(
  at: Pt,
  chars: number,
  lines: number,
  bounds: { width: number; height: number },
  maxWidth = 320,
  beside = false,
): LabelBox {
  const limit = Math.min(maxWidth, bounds.width - 2 * MARGIN);
  const width = Math.min(limit, Math.ceil(chars * CHAR_PX) + 12);
  const height = lines * 15 + 6;
  let x = at.x - width / 2;
  let y = at.y - height - 6;
  if (beside) {
    const right = bounds.width - MARGIN - (at.x + 10);
    const left = at.x - 10 - MARGIN;
    x = right >= width || right >= left ? at.x + 10 : at.x - 10 - width;
    y = at.y - height / 2;
  }
  return {
    x: r1(clamp(x, MARGIN, bounds.width - MARGIN - width)),
    y: r1(clamp(y, MARGIN, bounds.height - MARGIN - height)),
    width,
    height,
    chars: Math.max(4, Math.floor((width - 12) / CHAR_PX)),
  };
}

/** Whether an arrow's label goes beside it: a loop's, and a steep arrow's (a box above would hide it). */
export function labelBeside(a: Pick<ArrowGeom, 'start' | 'end' | 'self'>): boolean {
  return a.self || Math.abs(a.end.y - a.start.y) > Math.abs(a.end.x - a.start.x);
}

/**
 * Moves each label box up or down, as little as it can, so that it overlaps none placed before it
 * and stays within [0, height]; boxes keep their order and x. Greedy, enough for the handful of
 * labels the map shows (a box that fits nowhere stays where it was).
 */
export function separate<T extends Rect>(boxes: readonly T[], height: number): T[] {
  const placed: T[] = [];
  for (const b of boxes) {
    const candidates = [b.y, ...placed.flatMap((p) => [p.y + p.height + 2, p.y - b.height - 2])]
      .filter((y) => y >= MARGIN && y + b.height <= height - MARGIN)
      .sort((p, q) => Math.abs(p - b.y) - Math.abs(q - b.y));
    const y = candidates.find((c) => !placed.some((p) => overlaps(p, { ...b, y: c })));
    placed.push({ ...b, y: y ?? b.y });
  }
  return placed;
}

// ─── What each domain saw in plaintext ────────────────────────────────────────────────────────────

export interface SeenItem {
  seq: number;
  kind: EventKind;
  title: string;
  /** The bytes contain the owner's workload secret. */
  secret: boolean;
  attack?: string;
}

export interface DomainSight {
  domain: RegionId;
  /** Events so far that carried bytes this domain could read in the clear, in order. */
  items: SeenItem[];
  /** Whether the owner trusts this domain on this platform. */
  trusted: boolean;
  /** The first event whose plaintext held the secret, or null. */
  secretSeq: number | null;
  /** The domain saw the secret and the owner does not trust it: the view's alarm. */
  alarm: boolean;
}

/** Whether `hex` contains `needle` at a byte boundary (both lowercase hex). */
export function containsHex(hex: string, needle: string): boolean {
  if (needle.length === 0) return false;
  for (let i = hex.indexOf(needle); i >= 0; i = hex.indexOf(needle, i + 1)) if (i % 2 === 0) return true;
  return false;
}

/**
 * For each trust domain, what it could read in plaintext in the first `step` events: the events that
 * carried bytes and list the domain in `plaintextTo`, and whether any of them held the secret.
 */
export function plaintextSeen(
  run: Pick<ExplorerRun, 'events' | 'secret' | 'trustedDomains'>,
  step: number,
): DomainSight[] {
  const secret = run.secret.toLowerCase();
  const shown = run.events.slice(0, Math.max(0, step));
  return REGION_IDS.map((domain) => {
    const items: SeenItem[] = shown.flatMap((e) =>
      e.bytes && e.plaintextTo.includes(domain)
        ? [
            {
              seq: e.seq,
              kind: e.kind,
              title: e.title,
              secret: containsHex(e.bytes, secret),
              ...(e.attack ? { attack: e.attack } : {}),
            },
          ]
        : [],
    );
    const trusted = run.trustedDomains.includes(domain);
    const secretSeq = items.find((i) => i.secret)?.seq ?? null;
    return { domain, items, trusted, secretSeq, alarm: secretSeq !== null && !trusted };
  });
}

/**
 * The actors an injected attacker acts through: the host for any attack (root on the host relays,
 * launches and reads), plus the device or the vendor when an attack's attacker is one of those.
 */
export function attackerReach(attacks: readonly string[]): Set<Actor> {
  const reach = new Set<Actor>();
  for (const id of attacks) {
    reach.add('host');
    try {
      reach.add(attackById(id).attacker);
    } catch {
      // An unknown id (a newer scenario): the host outline is all we can say.
    }
  }
  return reach;
}
