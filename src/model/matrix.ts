/**
 * The threat matrix: every platform × attack, each cell a real simulation with real crypto, judged by
 * outcome.ts. Pure and synchronous, so it runs the same in Node, in the CLI and in a Web Worker
 * (matrix.worker.ts) that keeps the page responsive.
 */
import { ATTACKS } from './attacks';
import type { Attack } from './attacks/attack';
import { judge, type Outcome } from './outcome';
import { PLATFORMS } from './platforms';
import type { Platform } from './platforms/platform';
import { runScenario } from './run';
import type { Misconfiguration } from './run-types';

export interface MatrixCell {
  platform: string;
  attack: string;
  outcome: Outcome;
  explanation: string;
  /** The transcript events that decided the outcome, with their titles (the run itself is not kept). */
  decisiveEvents: { seq: number; kind: string; title: string }[];
  sources: string[];
}

export interface Matrix {
  platforms: { id: string; name: string }[];
  attacks: { id: string; name: string }[];
  cells: MatrixCell[];
}

export interface MatrixOptions {
  seed?: number;
  misconfiguration?: Misconfiguration;
  platforms?: readonly Platform[];
  attacks?: readonly Attack[];
  /** Called after each cell, e.g. to report progress from a worker. */
  onCell?: (cell: MatrixCell, done: number, total: number) => void;
}

export function runCell(
  platform: Platform,
  attack: Attack,
  seed = 1,
  misconfiguration: Misconfiguration = {},
): MatrixCell {
  const run = runScenario({ platform: platform.id, attacks: [attack], seed, misconfiguration });
  const j = judge(run, attack, platform);
  const bySeq = new Map(run.transcript.events.map((e) => [e.seq, e]));
  return {
    platform: platform.id,
    attack: attack.id,
    outcome: j.outcome,
    explanation: j.explanation,
    decisiveEvents: j.decisiveEvents.flatMap((seq) => {
      const e = bySeq.get(seq);
      return e ? [{ seq, kind: e.kind, title: e.title }] : [];
    }),
    sources: [...new Set([...attack.sources, ...platform.sources])],
  };
}

export function runMatrix(opts: MatrixOptions = {}): Matrix {
  const platforms = opts.platforms ?? PLATFORMS;
  const attacks = opts.attacks ?? ATTACKS;
  const total = platforms.length * attacks.length;
  const cells: MatrixCell[] = [];
  for (const p of platforms) {
    for (const a of attacks) {
      const cell = runCell(p, a, opts.seed ?? 1, opts.misconfiguration ?? {});
      cells.push(cell);
      opts.onCell?.(cell, cells.length, total);
    }
  }
  return {
    platforms: platforms.map((p) => ({ id: p.id, name: p.name })),
    attacks: attacks.map((a) => ({ id: a.id, name: a.title })),
    cells,
  };
}
