import type { Platform } from './platform';

/** A plain VM: the baseline in which the host sees and controls everything (DOMAIN §b, "Plain VM"). */
export const plainVm = {
  id: 'plain-vm',
  name: 'Plain VM',
  vendor: 'Any hypervisor (KVM/QEMU, cloud hosts)',
  unit: 'none', // no TEE: nothing is protected from the host
  summary:
    'An ordinary virtual machine: the hypervisor and its administrators can read and change everything, and nothing is attested.',
  capabilities: {
    memory: 'plaintext',
    registers: 'plaintext',
    integrity: 'none',
    cpuid: 'host-unchecked',
    dma: 'plaintext',
    sharedIo: 'plaintext',
    measurement: 'none',
    preLaunchCheck: 'none',
    evidence: 'none',
    evidenceKey: 'none',
    freshness: 'none',
    tcb: 'not-in-evidence',
    debug: 'not-attested',
    secretDelivery: 'none',
    sealing: 'none',
    migration: 'host',
    trustAnchor: 'none',
    excludes: ['denial-of-service'],
  },
  mechanisms: {
    memory:
      'Guest pages are ordinary host RAM reached through nested page tables the host controls, so a host read returns the guest data in plaintext.',
    registers:
      'At every VM exit the CPU saves the guest registers into the VMCS or VMCB, a structure in host memory that the hypervisor reads and writes freely.',
    integrity:
      'The host owns the nested page tables (EPT/NPT), so it can remap, replay or alias guest frames and the guest silently reads whatever it is given.',
    cpuid:
      'CPUID exits to the hypervisor, which answers as it likes, and the guest has no way to check the answer.',
    dma: 'Devices are programmed by the host, and their DMA reaches guest RAM in the clear unless an IOMMU that the host itself configures stops it.',
    sharedIo:
      'All guest I/O passes through devices the host emulates, so every byte the workload does not encrypt itself is visible to the host.',
    measurement:
      'Nothing measures the firmware, kernel or workload at launch, so no record exists of what actually booted.',
    preLaunchCheck:
      'The host builds and starts the image, and no hardware or firmware compares it with what the owner intended before it runs.',
    evidence: 'There is no attestation report, so the owner cannot learn from the platform what is running.',
    evidenceKey: 'With no evidence there is no signing or MAC key whose origin a verifier could check.',
    freshness: 'Without evidence there is nothing to bind to a nonce, so freshness does not arise.',
    tcb: 'No security-firmware version reaches the owner, and none could help, because nothing on this platform protects the guest from the host.',
    debug:
      'The host can attach a debugger such as the QEMU gdbstub to the guest at any time, and nothing records or reports that it did.',
    secretDelivery:
      'Secrets reach the guest by whatever channel the owner chooses, with no appraisal step and no key that only the guest could hold.',
    sealing:
      'No key is bound to what the guest runs, so data at rest is protected only by keys that the host can reach as well.',
    migration: 'The host can pause, copy and move the VM with all its memory and state whenever it wants.',
    trustAnchor:
      'No vendor root vouches for anything here, so there is no root whose compromise would add to what the host can already do.',
    excludes:
      'No vendor publishes a threat model for a plain VM, but availability is never a confidential-computing property, so denial of service alone is treated as out of scope.',
  },
  trusted: [
    'CPU vendor',
    'hypervisor',
    'host administrator',
    'cloud operator',
    'guest firmware, kernel and workload',
  ],
  sources: [
    'Linux kernel docs: Confidential Computing in Linux for x86 virtualization (snp-tdx-threat-model)',
    'Red Hat: Confidential computing primer (the host-administrator memory dump; denial of service out of scope)',
  ],
} as const satisfies Platform;
