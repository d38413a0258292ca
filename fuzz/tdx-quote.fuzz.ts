/**
 * Fuzzes the TDX quote v4 decoder (strict and keeping trailing bytes) and the PCK chain reader:
 * `npx tsx fuzz/tdx-quote.fuzz.ts [count] [seed]`. Seeds are the real Sapphire Rapids quote (with and
 * without go-tdx-guest's appended test bytes) and demo quotes with and without debug.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FormatError } from '../src/core/errors';
import { demoTdxEvidence } from '../src/core/evidence/intel-chain';
import { decodeTdxQuote, readPckChain } from '../src/core/evidence/tdx-quote';
import { fuzzMain } from './harness';

const realPath = fileURLToPath(new URL('../tests/fixtures/real/tdx/spr-e4-quote.dat', import.meta.url));
const real = new Uint8Array(readFileSync(realPath));

/** Runs every reader; a crash anywhere is rethrown, and the last FormatError stands for the input. */
function all(input: Uint8Array, readers: ((b: Uint8Array) => unknown)[]): unknown {
  let last: unknown;
  let rejection: FormatError | undefined;
  for (const read of readers) {
    try {
      last = read(input);
      rejection = undefined;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > input.length) {
        throw new Error(
          `FormatError offset ${e.offset} lies outside the ${input.length}-byte input: ${e.message}`,
        );
      }
      rejection = e;
    }
  }
  if (rejection) throw rejection;
  return last;
}

fuzzMain({
  name: 'tdx-quote',
  seeds: [
    real.subarray(0, 4935),
    real,
    demoTdxEvidence(1).quote,
    demoTdxEvidence(2, { debug: true, reportData: Uint8Array.of(1, 2, 3) }).quote,
  ],
  parse: (input) =>
    all(input, [(b) => decodeTdxQuote(b), (b) => readPckChain(decodeTdxQuote(b, { extraBytes: 'keep' }))]),
});
