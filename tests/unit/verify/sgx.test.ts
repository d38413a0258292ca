import { generateKeyPairSync, sign as osslSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { sign } from '../../../src/core/crypto/ecdsa';
import { intelSgxRootCa } from '../../../src/core/evidence/intel-roots';
import {
  demoSgxEvidence,
  SGX_QUOTE_LAYOUT as L,
  type DemoSgxOptions,
} from '../../../src/core/evidence/sgx-quote';
import { parseCertificate } from '../../../src/core/evidence/x509';
import { appraiseSgx, type SgxPolicy } from '../../../src/core/verify/sgx';
import { claimVector as vector, failedChecks as failed } from './_result';

const SEED = 0x5c;
const NONCE = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const evidence = (o: DemoSgxOptions = {}) => demoSgxEvidence(SEED, { reportData: NONCE, ...o });
const base = evidence();

function policy(over: Partial<SgxPolicy> = {}): SgxPolicy {
  return {
    id: 'test-sgx',
    trustedRoots: [parseCertificate(base.root)],
    nonce: NONCE,
    referenceMeasurements: [base.decoded.body.mrEnclave],
    ...over,
  };
}
const BASELINE = {
  'instance-identity': 2,
  configuration: 2,
  executables: 2,
  hardware: 2,
  'runtime-opaque': 2,
};

describe('appraiseSgx', () => {
  it('affirms a good quote: every check passes, in CHECKS order', () => {
    const r = appraiseSgx(base.quote, policy());
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
    expect(r.status).toBe('affirming');
  });

  it('accepts a quote whose attestation key is an OpenSSL-generated P-256 key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const pck = base.chain.pck.key;
    const r = appraiseSgx(
      evidence({
        signer: {
          attestationPublicKey: Uint8Array.of(4, ...fromBase64(jwk.x ?? ''), ...fromBase64(jwk.y ?? '')),
          signWithAttestationKey: (m) =>
            new Uint8Array(osslSign('sha256', m, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
          signWithPck: (m) => sign('p256', pck.privateKey, m),
        },
      }).quote,
      policy(),
    );
    expect(failed(r)).toEqual([]);
  });

  it('single changes give exactly the expected claim change', () => {
    const baseline = vector(appraiseSgx(base.quote, policy()));
    const wrong = appraiseSgx(base.quote, policy({ nonce: NONCE.map((x, i) => (i === 0 ? x ^ 1 : x)) }));
    expect(failed(wrong)).toEqual(['freshness']);
    expect(vector(wrong)).toEqual(baseline);
    expect(wrong.status).toBe('contraindicated');

    const debug = appraiseSgx(evidence({ debug: true }).quote, policy());
    expect(failed(debug)).toEqual(['policy']);
    expect(vector(debug)).toEqual({ ...baseline, configuration: 96 });
    expect(
      vector(appraiseSgx(evidence({ debug: true }).quote, policy({ allowDebug: true }))).configuration,
    ).toBe(32);

    const other = base.decoded.body.mrEnclave.slice();
    other[0] ^= 1;
    const measured = appraiseSgx(evidence({ mrEnclave: other }).quote, policy());
    expect(failed(measured)).toEqual(['measurement']);
    expect(vector(measured)).toEqual({ ...baseline, executables: 33 });
    expect(measured.checks.find((c) => c.check === 'measurement')?.range).toEqual(L.mrEnclave);

    const bySigner = appraiseSgx(
      evidence({ mrEnclave: other, isvSvn: 2 }).quote,
      policy({
        referenceMeasurements: [],
        referenceSigners: [base.decoded.body.mrSigner],
        isvProdId: 1,
        minIsvSvn: 3,
      }),
    );
    expect(failed(bySigner)).toEqual(['measurement']);
    expect(vector(bySigner)).toEqual({ ...baseline, executables: 32 });

    const oldCpu = appraiseSgx(base.quote, policy({ minCpuSvn: Uint8Array.of(13) }));
    expect(failed(oldCpu)).toEqual(['tcb']);
    expect(vector(oldCpu)).toEqual({ ...baseline, hardware: 32 });
  });

  it('a quote from the DEMO PKI does not chain to the real Intel SGX Root CA (instance-identity 97)', () => {
    const r = appraiseSgx(base.quote, policy({ trustedRoots: [intelSgxRootCa()] }));
    expect(failed(r)).toEqual(['chain']);
    expect(vector(r)['instance-identity']).toBe(97);
  });

  it('flipping any of 1,000 sampled signed bytes (header, body, QE report) fails the signature or parse check', () => {
    const drbg = seededDrbg('sgx-mutation');
    const signed = [
      ...Array.from({ length: 432 }, (_, i) => i),
      ...Array.from({ length: 384 }, (_, i) => L.qeReport[0] + i),
    ];
    const pol = policy();
    for (let k = 0; k < 1000; k++) {
      const b = base.quote.slice();
      b[signed[drbg.nextInt(signed.length)]] ^= 1 << drbg.nextInt(8);
      const r = appraiseSgx(b, pol);
      expect(['parse', 'signature']).toContain(r.checks.find((c) => !c.ok)?.check);
      expect(r.status).toBe('contraindicated');
    }
  });

  it('malformed input: a parse failure with value 1 and an offset, never an exception', () => {
    for (const b of [new Uint8Array(0), base.quote.subarray(0, 500), Uint8Array.of(...base.quote, 1)]) {
      const r = appraiseSgx(b, policy());
      expect(r.checks.map((c) => c.check)).toEqual(['parse']);
      expect(r.claims[0].value).toBe(1);
      expect(r.checks[0].reason).toMatch(/sgx-quote: .* at offset 0x/);
    }
  });
});
