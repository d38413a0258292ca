import type { Attack } from './attack';

/** The host launches the guest with debugging enabled, then reads its memory through the debug interface. */
export const debugPolicy = {
  id: 'debug-policy',
  title: 'Host launches the guest with debug enabled',
  attacker: 'host',
  phase: 'launch',
  stride: 'information-disclosure',
  goal: 'secret',
  summary:
    'The host sets the debug bit at launch (SNP POLICY.DEBUG, TD_ATTRIBUTES.DEBUG, SGX ATTRIBUTES.DEBUG, Nitro debug mode) and later decrypts guest memory through the firmware’s debug commands; the bit is visible in the evidence on most platforms.',
  sources: [
    'AMD SEV-SNP ABI: POLICY.DEBUG',
    'Intel TDX: TD_ATTRIBUTES.DEBUG',
    'AWS Nitro Enclaves: debug mode zeroes PCRs',
    'DOMAIN §c i',
  ],
  decidedBy: 'debug',
  // the debug bit is bound in (and appraised from) the evidence format (DOMAIN c i).
  dependsOn: ['evidence'],
  prepare(plan) {
    return { ...plan, debug: true };
  },
  act(host) {
    const gpa = host.secretGpa();
    const view = host.readFrame(host.hpaOf(gpa));
    return [
      view.kind === 'fault'
        ? { what: 'secret page through the debug interface', fault: view.check }
        : {
            what: `secret page through the debug interface (${view.kind})`,
            bytes: view.bytes,
            plaintext: view.kind === 'plaintext',
          },
    ];
  },
} as const satisfies Attack;
