import type { Platform } from './platform';

/** Intel SGX with the Gramine library OS: a process enclave running an unmodified application (DOMAIN §b, "SGX + Gramine"). */
export const sgx = {
  id: 'sgx',
  name: 'Intel SGX with Gramine',
  vendor: 'Intel (library OS: Gramine)',
  unit: 'enclave',
  ownershipTable: 'EPCM (Enclave Page Cache Map)',
  summary:
    'Intel SGX with the Gramine library OS: an unmodified application runs in an enclave inside a host process, with the OS and hypervisor outside its trust.',
  capabilities: {
    memory: 'abort-values',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'host-unchecked',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'mrenclave',
    preLaunchCheck: 'trusted-files',
    evidence: 'sgx-quote',
    evidenceKey: 'vendor-chain',
    freshness: 'verifier-nonce',
    tcb: 'in-evidence',
    debug: 'in-evidence',
    secretDelivery: 'attested-release',
    sealing: 'seal-key',
    migration: 'none',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'Enclave pages live in the EPC inside processor-reserved memory, encrypted in DRAM, and any access from outside the enclave reads the abort-page pattern instead of data.',
    registers:
      "On an asynchronous exit the CPU saves the enclave's registers into its SSA frame inside the EPC and hands the OS synthetic values.",
    integrity:
      'The EPCM records the owning enclave and expected linear address of every EPC page, so the OS cannot map an enclave page elsewhere or into another enclave without a fault.',
    cpuid:
      'CPUID raises #UD inside an enclave, so Gramine fetches CPUID values from the untrusted host and uses them largely as given.',
    dma: 'Processor-reserved memory is closed to device DMA, so devices cannot reach EPC pages.',
    sharedIo:
      'Everything the enclave exchanges with the OS (OCALL arguments, system-call buffers, files not marked trusted or encrypted) crosses untrusted memory in whatever form the application leaves it.',
    measurement:
      "ECREATE, EADD and EEXTEND fold the enclave's layout and initial contents into MRENCLAVE (SHA-256), MRSIGNER records the signing key, and Gramine's measured manifest lists the hash of every trusted file.",
    preLaunchCheck:
      'EINIT refuses an enclave whose MRENCLAVE differs from its signed SIGSTRUCT, and Gramine refuses to open a trusted file whose SHA-256 does not match the manifest.',
    evidence:
      'EREPORT produces a locally CMACed report that the Quoting Enclave converts into a quote, signed with ECDSA P-256 under DCAP or with EPID through the Intel Attestation Service on older systems.',
    evidenceKey:
      "A DCAP quote is signed by the Quoting Enclave's attestation key, certified by the PCK certificate that chains to the Intel SGX Root CA.",
    freshness:
      "The verifier's nonce, or a hash over it and the RA-TLS key, fills the 64-byte REPORTDATA that the quote signs.",
    tcb: 'CPUSVN and ISVSVN are in the report, the PCK certificate and TCB Info say whether the platform is up to date, and Gramine RA-TLS rejects an outdated TCB unless the application explicitly allows it.',
    debug:
      'ATTRIBUTES.DEBUG is in the report and a debug enclave can be read with EDBGRD, so RA-TLS refuses debug enclaves unless explicitly told to accept them.',
    secretDelivery:
      'Gramine RA-TLS and secret provisioning hand secrets only to an enclave whose quote, embedded in its TLS certificate, passed appraisal.',
    sealing:
      'EGETKEY derives a seal key bound to MRENCLAVE or MRSIGNER on this CPU, which Gramine exposes as the _sgx_mrenclave and _sgx_mrsigner keys for encrypted files.',
    migration:
      'Seal keys and enclave state are bound to one CPU, so an enclave cannot be moved, only restarted elsewhere and provisioned again.',
    trustAnchor:
      "Quotes chain through the PCK certificate to the Intel SGX Root CA, so Intel's root, or a leaked attestation key, could certify a fake enclave.",
    excludes:
      "Side channels (page-fault controlled channels among them), denial of service by the OS and compromise of Intel's own root are treated as outside what SGX defends against.",
  },
  uncertain: {
    integrity:
      'A replay-protection tree exists only with the client Memory Encryption Engine, not with TME-MK on Xeon (DOMAIN marks this uncertain).',
    cpuid: 'How far Gramine checks the CPUID values it gets from the host is marked uncertain in DOMAIN.',
    dma: 'That processor-reserved memory is out of DMA reach is marked uncertain in DOMAIN.',
    excludes: 'DOMAIN marks the SGX exclusions (side channels, denial of service, vendor root) as uncertain.',
  },
  trusted: [
    'Intel (CPU vendor) and its PCS/PCK certificate infrastructure',
    'SGX microcode and the Quoting Enclave',
    'Gramine library OS and its manifest',
    'the enclave application',
  ],
  sources: [
    'Intel 64 and IA-32 Architectures Software Developer’s Manual, Vol. 3D (SGX)',
    'Gramine documentation (manifest, trusted files, RA-TLS, encrypted files)',
    'Xu, Cui, Peinado: Controlled-Channel Attacks: Deterministic Side Channels for Untrusted Operating Systems (IEEE S&P 2015)',
    'Phala-Network/dcap-qvl (DCAP quote verification)',
    'Kammel, Ylinen, Feldman-Fitzthum: Confidential Computing overview for Kubernetes users (SGX and library OSes)',
    'Fortanix: Confidential Computing Manager (enclave attestation through the Intel Attestation Service)',
  ],
} as const satisfies Platform;
