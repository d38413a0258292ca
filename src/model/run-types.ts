/**
 * The shape of one simulated run, shared by the machines that produce it (machines/system.ts,
 * run.ts) and the judge that reads it (outcome.ts).
 */
import type { AttestationResult } from '../core/verify/ear';
import type { Attack, Observation } from './attacks/attack';
import type { Platform } from './platforms/platform';
import type { Transcript } from './transcript';

/** Ways the owner can get it wrong, so users see a correct platform still leak. */
export interface Misconfiguration {
  /** The owner does not send a fresh nonce (evidence can be replayed). */
  noNonce?: boolean;
  /** The appraisal policy accepts debug-enabled guests. */
  allowDebug?: boolean;
  /** The secret is provisioned before (or without) attestation: in the image, the command line or the disk. */
  secretBeforeAttestation?: boolean;
}

export interface RunInput {
  /** A platform id, or a profile object (e.g. one with a capability changed, to see what it decides). */
  platform: string | Platform;
  attacks: readonly Attack[];
  misconfiguration?: Misconfiguration;
  seed: number;
}

export interface RunResult {
  platform: string;
  attacks: string[];
  seed: number;
  transcript: Transcript;
  /** The workload secret the owner holds (to judge whether an observation contains it). */
  secret: Uint8Array;
  /** Per attack id, what its runtime hook observed. */
  observations: Record<string, Observation[]>;
  /** The owner's appraisal, when evidence was appraised. */
  verdict?: AttestationResult;
  /** Whether the key broker released the secret to the guest, and whether the guest could use it. */
  released: boolean;
  /** The launch was refused by the hardware/firmware/loader before the guest ran (e.g. a changed encrypted image). */
  launchRefused?: string;
  /** Domains the owner trusts on this platform (plaintext there is no leak). */
  trustedDomains: string[];
}
