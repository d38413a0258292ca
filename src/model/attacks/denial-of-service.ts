import type { Attack } from './attack';

/** The host stops scheduling the guest. */
export const denialOfService = {
  id: 'denial-of-service',
  title: 'Host denies service to the guest',
  attacker: 'host',
  phase: 'runtime',
  stride: 'denial-of-service',
  goal: 'availability',
  summary:
    'The host simply stops running the guest’s vCPUs; availability is not something confidential computing promises.',
  sources: ['AMD SEV-SNP white paper (2020): denial of service out of scope', 'DOMAIN §c m'],
  decidedBy: 'excludes',
  exclusion: 'denial-of-service',
  act(host) {
    host.halt();
    return [{ what: 'guest vCPUs stopped by the host', halted: true }];
  },
} as const satisfies Attack;
