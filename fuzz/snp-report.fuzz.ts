/**
 * Fuzzes the SEV-SNP ATTESTATION_REPORT decoder: `npx tsx fuzz/snp-report.fuzz.ts [count] [seed]`.
 * Seeds: AMD's real Milan report and our own reports of every version (2–5) and product, so mutations
 * reach the version-dependent reserved ranges and the TCB layouts, not only the length check.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoSnpEvidence } from '../src/core/evidence/amd-chain';
import { decodeSnpReport } from '../src/core/evidence/snp-report';
import { fuzzMain } from './harness';

const real = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../tests/fixtures/real/snp/milan-report.bin', import.meta.url))),
);
const ours = ([2, 3, 4, 5] as const).flatMap((version) =>
  (['Milan', 'Genoa', 'Turin'] as const).map(
    (product) =>
      demoSnpEvidence(`fuzz-${version}-${product}`, {
        version,
        product,
        policy: { smt: true, debug: version === 4, migrateMa: version === 5 },
        maskChipId: version === 3 && product === 'Genoa',
      }).report,
  ),
);

fuzzMain({ name: 'snp-report', seeds: [real, ...ours], parse: (input) => decodeSnpReport(input) });
