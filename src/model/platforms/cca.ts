import type { Platform } from './platform';

/** Arm CCA: realms in their own physical address space, managed by the RMM (DOMAIN §b, "Arm CCA"). */
export const cca = {
  id: 'cca',
  name: 'Arm CCA',
  vendor: 'Arm and the SoC vendor',
  unit: 'realm',
  ownershipTable: 'GPT (Granule Protection Table)',
  summary:
    'Arm CCA: realms live in their own physical address space, managed by the Realm Management Monitor, and attest with a realm token paired with a platform token.',
  capabilities: {
    memory: 'fault',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'firmware-validated',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'rim-rem',
    preLaunchCheck: 'none',
    evidence: 'cca-token',
    evidenceKey: 'vendor-chain',
    freshness: 'verifier-nonce',
    tcb: 'in-evidence',
    debug: 'in-evidence',
    secretDelivery: 'attested-release',
    sealing: 'none',
    migration: 'none',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'Realm granules are assigned to the Realm physical address space in the Granule Protection Table, so an access from the Normal world takes a granule protection fault.',
    registers:
      "The RMM keeps each REC's register state in realm memory and gives the host only the values a given exit needs.",
    integrity:
      "The RMM owns the realm's stage-2 tables (RTT) and RIPAS and changes them only on host RMI requests it validates, so the host cannot silently remap or swap realm pages.",
    cpuid:
      "Arm has no CPUID instruction, and the feature registers a realm reads are checked by the RMM against the realm's parameters when the realm is created.",
    dma: 'The RME-aware SMMU applies granule protection checks, so devices outside the realm cannot reach its memory.',
    sharedIo:
      "Buffers in the unprotected upper half of the realm's IPA space are shared with the host in the clear.",
    measurement:
      "The RMM extends the RIM (SHA-256 or SHA-512) with a descriptor for the realm's parameters, every DATA granule, every REC and every RIPAS change, and the realm may extend REM0 to REM3 while it runs.",
    preLaunchCheck:
      'The RMM measures what the host loads but compares it with nothing, so a changed image runs and shows up only in the RIM.',
    evidence:
      'The attestation token pairs a realm token signed by the RAK with a platform token signed by the CPAK in HES/RSS, whose challenge is the hash of the RAK public key.',
    evidenceKey:
      "The CPAK is provisioned into the platform's root of trust and endorsed by Arm or the SoC vendor, and the RAK is bound to it through the platform challenge.",
    freshness: "The verifier's 64-byte challenge is placed in the realm token, which the RAK signs.",
    tcb: "The platform token lists each firmware component with its measurement and version, so a verifier can hold the platform's firmware to endorsed values.",
    debug:
      "The platform token's lifecycle claim separates secured states from debug states, so a verifier can refuse a platform that is open to debugging.",
    secretDelivery:
      "A key broker releases secrets only after appraising both tokens, wrapped to a key hashed into the realm's challenge together with the nonce.",
    sealing: 'RMM 1.0 gives realms no sealing key, so keys for data at rest come from a key broker.',
    migration: 'RMM 1.0 defines no way to migrate a realm.',
    trustAnchor:
      "Trust in a token rests on the CPAK's endorsement by Arm or the SoC vendor, so whoever controls that endorsement could vouch for a fake platform.",
    excludes:
      'Side channels, denial of service by the host and compromise of the endorsement root are treated as outside what CCA defends against.',
  },
  uncertain: {
    registers: 'DOMAIN marks the RMM keeping REC state as uncertain.',
    cpuid: 'DOMAIN marks the RMM check of feature registers at realm creation as uncertain.',
    dma: 'DOMAIN marks granule protection checks through an RME-aware SMMU as uncertain.',
    debug:
      'Only the platform lifecycle (debug states 0x4000 and 0x5000) is attested; whether a realm itself can be launched debuggable is not covered by DOMAIN.',
    sealing: 'DOMAIN marks "no sealing in RMM 1.0" as uncertain.',
    migration: 'DOMAIN marks "no migration in RMM 1.0" as uncertain.',
    excludes: 'DOMAIN marks the CCA exclusions (side channels, denial of service, vendor root) as uncertain.',
  },
  trusted: [
    'Arm and the SoC vendor (CPAK endorsement)',
    'RMM, TF-A monitor and HES/RSS firmware',
    'measured realm guest stack',
    "the owner's verifier and key broker",
  ],
  sources: [
    'Arm Realm Management Monitor specification (DEN0137)',
    'Trusted Firmware-A documentation: granule protection tables',
    'Linux kernel docs: Arm CCA (arm64)',
    'IETF draft-ffm-rats-cca-token: Arm CCA attestation token',
    'Red Hat: Confidential computing primer (Arm CCA and the Realm Management Extension)',
  ],
} as const satisfies Platform;
