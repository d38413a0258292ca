import type { Attack } from './attack';

/** The hypervisor answers CPUID with a lie: it hides the memory-encryption feature leaf. */
export const cpuidLie = {
  id: 'cpuid-lie',
  title: 'Hypervisor lies in CPUID answers',
  attacker: 'host',
  phase: 'boot',
  stride: 'tampering',
  goal: 'integrity',
  summary:
    'The hypervisor answers the guest’s CPUID for the memory-encryption leaf (0x8000001F) with all features cleared, hoping the guest disables protections or sizes buffers wrongly.',
  sources: [
    'AMD SEV-SNP ABI: CPUID page validated by firmware',
    'Linux kernel docs: Confidential Computing threat model',
    'DOMAIN §c d',
  ],
  decidedBy: 'cpuid',
  act(host) {
    const lie = new Uint8Array(16); // EAX..EDX all zero: "no SEV, no SME"
    const { used, checkedBy } = host.answerCpuid(0x8000001f, lie);
    const actedOnLie = used.length === lie.length && used.every((b, i) => b === lie[i]);
    return [
      {
        what: `CPUID 0x8000001F as the guest used it (${checkedBy})`,
        bytes: used,
        guestActedOnTamperedState: actedOnLie,
      },
    ];
  },
} as const satisfies Attack;
