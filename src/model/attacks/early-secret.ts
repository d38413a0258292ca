import type { Attack } from './attack';

/** The owner bakes the secret into the image (or releases it before appraisal); the host reads it on the way. */
export const earlySecret = {
  id: 'early-secret',
  title: 'Secret provisioned before attestation',
  attacker: 'host',
  phase: 'launch',
  stride: 'information-disclosure',
  goal: 'secret',
  summary:
    'The owner puts the secret into the image, command line or disk instead of releasing it after a good verdict; the host, which builds and stores the image, reads it — unless the image is encrypted to keys only the hardware holds.',
  sources: ['Cloud confidential computing in 2021: keys generated outside protected memory', 'DOMAIN §c o'],
  decidedBy: 'secretDelivery',
  // the host reads the provisioned secret out of guest memory at runtime.
  dependsOn: ['memory'],
  prepare(plan) {
    return { ...plan, secretInImage: true };
  },
  act(host) {
    return host.guestFrames().map((hpa) => {
      const view = host.readFrame(hpa);
      return view.kind === 'fault'
        ? { what: `frame 0x${hpa.toString(16)}`, fault: view.check }
        : {
            what: `frame 0x${hpa.toString(16)} (${view.kind})`,
            bytes: view.bytes,
            plaintext: view.kind === 'plaintext',
          };
    });
  },
} as const satisfies Attack;
