import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import {
  demoTdxEvidence,
  keyPairSigner,
  signTdxQuote,
  type DemoTdxOptions,
} from '../../../src/core/evidence/intel-chain';
import {
  decodeTdxQuote,
  encodeTdxQuote,
  QE_REPORT_LAYOUT,
  readPckChain,
  TDX_QUOTE_LAYOUT,
  tdxQuoteRanges,
  type ByteRange,
} from '../../../src/core/evidence/tdx-quote';
import { derToPem } from '../../../src/core/evidence/x509';
import type { AttestationResult, CheckName, ClaimName } from '../../../src/core/verify/ear';
import { appraiseTdxQuote, strictTdxPolicy, type TdxPolicy } from '../../../src/core/verify/tdx';
import { claimVector as vector, failedChecks as failed } from './_result';

const REAL = new Uint8Array(readFileSync('tests/fixtures/real/tdx/spr-e4-quote.dat'));
const REAL_Q = decodeTdxQuote(REAL, { extraBytes: 'keep' });
const AT = new Date('2026-06-01T00:00:00Z');
const NONCE = utf8('verifier nonce 0123456789abcdef');
const TCB = Uint8Array.of(5, 1, 2, 0, ...new Uint8Array(12));

const realPolicy = (over: Partial<TdxPolicy> = {}) =>
  strictTdxPolicy({ allowExtraBytes: true, at: AT, referenceMeasurements: [REAL_Q.body.mrTd], ...over });

const demoBase = demoTdxEvidence(1, { reportData: NONCE });
const demoPolicy = (over: Partial<TdxPolicy> = {}): TdxPolicy =>
  strictTdxPolicy({
    id: 'test',
    trustedRoots: [demoBase.chain.root.certificate],
    at: AT,
    nonce: NONCE,
    referenceMeasurements: [demoBase.decoded.body.mrTd],
    referenceRtmrs: {
      0: [demoBase.decoded.body.rtmrs[0]],
      1: [demoBase.decoded.body.rtmrs[1]],
      2: [demoBase.decoded.body.rtmrs[2]],
      3: [demoBase.decoded.body.rtmrs[3]],
    },
    allowedXfam: [demoBase.decoded.body.xfam],
    minTeeTcbSvn: TCB,
    ...over,
  });
const demoQuote = (opts: DemoTdxOptions = {}) => demoTdxEvidence(1, { reportData: NONCE, ...opts }).quote;

const failing = (r: AttestationResult): CheckName | undefined => r.checks.find((c) => !c.ok)?.check;

/** Claims whose value differs between two results, as name → [before, after]. */
function claimChanges(
  a: AttestationResult,
  b: AttestationResult,
): Partial<Record<ClaimName, [number?, number?]>> {
  const out: Partial<Record<ClaimName, [number?, number?]>> = {};
  const va = vector(a);
  const vb = vector(b);
  for (const k of new Set([...Object.keys(va), ...Object.keys(vb)]) as Set<ClaimName>) {
    if (va[k] !== vb[k]) out[k] = [va[k], vb[k]];
  }
  return out;
}

describe('TDX appraisal: the real quote', () => {
  it('affirms: signatures verify and the PCK chain reaches the pinned Intel SGX Root CA; debug is off', () => {
    const r = appraiseTdxQuote(REAL, realPolicy());
    expect(r.checks.map((c) => [c.check, c.ok])).toEqual([
      ['parse', true],
      ['signature', true],
      ['chain', true],
      ['freshness', true],
      ['tcb', true],
      ['policy', true],
      ['measurement', true],
      ['platform', true],
    ]);
    expect(r.checks.find((c) => c.check === 'chain')?.reason).toBe(
      'Intel SGX PCK Certificate → Intel SGX PCK Platform CA → Intel SGX Root CA: each signed by the next, root pinned',
    );
    expect(r.status).toBe('affirming');
    expect(vector(r)).toEqual({
      'instance-identity': 2,
      configuration: 3,
      executables: 3,
      hardware: 2,
      'runtime-opaque': 2,
    });
    expect(r.claims.find((c) => c.claim === 'configuration')?.reason).toMatch(/debug off/);
    expect(r.eat_profile).toBe('tag:github.com,2023:veraison/ear');
  });

  it('is refused at parse by the default policy, because of the 39 unsigned trailing bytes', () => {
    const r = appraiseTdxQuote(REAL, strictTdxPolicy());
    expect(r.status).toBe('contraindicated');
    expect(r.checks).toEqual([
      expect.objectContaining({ check: 'parse', ok: false, field: 'end', range: [4935, 4936] }),
    ]);
    expect(vector(r)).toEqual({ 'instance-identity': 1 });
  });

  it('with a floor above its TEE_TCB_SVN: hardware unsafe (32), tcb check names the component', () => {
    const r = appraiseTdxQuote(
      REAL,
      realPolicy({ minTeeTcbSvn: Uint8Array.of(3, 0, 5, ...new Uint8Array(13)) }),
    );
    expect(failing(r)).toBe('tcb');
    expect(r.checks.find((c) => c.check === 'tcb')?.reason).toMatch(/component 2: 4 < 5/);
    expect(vector(r).hardware).toBe(32);
    expect(r.status).toBe('warning');
  });

  it('the real quote does not chain to a demo root, and a demo quote does not chain to the real Intel root', () => {
    const r1 = appraiseTdxQuote(REAL, realPolicy({ trustedRoots: [demoBase.chain.root.certificate] }));
    expect(failed(r1)).toEqual(['chain']);
    expect(vector(r1)['instance-identity']).toBe(99);
    expect(vector(r1).hardware).toBe(97);
    const r2 = appraiseTdxQuote(demoBase.quote, demoPolicy({ trustedRoots: strictTdxPolicy().trustedRoots }));
    expect(failed(r2)).toEqual(['chain']);
    expect(r2.checks.find((c) => c.check === 'chain')?.reason).toBe(
      'DEMO Intel SGX Root CA: root is not a pinned trust anchor',
    );
    expect(r2.status).toBe('contraindicated');
  });

  it('an expired validity time fails the chain', () => {
    const r = appraiseTdxQuote(REAL, realPolicy({ at: new Date('2030-01-01Z') }));
    expect(failed(r)).toEqual(['chain']);
    expect(r.checks.find((c) => c.check === 'chain')?.reason).toMatch(/not valid at 2030/);
  });
});

describe('TDX appraisal: one policy-relevant change, one claim change', () => {
  const baseline = appraiseTdxQuote(demoBase.quote, demoPolicy());

  it('baseline: every check passes and every claim affirms', () => {
    expect(failed(baseline)).toEqual([]);
    expect(vector(baseline)).toEqual({
      'instance-identity': 2,
      configuration: 2,
      executables: 2,
      hardware: 2,
      'runtime-opaque': 2,
    });
    expect(baseline.status).toBe('affirming');
    expect(baseline.eat_nonce).toBe('7665726966696572206e6f6e63652030313233343536373839616263646566');
  });

  it('TD_ATTRIBUTES.DEBUG set → configuration 2 → 96 (contraindicated), policy check fails at TD_ATTRIBUTES', () => {
    const r = appraiseTdxQuote(demoQuote({ debug: true }), demoPolicy());
    expect(claimChanges(baseline, r)).toEqual({ configuration: [2, 96] });
    expect(failed(r)).toEqual(['policy']);
    const c = r.checks.find((x) => x.check === 'policy');
    expect(c?.range).toEqual(TDX_QUOTE_LAYOUT.tdAttributes);
    expect(c?.reason).toMatch(/DEBUG \(bit 0\) set/);
    expect(r.status).toBe('contraindicated');
  });

  it('… and with --allow-debug: configuration 32 (known vulnerability), status warning, no check fails', () => {
    const r = appraiseTdxQuote(demoQuote({ debug: true }), demoPolicy({ allowDebug: true }));
    expect(claimChanges(baseline, r)).toEqual({ configuration: [2, 32] });
    expect(failed(r)).toEqual([]);
    expect(r.status).toBe('warning');
  });

  it('wrong nonce → no claim changes, freshness fails, status contraindicated', () => {
    const r = appraiseTdxQuote(demoBase.quote, demoPolicy({ nonce: utf8('another nonce') }));
    expect(claimChanges(baseline, r)).toEqual({});
    expect(failed(r)).toEqual(['freshness']);
    expect(r.checks.find((c) => c.check === 'freshness')?.range).toEqual(TDX_QUOTE_LAYOUT.reportData);
    expect(r.status).toBe('contraindicated');
  });

  it('one MRTD byte different → executables 2 → 33, measurement fails at MRTD', () => {
    const mrTd = Uint8Array.from(demoBase.decoded.body.mrTd);
    mrTd[17] ^= 0x01;
    const r = appraiseTdxQuote(demoQuote({ mrTd }), demoPolicy());
    expect(claimChanges(baseline, r)).toEqual({ executables: [2, 33] });
    expect(failed(r)).toEqual(['measurement']);
    expect(r.checks.find((c) => c.check === 'measurement')?.field).toBe('MRTD');
  });

  it('one RTMR2 byte different → executables 2 → 33, measurement fails at RTMR2', () => {
    const rtmrs = demoBase.decoded.body.rtmrs.map((m) => Uint8Array.from(m));
    rtmrs[2][0] ^= 0x80;
    const r = appraiseTdxQuote(demoQuote({ rtmrs }), demoPolicy());
    expect(claimChanges(baseline, r)).toEqual({ executables: [2, 33] });
    expect(r.checks.find((c) => c.check === 'measurement')).toMatchObject({
      ok: false,
      field: 'RTMR2',
      range: TDX_QUOTE_LAYOUT.rtmr2,
    });
  });

  it('no RTMR3 reference → executables 3 (approved boot only)', () => {
    const r = appraiseTdxQuote(
      demoBase.quote,
      demoPolicy({ referenceRtmrs: { 1: [demoBase.decoded.body.rtmrs[1]] } }),
    );
    expect(claimChanges(baseline, r)).toEqual({ executables: [2, 3] });
    expect(failed(r)).toEqual([]);
  });

  it('TEE_TCB_SVN one below the floor → hardware 2 → 32, tcb fails', () => {
    const r = appraiseTdxQuote(demoQuote({ teeTcbSvn: Uint8Array.of(5, 0, 2, 0) }), demoPolicy());
    expect(claimChanges(baseline, r)).toEqual({ hardware: [2, 32] });
    expect(failed(r)).toEqual(['tcb']);
  });

  it('XFAM outside the allowed set → configuration 2 → 96', () => {
    const r = appraiseTdxQuote(demoQuote({ xfam: 0x2e7n }), demoPolicy());
    expect(claimChanges(baseline, r)).toEqual({ configuration: [2, 96] });
    expect(r.checks.find((c) => c.check === 'policy')?.field).toBe('XFAM');
  });

  it('a key the QE never vouched for: re-signing header ‖ body with another key fails the signature check', () => {
    const q = decodeTdxQuote(demoBase.quote);
    const intruder = generateKeyPair('p256', seededDrbg('intruder'));
    const forged = signTdxQuote(q, keyPairSigner(intruder, intruder));
    // Keep the genuine QE report and its PCK signature, swap in the intruder's attestation key.
    const bytes = encodeTdxQuote({ ...forged, qeReport: q.qeReport, qeReportSignature: q.qeReportSignature });
    const r = appraiseTdxQuote(bytes, demoPolicy());
    expect(failing(r)).toBe('signature');
    expect(r.checks.find((c) => c.check === 'signature')?.reason).toMatch(
      /QE did not vouch for this attestation key/,
    );
    expect(vector(r)['instance-identity']).toBe(99);
  });

  it('a policy with a wrong-sized reference is a programming error (RangeError), not a verdict', () => {
    expect(() =>
      appraiseTdxQuote(demoBase.quote, demoPolicy({ referenceMeasurements: [new Uint8Array(32)] })),
    ).toThrow(RangeError);
    expect(() => appraiseTdxQuote(demoBase.quote, demoPolicy({ nonce: new Uint8Array(65) }))).toThrow(
      RangeError,
    );
  });
});

describe('TDX appraisal: flipping signed bytes (seeded mutation test)', () => {
  /** Which check must catch a change at `at`: the decoder for fields it validates, else the signatures. */
  function expectedCheck(q: ReturnType<typeof decodeTdxQuote>, at: number): CheckName {
    const L = TDX_QUOTE_LAYOUT;
    const inside = (r: ByteRange) => at >= r[0] && at < r[1];
    if (at < L.qeSvn[0]) return 'parse'; // version, key type, TEE type
    const qe = L.qeReport[0];
    const reserved = [
      QE_REPORT_LAYOUT.reserved1,
      QE_REPORT_LAYOUT.reserved2,
      QE_REPORT_LAYOUT.reserved3,
      QE_REPORT_LAYOUT.reserved4,
    ];
    if (reserved.some(([s, e]) => at >= qe + s && at < qe + e)) return 'parse';
    const R = tdxQuoteRanges(q);
    const lengths = [
      L.signatureDataLength,
      L.certificationDataType,
      L.certificationDataSize,
      L.qeAuthDataSize,
      R.pckChainType,
      R.pckChainSize,
    ];
    if (lengths.some(inside)) return 'parse';
    return 'signature';
  }

  function signedPositions(q: ReturnType<typeof decodeTdxQuote>): number[] {
    const R = tdxQuoteRanges(q);
    const ranges: ByteRange[] = [
      R.signed,
      R.signatureDataLength,
      R.signature,
      R.attestationKey,
      R.certificationDataType,
      R.certificationDataSize,
      R.qeReport,
      R.qeReportSignature,
      R.qeAuthDataSize,
      R.qeAuthData,
      R.pckChainType,
      R.pckChainSize,
    ];
    return ranges.flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i));
  }

  function mutate(bytes: Uint8Array, policy: TdxPolicy, flips: number, seed: string) {
    const q = decodeTdxQuote(bytes, { extraBytes: 'keep' });
    const positions = signedPositions(q);
    const drbg = seededDrbg(seed);
    const seen = new Map<CheckName | 'none', number>();
    for (let i = 0; i < flips; i++) {
      const at = positions[drbg.nextInt(positions.length)];
      const b = Uint8Array.from(bytes);
      b[at] ^= 1 + drbg.nextInt(255);
      const r = appraiseTdxQuote(b, policy);
      const want = expectedCheck(q, at);
      const got = failing(r) ?? 'none';
      if (got !== want || r.status !== 'contraindicated') {
        throw new Error(
          `flip at 0x${at.toString(16)}: expected ${want} to fail, got ${got} (status ${r.status})`,
        );
      }
      seen.set(got, (seen.get(got) ?? 0) + 1);
    }
    return seen;
  }

  it('1,200 flips in our demo quote: each is caught, by parse or by signature as the layout predicts', () => {
    const seen = mutate(demoBase.quote, demoPolicy(), 1200, 'tdx-mutation-demo');
    expect((seen.get('signature') ?? 0) + (seen.get('parse') ?? 0)).toBe(1200);
    expect(seen.get('signature')).toBeGreaterThan(900);
  });

  it('1,000 flips in the real quote: each is caught the same way', () => {
    const seen = mutate(REAL, realPolicy(), 1000, 'tdx-mutation-real');
    expect((seen.get('signature') ?? 0) + (seen.get('parse') ?? 0)).toBe(1000);
  });

  it('300 flips inside the PCK certificates (DER, re-wrapped as PEM) never leave an affirming result', () => {
    const q = decodeTdxQuote(demoBase.quote);
    const ders = readPckChain(q).map((c) => c.certificate.der);
    const drbg = seededDrbg('tdx-mutation-pck');
    const seen = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const which = drbg.nextInt(3);
      const der = Uint8Array.from(ders[which]);
      der[drbg.nextInt(der.length)] ^= 1 + drbg.nextInt(255);
      const chain = ders.map((d, j) => derToPem(j === which ? der : d)).join('');
      const r = appraiseTdxQuote(encodeTdxQuote({ ...q, pckChainPem: utf8(chain) }), demoPolicy());
      const got = failing(r) ?? 'none';
      expect(['parse', 'signature', 'chain']).toContain(got);
      expect(r.status).toBe('contraindicated');
      seen.set(got, (seen.get(got) ?? 0) + 1);
    }
    expect(seen.get('chain')).toBeGreaterThan(100);
  });
});
