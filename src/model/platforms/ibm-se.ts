import type { Platform } from './platform';

/** IBM Secure Execution for Linux on IBM Z: the Ultravisor runs images encrypted to host keys (DOMAIN §b, "IBM SE"). */
export const ibmSe = {
  id: 'ibm-se',
  name: 'IBM Secure Execution',
  vendor: 'IBM',
  unit: 'vm',
  ownershipTable: 'Ultravisor page ownership',
  summary:
    "IBM Secure Execution for Linux on IBM Z: the Ultravisor starts a guest image encrypted to the machine's host key and keeps its memory and state from the hypervisor.",
  capabilities: {
    memory: 'fault',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'not-served',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'se-header',
    preLaunchCheck: 'encrypted-image',
    evidence: 'ibm-se-attestation',
    evidenceKey: 'owner-shared-mac',
    freshness: 'verifier-nonce',
    tcb: 'provider-managed',
    debug: 'no-debug-mode',
    secretDelivery: 'encrypted-image',
    sealing: 'image-secrets',
    migration: 'none',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'The Ultravisor marks guest pages secure, so a hypervisor access faults, and a page the hypervisor forces out is exported only in encrypted form.',
    registers:
      "The Ultravisor keeps the guest's SIE state and hands the hypervisor only the general registers a given interception needs.",
    integrity:
      'The Ultravisor tracks which pages belong to the guest and checks exported pages when they come back, so the hypervisor cannot swap or replay them unnoticed.',
    cpuid: 'The s390 architecture has no CPUID instruction for the hypervisor to answer.',
    dma: 'Devices reach a secure guest only through bounce buffers the guest shares, never its secure pages.',
    sharedIo: 'Virtio traffic passes through shared bounce buffers that the hypervisor can read.',
    measurement:
      "The SE header carries SHA-512 digests of the image's pages (PLD), their addresses (ALD) and their tweaks (TLD), bound together by an AES-GCM tag.",
    preLaunchCheck:
      'The image is encrypted with a key wrapped to the host key of each permitted machine, and the Ultravisor checks the header digests and tag before the guest starts.',
    evidence:
      'The Ultravisor answers an attestation request with an HMAC-SHA512 over the header digests, the tag, the configuration UID, optional user data and the nonce.',
    evidenceKey:
      'The HMAC key is chosen by the verifier and travels in the attestation request control block encrypted to the host key, so only the Ultravisor and that verifier hold it.',
    freshness:
      'The verifier puts a nonce into the encrypted request control block, and the Ultravisor includes it in the HMAC.',
    tcb: 'IBM manages and updates the firmware and the Ultravisor, the evidence carries no firmware version, and compromised host keys are revoked through IBM CRLs instead.',
    debug:
      "No debug mode gives the hypervisor plaintext, and a guest dump, where the image permits one, is encrypted to a key from the image's owner.",
    secretDelivery:
      'Secrets travel inside the encrypted image, which only an Ultravisor holding a permitted host key can open.',
    sealing:
      'Keys for data at rest are shipped inside the encrypted image, so only a guest started by a permitted Ultravisor gets them.',
    migration: 'A secure guest is bound to the host keys its image was built for and is not live-migrated.',
    trustAnchor:
      'Owners encrypt to host keys whose host-key documents IBM signs under a DigiCert-issued chain, checked against CRLs, so that chain is the root of trust.',
    excludes:
      "Side channels, denial of service by the hypervisor and compromise of IBM's signing keys are treated as outside what Secure Execution defends against.",
  },
  uncertain: {
    integrity: 'DOMAIN marks the Ultravisor tracking of exported pages as uncertain.',
    dma: 'DOMAIN marks "I/O via bounce buffers only" as uncertain.',
    debug:
      'Header flags such as "dump allowed" being covered by the tag and reported is marked uncertain in DOMAIN.',
    migration: 'DOMAIN marks "no migration" for Secure Execution as uncertain.',
    excludes:
      'DOMAIN marks the IBM SE exclusions (side channels, denial of service, vendor root) as uncertain.',
  },
  trusted: [
    'IBM (machine, firmware, Ultravisor and the host-key certificate chain)',
    'the encrypted guest image and its stack',
    "the owner's verifier and key broker",
  ],
  sources: [
    'Linux kernel docs: s390 Protected Virtualization (s390-pv)',
    'Linux kernel docs: s390 protected virtualization dumps (s390-pv-dump)',
    'ibm-s390-linux/s390-tools: pvattest',
    'Trustee (confidential-containers): IBM SE verifier',
    'Kammel, Ylinen, Feldman-Fitzthum: Confidential Computing overview for Kubernetes users (IBM Secure Execution)',
    'Red Hat: Confidential computing primer (the firmware-centric approach of IBM Z)',
  ],
} as const satisfies Platform;
