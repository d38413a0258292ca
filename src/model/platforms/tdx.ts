import type { Platform } from './platform';

/** Intel TDX: trust domains managed by the TDX module (DOMAIN §b, "TDX"). */
export const tdx = {
  id: 'tdx',
  name: 'Intel TDX',
  vendor: 'Intel',
  unit: 'vm',
  ownershipTable: 'Secure EPT + PAMT',
  summary:
    "Intel TDX: trust domains whose memory, registers and private page tables are managed by the TDX module in SEAM mode, attested by quotes from Intel's Quoting Enclave.",
  capabilities: {
    memory: 'ciphertext',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'module-fixed',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'mrtd-rtmr',
    preLaunchCheck: 'none',
    evidence: 'tdx-quote',
    evidenceKey: 'vendor-chain',
    freshness: 'verifier-nonce',
    tcb: 'in-evidence',
    debug: 'in-evidence',
    secretDelivery: 'attested-release',
    sealing: 'none',
    migration: 'migration-agent',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      "Each TD's private pages are encrypted under a private MKTME KeyID that only the TDX module in SEAM mode can use, so a host read gets no plaintext.",
    registers:
      "The TDX module saves the TD's registers in its own protected memory at every exit, and on a TDVMCALL the guest passes the host only the registers it selects.",
    integrity:
      'The TDX module keeps the Secure EPT and the guest accepts each private page with TDG.MEM.PAGE.ACCEPT, so the host can only block or remove private pages, never remap or replay them unnoticed.',
    cpuid:
      "The TDX module fixes or checks most CPUID leaves itself, host-chosen settings such as XFAM and TD_ATTRIBUTES appear in the quote, and only the leaves that raise #VE are answered by the host through the guest's #VE handler.",
    dma: "Device accesses cannot carry a TD's private KeyID, so DMA never reaches private TD memory.",
    sharedIo:
      'Pages with the shared GPA bit set, where the SWIOTLB bounce buffers live, use a shared KeyID and are readable by the host.',
    measurement:
      'The TDX module folds the pages added and extended while the host builds the TD into MRTD (SHA-384), and the guest extends later boot stages into RTMR0 to RTMR3 with a CCEL event log.',
    preLaunchCheck:
      'The TDX module records what the host loaded without comparing it to anything, so a changed image runs and shows up only in MRTD or the RTMRs.',
    evidence:
      'TDG.MR.REPORT yields a locally MACed TDREPORT, which the Quoting Enclave turns into a version 4 quote signed with ECDSA P-256.',
    evidenceKey:
      "The Quoting Enclave's attestation key is certified by the platform's PCK, whose certificate chains to the Intel SGX Root CA.",
    freshness:
      "The verifier's nonce, or a hash binding it to the guest's key, goes into the 64-byte REPORTDATA covered by the quote signature.",
    tcb: "TEE_TCB_SVN in the quote and the PCK certificate's TCB levels, matched against Intel's TCB Info, let a verifier reject an out-of-date TDX module or microcode.",
    debug:
      'TD_ATTRIBUTES bit 0 (DEBUG) is set when the TD is created and reported in the quote, so a verifier can refuse a debuggable TD.',
    secretDelivery:
      'A key broker appraises a fresh quote before it releases secrets, wrapped to the key bound in REPORTDATA.',
    sealing:
      'TDX 1.x gives a TD no sealing key, so data at rest needs a vTPM, an SGX sealing helper or a key broker.',
    migration:
      "TDX 1.5 adds live migration in which a Migration TD, itself attested, carries the TD's migration keys to the destination.",
    trustAnchor:
      "Quotes chain through the PCK certificate to the Intel SGX Root CA, so whoever holds Intel's root or a platform's provisioning secrets could certify a key of their own.",
    excludes:
      'The Linux threat model for TDX guests treats side and transient-execution channels as surface the hardware does not solve, and leaves host denial of service and vendor-root compromise outside its scope.',
  },
  uncertain: {
    migration:
      'DOMAIN marks migration through a Migration TD (TDX 1.5) as uncertain; TDX 1.0 has no migration.',
  },
  trusted: [
    'Intel (CPU vendor) and its PCS/PCK certificate infrastructure',
    'TDX module, microcode and the Quoting Enclave',
    'measured guest stack (TDVF, kernel, initrd, command line, any provider paravisor)',
    "the owner's verifier and key broker",
  ],
  sources: [
    'Linux kernel docs: Intel Trust Domain Extensions (x86/tdx)',
    'Linux kernel docs: Confidential Computing in Linux for x86 virtualization (snp-tdx-threat-model)',
    'Intel TDX Module ABI specification (MRTD, RTMR, TDREPORT)',
    'Phala-Network/dcap-qvl (TDX quote v4 verification)',
    'Flashbots forum: "Loose SEAL" (sealing without a TDX seal key)',
    'Red Hat: Confidential computing primer (TDX)',
  ],
} as const satisfies Platform;
