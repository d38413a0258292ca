/**
 * The system machine: the parent of the four trust-domain machines. It spawns them (with their
 * inputs: the platform's effects, each domain's own DRBG, the attacks the host carries, the owner's
 * configuration), holds their references in its context, follows the run through its phases, and
 * turns any child's error into a `failed` state that names the machine — instead of a child stopping
 * quietly while the run goes on. The protocol between the domains is conducted by system.ts, which
 * sends the children their events through these references and reports each phase here.
 */
import { assign, setup, type ActorRefFrom } from 'xstate';
import type { HmacDrbg } from '../../core/crypto/drbg';
import type { Attack } from '../attacks/attack';
import type { Misconfiguration } from '../run-types';
import type { PlatformEffects } from '../world';
import { guestMachine } from './guest';
import { hostMachine } from './host';
import { ownerMachine } from './owner';
import { platformMachine } from './platform';

export interface SystemInput {
  effects: PlatformEffects;
  attacks: readonly Attack[];
  misconfiguration: Misconfiguration;
  guestDrbg: HmacDrbg;
  ownerDrbg: HmacDrbg;
}

export interface SystemContext {
  platform: ActorRefFrom<typeof platformMachine>;
  host: ActorRefFrom<typeof hostMachine>;
  guest: ActorRefFrom<typeof guestMachine>;
  owner: ActorRefFrom<typeof ownerMachine>;
  /** Errors raised inside a child's actions, as "<machine> machine: <message>". */
  failures: string[];
}

export type SystemEvent =
  | { type: 'LAUNCHING' }
  | { type: 'LAUNCH_REFUSED' }
  | { type: 'ATTESTING' }
  | { type: 'PROVISIONED_WITHOUT_ATTESTATION' }
  | { type: 'RUNNING' }
  | { type: 'FINISHED' }
  | { type: `xstate.error.actor.${'platform' | 'host' | 'guest' | 'owner'}`; error: unknown };

const childFailed = (machine: string) => ({
  target: '.failed' as const,
  actions: { type: 'recordFailure' as const, params: { machine } },
});

export const systemMachine = setup({
  types: {
    input: {} as SystemInput,
    context: {} as SystemContext,
    events: {} as SystemEvent,
  },
  actors: { platform: platformMachine, host: hostMachine, guest: guestMachine, owner: ownerMachine },
  actions: {
    recordFailure: assign(({ context, event }, params: { machine: string }) => {
      const error = 'error' in event ? event.error : undefined;
      const message = error instanceof Error ? error.message : String(error);
      return { failures: [...context.failures, `${params.machine} machine: ${message}`] };
    }),
  },
}).createMachine({
  id: 'system',
  context: ({ input, spawn }) => ({
    platform: spawn('platform', { id: 'platform', systemId: 'platform', input: { effects: input.effects } }),
    host: spawn('host', { id: 'host', systemId: 'host', input: { attacks: input.attacks } }),
    guest: spawn('guest', { id: 'guest', systemId: 'guest', input: { drbg: input.guestDrbg } }),
    owner: spawn('owner', {
      id: 'owner',
      systemId: 'owner',
      input: { effects: input.effects, drbg: input.ownerDrbg, misconfiguration: input.misconfiguration },
    }),
    failures: [],
  }),
  initial: 'preparing',
  on: {
    'xstate.error.actor.platform': childFailed('platform'),
    'xstate.error.actor.host': childFailed('host'),
    'xstate.error.actor.guest': childFailed('guest'),
    'xstate.error.actor.owner': childFailed('owner'),
  },
  states: {
    preparing: { on: { LAUNCHING: 'launching' } },
    launching: {
      on: {
        LAUNCH_REFUSED: 'refused',
        ATTESTING: 'attesting',
        PROVISIONED_WITHOUT_ATTESTATION: 'running',
      },
    },
    attesting: { on: { RUNNING: 'running' } },
    running: { on: { FINISHED: 'finished' } },
    refused: { type: 'final' },
    finished: { type: 'final' },
    failed: { type: 'final' },
  },
});
