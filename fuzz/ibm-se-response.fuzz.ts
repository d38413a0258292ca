/** Fuzzes the IBM Secure Execution attestation response decoder. */
import { decodeSeResponse, demoIbmSeEvidence } from '../src/core/evidence/ibm-se';
import { fuzzMain } from './harness';

fuzzMain({
  name: 'ibm-se-response',
  seeds: [demoIbmSeEvidence('fuzz').response],
  parse: (b) => decodeSeResponse(b),
});
