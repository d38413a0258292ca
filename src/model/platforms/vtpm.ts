import type { Platform } from './platform';

/** A VM with a host-run virtual TPM: measured boot and quotes, but the host holds the keys (DOMAIN §b, "VM + vTPM"). */
export const vtpm = {
  id: 'vtpm',
  name: 'VM with vTPM',
  vendor: 'Any hypervisor with a software TPM 2.0 (swtpm, cloud vTPMs)',
  unit: 'none', // the vTPM measures and quotes, but nothing isolates the guest from the host
  summary:
    'A plain VM with a virtual TPM: boot is measured into PCRs and quoted, but the TPM is software the host runs, so the host can quote whatever it likes.',
  capabilities: {
    memory: 'plaintext',
    registers: 'plaintext',
    integrity: 'none',
    cpuid: 'host-unchecked',
    dma: 'plaintext',
    sharedIo: 'plaintext',
    measurement: 'pcr-event-log',
    preLaunchCheck: 'none',
    evidence: 'tpm-quote',
    evidenceKey: 'host-held',
    freshness: 'verifier-nonce',
    tcb: 'pcr-events-only',
    debug: 'not-attested',
    secretDelivery: 'attested-release',
    sealing: 'pcr-policy',
    migration: 'host',
    trustAnchor: 'none',
    excludes: ['denial-of-service'],
  },
  mechanisms: {
    memory:
      'A vTPM changes nothing about memory: guest pages are plain host RAM, and a host read returns plaintext.',
    registers:
      'Guest registers are saved at each exit into the VMCS or VMCB in host memory, exactly as in a plain VM.',
    integrity:
      'The host still owns the nested page tables, so remapped or replayed pages go unnoticed by the guest.',
    cpuid: 'CPUID is answered by the hypervisor and the guest cannot verify the answer.',
    dma: 'Devices under host control can read and write guest RAM in plaintext.',
    sharedIo:
      'Virtio and other emulated I/O is handled by the host, which sees all traffic the workload leaves unencrypted.',
    measurement:
      'Firmware and boot loaders hash each component they load, extend the digest into vTPM PCRs and record the same events in a TCG event log that a verifier can replay.',
    preLaunchCheck: 'Measured boot only records what ran; nothing refuses to start a changed image.',
    evidence:
      'TPM2_Quote signs a TPMS_ATTEST structure carrying the digest of the selected PCRs with an attestation key (AK) held by the vTPM.',
    evidenceKey:
      'The vTPM is a host process that holds the EK and AK private keys and the PCR values, so the host can produce a valid quote over any PCR values it wants.',
    freshness: "The verifier's nonce goes into the quote's extraData field, which the AK signature covers.",
    tcb: 'Guest firmware versions appear only as events measured into PCR0, so old firmware is caught only if the reference values leave out the old measurements.',
    debug:
      'The quote carries no debug state, and the host can inspect the guest with a debugger without changing any PCR.',
    secretDelivery:
      'A key broker can release a secret after appraising the quote and event log, but that appraisal is only as honest as the host that holds the vTPM keys.',
    sealing:
      'TPM2 sealing binds an object to a PolicyPCR digest, so it unseals only while the selected PCRs hold the expected values.',
    migration:
      'The vTPM state, keys included, is host data that travels with the VM wherever the host moves it.',
    trustAnchor:
      "Any EK certificate for a vTPM is issued by the operator who runs the host, and an AK may simply be pre-registered, so no root outside the attacker's domain stands behind a quote.",
    excludes:
      'No vendor threat model covers a host-run vTPM, and denial of service is out of scope only because availability is never a confidential-computing property.',
  },
  uncertain: {
    evidenceKey:
      'A vTPM running inside a TEE (an SVSM, a provider paravisor, az-snp-vtpm) would keep its keys from the host; DOMAIN marks that variant uncertain and this profile does not model it.',
    tcb: 'Whether old firmware is caught from PCR0 events depends on the reference values excluding the old measurements (DOMAIN §c h, uncertain).',
  },
  trusted: [
    'CPU vendor',
    'hypervisor',
    'host administrator',
    'cloud operator',
    'guest firmware, kernel and workload',
    'the host-run vTPM and the keys it holds',
  ],
  sources: [
    'TCG TPM 2.0 Library specification (TPM2_Quote, TPMS_ATTEST, PolicyPCR)',
    'Google Cloud docs: Confidential VM measurement register contents',
    'Trustee (confidential-containers): TPM verifier',
    'salrashid123/tpm2: sealing to a PCR policy',
    'Red Hat: Confidential computing primer (TPMs and the chain of trust)',
  ],
} as const satisfies Platform;
