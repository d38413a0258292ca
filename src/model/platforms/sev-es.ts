import type { Platform } from './platform';

/** AMD SEV-ES: SEV plus an encrypted register save area (DOMAIN §b, "SEV-ES"). */
export const sevEs = {
  id: 'sev-es',
  name: 'AMD SEV-ES',
  vendor: 'AMD',
  unit: 'vm',
  summary:
    'AMD SEV-ES: SEV plus an encrypted register save area; at an exit the guest shares only the registers it chooses, through the GHCB.',
  capabilities: {
    memory: 'ciphertext',
    registers: 'guest-chosen-only',
    integrity: 'none',
    cpuid: 'host-unchecked',
    dma: 'ciphertext',
    sharedIo: 'plaintext',
    measurement: 'sev-launch-digest',
    preLaunchCheck: 'none',
    evidence: 'sev-launch-measure',
    evidenceKey: 'owner-shared-mac',
    freshness: 'firmware-nonce-session',
    tcb: 'not-in-evidence',
    debug: 'in-evidence',
    secretDelivery: 'attested-release',
    sealing: 'none',
    migration: 'firmware-send-receive',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'As in SEV, the per-VM AES-128 key held by the AMD-SP encrypts C-bit pages, so a host read returns ciphertext.',
    registers:
      "Guest registers are saved in the VM save area (VMSA) encrypted under the guest's key, and when an exit needs the hypervisor the #VC handler copies only the registers it chooses into the shared GHCB.",
    integrity:
      'SEV-ES adds no integrity or ownership tracking for memory, so remapped or replayed ciphertext is still decrypted without complaint.',
    cpuid:
      'CPUID raises #VC in the guest, whose handler forwards the request through the GHCB to the hypervisor and has to use the unchecked answer.',
    dma: 'A device reading private pages sees only ciphertext, as in SEV.',
    sharedIo: 'I/O still flows through unencrypted SWIOTLB bounce buffers that the host can read.',
    measurement:
      'The launch digest covers the LAUNCH_UPDATE_DATA regions as in SEV and also the initial VMSA of every vCPU (LAUNCH_UPDATE_VMSA).',
    preLaunchCheck:
      'The AMD-SP measures without refusing anything, so a changed image starts and shows up only in the measurement.',
    evidence: 'The evidence is the same LAUNCH_MEASURE HMAC as in SEV, taken before the guest first runs.',
    evidenceKey:
      'The HMAC uses the TIK, which only the owner and the AMD-SP share after their DH exchange on the certified PDH.',
    freshness:
      "A new DH session per launch and the firmware's MNONCE inside the HMAC make an old measurement useless for a new launch.",
    tcb: 'The firmware API version and build are inside the HMAC, but no TCB-bound key or floor backs them, and a CEK extracted from old firmware lets an attacker claim any version.',
    debug:
      'The NODBG policy bit is covered by the HMAC, so a launch that permits debugging is visible to the owner.',
    secretDelivery:
      "The owner injects secrets with LAUNCH_SECRET, wrapped under the launch session's keys, only after the measurement checks out.",
    sealing:
      'The guest gets no key derived from its measurement, so keys for data at rest must come from the owner.',
    migration:
      'SEND and RECEIVE commands let the AMD-SP re-encrypt the guest for another machine unless the policy sets NOSEND.',
    trustAnchor:
      "The owner trusts the PDH because AMD's ARK and ASK certify the chip's CEK, which certifies the PEK and through it the PDH.",
    excludes:
      'AMD lists side channels and host denial of service as unmitigated for the whole SEV family, and compromise of its own root keys lies outside its threat model as well.',
  },
  uncertain: {
    migration: 'DOMAIN marks SEND/RECEIVE migration (available unless NOSEND) as uncertain.',
  },
  trusted: [
    'AMD (CPU vendor) and its ARK, ASK and CEK certificates',
    'AMD-SP firmware',
    'measured guest stack (OVMF, kernel, initrd, command line, any provider paravisor)',
    "the owner's verifier and key broker",
  ],
  sources: [
    'AMD white paper: SEV-SNP: Strengthening VM Isolation with Integrity Protection and More (2020)',
    'QEMU docs: AMD memory encryption (SEV-ES launch measurement)',
    'Buhren et al.: Insecure Until Proven Updated: Analyzing AMD SEV’s Remote Attestation (CCS 2019)',
    'Kammel, Ylinen, Feldman-Fitzthum: Confidential Computing overview for Kubernetes users (SEV-ES encrypts register contents)',
    'Red Hat: Confidential computing primer (the SEV generations)',
  ],
} as const satisfies Platform;
