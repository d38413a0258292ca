import { generateKeyPairSync, sign as osslSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import { decodeCcaToken, demoCcaEvidence, type DemoCcaOptions } from '../../../src/core/evidence/cca-token';
import { es384Signer } from '../../../src/core/evidence/nitro-document';
import { appraiseCca, type CcaPolicy } from '../../../src/core/verify/cca';
import { claimVector as vector, failedChecks as failed } from './_result';

const SEED = 0xcca;
const NONCE = Uint8Array.from({ length: 64 }, (_, i) => i);
const evidence = (o: DemoCcaOptions = {}) => demoCcaEvidence(SEED, { challenge: NONCE, ...o });
const base = evidence();

function policy(over: Partial<CcaPolicy> = {}): CcaPolicy {
  return {
    id: 'test-cca',
    trustedRoots: [],
    cpakPublicKeys: [base.cpakPublicKey],
    nonce: NONCE,
    referenceMeasurements: [base.claims.realm.rim],
    referenceRems: { 0: [base.claims.realm.rems[0]] },
    referenceSwComponents: base.claims.platform.swComponents.map((c) => c.measurement),
    ...over,
  };
}
const BASELINE = {
  'instance-identity': 2,
  configuration: 2,
  executables: 2,
  hardware: 2,
  'runtime-opaque': 32,
};

describe('appraiseCca', () => {
  it('passes every check for a good token, in CHECKS order', () => {
    const r = appraiseCca(base.token, policy());
    expect(r.checks.map((c) => c.check)).toEqual([
      'parse',
      'signature',
      'chain',
      'freshness',
      'tcb',
      'policy',
      'measurement',
      'platform',
    ]);
    expect(failed(r)).toEqual([]);
    expect(vector(r)).toEqual(BASELINE);
    expect(r.status).toBe('warning'); // runtime-opaque 32: isolation, encryption not architected
  });

  it('accepts a platform token signed by an OpenSSL-generated CPAK endorsed for its instance ID', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cpak = Uint8Array.of(4, ...fromBase64(jwk.x ?? ''), ...fromBase64(jwk.y ?? ''));
    const signPlatform = (m: Uint8Array) =>
      new Uint8Array(osslSign('sha384', m, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    const r = appraiseCca(
      evidence({ signPlatform, cpakPublicKey: cpak }).token,
      policy({ cpakPublicKeys: [cpak] }),
    );
    expect(failed(r)).toEqual([]);
  });

  it('single changes give exactly the expected claim change', () => {
    const baseline = vector(appraiseCca(base.token, policy()));
    const wrong = appraiseCca(base.token, policy({ nonce: NONCE.map((x) => x ^ 0xff) }));
    expect(failed(wrong)).toEqual(['freshness']);
    expect(vector(wrong)).toEqual(baseline);
    expect(wrong.status).toBe('contraindicated');

    const debug = appraiseCca(evidence({ lifecycle: 0x5000 }).token, policy());
    expect(failed(debug)).toEqual(['policy']);
    expect(vector(debug)).toEqual({ ...baseline, configuration: 96 });
    expect(
      vector(appraiseCca(evidence({ lifecycle: 0x5000 }).token, policy({ allowDebug: true }))).configuration,
    ).toBe(32);
    expect(
      vector(appraiseCca(evidence({ lifecycle: 0x6000 }).token, policy({ allowDebug: true }))).configuration,
    ).toBe(96);

    const rim = base.claims.realm.rim.slice();
    rim[5] ^= 1;
    const measured = appraiseCca(evidence({ rim }).token, policy());
    expect(failed(measured)).toEqual(['measurement']);
    expect(vector(measured)).toEqual({ ...baseline, executables: 33 });
    expect(measured.checks.find((c) => c.check === 'measurement')?.field).toBe('realm.rim');

    const rems = base.claims.realm.rems.map((r) => r.slice());
    rems[0][0] ^= 1;
    expect(vector(appraiseCca(evidence({ rems }).token, policy()))).toEqual({ ...baseline, executables: 33 });
    expect(vector(appraiseCca(base.token, policy({ referenceRems: undefined }))).executables).toBe(3);

    const sw = base.claims.platform.swComponents.map((c) => ({ ...c }));
    sw[1] = { ...sw[1], measurement: new Uint8Array(32).fill(7) };
    const tcb = appraiseCca(evidence({ swComponents: sw }).token, policy());
    expect(failed(tcb)).toEqual(['tcb']);
    expect(vector(tcb)).toEqual({ ...baseline, hardware: 32 });
  });

  it('a forged platform (own CPAK, not endorsed) is refused: signature 99, chain fails', () => {
    const forger = generateKeyPair('p384', seededDrbg('cca forger'));
    const r = appraiseCca(
      evidence({ signPlatform: es384Signer(forger.privateKey), cpakPublicKey: forger.publicKey }).token,
      policy(),
    );
    expect(failed(r)).toEqual(['signature', 'chain']);
    expect(vector(r)['instance-identity']).toBe(99);
    expect(vector(r).hardware).toBe(97);
  });

  it('an endorsed CPAK signing for another instance ID fails the chain check (97)', () => {
    const other = generateKeyPair('p384', seededDrbg('cca other'));
    const r = appraiseCca(evidence({ cpakPublicKey: other.publicKey }).token, policy());
    expect(failed(r)).toEqual(['chain']);
    expect(vector(r)['instance-identity']).toBe(97);
  });

  it('a realm token spliced onto another platform attestation breaks the RAK binding', () => {
    const d = decodeCcaToken(base.token);
    const otherRak = generateKeyPair('p384', seededDrbg('other realm'));
    const r = appraiseCca(
      evidence({ rak: otherRak, platformChallenge: d.platform.claims.challenge }).token,
      policy(),
    );
    expect(failed(r)).toEqual(['signature']);
    expect(r.checks.find((c) => c.check === 'signature')?.field).toBe('platform.challenge');
    expect(vector(r)['instance-identity']).toBe(99);
  });

  it('flipping any of 1,000 sampled signed bytes fails the signature or parse check', () => {
    const d = decodeCcaToken(base.token);
    const ranges = [
      d.realm.cose.ranges.protected,
      d.realm.cose.ranges.payload,
      d.platform.cose.ranges.protected,
      d.platform.cose.ranges.payload,
    ];
    const signed = ranges.flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i));
    const drbg = seededDrbg('cca-mutation');
    const pol = policy();
    const seen = new Set<string>();
    for (let k = 0; k < 1000; k++) {
      const b = base.token.slice();
      b[signed[drbg.nextInt(signed.length)]] ^= 1 << drbg.nextInt(8);
      const r = appraiseCca(b, pol);
      const first = r.checks.find((c) => !c.ok)?.check ?? 'none';
      seen.add(first);
      expect(['parse', 'signature']).toContain(first);
      expect(r.status).toBe('contraindicated');
    }
    expect(seen).toEqual(new Set(['parse', 'signature']));
  });

  it('malformed input: a parse failure with value 1 and an offset', () => {
    for (const b of [new Uint8Array(0), base.token.subarray(0, 77), Uint8Array.of(0xd9, 0x01, 0x8f, 0xa0)]) {
      const r = appraiseCca(b, policy());
      expect(r.checks.map((c) => c.check)).toEqual(['parse']);
      expect(r.claims[0].value).toBe(1);
      expect(r.checks[0].reason).toMatch(/cca-token: .* at offset 0x/);
    }
  });
});
