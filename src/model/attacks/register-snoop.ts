import type { Attack } from './attack';

/** The hypervisor forces a VM exit while the workload's key sits in a register, then reads the saved state. */
export const registerSnoop = {
  id: 'register-snoop',
  title: 'Hypervisor reads guest registers at a VM exit',
  attacker: 'host',
  phase: 'runtime',
  stride: 'information-disclosure',
  goal: 'registers',
  summary:
    'The hypervisor injects an interrupt while the workload holds its key in a general-purpose register, and reads the register state saved at the exit (VMCB, VMSA, GHCB or nothing).',
  sources: ['AMD SEV-SNP white paper (2020): SEV-ES encrypted register state', 'DOMAIN §c b'],
  decidedBy: 'registers',
  act(host) {
    return [
      {
        what: 'register state saved at the forced exit, as the host can read it',
        bytes: host.registersAtExit(),
      },
    ];
  },
} as const satisfies Attack;
