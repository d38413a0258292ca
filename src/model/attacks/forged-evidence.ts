import type { Attack } from './attack';

/** The host answers the owner's challenge with evidence it signed itself. */
export const forgedEvidence = {
  id: 'forged-evidence',
  title: 'Host forges attestation evidence',
  attacker: 'host',
  phase: 'attestation',
  stride: 'spoofing',
  goal: 'secret',
  summary:
    'The host replaces the evidence it relays with a good-looking report claiming the expected measurement, signed by a key and certificate chain of its own making.',
  sources: ['RFC 9334 (RATS architecture): endorsements', 'DOMAIN §c f'],
  decidedBy: 'evidenceKey',
  // the evidence format fixes whose key signs it (world.ts); a delivery that never uses evidence makes it not applicable (DOMAIN c f).
  dependsOn: ['evidence', 'secretDelivery'],
  relay(_evidence, powers) {
    return powers.forge();
  },
} as const satisfies Attack;
