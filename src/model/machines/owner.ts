/**
 * The owner / relying party: prepares the secret, the reference values and the policy, challenges
 * the guest with a nonce, appraises the evidence with the real verifier, and (as key broker) releases
 * the secret wrapped to the TEE key only on an acceptable verdict — or, misconfigured, before any
 * appraisal, in plaintext through the host.
 */
import { assign, emit, setup } from 'xstate';
import type { HmacDrbg } from '../../core/crypto/drbg';
import type { EcPublicKey } from '../../core/broker/jws';
import { wrapSecret, type WrappedSecret } from '../../core/broker/wrap';
import type { AttestationResult } from '../../core/verify/ear';
import { utf8 } from '../../core/crypto/bytes';
import type { EvidenceInTransit } from '../attacks/attack';
import type { Misconfiguration } from '../run-types';
import { ownerPolicy, type Measurement, type OwnerPolicy, type PlatformEffects } from '../world';
import { fact, type Fact } from './fact';

export interface OwnerContext {
  effects: PlatformEffects;
  drbg: HmacDrbg;
  misconfiguration: Misconfiguration;
  secret: Uint8Array;
  policy?: OwnerPolicy;
  nonce?: Uint8Array;
  verdict?: AttestationResult;
  /** The TEE key the evidence claims to bind; the secret is wrapped to it. */
  teeKey?: EcPublicKey;
  wrapped?: WrappedSecret;
}

export type OwnerEvent =
  | { type: 'PREPARE'; reference: Measurement }
  | { type: 'CHALLENGE' }
  | { type: 'EVIDENCE_RECEIVED'; evidence?: EvidenceInTransit; binding: Uint8Array; teeKey: EcPublicKey }
  /** `sealedTo`: the image carrying the secret is encrypted to this hardware-held key (IBM SE, PEF). */
  | { type: 'PROVISION_EARLY'; sealedTo?: EcPublicKey };

/**
 * Every check passed and no claim is contraindicated. A 'warning' is acceptable, as Trustee's KBS
 * accepts it: Nitro's verifier warns by design that enclave memory is isolated, not encrypted. An owner
 * whose policy allows debug also accepts the failed policy check a debuggable guest earns (the result
 * stays a warning, so the trust in a guest the host can decrypt is visible).
 */
export function acceptable(
  verdict: AttestationResult | undefined,
  misconfiguration: Misconfiguration = {},
): boolean {
  return (
    verdict !== undefined &&
    (verdict.status === 'affirming' || verdict.status === 'warning') &&
    verdict.checks.every((c) => c.ok || (misconfiguration.allowDebug === true && c.check === 'policy'))
  );
}

export const ownerMachine = setup({
  types: {
    input: {} as { effects: PlatformEffects; drbg: HmacDrbg; misconfiguration: Misconfiguration },
    context: {} as OwnerContext,
    events: {} as OwnerEvent,
    emitted: {} as Fact,
  },
  guards: {
    sendsNonce: ({ context }) => !context.misconfiguration.noNonce,
    appraisalAccepted: ({ context }) => acceptable(context.verdict, context.misconfiguration),
    sealsImage: ({ event }) => event.type === 'PROVISION_EARLY' && event.sealedTo !== undefined,
  },
  actions: {
    preparePolicy: assign(({ context, event }) =>
      event.type === 'PREPARE' ? { policy: ownerPolicy(event.reference, context.misconfiguration) } : {},
    ),
    drawNonce: assign(({ context }) => ({ nonce: context.drbg.generate(32) })),
    announceNonce: emit(({ context }) =>
      fact({
        kind: 'nonce',
        from: 'owner',
        to: 'guest',
        title: 'Owner sends a fresh nonce',
        bytes: context.nonce,
        plaintextTo: ['owner', 'host', 'guest'],
      }),
    ),
    appraise: assign(({ context, event }) => {
      if (event.type !== 'EVIDENCE_RECEIVED' || !context.policy) return {};
      const expected = context.effects.binding(context.nonce, event.teeKey);
      const evidence = event.evidence ?? {
        format: context.effects.caps.evidence,
        bytes: new Uint8Array(0),
        chain: [],
      };
      return { verdict: context.effects.appraise(evidence, expected, context.policy), teeKey: event.teeKey };
    }),
    announceVerdict: emit(({ context }) =>
      fact({
        kind: 'verdict',
        from: 'owner',
        to: 'owner',
        title: `Verifier: ${context.verdict?.status ?? 'none'}${firstFailure(context.verdict)}`,
        bytes: utf8(JSON.stringify({ status: context.verdict?.status })),
        plaintextTo: ['owner'],
        detail: {
          accepted: acceptable(context.verdict, context.misconfiguration),
          status: context.verdict?.status ?? 'none',
        },
      }),
    ),
    wrapSecret: assign(({ context }) =>
      context.teeKey
        ? { wrapped: wrapSecret(context.teeKey, context.secret, context.drbg.fork('wrap')) }
        : {},
    ),
    announceRelease: emit(({ context }) =>
      fact({
        kind: 'secret',
        from: 'owner',
        to: 'guest',
        title: 'Key broker releases the secret wrapped to the TEE key',
        bytes: utf8(JSON.stringify(context.wrapped)),
        plaintextTo: ['owner', 'guest'],
        detail: { wrapped: true },
      }),
    ),
    sealImage: assign(({ context, event }) =>
      event.type === 'PROVISION_EARLY' && event.sealedTo
        ? { wrapped: wrapSecret(event.sealedTo, context.secret, context.drbg.fork('image')) }
        : {},
    ),
    announceSealedImage: emit(({ context }) =>
      fact({
        kind: 'secret',
        from: 'owner',
        to: 'platform',
        title: 'Owner builds the image with the secret inside, encrypted to a key only the platform holds',
        bytes: utf8(JSON.stringify(context.wrapped)),
        plaintextTo: ['owner', 'host', 'platform'],
        detail: { wrapped: false, sealedToPlatform: true },
      }),
    ),
    announceEarlyRelease: emit(({ context }) =>
      fact({
        kind: 'secret',
        from: 'owner',
        to: 'guest',
        title: 'Owner provisions the secret before attestation (in the image / command line, via the host)',
        bytes: context.secret,
        plaintextTo: ['owner', 'host', 'guest'],
        detail: { wrapped: false },
      }),
    ),
  },
}).createMachine({
  id: 'owner',
  initial: 'idle',
  context: ({ input }) => ({
    effects: input.effects,
    drbg: input.drbg,
    misconfiguration: input.misconfiguration,
    secret: input.drbg.generate(32),
  }),
  states: {
    idle: { on: { PREPARE: { target: 'prepared', actions: 'preparePolicy' } } },
    prepared: {
      on: {
        PROVISION_EARLY: [
          { guard: 'sealsImage', target: 'provisionedEarly', actions: ['sealImage', 'announceSealedImage'] },
          { target: 'provisionedEarly', actions: 'announceEarlyRelease' },
        ],
        CHALLENGE: [
          { guard: 'sendsNonce', target: 'challenged', actions: ['drawNonce', 'announceNonce'] },
          { target: 'challenged' },
        ],
      },
    },
    challenged: {
      on: {
        EVIDENCE_RECEIVED: { target: 'appraised', actions: ['appraise', 'announceVerdict'] },
      },
    },
    appraised: {
      always: [{ guard: 'appraisalAccepted', target: 'released' }, { target: 'refused' }],
    },
    released: { entry: ['wrapSecret', 'announceRelease'], type: 'final' },
    refused: { type: 'final' },
    provisionedEarly: { type: 'final' },
  },
});

function firstFailure(v: AttestationResult | undefined): string {
  const failed = v?.checks.find((c) => !c.ok);
  return failed ? ` (${failed.check}: ${failed.reason})` : '';
}
