import { describe, expect, it } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { explore } from '../../../src/model/explore';
import { MACHINE_NAMES, type ExploreInput } from '../../../src/model/explore-types';
import { ANY_STATE, MACHINE_DEFINITIONS, graphOf, machineGraph } from '../../../src/model/machines/graph';
import { guestMachine } from '../../../src/model/machines/guest';

/** A state config as written in a machine file (only what the test reads). */
interface StateConfigLike {
  type?: string;
  initial?: string;
  states?: Record<string, StateConfigLike>;
  on?: Record<string, unknown>;
  always?: unknown;
}

/** Every state path in a machine's own config, read independently of graph.ts's walk. */
function configStates(config: StateConfigLike, prefix: string[] = []): string[] {
  return Object.entries(config.states ?? {}).flatMap(([key, child]) => [
    [...prefix, key].join('.'),
    ...configStates(child, [...prefix, key]),
  ]);
}

const candidateCount = (spec: unknown): number =>
  Array.isArray(spec) ? spec.length : spec === undefined ? 0 : 1;

/** The number of transition candidates written in the config (each `on` entry and `always`). */
function configTransitions(config: StateConfigLike): number {
  const own =
    Object.values(config.on ?? {}).reduce<number>((n, spec) => n + candidateCount(spec), 0) +
    candidateCount(config.always);
  return own + Object.values(config.states ?? {}).reduce((n, c) => n + configTransitions(c), 0);
}

function finalStates(config: StateConfigLike, prefix: string[] = []): string[] {
  return Object.entries(config.states ?? {}).flatMap(([key, child]) => [
    ...(child.type === 'final' ? [[...prefix, key].join('.')] : []),
    ...finalStates(child, [...prefix, key]),
  ]);
}

describe('machineGraph: read from the machine definitions', () => {
  it.each(MACHINE_NAMES)('%s: the same states as the machine itself', (name) => {
    const machine = MACHINE_DEFINITIONS[name];
    const graph = machineGraph(name);
    const config = machine.config as StateConfigLike;
    expect(graph.states.map((s) => s.id).sort()).toEqual(configStates(config).sort());
    // The top-level states are exactly the root's children, in definition order.
    expect(graph.states.filter((s) => s.parent === ANY_STATE).map((s) => s.id)).toEqual(
      Object.keys(machine.root.states),
    );
    expect(graph.initial).toBe(config.initial);
    expect(graph.states.filter((s) => s.initial && s.parent === ANY_STATE).map((s) => s.id)).toEqual([
      config.initial,
    ]);
    expect(
      graph.states
        .filter((s) => s.final)
        .map((s) => s.id)
        .sort(),
    ).toEqual(finalStates(config).sort());
    expect(graph.transitions).toHaveLength(configTransitions(config));
    expect(graph.machineId).toBe(machine.id);
  });

  it.each(MACHINE_NAMES)('%s: every transition leaves and enters states that exist', (name) => {
    const graph = machineGraph(name);
    const ids = new Set(graph.states.map((s) => s.id));
    for (const t of graph.transitions) {
      expect(t.source === ANY_STATE || ids.has(t.source), `${t.id} source`).toBe(true);
      for (const target of t.targets) expect(ids.has(target), `${t.id} → ${target}`).toBe(true);
    }
    expect(new Set(graph.transitions.map((t) => t.id)).size).toBe(graph.transitions.length);
  });

  it('reads events, guards, fallbacks, eventless transitions and actions', () => {
    const owner = machineGraph('owner');
    const challenge = owner.transitions.filter((t) => t.source === 'prepared' && t.event === 'CHALLENGE');
    expect(challenge.map((t) => [t.guard, t.fallback, t.targets])).toEqual([
      ['sendsNonce', false, ['challenged']],
      [null, true, ['challenged']],
    ]);
    expect(challenge[0].actions).toEqual(['drawNonce', 'announceNonce']);
    const always = owner.transitions.filter((t) => t.source === 'appraised');
    expect(always.every((t) => t.eventless && t.event === '')).toBe(true);
    expect(always.map((t) => t.targets[0])).toEqual(['released', 'refused']);
    expect(owner.states.find((s) => s.id === 'released')?.entry).toEqual(['wrapSecret', 'announceRelease']);

    const guest = machineGraph('guest');
    const halt = guest.transitions.find((t) => t.event === 'HALT');
    expect(halt).toMatchObject({ source: ANY_STATE, targets: ['halted'], actions: ['announceHalt'] });

    const host = machineGraph('host');
    expect(host.transitions.find((t) => t.event === 'RELAY')).toMatchObject({
      source: 'running',
      targets: [],
    });
  });

  it('a state added to a machine shows up, nested ones included', () => {
    const config = guestMachine.config as StateConfigLike;
    // The guest's own definition with one more (compound) state, as a developer would add it.
    const definition = {
      ...(guestMachine.config as object),
      states: {
        ...(config.states as object),
        quarantined: {
          initial: 'isolated',
          states: { isolated: { on: { RELEASE: 'released' } }, released: { type: 'final' } },
        },
      },
    };
    const extended: AnyStateMachine = createMachine(
      definition as unknown as Parameters<typeof createMachine>[0],
    );
    const graph = graphOf('guest', extended);
    expect(graph.states.map((s) => s.id)).toEqual([
      ...machineGraph('guest').states.map((s) => s.id),
      'quarantined',
      'quarantined.isolated',
      'quarantined.released',
    ]);
    const quarantined = graph.states.find((s) => s.id === 'quarantined');
    expect(quarantined).toMatchObject({
      type: 'compound',
      children: ['quarantined.isolated', 'quarantined.released'],
    });
    expect(graph.states.find((s) => s.id === 'quarantined.isolated')).toMatchObject({
      initial: true,
      depth: 2,
    });
    expect(graph.transitions.find((t) => t.event === 'RELEASE')).toMatchObject({
      source: 'quarantined.isolated',
      targets: ['quarantined.released'],
    });
  });
});

describe('the states a real run visits are in the graph', () => {
  const inputs: ExploreInput[] = [
    { platform: 'sev-snp', attacks: ['memory-dump'], misconfiguration: {}, seed: 1 },
    { platform: 'plain-vm', attacks: ['memory-dump'], misconfiguration: {}, seed: 1 },
    { platform: 'sev-snp', attacks: ['tampered-boot'], misconfiguration: {}, seed: 2 },
    { platform: 'tdx', attacks: ['forged-evidence'], misconfiguration: {}, seed: 3 },
    { platform: 'sev-snp', attacks: ['denial-of-service'], misconfiguration: { noNonce: true }, seed: 4 },
    { platform: 'sgx', attacks: ['early-secret'], misconfiguration: {}, seed: 5 },
  ];

  it.each(inputs)('$platform with $attacks', (input) => {
    const run = explore(input);
    expect(run.machines.length).toBeGreaterThan(0);
    for (const step of run.machines) {
      const ids = new Set(machineGraph(step.machine).states.map((s) => s.id));
      for (const part of step.state.split(',')) expect(ids.has(part), `${step.machine} ${part}`).toBe(true);
    }
    // Each machine's first state is its initial one.
    for (const name of MACHINE_NAMES) {
      const first = run.machines.find((m) => m.machine === name);
      expect(first?.state).toBe(machineGraph(name).initial);
    }
  });
});
