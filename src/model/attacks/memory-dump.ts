import type { Attack } from './attack';

/** Root on the host dumps every frame of the guest and keeps what it got. */
export const memoryDump = {
  id: 'memory-dump',
  title: 'Host administrator dumps guest memory',
  attacker: 'host',
  phase: 'runtime',
  stride: 'information-disclosure',
  goal: 'secret',
  summary:
    'Root on the host reads every physical frame of the running guest (as a crash dump or /dev/mem would) and searches it for the workload secret.',
  sources: ['Red Hat: Confidential computing primer (memory dump demonstration)', 'DOMAIN §c a'],
  decidedBy: 'memory',
  act(host) {
    return host.guestFrames().map((hpa) => {
      const view = host.readFrame(hpa);
      return view.kind === 'fault'
        ? { what: `frame 0x${hpa.toString(16)}`, fault: view.check }
        : {
            what: `frame 0x${hpa.toString(16)} as the host read it (${view.kind})`,
            bytes: view.bytes,
            plaintext: view.kind === 'plaintext',
          };
    });
  },
} as const satisfies Attack;
