import type { Platform } from './platform';

/** IBM Protected Execution Facility on POWER: secure VMs under the Ultravisor (DOMAIN §b, "IBM PEF"). */
export const ibmPef = {
  id: 'ibm-pef',
  name: 'IBM PEF',
  vendor: 'IBM',
  unit: 'vm',
  ownershipTable: 'Ultravisor page ownership',
  summary:
    'IBM Protected Execution Facility on POWER: an Ultravisor more privileged than the hypervisor runs secure VMs whose secrets come in an ESM blob for authorized machines.',
  capabilities: {
    memory: 'fault',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'not-served',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'esm-blob',
    preLaunchCheck: 'encrypted-image',
    evidence: 'none',
    evidenceKey: 'none',
    freshness: 'none',
    tcb: 'provider-managed',
    debug: 'no-debug-mode',
    secretDelivery: 'encrypted-image',
    sealing: 'image-secrets',
    migration: 'none',
    trustAnchor: 'boot-signing-key',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      'Secure memory is accessible only while the processor runs in secure mode, so a hypervisor access faults, and pages it asks to page out leave only encrypted through UV_PAGE_OUT.',
    registers:
      "The Ultravisor saves the secure VM's registers itself and shows the hypervisor neutral values, apart from those a hypercall needs.",
    integrity:
      "The Ultravisor owns the secure VM's partition-scoped page tables and checks the integrity of paged-out pages when they return, so the hypervisor cannot remap or replay them.",
    cpuid: 'POWER has no CPUID instruction for the hypervisor to answer.',
    dma: 'Devices cannot address secure memory, so DMA reaches only buffers the guest shares.',
    sharedIo: 'Virtio I/O uses bounce buffers in normal memory that the hypervisor can read.',
    measurement:
      'The ESM blob attached to the VM carries the expected integrity values for its kernel, initramfs and command line, which the Ultravisor checks.',
    preLaunchCheck:
      'When the VM calls UV_ESM to enter secure mode, the Ultravisor opens the ESM blob with a private key only authorized machines hold and stops the VM if the integrity check fails.',
    evidence:
      'PEF defines no remote-attestation report, so an owner learns nothing directly from the running VM.',
    evidenceKey: 'With no report there is no attestation key to check.',
    freshness: 'Without a report there is nothing that could carry a nonce.',
    tcb: "IBM-signed firmware and Ultravisor are installed by the machine's operator under secure boot, and no version ever reaches the owner.",
    debug: 'The hypervisor has no debug interface into secure memory, so there is no debug state to attest.',
    secretDelivery:
      'Secrets ride inside the ESM blob, encrypted so that only the Ultravisor of an authorized machine can unwrap them.',
    sealing:
      "Keys for data at rest are shipped inside the ESM blob and reach only a VM that passed the Ultravisor's check.",
    migration: 'QEMU offers no migration for secure VMs.',
    trustAnchor:
      "Trust rests on IBM's firmware-signing keys and the authorized machines' private keys, so whoever holds those can open ESM blobs or boot a false Ultravisor.",
    excludes:
      "Side channels, denial of service by the hypervisor and compromise of IBM's keys are treated as outside what PEF defends against.",
  },
  uncertain: {
    cpuid: 'DOMAIN marks "no CPUID served" for PEF as uncertain.',
    evidence: 'DOMAIN marks the absence of a PEF remote-attestation report as uncertain.',
    debug: 'DOMAIN says nothing about a PEF debug mode; "no debug mode" is this profile’s reading.',
    migration: 'DOMAIN marks "no migration in QEMU" as uncertain.',
    excludes: 'DOMAIN marks the PEF exclusions (side channels, denial of service, vendor root) as uncertain.',
  },
  trusted: [
    'IBM (POWER processor, firmware and Ultravisor)',
    'the machines the ESM blob is authorized for',
    "the secure VM's kernel, initramfs and command line",
  ],
  sources: [
    'Linux kernel docs: Protected Execution Facility, the powerpc Ultravisor',
    'Hunt et al.: Confidential Computing for OpenPOWER (EuroSys 2021)',
    'Red Hat: Confidential computing primer (PEF and its ultravisor)',
  ],
} as const satisfies Platform;
