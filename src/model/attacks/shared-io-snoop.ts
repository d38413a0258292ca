import type { Attack } from './attack';

/** The host reads what the guest passes through shared I/O buffers. */
export const sharedIoSnoop = {
  id: 'shared-io-snoop',
  title: 'Host snoops shared I/O buffers',
  attacker: 'host',
  phase: 'runtime',
  stride: 'information-disclosure',
  goal: 'secret',
  summary:
    'Every TEE must share some memory with the host for I/O (virtio rings, bounce buffers, vsock, OCALL buffers); the host reads whatever the workload sends through them unless the workload encrypts it.',
  sources: ['Linux kernel docs: Confidential Computing threat model (shared memory)', 'DOMAIN §c k'],
  decidedBy: 'sharedIo',
  act(host) {
    return host.sharedIo().map((bytes, i) => ({ what: `shared I/O buffer ${i}`, bytes }));
  },
} as const satisfies Attack;
