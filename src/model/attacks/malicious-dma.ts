import type { Attack } from './attack';

/** A device the host controls reads guest memory by DMA. */
export const maliciousDma = {
  id: 'malicious-dma',
  title: 'Malicious device reads guest memory by DMA',
  attacker: 'device',
  phase: 'runtime',
  stride: 'information-disclosure',
  goal: 'secret',
  summary:
    'A device on the host’s bus (or one the host emulates) issues DMA reads of the guest’s private frames, bypassing the CPU.',
  sources: ['Linux kernel docs: Confidential Computing threat model (DMA)', 'DOMAIN §c j'],
  decidedBy: 'dma',
  // DMA reads the stored bytes: ciphertext where memory is encrypted (DOMAIN b1 SEV: device sees ciphertext).
  dependsOn: ['memory'],
  act(host) {
    return host.guestFrames().map((hpa) => {
      const view = host.dmaRead(hpa);
      return view.kind === 'fault'
        ? { what: `DMA read of frame 0x${hpa.toString(16)}`, fault: view.check }
        : { what: `DMA read of frame 0x${hpa.toString(16)} (${view.kind})`, bytes: view.bytes };
    });
  },
} as const satisfies Attack;
