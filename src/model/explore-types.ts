/**
 * What the explorer's views read: one run, made JSON-safe (bytes as lowercase hex), with everything a
 * view needs to draw it — the transcript, the machines' states step by step, the measured-boot chain,
 * guest memory as the guest and as the host see it, the evidence and the verdict, and each injected
 * attack's judged outcome. Produced by explore.ts from the live simulation; nothing here is written by
 * hand. Serialisable, so it crosses a Worker boundary and sits in a Svelte store unchanged.
 */
import type { EvidenceField } from '../core/evidence/fields';
import type { Outcome } from './outcome';
import type { Misconfiguration } from './run-types';
import type { TranscriptEvent } from './transcript';

export type MachineName = 'platform' | 'host' | 'guest' | 'owner';
export const MACHINE_NAMES: readonly MachineName[] = ['platform', 'host', 'guest', 'owner'];

export interface ExploreInput {
  platform: string;
  /** Attack ids, in injection order (may be empty). */
  attacks: string[];
  misconfiguration: Misconfiguration;
  seed: number;
}

/** One machine entering a state. It holds from transcript position `at` (events[0..at-1] have happened). */
export interface MachineStep {
  machine: MachineName;
  /** Number of transcript events that had been recorded when the machine reached this state. */
  at: number;
  /** The active state's name (dotted path for nested states). */
  state: string;
  status: string;
}

/** One extend of a measurement register (or one page added to a launch digest). */
export interface BootStep {
  /** What was measured: "kernel", "firmware page 0xffc00000", "cmdline", … */
  component: string;
  /** The digest (or page hash) that went into the register, hex. */
  input: string;
  /** The register's value after this step, hex. */
  value: string;
  /** True when the input differs from the owner's reference image at this step. */
  changed: boolean;
}

export interface BootRegister {
  /** "PCR9", "RTMR1", "MRTD", "SNP launch digest", … */
  name: string;
  steps: BootStep[];
  /** The final value and the owner's reference value for it, hex. */
  value: string;
  reference: string;
}

export interface BootChain {
  /** The platform's measurement scheme (capability value, e.g. 'snp-launch-digest'). */
  scheme: string;
  /** The hash algorithm of the register values ('sha256' | 'sha384' | 'sha512'). */
  hash: string;
  registers: BootRegister[];
  /** The headline value the evidence carries and its reference (hex), to show match or mismatch. */
  headline: { name: string; value: string; reference: string };
}

export type HostViewKind = 'plaintext' | 'ciphertext' | 'abort-values' | 'fault';

export interface MemoryPage {
  gpa: string;
  hpa: string;
  /** 'private' (guest-owned) or 'shared' (converted for I/O; the host reads it in the clear). */
  kind: 'private' | 'shared';
  /** What the page holds for the guest, hex (4096 bytes). */
  guestView: string;
  /** What the host gets reading the frame, hex (empty when it faults). */
  hostView: string;
  hostViewKind: HostViewKind;
  /** Why the read faulted, when it did. */
  fault?: string;
  /** The ownership-table entry for the frame, when the platform has such a table. */
  ownership?: { owner: string; validated: boolean; gpa?: string };
  /** A short label: "secret", "shared I/O buffer", … */
  label: string;
}

export interface MemoryView {
  /** How host reads of private memory are protected (capability `memory`). */
  protection: string;
  /** The platform's ownership table ("RMP", "EPCM", "Secure EPT", "GPT", …) or null without one. */
  ownershipTable: string | null;
  pages: MemoryPage[];
  /** The secret's location, for highlighting (hex GPA and length). */
  secret: { gpa: string; length: number } | null;
}

export type { EvidenceField };

export interface EvidenceView {
  /** The format id (e.g. 'sev-snp-report', 'tdx-quote', 'tpm-quote', 'nitro-document'). */
  format: string;
  bytes: string;
  /** Annotated fields, in offset order (may be empty for formats without a fixed layout). */
  fields: EvidenceField[];
  /** The transcript event that carried the evidence to the verifier. */
  seq: number | null;
}

export interface ClaimView {
  /** AR4SI claim name: 'instance-identity', 'executables', 'hardware', … */
  name: string;
  value: number;
  /** The value's tier: 'affirming' | 'warning' | 'contraindicated' | 'none'. */
  status: string;
  reason: string;
  /** [start, end) of the evidence bytes behind the claim, and the field's name, when known. */
  range?: [number, number];
  field?: string;
}

export interface CheckView {
  /** 'parse' | 'signature' | 'chain' | 'freshness' | 'tcb' | 'policy' | 'measurement' | 'platform'. */
  check: string;
  ok: boolean;
  reason: string;
  range?: [number, number];
  field?: string;
}

export interface VerdictView {
  /** EAR status: 'affirming' | 'warning' | 'contraindicated' | 'none'. */
  status: string;
  claims: ClaimView[];
  /** The verifier's checks, in the order it ran them. */
  checks: CheckView[];
  /** The transcript event that carried the verdict. */
  seq: number | null;
}

export interface AttackOutcomeView {
  attack: string;
  outcome: Outcome;
  explanation: string;
  decisiveEvents: number[];
  sources: string[];
}

export interface ExplorerRun {
  input: ExploreInput;
  platform: { id: string; name: string; vendor?: string; sources: string[] };
  events: TranscriptEvent[];
  machines: MachineStep[];
  boot: BootChain | null;
  memory: MemoryView;
  evidence: EvidenceView | null;
  verdict: VerdictView | null;
  outcomes: AttackOutcomeView[];
  /** The owner's workload secret (hex), so views can highlight where its bytes appear. */
  secret: string;
  released: boolean;
  launchRefused: string | null;
  /** Domains the owner trusts on this platform. */
  trustedDomains: string[];
}
