/**
 * Fuzzes the X.509 certificate parser with mutated real AMD certificates (RSA-PSS and EC keys) and
 * random bytes: `npx tsx fuzz/x509.fuzz.ts [count] [seed]`.
 */
import { readFileSync } from 'node:fs';
import { parseCertificate, pemToDer } from '../src/core/evidence/x509';
import { fuzzMain } from './harness';

const dir = new URL('../tests/fixtures/real/snp/', import.meta.url);
const seeds = [
  new Uint8Array(readFileSync(new URL('milan-vcek.der', dir))),
  new Uint8Array(readFileSync(new URL('turin-vcek.der', dir))),
  ...['milan-ask.pem', 'milan-ark.pem', 'genoa-ask.pem'].flatMap((f) =>
    pemToDer(readFileSync(new URL(f, dir), 'utf8')),
  ),
];

fuzzMain({ name: 'x509', seeds, parse: parseCertificate });
