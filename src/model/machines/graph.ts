/**
 * Each trust-domain machine's statechart, read from the machine's own definition: the states (nested
 * children, initial and final flags, entry and exit actions) and the transitions (source, targets,
 * event, guard, actions), by walking XState's resolved state nodes. Nothing here is written by hand,
 * so a state or transition added to a machine appears in the Statechart view without touching it.
 */
import type { AnyStateMachine } from 'xstate';
import type { MachineName } from '../explore-types';
import { guestMachine } from './guest';
import { hostMachine } from './host';
import { ownerMachine } from './owner';
import { platformMachine } from './platform';

/** The four machines the views draw, by the name the run's timeline uses. */
export const MACHINE_DEFINITIONS: Readonly<Record<MachineName, AnyStateMachine>> = {
  platform: platformMachine,
  host: hostMachine,
  guest: guestMachine,
  owner: ownerMachine,
};

/** The id of the machine's root: transitions from it are taken in whichever state the machine is. */
export const ANY_STATE = '';

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface StateInfo {
  /** The dotted path from the root ('appraised', 'attesting.waiting'), as the run's timeline names it. */
  id: string;
  /** The state's own key. */
  name: string;
  /** The parent state's id, ANY_STATE for a top-level state. */
  parent: string;
  /** Ids of the child states, in definition order. */
  children: string[];
  type: StateType;
  /** True for the state its parent (or the machine) enters first. */
  initial: boolean;
  final: boolean;
  entry: string[];
  exit: string[];
  /** 1 for top-level states, 2 for their children, … */
  depth: number;
}

export interface TransitionInfo {
  /** Unique within the machine: source, event and the candidate's position. */
  id: string;
  /** The state it leaves, or ANY_STATE for a transition defined on the machine's root. */
  source: string;
  /** The states it enters (empty for a transition that only runs actions and stays). */
  targets: string[];
  /** The event type; '' for an eventless ("always") transition. */
  event: string;
  eventless: boolean;
  /** The guard's name, when it has one. */
  guard: string | null;
  /**
   * True for an unguarded candidate after a guarded one for the same event and source: XState takes
   * it only when every earlier guard was false.
   */
  fallback: boolean;
  actions: string[];
  reenter: boolean;
}

export interface MachineGraph {
  name: MachineName;
  /** The machine's id in its definition. */
  machineId: string;
  /** The top-level state the machine starts in. */
  initial: string;
  /** Every state, depth first in definition order. */
  states: StateInfo[];
  transitions: TransitionInfo[];
}

/** What XState keeps for a state node; only the fields read here, so no internal type is named. */
interface NodeLike {
  key: string;
  path: string[];
  type: StateType;
  states: Record<string, NodeLike>;
  entry: readonly unknown[];
  exit: readonly unknown[];
  initial: { target: readonly NodeLike[] } | undefined;
  transitions: Map<string, readonly EdgeLike[]>;
  always?: readonly EdgeLike[];
}

interface EdgeLike {
  eventType: string;
  target?: readonly NodeLike[];
  guard?: unknown;
  actions: readonly unknown[];
  reenter: boolean;
}

const idOf = (node: NodeLike): string => node.path.join('.');

/** An action's or guard's name: its string, its `type`, or the name of an inline function. */
export function implementationName(impl: unknown): string {
  if (typeof impl === 'string') return impl;
  if (typeof impl === 'function') {
    const typed = (impl as { type?: unknown }).type;
    if (typeof typed === 'string') return typed;
    return impl.name || 'inline';
  }
  if (impl && typeof impl === 'object' && 'type' in impl) {
    const type = (impl as { type: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return 'inline';
}

function candidates(node: NodeLike): [string, readonly EdgeLike[]][] {
  const out: [string, readonly EdgeLike[]][] = [...node.transitions];
  if (node.always?.length) out.push(['', node.always]);
  return out;
}

function transitionsOf(node: NodeLike): TransitionInfo[] {
  const source = idOf(node);
  const out: TransitionInfo[] = [];
  for (const [event, list] of candidates(node)) {
    let guardedBefore = false;
    list.forEach((t, i) => {
      const guard = t.guard === undefined ? null : implementationName(t.guard);
      out.push({
        id: `${source || '(root)'}:${event || 'always'}:${i}`,
        source,
        targets: (t.target ?? []).map(idOf),
        event,
        eventless: event === '',
        guard,
        fallback: guard === null && guardedBefore,
        actions: t.actions.map(implementationName),
        reenter: t.reenter,
      });
      if (guard !== null) guardedBefore = true;
    });
  }
  return out;
}

/** The statechart of `machine`, read from its resolved definition. */
export function graphOf(name: MachineName, machine: AnyStateMachine): MachineGraph {
  const root = machine.root as unknown as NodeLike;
  const states: StateInfo[] = [];
  const transitions: TransitionInfo[] = transitionsOf(root);
  const visit = (node: NodeLike, depth: number) => {
    const initialChild = node.initial?.target[0];
    for (const child of Object.values(node.states)) {
      states.push({
        id: idOf(child),
        name: child.key,
        parent: idOf(node),
        children: Object.values(child.states).map(idOf),
        type: child.type,
        initial: initialChild !== undefined && idOf(initialChild) === idOf(child),
        final: child.type === 'final',
        entry: child.entry.map(implementationName),
        exit: child.exit.map(implementationName),
        depth,
      });
      transitions.push(...transitionsOf(child));
      visit(child, depth + 1);
    }
  };
  visit(root, 1);
  const initial = root.initial?.target[0];
  return {
    name,
    machineId: machine.id,
    initial: initial ? idOf(initial) : (states[0]?.id ?? ANY_STATE),
    states,
    transitions,
  };
}

const cache = new Map<MachineName, MachineGraph>();

/** The statechart of one of the four trust-domain machines (computed once). */
export function machineGraph(name: MachineName): MachineGraph {
  let graph = cache.get(name);
  if (!graph) {
    graph = graphOf(name, MACHINE_DEFINITIONS[name]);
    cache.set(name, graph);
  }
  return graph;
}
