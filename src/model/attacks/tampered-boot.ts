import { withBackdooredKernel } from './_plan';
import type { Attack } from './attack';

/** The operator patches the kernel the guest boots (a backdoor that would copy out the secret). */
export const tamperedBoot = {
  id: 'tampered-boot',
  title: 'Operator boots a tampered kernel',
  attacker: 'host',
  phase: 'launch',
  stride: 'tampering',
  goal: 'secret',
  summary:
    'The operator who builds and starts the guest swaps in a patched kernel; whether anyone notices depends on what was measured, what is checked before start, and whether the owner appraises it.',
  sources: ['Red Hat: Confidential computing primer (chain of trust, measured boot)', 'DOMAIN §c e'],
  decidedBy: 'measurement',
  // refused before start by a pre-launch check ⇒ prevented; measured and appraised in the evidence ⇒ detected (DOMAIN c e).
  dependsOn: ['preLaunchCheck', 'evidence'],
  prepare: withBackdooredKernel,
} as const satisfies Attack;
