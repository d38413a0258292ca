/**
 * Fuzzes the AWS Nitro attestation document decoder (COSE_Sign1 + CBOR payload):
 * `npx tsx fuzz/nitro-document.fuzz.ts [count] [seed]`. Seeds: the two real NSM documents from
 * tests/fixtures/real/nitro, the golden document, and our own documents in their other shapes
 * (tagged, debug mode, every optional field null or filled), so mutations reach each field's checks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromBase64 } from '../src/core/crypto/bytes';
import { demoNitroEvidence } from '../src/core/evidence/nitro-chain';
import { decodeNitroDocument } from '../src/core/evidence/nitro-document';
import { fuzzMain } from './harness';

const file = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)));
const real = ['nitro_attestation.b64', 'nitro_attestation_debug.b64'].map((f) =>
  fromBase64(file(`../tests/fixtures/real/nitro/${f}`).toString('utf8')),
);
const golden = new Uint8Array(file('../tests/fixtures/golden/nitro-document-seed1.cbor'));
const ours = [
  demoNitroEvidence('fuzz-plain').document,
  demoNitroEvidence('fuzz-tagged', { tagged: true, nonce: new Uint8Array(16) }).document,
  demoNitroEvidence('fuzz-debug', { debug: true, userData: Uint8Array.of(1, 2, 3) }).document,
  demoNitroEvidence('fuzz-full', {
    nonce: new Uint8Array(512).fill(0x6e),
    userData: new Uint8Array(0),
    publicKey: new Uint8Array(120).fill(0x30),
    pcrs: { 0: new Uint8Array(48).fill(1), 31: new Uint8Array(48).fill(2) },
  }).document,
];

fuzzMain({ name: 'nitro-document', seeds: [...real, golden, ...ours], parse: decodeNitroDocument });
