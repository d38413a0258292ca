import type { Platform } from './platform';

/** AMD SEV-SNP: confidential VMs with memory integrity from the Reverse Map Table (DOMAIN §b, "SEV-SNP"). */
export const sevSnp = {
  id: 'sev-snp',
  name: 'AMD SEV-SNP',
  vendor: 'AMD',
  unit: 'vm',
  ownershipTable: 'RMP (Reverse Map Table)',
  summary:
    'AMD SEV-SNP: encrypted memory and registers plus the Reverse Map Table, which gives every page one owner, and signed reports the guest can request at any time.',
  capabilities: {
    memory: 'ciphertext',
    registers: 'encrypted',
    integrity: 'ownership-fault',
    cpuid: 'firmware-validated',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'snp-launch-digest',
    preLaunchCheck: 'none', // the ID block is optional; this profile assumes a launch without one
    evidence: 'snp-report',
    evidenceKey: 'vendor-chain',
    freshness: 'verifier-nonce',
    tcb: 'in-evidence',
    debug: 'in-evidence',
    secretDelivery: 'attested-release',
    sealing: 'derived-key',
    migration: 'migration-agent',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'Private pages are encrypted under a per-VM key held by the AMD-SP (AES-128-XEX, or AES-256-XTS when the policy asks for it), so a host read returns ciphertext.',
    registers:
      "The VMSA is encrypted under the guest's key and guarded by the RMP as a guest-owned page, so at an exit the host can neither read nor change the saved registers.",
    integrity:
      'The RMP records one owner and one guest physical address for every page and the guest PVALIDATEs the pages it accepts, so host writes to guest pages fault and a remapped or replaced page shows up as unvalidated.',
    cpuid:
      'The guest takes CPUID values from a CPUID page that the AMD-SP checked at launch against what the hardware supports, instead of asking the hypervisor.',
    dma: 'The IOMMU consults the RMP, so a device cannot write into guest-owned pages, and a device read would at best return ciphertext.',
    sharedIo:
      'Pages the guest converts to shared become hypervisor-owned in the RMP, and the bounce buffers kept there are readable by the host.',
    measurement:
      'The AMD-SP chains a SHA-384 digest over a PAGE_INFO record (contents hash, page type, GPA) for every page added at launch, which becomes the MEASUREMENT field of the report.',
    preLaunchCheck:
      'An owner may supply an ID block whose expected measurement and policy the AMD-SP checks at LAUNCH_FINISH, but it is optional and assumed absent here, so a changed image starts and is caught only by appraisal.',
    evidence:
      'The guest asks the AMD-SP for a 1184-byte ATTESTATION_REPORT carrying the policy, TCB versions, REPORT_DATA, MEASUREMENT, HOST_DATA and CHIP_ID, signed with ECDSA P-384.',
    evidenceKey:
      "The signing key is the VCEK (or a VLEK), derived inside the AMD-SP from a chip secret and the current TCB and certified by AMD's ASK and ARK.",
    freshness:
      "The guest puts the verifier's nonce, or a hash of it with its own public key, into the 64-byte REPORT_DATA that the signature covers.",
    tcb: 'REPORTED_TCB states the boot loader, TEE, SNP firmware and microcode levels, and the VCEK is derived for exactly that TCB, so a verifier can enforce a floor.',
    debug:
      'POLICY.DEBUG is fixed at launch and reported inside the signed report, so a verifier can refuse a debuggable guest.',
    secretDelivery:
      'A key broker releases secrets only after appraising a fresh report, wrapping them to a key whose hash the guest put in REPORT_DATA.',
    sealing:
      'MSG_KEY_REQ derives a key from the VCEK or VMRK mixed with guest fields the guest selects, such as the measurement, so a changed image derives a different key.',
    migration:
      'A Migration Agent bound at launch (POLICY.MIGRATE_MA, REPORT_ID_MA) supplies the VM root key at the destination, so keys survive a move only with that agent.',
    trustAnchor:
      "Every report chains through the VCEK and ASK to AMD's ARK, so a holder of that root or of an extracted chip key can sign reports no verifier can tell apart.",
    excludes:
      'AMD lists architectural, page-level and performance-counter side channels and host denial of service as unmitigated, and the Linux threat model for SNP and TDX guests likewise leaves side channels, denial of service and vendor-root compromise out.',
  },
  trusted: [
    'AMD (CPU vendor) and its ARK, ASK and VCEK key distribution',
    'AMD-SP firmware and microcode',
    'measured guest stack (OVMF, kernel, initrd, command line, SVSM or provider paravisor)',
    "the owner's verifier and key broker",
  ],
  sources: [
    'AMD white paper: SEV-SNP: Strengthening VM Isolation with Integrity Protection and More (2020)',
    'AMD SEV Secure Nested Paging Firmware ABI Specification (56860)',
    'AMD VCEK Certificate and KDS Interface Specification (57230)',
    'virtee/sev-snp-measure (launch digest and CPUID page)',
    'virtee/sev (guest policy and MSG_KEY_REQ)',
    'google/go-sev-guest (ATTESTATION_REPORT layout)',
    'Linux kernel docs: Confidential Computing in Linux for x86 virtualization (snp-tdx-threat-model)',
    'Kammel, Ylinen, Feldman-Fitzthum: Confidential Computing overview for Kubernetes users (SNP integrity and the Migration Agent)',
  ],
} as const satisfies Platform;
