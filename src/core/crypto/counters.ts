/**
 * How many public-key operations the core performed, so a benchmark can compare a simulation with
 * the floor of the same number of native operations. Counting is a couple of additions per
 * signature, negligible next to the arithmetic.
 */
export const publicKeyOps = { sign: 0, verify: 0 };

export function resetPublicKeyOps(): void {
  publicKeyOps.sign = 0;
  publicKeyOps.verify = 0;
}
