/**
 * The platform (CPU + security processor / TDX module / Nitro hypervisor …): measures what the host
 * launches with the platform's real scheme, refuses a changed image where it checks before start,
 * and signs evidence in its real format. The bytes come from PlatformEffects (world.ts).
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { EvidenceInTransit, LaunchPlan } from '../attacks/attack';
import type { Measurement, PlatformEffects } from '../world';
import { fact, type Fact } from './fact';
import type { PlanChanges } from './host';

export interface PlatformContext {
  effects: PlatformEffects;
  plan?: LaunchPlan;
  measurement?: Measurement;
  /** What the owner expects (an ID block, an image encrypted to the platform), for pre-launch checks. */
  expected?: Measurement;
  evidence?: EvidenceInTransit;
}

export type PlatformEvent =
  | { type: 'LAUNCH'; plan: LaunchPlan; expected: Measurement; changedBy?: PlanChanges }
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
    /** TF-A's non-volatile anti-rollback counters refuse firmware older than the newest one seen. */
    refusesOldFirmware: ({ context, event }) =>
      event.type === 'LAUNCH' &&
      event.plan.firmware === 'vulnerable' &&
      context.effects.caps.tcb === 'hardware-anti-rollback',
    refusesChangedImage: ({ context, event }) =>
      event.type === 'LAUNCH' &&
      context.effects.caps.preLaunchCheck !== 'none' &&
      !same(context.effects.measure(event.plan).value, event.expected.value),
    hasEvidence: ({ context }) => context.effects.caps.evidence !== 'none',
  },
  actions: {
    measureLaunch: assign(({ context, event }) => {
      if (event.type !== 'LAUNCH') return {};
      const caps = context.effects.caps;
      // What the host asked for is not always what runs: a platform without a debug mode launches
      // without one, and the host cannot install the security firmware where the provider manages it.
      const plan: LaunchPlan = {
        ...event.plan,
        debug: event.plan.debug && caps.debug !== 'no-debug-mode',
        firmware: caps.tcb === 'provider-managed' ? 'current' : event.plan.firmware,
      };
      return { plan, expected: event.expected, measurement: context.effects.measure(plan) };
    }),
    announceIgnoredRequests: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'LAUNCH') return;
      const caps = context.effects.caps;
      if (event.plan.debug && caps.debug === 'no-debug-mode') {
        enqueue.emit(
          fact({
            kind: 'refusal',
            from: 'platform',
            to: 'host',
            title: 'The platform has no debug mode: the guest cannot be launched debuggable',
            plaintextTo: ['platform', 'host'],
            detail: { surface: 'absent', capability: 'debug' },
            ...(event.changedBy?.debug ? { attack: event.changedBy.debug } : {}),
          }),
        );
      }
      if (event.plan.firmware === 'vulnerable' && caps.tcb === 'provider-managed') {
        enqueue.emit(
          fact({
            kind: 'refusal',
            from: 'platform',
            to: 'host',
            title:
              'The security firmware is managed by the provider: the host cannot install an older one, and the owner cannot see its version',
            plaintextTo: ['platform', 'host'],
            detail: { surface: 'provider-managed', capability: 'tcb' },
            ...(event.changedBy?.firmware ? { attack: event.changedBy.firmware } : {}),
          }),
        );
      }
    }),
    announceRollbackRefusal: emit(({ event }) =>
      fact({
        kind: 'refusal',
        from: 'platform',
        to: 'host',
        title: 'Platform refused to boot older firmware: the anti-rollback counter is higher',
        plaintextTo: ['platform', 'host'],
        detail: { check: 'anti-rollback' },
        ...(event.type === 'LAUNCH' && event.changedBy?.firmware ? { attack: event.changedBy.firmware } : {}),
      }),
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
    announceRefusal: emit(({ context, event }) =>
      fact({
        kind: 'refusal',
        from: 'platform',
        to: 'host',
        title: `Platform refused to start the image: ${context.effects.caps.preLaunchCheck} check failed`,
        plaintextTo: ['platform', 'host'],
        detail: { check: context.effects.caps.preLaunchCheck },
        ...(event.type === 'LAUNCH' && event.changedBy?.components
          ? { attack: event.changedBy.components }
          : {}),
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
            guard: 'refusesOldFirmware',
            target: 'refused',
            actions: ['announceRollbackRefusal'],
          },
          {
            guard: 'refusesChangedImage',
            target: 'refused',
            actions: ['measureLaunch', 'announceMeasurement', 'announceRefusal'],
          },
          { target: 'running', actions: ['announceIgnoredRequests', 'measureLaunch', 'announceMeasurement'] },
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
