/**
 * The host: builds the launch plan (attacks' `prepare` hooks may change it), relays evidence (their
 * `relay` hooks may replace it), and at runtime lends its powers to the attacks' `act` hooks.
 */
import { assign, emit, setup } from 'xstate';
import type { Attack, EvidenceInTransit, LaunchPlan, RelayPowers } from '../attacks/attack';
import { fact, type Fact } from './fact';

/** Which attack's `prepare` hook changed which part of the launch plan (the platform reacts to the change). */
export type PlanChanges = Partial<Record<'components' | 'debug' | 'firmware' | 'secretInImage', string>>;

export interface HostContext {
  attacks: readonly Attack[];
  plan?: LaunchPlan;
  changedBy: PlanChanges;
  relayed?: EvidenceInTransit;
  /** Which attack replaced the evidence, if one did. */
  relayedBy?: string;
}

export type HostEvent =
  | { type: 'BUILD'; plan: LaunchPlan }
  | { type: 'RELAY'; evidence?: EvidenceInTransit; powersFor: (attack: Attack) => RelayPowers };

function sameBytes(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

export const hostMachine = setup({
  types: {
    input: {} as { attacks: readonly Attack[] },
    context: {} as HostContext,
    events: {} as HostEvent,
    emitted: {} as Fact,
  },
  actions: {
    buildPlan: assign(({ context, event }) => {
      if (event.type !== 'BUILD') return {};
      let plan = event.plan;
      const changedBy: PlanChanges = {};
      for (const a of context.attacks) {
        if (!a.prepare) continue;
        const next = a.prepare(plan);
        if (next.components.some((c, i) => !sameBytes(c.bytes, plan.components[i]?.bytes)))
          changedBy.components = a.id;
        if (next.debug !== plan.debug) changedBy.debug = a.id;
        if (next.firmware !== plan.firmware) changedBy.firmware = a.id;
        if (next.secretInImage !== plan.secretInImage) changedBy.secretInImage = a.id;
        plan = next;
      }
      return { plan, changedBy };
    }),
    announceLaunch: emit(({ context }) =>
      fact({
        kind: 'launch',
        from: 'host',
        to: 'platform',
        title: `Host launches ${context.plan?.components.map((c) => c.name).join(', ')}${context.plan?.debug ? ' (debug)' : ''}`,
        plaintextTo: ['host', 'platform'],
        detail: { debug: context.plan?.debug ?? false, firmware: context.plan?.firmware ?? 'current' },
      }),
    ),
    relayEvidence: assign(({ context, event }) => {
      if (event.type !== 'RELAY' || !event.evidence)
        return { relayed: event.type === 'RELAY' ? event.evidence : undefined };
      let relayed = event.evidence;
      let relayedBy: string | undefined;
      for (const a of context.attacks) {
        if (!a.relay) continue;
        const next = a.relay(relayed, event.powersFor(a));
        if (next !== relayed) relayedBy = a.id;
        relayed = next;
      }
      return { relayed, relayedBy };
    }),
    announceRelay: emit(({ context }) =>
      fact({
        kind: 'evidence',
        from: 'host',
        to: 'owner',
        title: context.relayedBy
          ? `Host relays evidence replaced by ${context.relayedBy}`
          : 'Host relays the evidence',
        bytes: context.relayed?.bytes,
        plaintextTo: ['host', 'owner'],
        ...(context.relayedBy ? { attack: context.relayedBy } : {}),
      }),
    ),
  },
}).createMachine({
  id: 'host',
  initial: 'idle',
  context: ({ input }) => ({ attacks: input.attacks, changedBy: {} }),
  states: {
    idle: { on: { BUILD: { target: 'running', actions: ['buildPlan', 'announceLaunch'] } } },
    running: { on: { RELAY: { actions: ['relayEvidence', 'announceRelay'] } } },
  },
});
