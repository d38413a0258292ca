/**
 * One real round trip: the broker, unchanged, with the SEV-SNP verifier injected as its appraiser and
 * a simulated SNP guest whose signed ATTESTATION_REPORT binds hash(runtime-data) in REPORT_DATA.
 * The broker never learns it was SNP: it only sees an Appraise function.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import { toJwk } from '../../../src/core/broker/jws';
import { KeyBrokerService, runtimeDataReportData, type Appraise } from '../../../src/core/broker/kbs';
import { unwrapSecret } from '../../../src/core/broker/wrap';
import { demoSnpEvidence } from '../../../src/core/evidence/amd-chain';
import { parseCertificate } from '../../../src/core/evidence/x509';
import { appraiseSnp, strictSnpPolicy } from '../../../src/core/verify/snp';

const T0 = 1_767_225_600;
const SECRET = utf8('model weights key');
const MEASUREMENT = new Uint8Array(48).fill(0x5a);
const CHIP_SEED = 'snp-chip-1';

describe('KBS with the real SEV-SNP verifier', () => {
  it('releases the secret to a good SNP guest and refuses a debug one, with the verifier’s reasons', () => {
    // The verifier knows the chip's chain (as it would fetch it from AMD KDS) and the reference value.
    const chain = demoSnpEvidence(CHIP_SEED, { measurement: MEASUREMENT });
    const certificates = [chain.vcek, chain.ask, chain.ark].map(parseCertificate);
    const appraise: Appraise = ({ evidence, expectedReportData }) =>
      appraiseSnp(
        evidence,
        certificates,
        strictSnpPolicy({
          trustedRoots: [parseCertificate(chain.ark)],
          nonce: expectedReportData,
          referenceMeasurements: [MEASUREMENT],
        }),
      );
    const kbs = new KeyBrokerService({ drbg: seededDrbg('kbs'), clock: () => T0, appraise });
    kbs.setResource('default/key/weights', SECRET);

    const attempt = (debug: boolean) => {
      const auth = kbs.auth({ version: '0.4.0', tee: 'snp' });
      if (auth.status !== 200) throw new Error('auth failed');
      const tee = generateKeyPair('p384', seededDrbg(`guest-${debug}`));
      const runtimeData = { nonce: auth.body.nonce, 'tee-pubkey': toJwk(tee) };
      const { report } = demoSnpEvidence(CHIP_SEED, {
        measurement: MEASUREMENT,
        reportData: runtimeDataReportData(runtimeData),
        ...(debug ? { policy: { smt: true, debug: true } } : {}),
      });
      const res = kbs.attest(auth.sessionId ?? '', {
        'runtime-data': runtimeData,
        'tee-evidence': toBase64(report),
      });
      return { sessionId: auth.sessionId ?? '', tee, res };
    };

    const good = attempt(false);
    expect(good.res.status, JSON.stringify(good.res.body)).toBe(200);
    const r = kbs.getResource(good.sessionId, 'default/key/weights');
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    expect(r.body.alg).toBe('ECDH-P384+HKDF-SHA256+A256GCM');
    expect(fromBase64(r.body.epk)).toHaveLength(97);
    expect(unwrapSecret(good.tee, r.body)).toEqual(SECRET);

    const debug = attempt(true);
    expect(debug.res.status).toBe(401);
    expect(JSON.stringify(debug.res.body)).toMatch(/contraindicated.*DEBUG/i);
    expect(kbs.getResource(debug.sessionId, 'default/key/weights').status).toBe(401);
  });
});
