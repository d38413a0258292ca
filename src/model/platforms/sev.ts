import type { Platform } from './platform';

/** AMD SEV (first generation): encrypted memory only (DOMAIN §b, "SEV"). */
export const sev = {
  id: 'sev',
  name: 'AMD SEV',
  vendor: 'AMD',
  unit: 'vm',
  summary:
    'AMD SEV: each VM has its memory encrypted under its own key held by the AMD Secure Processor, but registers and page mappings stay with the host.',
  capabilities: {
    memory: 'ciphertext',
    registers: 'plaintext',
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
      'The memory controller encrypts pages marked with the C-bit under an AES-128 key that the AMD-SP generates for this VM and never reveals, so a host read returns ciphertext.',
    registers:
      'Plain SEV saves guest registers in the VMCB at each exit without encrypting them, so the hypervisor reads them in plaintext.',
    integrity:
      'Encryption comes with no integrity or ownership check, so the host can move ciphertext between guest addresses or restore old ciphertext and the guest decrypts it without noticing (SEVered).',
    cpuid: 'CPUID is intercepted by the hypervisor, whose answers the guest has no means to check.',
    dma: "Devices access memory without the VM's key, so a DMA read of a private page yields only ciphertext.",
    sharedIo:
      'Pages with the C-bit clear, including the SWIOTLB bounce buffers used for virtio, are unencrypted so that the host can read them.',
    measurement:
      'The AMD-SP hashes every region loaded with LAUNCH_UPDATE_DATA (OVMF, optionally with hashes of kernel, initrd and command line) into a SHA-256 launch digest.',
    preLaunchCheck:
      "The AMD-SP measures the image but compares it with nothing, so a changed image still starts and only the owner's check of the measurement can catch it.",
    evidence:
      'LAUNCH_MEASURE returns an HMAC-SHA256 over the API version, build, policy, launch digest and a firmware nonce, taken before the guest first runs.',
    evidenceKey:
      "The HMAC key is the TIK, which the owner and the AMD-SP derive from a Diffie-Hellman exchange with the platform's PDH, so only those two parties can compute a valid measurement.",
    freshness:
      'Each launch runs a new DH session with the owner and puts a firmware-chosen MNONCE into the HMAC, so a measurement from an earlier launch does not verify.',
    tcb: 'The API version and build sit inside the HMAC, but no key and no verifier floor are tied to them, and old firmware leaked its CEK, so whoever holds that CEK can claim any version.',
    debug:
      'Policy bit 0 (NODBG) is part of the HMAC input, so a launch that allows debugging, and with it DEBUG_DECRYPT, shows in a measurement the owner can reject.',
    secretDelivery:
      "After checking the measurement the owner wraps a secret under the launch session's keys, and the AMD-SP injects it with LAUNCH_SECRET before the guest runs.",
    sealing:
      'SEV gives the guest no key derived from its measurement, so keys for data at rest must come from the owner.',
    migration:
      'The AMD-SP can re-encrypt a guest for another platform with SEND and RECEIVE commands unless the policy sets NOSEND.',
    trustAnchor:
      "The PDH is certified by the PEK, the chip's CEK and AMD's ASK and ARK, so the owner's trust in the TIK exchange rests on AMD's root keys.",
    excludes:
      'AMD lists architectural, page-level and performance-counter side channels and host denial of service as unmitigated across the SEV family, and compromise of its own root keys lies outside its threat model as well.',
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
    'QEMU docs: AMD memory encryption (SEV launch measurement and policy bits)',
    'Morbitzer et al.: SEVered: Subverting AMD’s Virtual Machine Encryption (EuroSec 2018)',
    'Buhren et al.: Insecure Until Proven Updated: Analyzing AMD SEV’s Remote Attestation (CCS 2019)',
    'Buhren et al.: One Glitch to Rule Them All: Fault Injection Attacks Against AMD’s Secure Encrypted Virtualization (CCS 2021)',
    'Red Hat: Confidential computing primer (the SEV generations)',
  ],
} as const satisfies Platform;
