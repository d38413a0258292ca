/** Shared by the browser and Node benchmarks. */
import type { PublicKeyOps } from '../src/core/crypto/counters';

/** "28 P-384 signs, 60 P-384 verifies, 2 RSA-4096 signs…": what the floor was made of. */
export function describeOps(ops: PublicKeyOps): string {
  const label = (k: string) =>
    k
      .replace(/^ecdsa-p(\d+)$/, 'P-$1')
      .replace(
        /^rsa-(pss|pkcs1)-(\d+)$/,
        (_, pad: string, bits: string) => `RSA-${bits} ${pad.toUpperCase()}`,
      );
  return Object.entries(ops.byKind)
    .flatMap(([k, n]) => [
      ...(n.sign ? [`${n.sign} ${label(k)} signs`] : []),
      ...(n.verify ? [`${n.verify} ${label(k)} verifies`] : []),
    ])
    .join(', ');
}
