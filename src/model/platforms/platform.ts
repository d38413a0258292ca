/**
 * A platform profile is data, not behaviour: what the hardware and firmware of one kind of TEE do
 * for a guest, each capability with the mechanism behind it in one sentence and its sources. The
 * machines (src/model/machines) read these values to decide what happens; attacks never read them;
 * src/model/outcome.ts judges only what was observed. Values follow ../shared/DOMAIN.md §b.
 */

export type Domain = 'platform' | 'host' | 'guest' | 'owner';

/** What the TEE protects: a whole VM, an enclave inside a process, a realm, a trusted application. */
export type Unit = 'none' | 'vm' | 'enclave' | 'realm' | 'trusted-app';

/**
 * Every value each capability can take: data first, so tests, views and the honesty test enumerate
 * them, and the `Capabilities` type is derived from it (one list, no drift).
 */
export const CAPABILITY_VALUES = {
  /** What a host read of a private guest page returns. */
  memory: ['plaintext', 'ciphertext', 'abort-values', 'fault'],
  /** Guest register state the host can read at an exit. */
  registers: ['plaintext', 'guest-chosen-only', 'encrypted', 'firmware-held'],
  /** What happens when the host remaps, replays or aliases a private page. */
  integrity: ['none', 'ownership-fault'],
  /** Where the guest's CPUID answers come from. */
  cpuid: [
    'host-unchecked',
    'firmware-validated',
    'module-fixed',
    'host-configured-in-evidence',
    'not-served',
  ],
  /** What a device's DMA to private memory achieves. */
  dma: ['plaintext', 'ciphertext', 'blocked'],
  /** Shared I/O buffers (virtio, SWIOTLB, vsock, OCALL) are always host-visible; only the workload can encrypt. */
  sharedIo: ['plaintext'],
  /** How the launched image is measured. */
  measurement: [
    'none',
    'pcr-event-log',
    'sev-launch-digest',
    'snp-launch-digest',
    'mrtd-rtmr',
    'mrenclave',
    'nitro-pcrs',
    'ta-hash',
    'rim-rem',
    'se-header',
    'esm-blob',
  ],
  /** Checks the hardware/firmware/loader makes before the guest runs, refusing a changed image. */
  preLaunchCheck: ['none', 'id-block', 'trusted-files', 'encrypted-image', 'verified-boot'],
  /** The evidence format (src/core/evidence). */
  evidence: [
    'none',
    'tpm-quote',
    'sev-launch-measure',
    'snp-report',
    'tdx-quote',
    'sgx-quote',
    'nitro-document',
    'ta-hash-report',
    'cca-token',
    'ibm-se-attestation',
  ],
  /** Whose key makes evidence: a vendor chain to a pinned root, a key the host holds, a MAC key shared with the owner. */
  evidenceKey: ['none', 'vendor-chain', 'host-held', 'owner-shared-mac', 'device-key-no-pki'],
  /** How a verifier knows evidence is fresh. */
  freshness: ['none', 'verifier-nonce', 'firmware-nonce-session'],
  /** Whether the security firmware's version (TCB) is in the evidence or its key. */
  tcb: ['in-evidence', 'not-in-evidence', 'pcr-events-only', 'hardware-anti-rollback', 'provider-managed'],
  /** Whether a debug launch shows in what the verifier appraises. */
  debug: ['in-evidence', 'alters-measurement', 'not-attested', 'no-debug-mode'],
  /** How secrets reach the guest: released by an owner after appraisal, or inside an image only the hardware can open. */
  secretDelivery: ['attested-release', 'encrypted-image', 'none'],
  /** Keys bound to the measurement, for data at rest. */
  sealing: ['none', 'derived-key', 'pcr-policy', 'seal-key', 'huk-derived', 'image-secrets'],
  migration: ['host', 'firmware-send-receive', 'migration-agent', 'none', 'not-applicable'],
  /** The root whose compromise nothing downstream can detect (attestation PKI or boot-signing key). */
  trustAnchor: ['vendor-pki', 'boot-signing-key', 'none'],
  /** What the vendor's declared threat model leaves out (DOMAIN §b "Declared exclusions"). */
  excludes: ['side-channels', 'denial-of-service', 'vendor-root'],
} as const;

type ValueOf<K extends keyof typeof CAPABILITY_VALUES> = (typeof CAPABILITY_VALUES)[K][number];

/** One value per capability; `excludes` lists the threat-model exclusions a vendor declares. */
export type Capabilities = {
  readonly [K in Exclude<keyof typeof CAPABILITY_VALUES, 'excludes'>]: ValueOf<K>;
} & { readonly excludes: readonly ValueOf<'excludes'>[] };

export type CapabilityName = keyof Capabilities;

export interface Platform {
  /** Stable id, equal to the file name. */
  id: string;
  name: string;
  vendor: string;
  unit: Unit;
  summary: string;
  capabilities: Capabilities;
  /** One sentence per capability: the mechanism behind the value, in the domain's words. */
  mechanisms: Record<CapabilityName, string>;
  /** Facts DOMAIN marks uncertain: capability → what is uncertain, so a UI can say so. */
  uncertain?: Partial<Record<CapabilityName, string>>;
  /** Who the owner must trust (DOMAIN §a "Who must be trusted"). */
  trusted: readonly string[];
  /** The name of the structure that records page ownership, where `integrity` is 'ownership-fault'. */
  ownershipTable?: string;
  sources: readonly string[];
}
