/** Fuzzes the SGX quote v3 decoder with our quotes (normal and debug) and random bytes. */
import { decodeSgxQuote, demoSgxEvidence } from '../src/core/evidence/sgx-quote';
import { fuzzMain } from './harness';

const seeds = [demoSgxEvidence('fuzz').quote, demoSgxEvidence('fuzz-debug', { debug: true }).quote];
fuzzMain({ name: 'sgx-quote', seeds, parse: decodeSgxQuote });
