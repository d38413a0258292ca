import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { demoIbmSeEvidence, demoSeImage, type DemoIbmSeOptions } from '../../../src/core/evidence/ibm-se';
import { appraiseIbmSe, type IbmSePolicy } from '../../../src/core/verify/ibm-se';
import { claimVector as vector, failedChecks as failed } from './_result';

const SEED = 0x5e;
const evidence = (o: DemoIbmSeOptions = {}) =>
  demoIbmSeEvidence(SEED, { userData: utf8('tee-pubkey-hash'), ...o });
const base = evidence();

function policy(over: Partial<IbmSePolicy> = {}): IbmSePolicy {
  return {
    id: 'test-se',
    trustedRoots: [],
    measurementKey: base.verifierSecrets.measurementKey,
    nonce: base.verifierSecrets.nonce,
    image: base.image,
    configUid: base.configUid,
    ...over,
  };
}
const BASELINE = {
  'instance-identity': 2,
  configuration: 2,
  executables: 3,
  hardware: 2,
  'runtime-opaque': 32,
};
const MAC_FAILED = { ...BASELINE, 'instance-identity': 99, executables: 33, hardware: 97 };

describe('appraiseIbmSe', () => {
  it('passes every check for the response to its own ARCB, in CHECKS order', () => {
    const r = appraiseIbmSe(base.response, policy());
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
  });

  it('one HMAC covers image, nonce and platform: each single change fails the same three checks', () => {
    const tampered = appraiseIbmSe(
      evidence({ runningImage: demoSeImage('patched kernel') }).response,
      policy(),
    );
    expect(failed(tampered)).toEqual(['signature', 'freshness', 'measurement']);
    expect(vector(tampered)).toEqual(MAC_FAILED);
    expect(tampered.checks[1].reason).toMatch(/cannot tell which/);

    const nonce = base.verifierSecrets.nonce?.slice() ?? new Uint8Array(16);
    nonce[0] ^= 1;
    const replay = appraiseIbmSe(base.response, policy({ nonce }));
    expect(failed(replay)).toEqual(['signature', 'freshness', 'measurement']);
    expect(vector(replay)).toEqual(MAC_FAILED);

    // A response to another verifier's ARCB (another measurement key): a forged or foreign answer.
    const foreign = demoIbmSeEvidence(SEED + 1, { userData: utf8('tee-pubkey-hash') });
    expect(
      vector(appraiseIbmSe(foreign.response, policy({ configUid: undefined })))['instance-identity'],
    ).toBe(99);
  });

  it('config UID: a different instance changes only the configuration claim', () => {
    const other = new Uint8Array(16).fill(0xee);
    const r = appraiseIbmSe(base.response, policy({ configUid: other }));
    expect(failed(r)).toEqual(['policy']);
    expect(vector(r)).toEqual({ ...BASELINE, configuration: 96 });
    expect(vector(appraiseIbmSe(base.response, policy({ configUid: undefined }))).configuration).toBe(3);
  });

  it('without a nonce in the ARCB a replay goes unnoticed, and the result says so', () => {
    const ev = evidence({ nonce: null });
    const r = appraiseIbmSe(
      ev.response,
      policy({ nonce: undefined, measurementKey: ev.verifierSecrets.measurementKey }),
    );
    expect(failed(r)).toEqual([]);
    expect(r.checks.find((c) => c.check === 'freshness')?.reason).toMatch(/would not be noticed/);
  });

  it('flipping any of 1,000 sampled response bytes fails the HMAC (signature) or parse check', () => {
    const drbg = seededDrbg('se-mutation');
    const pol = policy();
    for (let k = 0; k < 1000; k++) {
      const b = base.response.slice();
      b[drbg.nextInt(b.length)] ^= 1 << drbg.nextInt(8);
      const r = appraiseIbmSe(b, pol);
      expect(['parse', 'signature']).toContain(r.checks.find((c) => !c.ok)?.check);
      expect(r.status).toBe('contraindicated');
    }
  });

  it('malformed input: a parse failure with value 1 and an offset', () => {
    for (const b of [new Uint8Array(0), base.response.subarray(0, 70), Uint8Array.of(...base.response, 9)]) {
      const r = appraiseIbmSe(b, policy());
      expect(r.checks.map((c) => c.check)).toEqual(['parse']);
      expect(r.claims[0].value).toBe(1);
      expect(r.checks[0].reason).toMatch(/ibm-se-response: .* at offset 0x/);
    }
  });
});
