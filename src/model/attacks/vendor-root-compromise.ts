import type { Attack } from './attack';

/** An attacker holding the vendor's root certifies its own key and signs flawless evidence for an emulated guest. */
export const vendorRootCompromise = {
  id: 'vendor-root-compromise',
  title: 'Attacker holds the vendor root key',
  attacker: 'vendor',
  phase: 'attestation',
  stride: 'spoofing',
  goal: 'secret',
  summary:
    'With the vendor’s root (or an extracted chip key) an attacker signs perfect evidence for a guest it emulates in software; nothing downstream can tell. Trust in the vendor is an assumption, not something attestation proves.',
  sources: ['Cloud confidential computing in 2021: vendor collusion as a residual risk', 'DOMAIN §c n'],
  decidedBy: 'trustAnchor',
  // the vendor-root exclusion makes a working attack out of scope.
  dependsOn: ['excludes'],
  exclusion: 'vendor-root',
  relay(_evidence, powers) {
    return powers.forgeAsVendor();
  },
} as const satisfies Attack;
