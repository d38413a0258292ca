import type { Platform } from './platform';

/** AWS Nitro Enclaves: isolation by a hypervisor that AWS runs and the owner trusts (DOMAIN §b, "Nitro"). */
export const nitro = {
  id: 'nitro',
  name: 'AWS Nitro Enclaves',
  vendor: 'AWS',
  unit: 'vm', // an enclave here is a separate VM carved out of the parent instance, not an in-process enclave
  ownershipTable: 'Nitro Hypervisor page ownership',
  summary:
    'AWS Nitro Enclaves: an isolated VM carved out of a parent EC2 instance by the Nitro hypervisor, with no storage or external network, talking only over vsock.',
  capabilities: {
    memory: 'fault',
    registers: 'firmware-held',
    integrity: 'ownership-fault',
    cpuid: 'not-served',
    dma: 'blocked',
    sharedIo: 'plaintext',
    measurement: 'nitro-pcrs',
    preLaunchCheck: 'none',
    evidence: 'nitro-document',
    evidenceKey: 'vendor-chain',
    freshness: 'verifier-nonce',
    tcb: 'provider-managed',
    debug: 'alters-measurement',
    secretDelivery: 'attested-release',
    sealing: 'none',
    migration: 'not-applicable',
    trustAnchor: 'vendor-pki',
    excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
  },
  mechanisms: {
    memory:
      "The Nitro hypervisor takes the enclave's memory away from the parent instance, so even root on the parent has no mapping for it and an access faults.",
    registers:
      'The enclave runs on vCPUs removed from the parent, whose state only the Nitro hypervisor ever holds.',
    integrity:
      "Only the Nitro hypervisor owns the enclave's memory mappings, so the parent cannot remap or alias its pages.",
    cpuid:
      "The parent instance never answers the enclave's CPUID; that happens below it, in the Nitro hypervisor AWS operates.",
    dma: 'The enclave has no devices besides its vsock and the Nitro Security Module, so nothing can DMA into it.',
    sharedIo:
      'All traffic leaves through a vsock to the parent, which sees whatever the application does not encrypt.',
    measurement:
      'The enclave image file is hashed with SHA-384 into PCR0 (image), PCR1 (kernel and bootstrap) and PCR2 (application), with PCR3 the IAM role, PCR4 the parent instance ID and PCR8 the signing certificate.',
    preLaunchCheck:
      'The hypervisor starts whatever image the parent supplies, and a signing certificate only adds PCR8 without refusing anything, so a changed image is caught at appraisal or by KMS.',
    evidence:
      'The Nitro Security Module returns a CBOR attestation document (COSE_Sign1, ES384) with the PCRs and the optional public key, user data and nonce.',
    evidenceKey:
      'Each document is signed with a key whose certificate it carries, chaining through the enclosed CA bundle to the AWS Nitro Enclaves root (G1).',
    freshness: "The requester's nonce is copied into the signed document's nonce field.",
    tcb: 'The document carries no firmware or hypervisor version, because AWS updates the Nitro system itself and asks customers to trust it.',
    debug:
      'An enclave started in debug mode gets all-zero PCRs in its documents, so a policy or KMS condition on the real PCRs refuses it.',
    secretDelivery:
      "AWS KMS releases or decrypts a data key only when the document's PCRs satisfy the key policy, encrypting the result to the document's public key.",
    sealing:
      'There is no hardware sealing key; persistent secrets are kept encrypted under KMS keys whose policy names the PCRs.',
    migration: 'An enclave is tied to its parent instance and is never migrated, only started again.',
    trustAnchor:
      'Every document chains to the AWS Nitro Enclaves root, and AWS also runs the hypervisor, so AWS is the root of trust.',
    excludes:
      'The Nitro model defends against root on the parent instance, not against AWS itself, side channels or the parent simply stopping the enclave.',
  },
  uncertain: {
    dma: 'DOMAIN marks "no devices" for Nitro Enclaves as uncertain.',
    excludes:
      'DOMAIN marks the Nitro exclusions (side channels, denial of service, vendor root) as uncertain.',
  },
  trusted: ['AWS (Nitro hypervisor, Nitro attestation PKI, KMS)', 'the enclave image and its application'],
  sources: [
    'AWS Nitro Enclaves User Guide',
    'aws/aws-nitro-enclaves-nsm-api: the Nitro Enclaves attestation process',
    'Cloud confidential computing in 2021 (AWS builds both the cloud and the enclave technology)',
    'Kammel, Ylinen, Feldman-Fitzthum: Confidential Computing overview for Kubernetes users (Nitro has a different threat model)',
  ],
} as const satisfies Platform;
