/**
 * Layout of the Statechart view: each machine's top-level states as boxes in layers from the initial
 * state downwards, and its transitions as arrows between them, each labelled with its event and guard.
 *
 * Layers: the longest path from the initial state over the transitions that lead forward (a DFS from
 * the initial state sets aside the ones that lead back), so a state comes after every state that can
 * lead to it. States only a machine-wide transition reaches (guest `halted`) go below the rest, with a
 * dashed "any state" box above them as the arrow's source. An arrow spanning several layers passes
 * through a placeholder slot in each layer between, so it never crosses a box. Within a layer, slots
 * are ordered by the average position of their predecessors (one downward barycenter sweep) and
 * share the width equally. Transitions that stay in their state, or move between children of one
 * state, are listed inside the box ("↻ EVENT"); child states are listed inside their parent.
 *
 * Labels sit on their arrow: each arrow is drawn through its label's centre, and a label that would
 * overlap an earlier one in the same gap slides along the arrow or moves down a line. Arrows leading
 * back to an earlier layer (none in today's machines) run up a margin on the right, labels beside them.
 * Pure: numbers and SVG path strings from d3-shape, no DOM. Text widths are estimated from the
 * monospace advance (the view draws names in var(--mono)).
 */
import { curveBumpY, line } from 'd3';
import type { MachineName, MachineStep } from '../../../model/explore-types';
import {
  ANY_STATE,
  type MachineGraph,
  type StateInfo,
  type TransitionInfo,
} from '../../../model/machines/graph';

/** Font sizes (px) the view uses; the layout estimates text widths from them. */
export const NAME_FONT = 13;
export const LABEL_FONT = 11;
/** Average advance of a monospace character, as a fraction of the font size (slightly generous). */
const ADVANCE = 0.62;
const NAME_LINE = 17;
const LABEL_LINE = 14;
const PAD_X = 8;
const PAD_Y = 6;
const SLOT_GAP = 10;
const MIN_BOX = 72;
/** Room above the first layer for the initial-state marker. */
export const TOP = 30;
const BOTTOM = 10;
const MIN_GAP = 34;
const ARROW_GAP = 3;
/** The box id of the "any state" source of machine-wide transitions. */
export const ANY_BOX = '*';

export interface StateBox {
  /** The top-level state's id, or ANY_BOX. */
  id: string;
  kind: 'state' | 'any';
  /** Left and top edges, width and height. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The state's name, wrapped to the box (centred on x). */
  nameLines: TextLine[];
  /** Child states, indented, and transitions that stay inside the box ("↻ EVENT [guard]"), wrapped (from x). */
  detailLines: (TextLine & { child?: string; transition?: string })[];
  /** The y of the reserved status line ("active"), so the box keeps its size while stepping. */
  statusY: number;
  initial: boolean;
  final: boolean;
  layer: number;
  state: StateInfo | null;
  /** Transitions drawn inside the box. */
  internal: TransitionInfo[];
}

/** One line of text and where it goes (y is the line's middle). */
export interface TextLine {
  text: string;
  x: number;
  y: number;
}

export interface EdgeLabel {
  /** The lines, centred on x. */
  lines: TextLine[];
  /** The label block's centre and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeLayout {
  /** `${source}->${target}`, with box ids. */
  id: string;
  source: string;
  target: string;
  /** Every transition from source to target (several guarded candidates share one arrow). */
  transitions: TransitionInfo[];
  /** SVG path data, ending at the target box's edge (the view adds the arrowhead). */
  path: string;
  label: EdgeLabel;
  /** True for an arrow leading back to an earlier layer (routed round the right side). */
  back: boolean;
}

export interface MachineLayout {
  name: MachineName;
  width: number;
  height: number;
  boxes: StateBox[];
  edges: EdgeLayout[];
  /** The initial-state marker: a dot and the arrow from it into the initial box. */
  initialMarker: { cx: number; cy: number; path: string } | null;
}

/** How many machines go side by side in a container `width` px wide: 4, 2 or 1. */
export function columnsFor(width: number): 1 | 2 | 4 {
  return width >= 1120 ? 4 : width >= 560 ? 2 : 1;
}

/** Estimated width (px) of `text` at `font` px. */
export function textWidth(text: string, font: number): number {
  return text.length * font * ADVANCE;
}

/** Where a name may break: after '_' or '.', before '[', or between a lower-case letter and a capital. */
function isBreak(word: string, i: number): boolean {
  const before = word[i - 1];
  const at = word[i];
  return before === '_' || before === '.' || at === '[' || (/[a-z0-9]/.test(before) && /[A-Z]/.test(at));
}

/** `word` cut into pieces of at most `limit` characters, at name boundaries where it can. */
function breakWord(word: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (rest.length > limit) {
    let cut = limit;
    for (let i = limit; i >= 3; i--)
      if (isBreak(rest, i)) {
        cut = i;
        break;
      }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * `text` cut into lines of at most `maxChars`: at spaces where it can (never at a no-break space),
 * a long name at its word boundaries (camelCase, snake_case), else mid-word.
 */
export function wrap(text: string, maxChars: number): string[] {
  const limit = Math.max(4, Math.floor(maxChars + 1e-6));
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const pieces = breakWord(word, limit);
    const first = pieces[0];
    if (current && current.length + 1 + first.length <= limit) current += ` ${first}`;
    else {
      if (current) lines.push(current);
      current = first;
    }
    for (const piece of pieces.slice(1)) {
      lines.push(current);
      current = piece;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** One transition as an arrow label: "EVENT [guard]", "always [guard]", "[else]" for a fallback. */
export function transitionLabel(t: TransitionInfo): string {
  const event = t.eventless ? 'always' : t.event;
  const guard = t.guard ? ` [${t.guard}]` : t.fallback ? ' [else]' : '';
  return `${event}${guard}`;
}

/** The top-level box each state is drawn in (a nested state is drawn inside its top-level ancestor). */
function boxIndex(graph: MachineGraph): Map<string, string> {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const out = new Map<string, string>();
  for (const s of graph.states) {
    let top = s;
    while (top.parent !== ANY_STATE) {
      const parent = byId.get(top.parent);
      if (!parent) break;
      top = parent;
    }
    out.set(s.id, top.id);
  }
  return out;
}

/** The top-level box of `stateId` (one of a parallel state's comma-separated regions counts). */
export function boxOf(graph: MachineGraph, stateId: string): string | null {
  const index = boxIndex(graph);
  for (const part of stateId.split(',')) {
    const box = index.get(part.trim());
    if (box) return box;
  }
  return null;
}

function labelLines(lines: string[], x: number, y: number, height: number): TextLine[] {
  return lines.map((text, k) => ({ text, x, y: y - height / 2 + 2 + (k + 0.5) * LABEL_LINE }));
}

interface Slot {
  id: string;
  /** For a placeholder: the edge it carries. */
  edge?: string;
  order: number;
}

/** Lays out one machine's statechart in a column `width` px wide. */
export function layoutMachine(graph: MachineGraph, width: number): MachineLayout {
  const W = Math.max(160, width);
  const toBox = boxIndex(graph);
  const topStates = graph.states.filter((s) => s.parent === ANY_STATE);
  const internal = new Map<string, TransitionInfo[]>(topStates.map((s) => [s.id, []]));
  const anyInternal: TransitionInfo[] = [];
  const grouped = new Map<string, { source: string; target: string; transitions: TransitionInfo[] }>();

  for (const t of graph.transitions) {
    const source = t.source === ANY_STATE ? ANY_BOX : (toBox.get(t.source) ?? ANY_BOX);
    const targets = [...new Set(t.targets.map((id) => toBox.get(id)).filter((b): b is string => !!b))];
    if (targets.length === 0 || targets.every((b) => b === source)) {
      (source === ANY_BOX ? anyInternal : internal.get(source))?.push(t);
      continue;
    }
    for (const target of targets) {
      if (target === source) continue;
      const key = `${source}->${target}`;
      const group = grouped.get(key) ?? { source, target, transitions: [] };
      group.transitions.push(t);
      grouped.set(key, group);
    }
  }
  const hasAny = [...grouped.values()].some((g) => g.source === ANY_BOX) || anyInternal.length > 0;

  // Layers: a DFS from the initial state (then from any state it does not reach) sets aside the
  // arrows leading back; the rest form a DAG, layered by longest path.
  const initialBox = toBox.get(graph.initial) ?? topStates[0]?.id;
  const edgeKeys = [...grouped.keys()];
  const edgeOf = (key: string) =>
    grouped.get(key) as { source: string; target: string; transitions: TransitionInfo[] };
  const successors = new Map<string, string[]>();
  for (const g of grouped.values())
    if (g.source !== ANY_BOX) successors.set(g.source, [...(successors.get(g.source) ?? []), g.target]);
  const back = new Set<string>();
  const seen = new Map<string, 'open' | 'done'>();
  const dfs = (id: string) => {
    seen.set(id, 'open');
    for (const next of successors.get(id) ?? []) {
      if (seen.get(next) === 'open') back.add(`${id}->${next}`);
      else if (!seen.has(next)) dfs(next);
    }
    seen.set(id, 'done');
  };
  if (initialBox) dfs(initialBox);
  const reached = new Set(seen.keys());
  for (const s of topStates) if (!seen.has(s.id)) dfs(s.id);
  const forward = edgeKeys
    .map(edgeOf)
    .filter((g) => g.source !== ANY_BOX && !back.has(`${g.source}->${g.target}`));
  const layer = new Map<string, number>();
  const longestPath = (nodes: string[], base: (id: string) => number) => {
    const pending = new Map(
      nodes.map((id) => [id, forward.filter((g) => g.target === id && nodes.includes(g.source)).length]),
    );
    const queue = nodes.filter((id) => pending.get(id) === 0);
    for (const id of queue) layer.set(id, Math.max(layer.get(id) ?? 0, base(id)));
    while (queue.length) {
      const id = queue.shift() as string;
      for (const g of forward.filter((e) => e.source === id && nodes.includes(e.target))) {
        layer.set(g.target, Math.max(layer.get(g.target) ?? 0, (layer.get(id) ?? 0) + 1));
        const left = (pending.get(g.target) ?? 1) - 1;
        pending.set(g.target, left);
        if (left === 0) queue.push(g.target);
      }
    }
  };
  const topIds = topStates.map((s) => s.id);
  longestPath(
    topIds.filter((id) => reached.has(id)),
    () => 0,
  );
  const afterReached = Math.max(-1, ...layer.values()) + 1;
  longestPath(
    topIds.filter((id) => !reached.has(id)),
    () => afterReached,
  );
  if (hasAny) {
    const targets = [...grouped.values()]
      .filter((g) => g.source === ANY_BOX)
      .map((g) => layer.get(g.target) ?? 1);
    layer.set(ANY_BOX, Math.max(0, Math.min(...(targets.length ? targets : [1])) - 1));
  }
  const layerCount = Math.max(0, ...layer.values()) + 1;
  const isDown = (key: string) =>
    !back.has(key) && (layer.get(edgeOf(key).target) ?? 0) > (layer.get(edgeOf(key).source) ?? 0);

  // Slots: real boxes plus a placeholder in each layer an arrow passes through.
  const slots: Slot[][] = Array.from({ length: layerCount }, () => []);
  const order = [...topIds, ...(hasAny ? [ANY_BOX] : [])];
  order.forEach((id, i) => slots[layer.get(id) ?? 0].push({ id, order: i }));
  for (const key of edgeKeys.filter(isDown)) {
    const g = edgeOf(key);
    for (let l = (layer.get(g.source) ?? 0) + 1; l < (layer.get(g.target) ?? 0); l++)
      slots[l].push({ id: `${key}@${l}`, edge: key, order: order.indexOf(g.source) + 0.5 });
  }
  /** The slot an arrow `key` occupies in layer `l` (its source, a placeholder, or its target). */
  const slotOfEdge = (key: string, l: number) => {
    const g = edgeOf(key);
    if (layer.get(g.source) === l) return g.source;
    if (layer.get(g.target) === l) return g.target;
    return `${key}@${l}`;
  };
  // One downward barycenter sweep: order each layer by where its predecessors sit.
  const position = new Map<string, number>();
  slots.forEach((row, l) => {
    if (l > 0)
      for (const slot of row) {
        const preds = slot.edge
          ? [slotOfEdge(slot.edge, l - 1)]
          : edgeKeys
              .filter((key) => isDown(key) && edgeOf(key).target === slot.id)
              .map((key) => slotOfEdge(key, l - 1));
        const known = preds.map((p) => position.get(p)).filter((p): p is number => p !== undefined);
        if (known.length) slot.order = known.reduce((a, b) => a + b, 0) / known.length;
        else slot.order = 1 + slot.order / 1000;
      }
    row.sort((a, b) => a.order - b.order);
    row.forEach((slot, i) => position.set(slot.id, (i + 0.5) / row.length));
  });

  // Arrow labels: one block per arrow, lines of "EVENT [guard]" wrapped to `maxWidth`.
  const nameChars = (w: number) => (w - 2 * PAD_X) / (NAME_FONT * ADVANCE);
  const labelChars = (w: number) => (w - 2 * PAD_X) / (LABEL_FONT * ADVANCE);
  const labelOf = (transitions: TransitionInfo[], maxWidth: number) => {
    const lines = [...new Set(transitions.map(transitionLabel))].flatMap((t) =>
      wrap(t, labelChars(maxWidth)),
    );
    const widthPx = Math.max(...lines.map((t) => textWidth(t, LABEL_FONT))) + 8;
    return { lines, width: Math.min(maxWidth, widthPx), height: lines.length * LABEL_LINE + 4 };
  };
  // Arrows leading back run up a margin on the right, where their labels go; boxes share the rest.
  const backKeys = edgeKeys.filter((key) => !isDown(key));
  const margin = backKeys.length
    ? Math.min(
        W * 0.4,
        Math.max(...backKeys.map((key) => labelOf(edgeOf(key).transitions, W * 0.4 - 8).width)) +
          8 +
          4 * backKeys.length,
      )
    : 0;
  const inner = W - margin;

  // Boxes: width from the slot and the text, height from the wrapped lines.
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const boxes = new Map<string, StateBox>();
  slots.forEach((row, l) => {
    const slotWidth = inner / row.length;
    for (const slot of row) {
      if (slot.edge) continue;
      const info = slot.id === ANY_BOX ? null : (byId.get(slot.id) ?? null);
      const name = info ? info.name : 'any state';
      const own = slot.id === ANY_BOX ? anyInternal : (internal.get(slot.id) ?? []);
      const descendants = info
        ? graph.states.filter((s) => s.id !== info.id && toBox.get(s.id) === info.id)
        : [];
      const details = [
        ...descendants.map((s) => ({
          text: `${'\u00a0\u00a0'.repeat(s.depth - 2)}◦\u00a0${s.name}${s.final ? ' (final)' : ''}`,
          child: s.id,
        })),
        ...own.map((t) => ({ text: `↻\u00a0${transitionLabel(t)}`, transition: t.id })),
      ];
      const wanted = Math.max(
        MIN_BOX,
        textWidth(name, NAME_FONT) + 2 * PAD_X,
        ...details.map((d) => textWidth(d.text, LABEL_FONT) + 2 * PAD_X),
        textWidth('● active', LABEL_FONT) + 2 * PAD_X,
      );
      const boxWidth = Math.min(slotWidth - SLOT_GAP, wanted);
      const centre = (position.get(slot.id) ?? 0.5) * inner;
      const x = Math.max(0, Math.min(inner - boxWidth, centre - boxWidth / 2));
      // y relative to the box's top until the layer's y is known.
      const nameLines = wrap(name, nameChars(boxWidth)).map((text, k) => ({
        text,
        x: x + boxWidth / 2,
        y: PAD_Y + (k + 0.5) * NAME_LINE,
      }));
      const detailTop = PAD_Y + nameLines.length * NAME_LINE;
      const detailLines = details
        .flatMap((d) => wrap(d.text, labelChars(boxWidth)).map((text) => ({ ...d, text })))
        .map((d, k) => ({ ...d, x: x + PAD_X, y: detailTop + (k + 0.5) * LABEL_LINE }));
      const height = PAD_Y * 2 + nameLines.length * NAME_LINE + detailLines.length * LABEL_LINE + LABEL_LINE;
      boxes.set(slot.id, {
        id: slot.id,
        kind: slot.id === ANY_BOX ? 'any' : 'state',
        x,
        y: 0,
        width: boxWidth,
        height,
        nameLines,
        detailLines,
        statusY: 0,
        initial: info !== null && info.id === initialBox,
        final: info?.final ?? false,
        layer: l,
        state: info,
        internal: own,
      });
    }
  });

  // Labels of downward arrows, placed in the gap below the arrow's source layer.
  const xOf = (id: string) => {
    const box = boxes.get(id);
    return box ? box.x + box.width / 2 : (position.get(id) ?? 0.5) * inner;
  };
  /** The first point an arrow from `key` heads for: its first placeholder, or its target. */
  const firstStop = (key: string, g: { target: string }, from: number) =>
    (layer.get(g.target) ?? 0) - from > 1 ? xOf(`${key}@${from + 1}`) : xOf(g.target);

  const layerTop: number[] = [];
  const layerHeight: number[] = [];
  const labels = new Map<string, EdgeLabel>();
  let y = TOP;
  for (let l = 0; l < layerCount; l++) {
    const row = slots[l].filter((s) => !s.edge).map((s) => boxes.get(s.id) as StateBox);
    const height = Math.max(0, ...row.map((b) => b.height));
    layerTop[l] = y;
    layerHeight[l] = height;
    for (const b of row) {
      b.y = y;
      for (const l of [...b.nameLines, ...b.detailLines]) l.y += y;
      b.statusY = y + b.height - PAD_Y - LABEL_LINE / 2;
    }
    y += height;
    if (l === layerCount - 1) break;
    // Place the labels of arrows leaving this layer downwards.
    const gapTop = y + 16;
    const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
    const leaving = edgeKeys
      .filter(isDown)
      .map((key) => ({ key, g: edgeOf(key) }))
      .filter(({ g }) => layer.get(g.source) === l)
      .sort(
        (a, b) => xOf(a.g.source) - xOf(b.g.source) || firstStop(a.key, a.g, l) - firstStop(b.key, b.g, l),
      );
    let bottom = gapTop;
    for (const { key, g } of leaving) {
      const block = labelOf(g.transitions, Math.min(inner - 4, 260));
      const xs = xOf(g.source);
      const xt = firstStop(key, g, l);
      const clampX = (x: number) => Math.max(block.width / 2 + 2, Math.min(inner - block.width / 2 - 2, x));
      let spot: { x: number; y: number } | null = null;
      for (let row = 0; !spot; row++) {
        const cy = gapTop + row * (LABEL_LINE / 2) + block.height / 2;
        for (const f of [0.5, 0.65, 0.35, 0.8, 0.2]) {
          const cx = clampX(xs + (xt - xs) * f);
          const box = {
            x0: cx - block.width / 2,
            x1: cx + block.width / 2,
            y0: cy - block.height / 2,
            y1: cy + block.height / 2,
          };
          if (
            placed.every(
              (p) => box.x1 + 4 <= p.x0 || box.x0 >= p.x1 + 4 || box.y1 + 2 <= p.y0 || box.y0 >= p.y1 + 2,
            )
          ) {
            spot = { x: cx, y: cy };
            placed.push(box);
            break;
          }
        }
      }
      labels.set(key, {
        ...block,
        lines: labelLines(block.lines, spot.x, spot.y, block.height),
        x: spot.x,
        y: spot.y,
      });
      bottom = Math.max(bottom, spot.y + block.height / 2);
    }
    y = Math.max(y + MIN_GAP, bottom + 18);
  }
  let height = y + BOTTOM;

  // Arrows.
  const path = line<[number, number]>().curve(curveBumpY);
  const edges: EdgeLayout[] = [];
  for (const key of edgeKeys) {
    const g = edgeOf(key);
    const s = boxes.get(g.source) as StateBox;
    const t = boxes.get(g.target) as StateBox;
    const from = layer.get(g.source) ?? 0;
    const to = layer.get(g.target) ?? 0;
    if (isDown(key)) {
      const label = labels.get(key) as EdgeLabel;
      const points: [number, number][] = [
        [s.x + s.width / 2, s.y + s.height],
        [label.x, label.y],
      ];
      for (let l = from + 1; l < to; l++) {
        const x = xOf(`${key}@${l}`);
        points.push([x, layerTop[l]], [x, layerTop[l] + layerHeight[l]]);
      }
      points.push([t.x + t.width / 2, t.y - ARROW_GAP]);
      edges.push({
        id: key,
        source: g.source,
        target: g.target,
        transitions: g.transitions,
        path: path(points) ?? '',
        label,
        back: false,
      });
    } else {
      // Back to an earlier layer: out of the source's right side, up a lane in the right margin.
      const k = backKeys.indexOf(key);
      const block = labelOf(g.transitions, margin - 4);
      const lane = inner + 4 + 4 * k;
      const sy = s.y + s.height / 2;
      const ty = t.y + t.height / 2;
      const lx = Math.max(inner + 2 + block.width / 2, W - 2 - block.width / 2);
      let ly = (sy + ty) / 2;
      const clash = () =>
        edges.some(
          (e) =>
            e.back &&
            Math.abs(e.label.y - ly) < (e.label.height + block.height) / 2 + 2 &&
            Math.abs(e.label.x - lx) < (e.label.width + block.width) / 2 + 2,
        );
      while (clash()) ly += LABEL_LINE / 2;
      const label: EdgeLabel = {
        lines: labelLines(block.lines, lx, ly, block.height),
        x: lx,
        y: ly,
        width: block.width,
        height: block.height,
      };
      const d = `M${s.x + s.width},${sy} C${lane},${sy} ${lane},${ly} ${lane},${ly} S${lane},${ty} ${t.x + t.width + ARROW_GAP},${ty}`;
      edges.push({
        id: key,
        source: g.source,
        target: g.target,
        transitions: g.transitions,
        path: d,
        label,
        back: true,
      });
    }
  }
  height = Math.max(height, ...edges.map((e) => e.label.y + e.label.height / 2 + BOTTOM));

  const first = initialBox ? boxes.get(initialBox) : undefined;
  const initialMarker = first
    ? {
        cx: first.x + first.width / 2,
        cy: first.y - TOP + 7,
        path: `M${first.x + first.width / 2},${first.y - TOP + 12}V${first.y - ARROW_GAP}`,
      }
    : null;

  return { name: graph.name, width: W, height, boxes: [...boxes.values()], edges, initialMarker };
}

export interface ActiveState {
  /** The timeline entry the machine is in at the step (null before it started). */
  current: MachineStep | null;
  /** The entry before it, for the transition last taken. */
  previous: MachineStep | null;
}

/** The state `machine` is in after `step` transcript events: its last timeline entry with at <= step. */
export function activeAt(timeline: readonly MachineStep[], machine: MachineName, step: number): ActiveState {
  let current: MachineStep | null = null;
  let previous: MachineStep | null = null;
  for (const entry of timeline) {
    if (entry.machine !== machine || entry.at > step) continue;
    previous = current;
    current = entry;
  }
  return { current, previous };
}

/**
 * The arrows the machine took from the previous state's box to the current one's: the direct arrow,
 * or a path whose later arrows are eventless ("always") transitions the machine passed through
 * without stopping (owner: challenged → appraised → released), or the arrow from "any state".
 * Empty when the machine has not moved between boxes.
 */
export function lastTakenEdges(layout: MachineLayout, graph: MachineGraph, active: ActiveState): string[] {
  if (!active.current || !active.previous) return [];
  const to = boxOf(graph, active.current.state);
  const from = boxOf(graph, active.previous.state);
  if (!to || !from || to === from) return [];
  const paths: { at: string; edges: string[] }[] = [{ at: from, edges: [] }];
  for (let depth = 0; depth < layout.boxes.length && paths.length; depth++) {
    const next: { at: string; edges: string[] }[] = [];
    for (const p of paths)
      for (const e of layout.edges) {
        if (e.source !== p.at || p.edges.includes(e.id)) continue;
        if (p.edges.length > 0 && !e.transitions.some((t) => t.eventless)) continue;
        if (e.target === to) return [...p.edges, e.id];
        next.push({ at: e.target, edges: [...p.edges, e.id] });
      }
    paths.splice(0, paths.length, ...next);
  }
  const fromAny = layout.edges.find((e) => e.source === ANY_BOX && e.target === to);
  return fromAny ? [fromAny.id] : [];
}
