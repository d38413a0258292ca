/**
 * One attack = one file = one shape. An attack acts only through the powers of its attacker's domain
 * (the hooks below), and reports what it observed; it never decides its own outcome — outcome.ts
 * judges every attack the same way, from the transcript and the observations.
 */
import type { HostView } from '../../core/memory/guest-memory';
import type { Capabilities, CapabilityName } from '../platforms/platform';
import type { Actor } from '../transcript';

export type Phase = 'launch' | 'boot' | 'attestation' | 'runtime';
export type Stride =
  | 'spoofing'
  | 'tampering'
  | 'repudiation'
  | 'information-disclosure'
  | 'denial-of-service'
  | 'elevation-of-privilege';

/** What the owner intends to launch; the host builds and starts it, so an attacker can change it. */
export interface LaunchPlan {
  /** Boot components in order (firmware, bootloader, kernel, initrd, cmdline, workload): name → bytes. */
  components: { name: string; bytes: Uint8Array }[];
  /** Launch with debug enabled (SNP POLICY.DEBUG, TD_ATTRIBUTES.DEBUG, SGX ATTRIBUTES.DEBUG, Nitro --debug-mode). */
  debug: boolean;
  /** Security firmware / microcode / TDX module version the platform runs: 'current' or an older, vulnerable one. */
  firmware: 'current' | 'vulnerable';
  /** The owner (mistakenly) bakes the secret into the image or command line instead of releasing it after attestation. */
  secretInImage: boolean;
}

/** Evidence as it travels from the guest through the host to the owner. */
export interface EvidenceInTransit {
  format: string;
  bytes: Uint8Array;
  /** Endorsement chain (DER certificates) sent along, leaf first. */
  chain: Uint8Array[];
}

/** What the host may do to evidence it relays. */
export interface RelayPowers {
  /** Evidence from an earlier, good boot of this guest, captured by the host (for replays). */
  recorded?: EvidenceInTransit;
  /** Makes evidence of `format` claiming the good measurement, signed with a key the attacker holds. */
  forge(): EvidenceInTransit;
  /**
   * The same, but the attacker holds the vendor's root (or an intermediate, or an extracted chip key),
   * so its key is certified by the very root the owner pins.
   */
  forgeAsVendor(): EvidenceInTransit;
}

/** The powers of root on the host (and of devices it controls) once the guest runs. */
export interface HostPowers {
  /** Frames of the guest, for dumping. */
  guestFrames(): bigint[];
  readFrame(hpa: bigint): HostView;
  writeFrame(hpa: bigint, bytes: Uint8Array): void;
  storedFrame(hpa: bigint): Uint8Array;
  /** Changes the nested page table: `gpa` now maps to frame `hpa`. */
  remap(gpa: bigint, hpa: bigint): void;
  hpaOf(gpa: bigint): bigint;
  /** Forces an exit while the workload holds its key in a register; returns the saved state the host can read. */
  registersAtExit(): Uint8Array;
  /** A device on the host's bus reads a frame by DMA. */
  dmaRead(hpa: bigint): HostView;
  /** Bytes the guest passed through shared I/O (virtio, bounce buffers, vsock, OCALLs) so far. */
  sharedIo(): Uint8Array[];
  /** Asks the guest to act on a CPUID answer the host chose; returns what the guest used. */
  answerCpuid(leaf: number, value: Uint8Array): { used: Uint8Array; checkedBy: string };
  /**
   * Lets the guest run until it next reads `gpa` (its workload re-reads its data); returns what it
   * read, whether that silently differs from what it last wrote there, or the fault it took instead.
   */
  resumeGuest(gpa: bigint): { read?: Uint8Array; silentlyWrong: boolean; fault?: string };
  /** GPA of the private page holding the workload's secret (a real attacker finds it by scanning). */
  secretGpa(): bigint;
  /** Stops the guest's vCPUs. */
  halt(): void;
}

export interface Observation {
  /** What was obtained (bytes the attacker holds after the attack), if anything. */
  bytes?: Uint8Array;
  /** What the observation is, for the explanation ("page 0x3000 as dumped", "RAX..R15 at exit"). */
  what: string;
  /** The attacker read `bytes` in the clear (a plaintext page), whether or not they hold the secret. */
  plaintext?: boolean;
  /** A fault or refusal the hardware raised instead. */
  fault?: string;
  /** The guest went on with tampered state (a remapped or replayed page, a lying CPUID) without noticing. */
  guestActedOnTamperedState?: boolean;
  /** The guest stopped running (availability lost). */
  halted?: boolean;
}

export interface Attack {
  /** Stable id, equal to the file name. */
  id: string;
  title: string;
  attacker: Actor;
  phase: Phase;
  stride: Stride;
  /** What the attacker wants: the secret, the guest's integrity, its registers, its availability. */
  goal: 'secret' | 'integrity' | 'registers' | 'availability';
  summary: string;
  sources: readonly string[];
  /** The platform capability whose mechanism decides this attack (DOMAIN §c "Decided by"), for explanations. */
  decidedBy: CapabilityName;
  /**
   * Capabilities besides `decidedBy` that this attack's outcome legitimately depends on (the honesty
   * test in tests/unit/model/honesty.test.ts flips each capability and checks that only attacks
   * listing it change outcome).
   */
  dependsOn?: readonly CapabilityName[];
  /** The threat-model exclusion this attack falls under, if vendors declare one (DOMAIN §b). */
  exclusion?: Capabilities['excludes'][number];
  /** Before launch: the attacker changes what is launched. */
  prepare?(plan: LaunchPlan): LaunchPlan;
  /** During attestation: the host changes the evidence it relays. */
  relay?(evidence: EvidenceInTransit, powers: RelayPowers): EvidenceInTransit;
  /** At runtime: the host's powers; returns what it observed. */
  act?(powers: HostPowers): Observation[];
}
