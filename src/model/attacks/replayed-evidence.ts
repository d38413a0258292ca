import { withBackdooredKernel } from './_plan';
import type { Attack } from './attack';

/** The host boots a tampered guest but replays genuine evidence captured from an earlier good boot. */
export const replayedEvidence = {
  id: 'replayed-evidence',
  title: 'Host replays old evidence for a tampered guest',
  attacker: 'host',
  phase: 'attestation',
  stride: 'spoofing',
  goal: 'secret',
  summary:
    'The host records the evidence of a good boot, then launches a tampered guest and answers the owner with the old, genuinely signed evidence; only freshness (a nonce the owner issued, inside the signed data) exposes it.',
  sources: ['RFC 9334 (RATS architecture) §10 freshness', 'DOMAIN §c g'],
  decidedBy: 'freshness',
  // the format carries the nonce or session; the replay launches a tampered kernel a pre-launch check refuses; no release on evidence ⇒ not applicable.
  dependsOn: ['evidence', 'preLaunchCheck', 'secretDelivery'],
  prepare: withBackdooredKernel,
  relay(evidence, powers) {
    return powers.recorded ?? evidence;
  },
} as const satisfies Attack;
