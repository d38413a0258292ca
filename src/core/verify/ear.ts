import type { FormatError } from '../errors';

/**
 * EAR-style attestation results (draft-ietf-rats-ear, as veraison/ear and Trustee emit them) with the
 * AR4SI trustworthiness vector. Every claim carries its reason and, where it came from evidence, the
 * byte range it was read from, so a UI can highlight those bytes and a user can see *why*.
 */

/** AR4SI trustworthiness claims, in the order of their CBOR keys 0–7. */
export const CLAIMS = [
  'instance-identity',
  'configuration',
  'executables',
  'file-system',
  'hardware',
  'runtime-opaque',
  'storage-opaque',
  'sourced-data',
] as const;
export type ClaimName = (typeof CLAIMS)[number];

export type Status = 'affirming' | 'warning' | 'contraindicated' | 'none';

/** Tier of an AR4SI value (int8): none 0/1/−1, affirming 2–31, warning 32–95, contraindicated 96–127. */
export function tierOf(value: number): Status {
  const v = Math.abs(value);
  if (v <= 1) return 'none';
  if (v <= 31) return 'affirming';
  if (v <= 95) return 'warning';
  return 'contraindicated';
}

const RANK: Record<Status, number> = { none: 0, affirming: 1, warning: 2, contraindicated: 3 };

/** The overall status is never better than the worst claim (a claim of 'none' does not lower it). */
export function worstStatus(values: Iterable<number>): Status {
  let worst: Status = 'none';
  for (const v of values) {
    const t = tierOf(v);
    if (RANK[t] > RANK[worst]) worst = t;
  }
  return worst;
}

/** Well-known AR4SI values used by our appraisal (draft-ietf-rats-ar4si §2.3). */
export const AR4SI = {
  noClaim: 0,
  unexpectedEvidence: 1,
  cryptoValidationFailed: 99,
  instanceIdentity: { recognized: 2, untrustworthy: 96, unrecognized: 97 },
  configuration: { approved: 2, noKnownVulns: 3, knownVulns: 32, unavailable: 36, unsupportable: 96 },
  executables: {
    approvedBootAndRuntime: 2,
    approvedBoot: 3,
    knownVulns: 32,
    unrecognized: 33,
    contraindicated: 96,
  },
  fileSystem: { approved: 2, unrecognized: 32, contraindicated: 96 },
  hardware: { genuine: 2, unsafe: 32, contraindicated: 96, unrecognized: 97 },
  runtimeOpaque: { encrypted: 2, isolated: 32, visible: 96 },
  storageOpaque: { hardwareKey: 2, softwareKey: 32, unencrypted: 96 },
  sourcedData: { trusted: 2, untrusted: 32, contraindicated: 96 },
} as const;

/** The checks, in the order the verifier runs them. */
export const CHECKS = [
  'parse',
  'signature',
  'chain',
  'freshness',
  'tcb',
  'policy',
  'measurement',
  'platform',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckOutcome {
  check: CheckName;
  ok: boolean;
  /** One sentence a user can act on: what was compared with what, and where. */
  reason: string;
  /** [start, end) of the evidence bytes the check read, when it read any. */
  range?: readonly [number, number];
  /** Named evidence field the check read (e.g. 'POLICY', 'REPORT_DATA'). */
  field?: string;
}

export interface ClaimResult {
  claim: ClaimName;
  value: number;
  status: Status;
  reason: string;
  range?: readonly [number, number];
  field?: string;
}

export interface Submod {
  'ear.status': Status;
  'ear.trustworthiness-vector': Partial<Record<ClaimName, number>>;
  'ear.appraisal-policy-id': string;
}

/** The JSON result: EAR fields plus the per-claim and per-check explanations. */
export interface AttestationResult {
  eat_profile: 'tag:github.com,2023:veraison/ear';
  iat: number;
  'ear.verifier-id': { developer: string; build: string };
  eat_nonce?: string;
  submods: Record<string, Submod>;
  /** Convenience: the status of the (single) submod. */
  status: Status;
  claims: ClaimResult[];
  checks: CheckOutcome[];
}

export const EAT_PROFILE = 'tag:github.com,2023:veraison/ear' as const;
export const VERIFIER_ID = { developer: 'cc-threat-explorer', build: 'ccte' } as const;

/**
 * Checks with no AR4SI claim of their own: when one fails, nothing in the evidence can be believed,
 * so the result is contraindicated whatever the claims say.
 */
const GATING_CHECKS: ReadonlySet<CheckName> = new Set(['parse', 'signature', 'chain', 'freshness']);

/** Assembles a result: status is the worst claim's tier, or contraindicated when a gating check failed. */
export function makeResult(args: {
  submod: string;
  policyId: string;
  claims: ClaimResult[];
  checks: CheckOutcome[];
  iat?: number;
  nonceHex?: string;
}): AttestationResult {
  const vector: Partial<Record<ClaimName, number>> = {};
  for (const c of args.claims) vector[c.claim] = c.value;
  let status = worstStatus(args.claims.map((c) => c.value));
  if (args.checks.some((c) => !c.ok && GATING_CHECKS.has(c.check))) status = 'contraindicated';
  return {
    eat_profile: EAT_PROFILE,
    iat: args.iat ?? 0,
    'ear.verifier-id': { ...VERIFIER_ID },
    ...(args.nonceHex ? { eat_nonce: args.nonceHex } : {}),
    submods: {
      [args.submod]: {
        'ear.status': status,
        'ear.trustworthiness-vector': vector,
        'ear.appraisal-policy-id': args.policyId,
      },
    },
    status,
    claims: args.claims,
    checks: args.checks,
  };
}

export function claim(
  name: ClaimName,
  value: number,
  reason: string,
  range?: readonly [number, number],
  field?: string,
): ClaimResult {
  return {
    claim: name,
    value,
    status: tierOf(value),
    reason,
    ...(range ? { range } : {}),
    ...(field ? { field } : {}),
  };
}

/** Orders claims as AR4SI numbers them (instance-identity first), for stable results. */
export function byClaimOrder(a: ClaimResult, b: ClaimResult): number {
  return CLAIMS.indexOf(a.claim) - CLAIMS.indexOf(b.claim);
}

/**
 * What a verifier reports for evidence that does not parse: the failed parse check and one
 * "unexpected evidence" claim, both pointing at the offset the parser named.
 */
export function parseFailure(
  e: FormatError,
  what: string,
): { claims: ClaimResult[]; checks: CheckOutcome[] } {
  const range = [e.offset, e.offset + 1] as const;
  return {
    claims: [claim('instance-identity', AR4SI.unexpectedEvidence, `${what}: ${e.message}`, range, e.field)],
    checks: [{ check: 'parse', ok: false, reason: e.message, range, field: e.field }],
  };
}
