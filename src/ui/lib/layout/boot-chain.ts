/**
 * Layout of the measured-boot view: each register (PCR, RTMR, MRTD, launch digest, …) as a chain of
 * nodes, one per extend, starting from the register's reset value. Nodes flow left to right and wrap
 * onto further lines; below 480 px there is one node a line, so the chain becomes a column.
 *
 * Taint: a step whose input differs from the owner's reference image (`changed`) and every later step
 * of the same register are `tainted` — an extend can never undo a difference, so each later value
 * differs too — and so is the link into each of them. Pure: numbers and SVG path strings, no DOM.
 */
import { line } from 'd3';
import type { BootChain, BootStep } from '../../../model/explore-types';
import { shortHex } from '../hex';

/** Below this container width, one node a line (a column). */
export const NARROW = 480;
/** Space before the first node: the reset-value dot and the link into node 0. */
export const START_GAP = 30;
const GAP = 26;
const V_GAP = 22;
const NODE_HEIGHT = 58;
const NODE_WIDTH = 196;
/** Average advance of a character at the node label size, for cutting labels to fit. */
const CHAR_PX = 6.8;

export interface BootNode {
  index: number;
  component: string;
  /** The component name cut to fit the node (the full name is `component`). */
  label: string;
  input: string;
  value: string;
  /** The running value, shortened for the node. */
  short: string;
  changed: boolean;
  /** At or after the register's first changed step. */
  tainted: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BootLink {
  /** Index of the node the link leads into (0: from the reset value). */
  to: number;
  path: string;
  tainted: boolean;
}

export type Comparison = 'matches' | 'differs' | 'no-reference';

export interface RegisterLayout {
  name: string;
  nodes: BootNode[];
  links: BootLink[];
  /** The reset-value dot the chain starts from. */
  start: { x: number; y: number };
  width: number;
  height: number;
  value: string;
  reference: string;
  comparison: Comparison;
  /** Index of the first changed step, or null when every input is the reference's. */
  firstChanged: number | null;
}

export interface BootLayout {
  /** One node a line (narrow screens). */
  vertical: boolean;
  perLine: number;
  hash: string;
  scheme: string;
  headline: { name: string; value: string; reference: string; comparison: Comparison };
  registers: RegisterLayout[];
  /** True when some register's inputs differ from the reference image. */
  anyChanged: boolean;
}

/** `text` cut with an ellipsis to about `px` pixels at `charPx` pixels a character. */
export function fitText(text: string, px: number, charPx = CHAR_PX): string {
  const max = Math.max(1, Math.floor(px / charPx));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Compares a value with its reference (hex, case-insensitive); an empty reference means none. */
export function compare(value: string, reference: string): Comparison {
  if (!reference) return 'no-reference';
  return value.toLowerCase() === reference.toLowerCase() ? 'matches' : 'differs';
}

/** Index of the first changed step, or null. */
export function firstChangedStep(steps: readonly BootStep[]): number | null {
  const i = steps.findIndex((s) => s.changed);
  return i === -1 ? null : i;
}

const path = line<[number, number]>();

/** Lays out `boot` for a container `width` px wide. */
export function layoutBootChain(boot: BootChain, width: number): BootLayout {
  const w = Math.max(240, width);
  const vertical = w < NARROW;
  const nodeWidth = vertical ? Math.max(160, w - START_GAP - 4) : NODE_WIDTH;
  const perLine = vertical ? 1 : Math.max(1, Math.floor((w - START_GAP + GAP) / (nodeWidth + GAP)));
  const registers = boot.registers.map((r): RegisterLayout => {
    const first = firstChangedStep(r.steps);
    const nodes = r.steps.map((s, i): BootNode => {
      const lineNo = Math.floor(i / perLine);
      const col = i % perLine;
      return {
        index: i,
        component: s.component,
        label: fitText(s.component, nodeWidth - 16),
        input: s.input,
        value: s.value,
        short: shortHex(s.value, vertical ? 12 : 8, vertical ? 10 : 6),
        changed: s.changed,
        tainted: first !== null && i >= first,
        x: START_GAP + col * (nodeWidth + GAP),
        y: lineNo * (NODE_HEIGHT + V_GAP),
        width: nodeWidth,
        height: NODE_HEIGHT,
      };
    });
    const start = { x: 8, y: NODE_HEIGHT / 2 };
    const links: BootLink[] = nodes.map((n, i) => {
      let points: [number, number][];
      if (i === 0)
        points = [
          [start.x + 5, start.y],
          [n.x, n.y + n.height / 2],
        ];
      else {
        const p = nodes[i - 1];
        if (p.y === n.y)
          points = [
            [p.x + p.width, p.y + p.height / 2],
            [n.x, n.y + n.height / 2],
          ];
        else {
          // Wrapped: down from the previous node, back along the gap between lines, into this one.
          const midY = p.y + p.height + V_GAP / 2;
          const px = p.x + p.width / 2;
          const nx = n.x + n.width / 2;
          points =
            px === nx
              ? [
                  [px, p.y + p.height],
                  [nx, n.y],
                ]
              : [
                  [px, p.y + p.height],
                  [px, midY],
                  [nx, midY],
                  [nx, n.y],
                ];
        }
      }
      return { to: i, path: path(points) ?? '', tainted: n.tainted };
    });
    const lines = Math.max(1, Math.ceil(nodes.length / perLine));
    const used = Math.min(perLine, Math.max(1, nodes.length));
    return {
      name: r.name,
      nodes,
      links,
      start,
      width: START_GAP + used * nodeWidth + (used - 1) * GAP + 2,
      height: lines * NODE_HEIGHT + (lines - 1) * V_GAP + 2,
      value: r.value,
      reference: r.reference,
      comparison: compare(r.value, r.reference),
      firstChanged: first,
    };
  });
  return {
    vertical,
    perLine,
    hash: boot.hash,
    scheme: boot.scheme,
    headline: { ...boot.headline, comparison: compare(boot.headline.value, boot.headline.reference) },
    registers,
    anyChanged: registers.some((r) => r.firstChanged !== null),
  };
}
