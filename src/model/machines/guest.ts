/**
 * The guest: boots; when challenged, makes a TEE key (from the DRBG) and asks the platform for evidence
 * binding the owner's nonce and that key; on release unwraps the secret into a private page.
 */
import { assign, emit, setup } from 'xstate';
import type { HmacDrbg } from '../../core/crypto/drbg';
import { generateKeyPair, type KeyPair } from '../../core/crypto/ecdsa';
import { unwrapSecret, type WrappedSecret } from '../../core/broker/wrap';
import { fact, type Fact } from './fact';

export interface GuestContext {
  drbg: HmacDrbg;
  teeKey?: KeyPair;
  nonce?: Uint8Array;
  secret?: Uint8Array;
}

export type GuestEvent =
  | { type: 'BOOT' }
  | { type: 'NONCE_RECEIVED'; nonce?: Uint8Array }
  | { type: 'SECRET_RECEIVED'; wrapped?: WrappedSecret; plaintext?: Uint8Array }
  | { type: 'HALT' };

export const guestMachine = setup({
  types: {
    input: {} as { drbg: HmacDrbg },
    context: {} as GuestContext,
    events: {} as GuestEvent,
    emitted: {} as Fact,
  },
  actions: {
    makeTeeKey: assign(({ context }) => ({ teeKey: generateKeyPair('p256', context.drbg.fork('tee-key')) })),
    keepNonce: assign(({ event }) => (event.type === 'NONCE_RECEIVED' ? { nonce: event.nonce } : {})),
    takeSecret: assign(({ context, event }) => {
      if (event.type !== 'SECRET_RECEIVED') return {};
      if (event.plaintext) return { secret: event.plaintext };
      if (event.wrapped && context.teeKey) return { secret: unwrapSecret(context.teeKey, event.wrapped) };
      return {};
    }),
    announceHalt: emit(() =>
      fact({
        kind: 'halt',
        from: 'host',
        to: 'guest',
        title: 'Guest vCPUs stopped',
        plaintextTo: ['host', 'guest'],
      }),
    ),
  },
}).createMachine({
  id: 'guest',
  initial: 'off',
  context: ({ input }) => ({ drbg: input.drbg }),
  on: { HALT: { target: '.halted', actions: 'announceHalt' } },
  states: {
    off: { on: { BOOT: { target: 'booted' } } },
    booted: {
      on: {
        // The TEE key is made for the attestation request: a guest provisioned without attestation
        // (secret in the image, no evidence) never needs one.
        NONCE_RECEIVED: { target: 'attesting', actions: ['makeTeeKey', 'keepNonce'] },
        SECRET_RECEIVED: { target: 'provisioned', actions: 'takeSecret' },
      },
    },
    attesting: { on: { SECRET_RECEIVED: { target: 'provisioned', actions: 'takeSecret' } } },
    provisioned: {},
    halted: { type: 'final' },
  },
});
