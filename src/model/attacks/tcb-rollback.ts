import type { Attack } from './attack';

/** The host installs older, vulnerable security firmware before launching the guest. */
export const tcbRollback = {
  id: 'tcb-rollback',
  title: 'Host rolls back security firmware',
  attacker: 'host',
  phase: 'launch',
  stride: 'elevation-of-privilege',
  goal: 'secret',
  summary:
    'The host installs an older security-processor firmware, microcode or TDX module with a known key-extraction flaw; only a TCB version in the evidence (or in the signing key) and a verifier floor expose it.',
  sources: ['AMD SEV-SNP: VCEK derived per TCB', 'Intel TDX: TEE_TCB_SVN and TCB status', 'DOMAIN §c h'],
  decidedBy: 'tcb',
  // the TCB rides in the evidence format, or only as a PCR0 event in the measurement, which a pre-launch check also compares (DOMAIN c h).
  dependsOn: ['evidence', 'measurement', 'preLaunchCheck'],
  prepare(plan) {
    return { ...plan, firmware: 'vulnerable' };
  },
} as const satisfies Attack;
