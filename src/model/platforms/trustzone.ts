import type { Platform } from './platform';

/** Arm TrustZone with OP-TEE: trusted applications in the Secure world (DOMAIN §b, "TrustZone"). */
export const trustzone = {
  id: 'trustzone',
  name: 'Arm TrustZone (OP-TEE)',
  vendor: 'Arm and the SoC vendor (OP-TEE, Trusted Firmware-A)',
  unit: 'trusted-app',
  ownershipTable: 'TZASC (secure-world partition)',
  summary:
    'Arm TrustZone with OP-TEE: trusted applications run in the Secure world, cut off from the Normal-world OS by the bus and the TZASC rather than by encryption.',
  capabilities: {
    memory: 'fault',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'not-served',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'ta-hash',
    preLaunchCheck: 'verified-boot',
    evidence: 'ta-hash-report',
    evidenceKey: 'device-key-no-pki',
    freshness: 'verifier-nonce',
    tcb: 'hardware-anti-rollback',
    debug: 'not-attested',
    secretDelivery: 'attested-release',
    sealing: 'huk-derived',
    migration: 'not-applicable',
    trustAnchor: 'boot-signing-key',
    excludes: ['denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'Secure RAM is marked secure in the TZASC and Normal-world accesses carry NS=1, so the rich OS is refused, although the RAM itself is not encrypted.',
    registers:
      "The EL3 secure monitor in TF-A saves and restores each world's registers at every world switch, so the Normal world never sees Secure-world state.",
    integrity:
      "The Normal world cannot map secure RAM at all, so it has no way to remap or replay a trusted application's pages.",
    cpuid:
      'Arm has no CPUID instruction for an untrusted party to answer, and the Normal world serves the Secure world no feature queries.',
    dma: 'Bus masters issuing non-secure transactions are kept out of secure RAM by the TZASC.',
    sharedIo:
      'Commands and data reach a trusted application through shared-memory buffers that the Normal world allocates and can read.',
    measurement:
      "OP-TEE's attestation PTA hashes the memory pages holding a trusted application's code and read-only data with SHA-256.",
    preLaunchCheck:
      'TF-A verifies each boot image against a key whose hash is fused into the SoC, and OP-TEE loads only trusted applications signed with the TA signing key built into it.',
    evidence:
      "On request the attestation PTA signs the TA hash together with the caller's nonce, which is the closest thing this platform has to a standard report.",
    evidenceKey:
      'The PTA signs with an RSA key generated on the device and kept in secure storage, and no vendor PKI certifies it, so a verifier must learn the public key some other way.',
    freshness: 'The caller passes a nonce to the attestation PTA, and the signature covers it.',
    tcb: 'TF-A keeps non-volatile anti-rollback counters so that older signed firmware is refused at boot, while the report says nothing about versions.',
    debug: 'Whether debug access such as JTAG is open is not reported in anything a verifier sees.',
    secretDelivery:
      'An owner can release a secret after checking a PTA report, though nothing standard makes it wait for that check.',
    sealing:
      'OP-TEE secure storage derives per-TA keys from the hardware unique key (HUK), so only that TA on that device can decrypt what it stored.',
    migration: 'Trusted applications and their keys belong to one device and do not migrate.',
    trustAnchor:
      "Everything rests on the OEM's boot-signing key whose hash is fused into the SoC, so whoever holds it can boot any Secure-world code.",
    excludes:
      'No vendor statement excludes side channels for TrustZone, so cache attacks such as ARMageddon and TruSpy stay in scope, while denial of service by the Normal world and compromise of the OEM root are treated as outside its protection.',
  },
  uncertain: {
    registers: 'DOMAIN marks the EL3 monitor context switch as uncertain.',
    dma: 'DOMAIN marks the blocking of non-secure bus masters as uncertain.',
    measurement:
      'Measured boot is optional on TrustZone platforms and the TA hash comes from one OP-TEE PTA (uncertain).',
    evidence: 'There is no standard TrustZone evidence; the OP-TEE PTA report is marked uncertain in DOMAIN.',
    evidenceKey: 'The device key without vendor PKI is marked uncertain in DOMAIN.',
    freshness: 'Follows from the OP-TEE PTA, whose use as evidence DOMAIN marks uncertain.',
    tcb: 'TF-A anti-rollback counters are marked uncertain in DOMAIN.',
    debug: 'That debug authentication is not attested is marked uncertain in DOMAIN.',
    excludes:
      'DOMAIN marks the absence of a side-channel exclusion as uncertain; the denial-of-service and vendor-root exclusions are this profile’s reading, not a vendor statement.',
  },
  trusted: [
    'SoC vendor and OEM (boot-signing key)',
    'TF-A secure monitor',
    'OP-TEE',
    'the trusted application',
  ],
  sources: [
    'OP-TEE documentation and optee_os attestation PTA',
    'Trusted Firmware-A documentation',
    'Kammel, Ylinen, Feldman-Fitzthum: Confidential Computing overview for Kubernetes users (TrustZone)',
  ],
} as const satisfies Platform;
