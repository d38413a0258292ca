/**
 * Fuzzes the TPM2_Quote response decoder (TPM2B_ATTEST ‖ TPMT_SIGNATURE) and the TPMS_ATTEST and
 * TPMT_SIGNATURE decoders on the same bytes: `npx tsx fuzz/tpm-quote.fuzz.ts [count] [seed]`.
 */
import { FormatError } from '../src/core/errors';
import {
  decodeTpmQuote,
  decodeTpmsAttest,
  decodeTpmtSignature,
  demoTpmEvidence,
} from '../src/core/evidence/tpm-quote';
import { fuzzMain } from './harness';

const pcr = (n: number, size: number) => new Uint8Array(size).fill(n);
const small = demoTpmEvidence(1, {
  pcrs: { sha256: { 0: pcr(0, 32), 7: pcr(7, 32) } },
  nonce: pcr(0xaa, 32),
});
const banks = demoTpmEvidence(2, {
  pcrs: { sha1: { 0: pcr(1, 20) }, sha256: { 4: pcr(4, 32), 9: pcr(9, 32) }, sha384: { 23: pcr(23, 48) } },
  nonce: pcr(0xbb, 64),
});

fuzzMain({
  name: 'tpm-quote',
  seeds: [small.quote, banks.quote, small.attest, banks.signature],
  parse(input) {
    let last: unknown;
    let rejection: FormatError | undefined;
    // A crash in any decoder is rethrown; the response decoder's outcome stands for the input.
    for (const decode of [decodeTpmsAttest, decodeTpmtSignature, decodeTpmQuote]) {
      try {
        last = decode(input);
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
  },
});
