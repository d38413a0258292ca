import type { AttestationResult, ClaimName } from '../../../src/core/verify/ear';

/** The trustworthiness vector of a result, claim → value, as the verifiers' tests compare it. */
export const claimVector = (r: AttestationResult): Partial<Record<ClaimName, number>> =>
  Object.fromEntries(r.claims.map((c) => [c.claim, c.value]));

/** The names of the checks that failed, in order. */
export const failedChecks = (r: AttestationResult): string[] =>
  r.checks.filter((c) => !c.ok).map((c) => c.check);
