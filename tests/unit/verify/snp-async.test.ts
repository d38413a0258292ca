import { describe, expect, it } from 'vitest';
import { demoChainCertificates, demoSnpEvidence } from '../../../src/core/evidence/amd-chain';
import { demoArkCertificate } from '../../../src/core/evidence/amd-roots';
import { readCertificates } from '../../../src/core/evidence/x509';
import { appraiseSnp, appraiseSnpAsync, strictSnpPolicy } from '../../../src/core/verify/snp';
import { readFileSync } from 'node:fs';

const e = demoSnpEvidence(3);
const certs = demoChainCertificates(e);
const policy = strictSnpPolicy({
  trustedRoots: [demoArkCertificate()],
  referenceMeasurements: [e.fields.measurement],
});

describe('appraiseSnpAsync (signatures through WebCrypto)', () => {
  it('gives exactly the synchronous result for good evidence and for every kind of tampering', async () => {
    const variants: [string, Uint8Array, typeof certs][] = [['good', e.report, certs]];
    for (const at of [0x08, 0x90, 0x1a0, 0x29f, 0x2a0, 0x2e8 + 47]) {
      const r = Uint8Array.from(e.report);
      r[at] ^= 0x01;
      variants.push([`byte 0x${at.toString(16)}`, r, certs]);
    }
    const ask = certs[1];
    const badAsk = { ...ask, tbs: ask.tbs.map((b, i) => (i === 100 ? b ^ 1 : b)) };
    variants.push(['tampered ASK', e.report, [certs[0], badAsk, certs[2]]]);
    for (const [name, report, chain] of variants) {
      const sync = appraiseSnp(report, chain, policy);
      expect(await appraiseSnpAsync(report, chain, policy), name).toEqual(sync);
    }
    expect((await appraiseSnpAsync(e.report, certs, policy)).status).toBe('affirming');
  });

  it('verifies the real Milan report with its real chain the same way', async () => {
    const dir = 'tests/fixtures/real/snp/';
    const report = new Uint8Array(readFileSync(dir + 'milan-report.bin'));
    const chain = ['milan-vcek.der', 'milan-ask.pem', 'milan-ark.pem'].flatMap((f) =>
      readCertificates(readFileSync(dir + f)),
    );
    const p = strictSnpPolicy({ referenceMeasurements: [report.subarray(0x90, 0xc0)] });
    const r = await appraiseSnpAsync(report, chain, p);
    expect(r).toEqual(appraiseSnp(report, chain, p));
    expect(r.checks.find((c) => c.check === 'signature')?.ok).toBe(true);
    expect(r.checks.find((c) => c.check === 'chain')?.ok).toBe(true);
  });
});
