/** Fuzzes the IBM Secure Execution attestation request control block (ARCB) decoder. */
import { decodeArcb, demoIbmSeEvidence } from '../src/core/evidence/ibm-se';
import { fuzzMain } from './harness';

fuzzMain({ name: 'ibm-se-arcb', seeds: [demoIbmSeEvidence('fuzz').arcb], parse: decodeArcb });
