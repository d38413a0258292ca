/**
 * What every appraisal policy says, whatever the evidence format. Format-specific policies extend
 * it (e.g. an SNP policy adds the minimum TCB and SMT), and the verifiers return an AttestationResult
 * (ear.ts) with one CheckOutcome per check, in the order of CHECKS.
 */
import type { Certificate } from '../evidence/x509';

export interface BasePolicy {
  /** Named in the result as `ear.appraisal-policy-id`. */
  id: string;
  /** The nonce the verifier issued; evidence must bind it (REPORT_DATA / extraData / nonce field). */
  nonce?: Uint8Array;
  /** Pinned vendor roots; the chain must end in one of them, byte for byte. */
  trustedRoots: Certificate[];
  /** Allowed launch measurements (reference values); empty or absent = executables unrecognized (33). */
  referenceMeasurements?: Uint8Array[];
  /** Strict by default: debug-enabled guests are refused. */
  allowDebug?: boolean;
  /** Time at which certificates must be valid; absent = not checked (simulated time, archived evidence). */
  at?: Date;
  /** Issued-at time written into the result (seconds); absent = 0, so simulated results are reproducible. */
  iat?: number;
}

/** The strict default: no debug, nothing else allowed unless a format's policy says so. */
export const STRICT = { allowDebug: false } as const;
