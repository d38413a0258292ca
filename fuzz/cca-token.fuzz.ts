/** Fuzzes the Arm CCA attestation token decoder (tag 399, platform and realm COSE_Sign1). */
import { decodeCcaToken, demoCcaEvidence } from '../src/core/evidence/cca-token';
import { fuzzMain } from './harness';

const seeds = [
  demoCcaEvidence('fuzz').token,
  demoCcaEvidence('fuzz-2', { challenge: new Uint8Array(64).fill(7) }).token,
];
fuzzMain({ name: 'cca-token', seeds, parse: decodeCcaToken });
