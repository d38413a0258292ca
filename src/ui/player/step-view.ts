/**
 * What the player shows for one step, from the step's resolved state (src/scenario/run.ts,
 * `stepStates`) and the simulated run: how far into the transcript, which event the payload inspector
 * opens and which bytes it highlights, and the explorer link with exactly the same state.
 */
import type { ExplorerRun } from '../../model/explore-types';
import type { Misconfiguration } from '../../model/run-types';
import type { Focus, RunTo, ScenarioView } from '../../scenario/types';
import { MISCONFIGURATIONS, toFragment, type ExplorerState } from '../state/url-state';

/** One step with every setting resolved (what `stepStates` returns per step). */
export interface ResolvedStep {
  platform: string;
  attacks: string[];
  misconfiguration: Misconfiguration;
  seed: number;
  runTo: RunTo;
  view: ScenarioView;
  focus?: Focus;
}

/** The simulation's input for a step, as a stable key (equal inputs, equal keys). */
export function inputKey(s: ResolvedStep): string {
  const mis = MISCONFIGURATIONS.filter((m) => s.misconfiguration?.[m] === true);
  return JSON.stringify([s.platform, s.attacks, mis, s.seed]);
}

/**
 * The transcript position a step runs to: 'end' = every event; a number, kept within the transcript;
 * `{ after: kind }` = just after the first event of that kind (the end when there is none, with
 * `missing` set so the page can say so).
 */
export function positionOf(
  runTo: RunTo,
  events: readonly { kind: string }[],
): { position: number; missing: string | null } {
  const total = events.length;
  if (runTo === 'end' || runTo === undefined) return { position: total, missing: null };
  if (typeof runTo === 'number') {
    return {
      position: Number.isFinite(runTo) ? Math.min(Math.max(0, Math.trunc(runTo)), total) : total,
      missing: null,
    };
  }
  const i = events.findIndex((e) => e.kind === runTo.after);
  return i < 0 ? { position: total, missing: runTo.after } : { position: i + 1, missing: null };
}

/** The transcript event the step opens in the payload inspector: its `event`, or the evidence for a `field`. */
export function focusedEvent(focus: Focus | undefined, run: ExplorerRun): number | null {
  if (!focus) return null;
  if (typeof focus.event === 'number' && run.events.some((e) => e.seq === focus.event)) return focus.event;
  if (focus.field !== undefined && run.evidence?.seq !== null && run.evidence?.seq !== undefined) {
    return run.evidence.seq;
  }
  return null;
}

/** The byte range [start, end) of an evidence field by its specification name, when the evidence has it. */
export function fieldRange(run: ExplorerRun, name: string | undefined): [number, number] | null {
  if (!name || !run.evidence) return null;
  const f = run.evidence.fields.find((x) => x.name === name);
  return f ? [f.offset, f.offset + f.length] : null;
}

/** Whether an event opens as the appraised evidence (with its field layout) rather than raw bytes. */
export function opensAsEvidence(run: ExplorerRun, seq: number): boolean {
  const e = run.events.find((x) => x.seq === seq);
  return !!e && run.evidence !== null && (e.bytes === run.evidence.bytes || e.kind === 'verdict');
}

/** The explorer's state showing exactly what the step shows. */
export function explorerState(s: ResolvedStep, run: ExplorerRun | null): ExplorerState {
  const misconfiguration: Misconfiguration = {};
  for (const m of MISCONFIGURATIONS) if (s.misconfiguration?.[m] === true) misconfiguration[m] = true;
  let step: number | null = null;
  if (s.runTo !== 'end' && s.runTo !== undefined) {
    if (typeof s.runTo === 'number') step = Math.max(0, Math.trunc(s.runTo));
    else if (run) {
      const at = positionOf(s.runTo, run.events);
      step = at.missing === null ? at.position : null;
    }
  }
  if (run && step !== null && step >= run.events.length) step = null;
  return {
    platform: s.platform,
    attacks: [...s.attacks],
    misconfiguration,
    seed: s.seed,
    step,
    view: s.view,
    page: s.focus?.page ?? null,
    inspect: run ? focusedEvent(s.focus, run) : (s.focus?.event ?? null),
  };
}

/** The explorer link (fragment with '#') for a step. */
export function explorerHref(s: ResolvedStep, run: ExplorerRun | null): string {
  return `#${toFragment(explorerState(s, run))}`;
}
