/**
 * How many public-key operations the core performed, so a benchmark can compare a simulation with
 * the floor of the same native operations: the totals, and the count per algorithm and key size
 * (`ecdsa-p256`, `ecdsa-p384`, `rsa-pss-4096`, `rsa-pkcs1-2048`, …), because a native RSA-4096
 * signature costs some hundred P-256 ones. Only operations actually computed count (a memoised
 * result does not). ECDH agreements and public-key derivations are counted too, for information.
 * Counting is a few additions per operation, negligible next to the arithmetic.
 */
export interface OpCount {
  sign: number;
  verify: number;
}

export interface PublicKeyOps extends OpCount {
  byKind: Record<string, OpCount>;
  ecdh: number;
  keyDerivation: number;
}

export const publicKeyOps: PublicKeyOps = { sign: 0, verify: 0, byKind: {}, ecdh: 0, keyDerivation: 0 };

export function countOp(kind: string, op: keyof OpCount): void {
  publicKeyOps[op]++;
  const k = (publicKeyOps.byKind[kind] ??= { sign: 0, verify: 0 });
  k[op]++;
}

export function resetPublicKeyOps(): void {
  publicKeyOps.sign = 0;
  publicKeyOps.verify = 0;
  publicKeyOps.byKind = {};
  publicKeyOps.ecdh = 0;
  publicKeyOps.keyDerivation = 0;
}

/** A copy that can be posted or kept while counting goes on. */
export function snapshotPublicKeyOps(): PublicKeyOps {
  return structuredClone(publicKeyOps);
}
