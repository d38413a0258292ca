/**
 * The platform (CPU + security processor / TDX module / Nitro hypervisor …): measures what the host
 * launches with the platform's real scheme, refuses a changed image where it checks before start,
 * and signs evidence in its real format. The bytes come from PlatformEffects (world.ts).
 */
import { assign, emit, setup } from 'xstate';
import type { EvidenceInTransit, LaunchPlan } from '../attacks/attack';
import type { Measurement, PlatformEffects } from '../world';
import { fact, type Fact } from './fact';

export interface PlatformContext {
  effects: PlatformEffects;
  plan?: LaunchPlan;
  measurement?: Measurement;
  /** What the owner expects (an ID block, an image encrypted to the platform), for pre-launch checks. */
  expected?: Measurement;
  evidence?: EvidenceInTransit;
}

export type PlatformEvent =
  | { type: 'LAUNCH'; plan: LaunchPlan; expected: Measurement }
  | { type: 'EVIDENCE_REQUESTED'; binding: Uint8Array };

const same = (a?: Uint8Array, b?: Uint8Array) =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

export const platformMachine = setup({
  types: {
    input: {} as { effects: PlatformEffects },
    context: {} as PlatformContext,
    events: {} as PlatformEvent,
    emitted: {} as Fact,
  },
  guards: {
    refusesChangedImage: ({ context, event }) =>
      event.type === 'LAUNCH' &&
      context.effects.caps.preLaunchCheck !== 'none' &&
      !same(context.effects.measure(event.plan).value, event.expected.value),
    hasEvidence: ({ context }) => context.effects.caps.evidence !== 'none',
  },
  actions: {
    measureLaunch: assign(({ context, event }) =>
      event.type === 'LAUNCH'
        ? { plan: event.plan, expected: event.expected, measurement: context.effects.measure(event.plan) }
        : {},
    ),
    announceMeasurement: emit(({ context }) =>
      fact({
        kind: 'measure',
        from: 'platform',
        to: 'platform',
        title: `Platform measured the launch (${context.effects.caps.measurement})`,
        bytes: context.measurement?.value,
        plaintextTo: ['platform', 'host', 'guest', 'owner'],
      }),
    ),
    announceRefusal: emit(({ context }) =>
      fact({
        kind: 'refusal',
        from: 'platform',
        to: 'host',
        title: `Platform refused to start the image: ${context.effects.caps.preLaunchCheck} check failed`,
        plaintextTo: ['platform', 'host'],
        detail: { check: context.effects.caps.preLaunchCheck },
      }),
    ),
    signEvidence: assign(({ context, event }) => {
      if (event.type !== 'EVIDENCE_REQUESTED' || !context.measurement || !context.plan) return {};
      return {
        evidence: context.effects.evidence(context.measurement, event.binding, context.plan, 'platform'),
      };
    }),
    announceEvidence: emit(({ context }) =>
      fact({
        kind: 'evidence',
        from: 'platform',
        to: 'guest',
        title: context.evidence
          ? `Platform signed ${context.evidence.format} evidence`
          : `Platform has no modelled evidence (${context.effects.caps.evidence})`,
        bytes: context.evidence?.bytes,
        plaintextTo: ['platform', 'guest', 'host', 'owner'],
      }),
    ),
  },
}).createMachine({
  id: 'platform',
  initial: 'idle',
  context: ({ input }) => ({ effects: input.effects }),
  states: {
    idle: {
      on: {
        LAUNCH: [
          {
            guard: 'refusesChangedImage',
            target: 'refused',
            actions: ['measureLaunch', 'announceMeasurement', 'announceRefusal'],
          },
          { target: 'running', actions: ['measureLaunch', 'announceMeasurement'] },
        ],
      },
    },
    running: {
      on: {
        EVIDENCE_REQUESTED: { guard: 'hasEvidence', actions: ['signEvidence', 'announceEvidence'] },
      },
    },
    refused: { type: 'final' },
  },
});
