import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { explore } from '../../../src/model/explore';
import { MACHINE_NAMES, type MachineStep } from '../../../src/model/explore-types';
import { graphOf, machineGraph, type MachineGraph } from '../../../src/model/machines/graph';
import {
  ANY_BOX,
  activeAt,
  boxOf,
  columnsFor,
  lastTakenEdges,
  layoutMachine,
  transitionLabel,
  wrap,
  type MachineLayout,
} from '../../../src/ui/lib/layout/statechart';
import { defined } from '../defined';

const WIDTHS = [160, 240, 300, 360, 520, 900, 1400];

const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function expectSound(layout: MachineLayout, width: number) {
  expect(layout.width).toBe(Math.max(160, width));
  for (const b of layout.boxes) {
    expect(b.x, `${b.id} left`).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width, `${b.id} right`).toBeLessThanOrEqual(layout.width + 1e-9);
    expect(b.y, `${b.id} top`).toBeGreaterThanOrEqual(0);
    expect(b.y + b.height, `${b.id} bottom`).toBeLessThanOrEqual(layout.height);
    expect(b.width).toBeGreaterThan(0);
    for (const l of [...b.nameLines, ...b.detailLines]) {
      expect(l.y).toBeGreaterThan(b.y);
      expect(l.y).toBeLessThan(b.y + b.height);
    }
  }
  for (let i = 0; i < layout.boxes.length; i++)
    for (let j = i + 1; j < layout.boxes.length; j++)
      expect(overlap(layout.boxes[i], layout.boxes[j]), `${layout.boxes[i].id} / ${layout.boxes[j].id}`).toBe(
        false,
      );
  for (const e of layout.edges) {
    expect(e.path).toMatch(/^M/);
    expect(e.path).not.toMatch(/NaN/);
    expect(e.label.x - e.label.width / 2).toBeGreaterThanOrEqual(0);
    expect(e.label.x + e.label.width / 2).toBeLessThanOrEqual(layout.width + 1e-9);
    expect(e.label.y + e.label.height / 2).toBeLessThanOrEqual(layout.height);
  }
  // Labels do not overlap each other, nor any box.
  const labels = layout.edges.map((e) => ({
    x: e.label.x - e.label.width / 2,
    y: e.label.y - e.label.height / 2,
    width: e.label.width,
    height: e.label.height,
  }));
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i], labels[j])).toBe(false);
    for (const b of layout.boxes)
      expect(overlap(labels[i], b), `label ${layout.edges[i].id} / ${b.id}`).toBe(false);
  }
}

describe('layoutMachine', () => {
  it.each(MACHINE_NAMES)('%s: boxes inside the width, none overlapping, at every width', (name) => {
    for (const w of WIDTHS) expectSound(layoutMachine(machineGraph(name), w), w);
  });

  it.each(MACHINE_NAMES)('%s: one box a top-level state, an arrow a (source, target) pair', (name) => {
    const graph = machineGraph(name);
    const layout = layoutMachine(graph, 320);
    const states = graph.states.filter((s) => s.depth === 1).map((s) => s.id);
    expect(
      layout.boxes
        .filter((b) => b.kind === 'state')
        .map((b) => b.id)
        .sort(),
    ).toEqual([...states].sort());
    for (const t of graph.transitions) {
      const source = t.source === '' ? ANY_BOX : t.source;
      for (const target of t.targets) {
        if (target === t.source) continue;
        const edge = defined(layout.edges.find((e) => e.source === source && e.target === target));
        expect(edge.transitions).toContain(t);
        expect(edge.label.lines.map((l) => l.text).join(' ')).toContain(t.eventless ? 'always' : t.event);
      }
      if (t.targets.length === 0) expect(layout.boxes.find((b) => b.id === source)?.internal).toContain(t);
    }
  });

  it('layers follow the protocol: each forward arrow points down', () => {
    const layout = layoutMachine(machineGraph('owner'), 400);
    const box = (id: string) => defined(layout.boxes.find((b) => b.id === id));
    expect(box('idle').layer).toBe(0);
    expect(box('prepared').layer).toBe(1);
    expect(box('challenged').layer).toBe(2);
    expect(box('appraised').layer).toBe(3);
    expect(box('released').layer).toBe(4);
    for (const e of layout.edges) expect(box(e.target).y).toBeGreaterThan(box(e.source).y);
    expect(box('idle').initial).toBe(true);
    expect(box('released').final && box('refused').final).toBe(true);
    expect(layout.initialMarker?.cx).toBeCloseTo(box('idle').x + box('idle').width / 2);
  });

  it('guest: the machine-wide HALT comes from an "any state" box above halted', () => {
    const layout = layoutMachine(machineGraph('guest'), 360);
    const any = defined(layout.boxes.find((b) => b.id === ANY_BOX));
    const halted = defined(layout.boxes.find((b) => b.id === 'halted'));
    expect(any.kind).toBe('any');
    expect(halted.layer).toBeGreaterThan(any.layer);
    expect(layout.edges.find((e) => e.source === ANY_BOX)?.target).toBe('halted');
  });

  it('handles loops, self-transitions and nested states in any machine', () => {
    const machine = createMachine({
      id: 'loop',
      initial: 'a',
      states: {
        a: { on: { GO: 'b', STAY: 'a' } },
        b: { on: { NEXT: 'c', BACK: 'a' } },
        c: {
          initial: 'c1',
          on: { RESET: 'a' },
          states: { c1: { on: { STEP: 'c2' } }, c2: { type: 'final' } },
        },
        orphan: {},
      },
    });
    const graph: MachineGraph = graphOf('host', machine);
    for (const w of WIDTHS) expectSound(layoutMachine(graph, w), w);
    const layout = layoutMachine(graph, 400);
    expect(
      layout.edges
        .filter((e) => e.back)
        .map((e) => e.id)
        .sort(),
    ).toEqual(['b->a', 'c->a']);
    const c = defined(layout.boxes.find((b) => b.id === 'c'));
    expect(c.detailLines.map((l) => l.text)).toEqual(['◦\u00a0c1', '◦\u00a0c2 (final)', '↻\u00a0STEP']);
    expect(defined(layout.boxes.find((b) => b.id === 'a')).internal.map((t) => t.event)).toEqual(['STAY']);
    expect(defined(layout.boxes.find((b) => b.id === 'orphan')).layer).toBeGreaterThan(c.layer);
    expect(boxOf(graph, 'c.c2')).toBe('c');
  });
});

describe('text helpers', () => {
  it('wraps at spaces and name boundaries, never past the limit', () => {
    expect(wrap('provisionedEarly', 12)).toEqual(['provisioned', 'Early']);
    expect(wrap('EVIDENCE_REQUESTED [hasEvidence]', 20)).toEqual(['EVIDENCE_REQUESTED', '[hasEvidence]']);
    expect(wrap('↻\u00a0RELAY', 5)).toEqual(['↻\u00a0REL', 'AY']);
    for (const line of wrap('always [appraisalAccepted] and SOMETHING_VERY_LONG_INDEED', 9))
      expect(line.length).toBeLessThanOrEqual(9);
  });

  it('labels transitions with event and guard', () => {
    const owner = machineGraph('owner');
    const labels = owner.transitions.filter((t) => t.source === 'appraised').map(transitionLabel);
    expect(labels).toEqual(['always [appraisalAccepted]', 'always [else]']);
    expect(transitionLabel(defined(owner.transitions.find((t) => t.event === 'PREPARE')))).toBe('PREPARE');
  });

  it('puts 4, 2 or 1 machines side by side', () => {
    expect(columnsFor(1920)).toBe(4);
    expect(columnsFor(1200)).toBe(4);
    expect(columnsFor(800)).toBe(2);
    expect(columnsFor(360)).toBe(1);
  });
});

describe('the active state by step', () => {
  const timeline: MachineStep[] = [
    { machine: 'owner', at: 0, state: 'idle', status: 'active' },
    { machine: 'guest', at: 0, state: 'off', status: 'active' },
    { machine: 'owner', at: 0, state: 'prepared', status: 'active' },
    { machine: 'owner', at: 3, state: 'challenged', status: 'active' },
    { machine: 'owner', at: 7, state: 'released', status: 'done' },
  ];

  it('is the last entry with at <= step, with the one before it', () => {
    expect(activeAt(timeline, 'owner', 0)).toEqual({ current: timeline[2], previous: timeline[0] });
    expect(activeAt(timeline, 'owner', 2).current?.state).toBe('prepared');
    expect(activeAt(timeline, 'owner', 3)).toEqual({ current: timeline[3], previous: timeline[2] });
    expect(activeAt(timeline, 'owner', 6).current?.state).toBe('challenged');
    expect(activeAt(timeline, 'owner', 99).current?.state).toBe('released');
    expect(activeAt(timeline, 'guest', 5)).toEqual({ current: timeline[1], previous: null });
    expect(activeAt(timeline, 'host', 5)).toEqual({ current: null, previous: null });
  });

  it('marks the transition last taken, through eventless ones', () => {
    const graph = machineGraph('owner');
    const layout = layoutMachine(graph, 360);
    expect(lastTakenEdges(layout, graph, activeAt(timeline, 'owner', 0))).toEqual(['idle->prepared']);
    expect(lastTakenEdges(layout, graph, activeAt(timeline, 'owner', 3))).toEqual(['prepared->challenged']);
    // challenged → released passes through `appraised`, which the machine leaves at once (always).
    expect(lastTakenEdges(layout, graph, activeAt(timeline, 'owner', 7))).toEqual([
      'challenged->appraised',
      'appraised->released',
    ]);
    expect(lastTakenEdges(layout, graph, activeAt(timeline, 'guest', 7))).toEqual([]);
  });

  it('in a real run, every machine has an active state and a taken arrow once it moved', () => {
    const run = explore({ platform: 'sev-snp', attacks: ['memory-dump'], misconfiguration: {}, seed: 1 });
    for (const name of MACHINE_NAMES) {
      const graph = machineGraph(name);
      const layout = layoutMachine(graph, 300);
      for (let step = 0; step <= run.events.length; step++) {
        const active = activeAt(run.machines, name, step);
        const current = defined(active.current, `${name} at ${step}`);
        expect(layout.boxes.some((b) => b.id === boxOf(graph, current.state))).toBe(true);
        const edges = lastTakenEdges(layout, graph, active);
        if (active.previous && active.previous.state !== current.state)
          expect(edges.length).toBeGreaterThan(0);
      }
    }
    const owner = activeAt(run.machines, 'owner', run.events.length);
    expect(owner.current?.state).toBe('released');
  });
});
