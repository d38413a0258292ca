import { createPublicKey, verify as osslVerify, X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, toBase64Url } from '../../../src/core/crypto/bytes';
import { FormatError } from '../../../src/core/errors';
import { INTEL_QE_VENDOR_ID } from '../../../src/core/evidence/tdx-quote';
import {
  decodeSgxQuote,
  demoSgxEvidence,
  demoSgxMrEnclave,
  encodeSgxQuote,
  encodeSgxReportBody,
  isDebug,
  qeReportDataBinding,
  SGX_QUOTE_LAYOUT as L,
  sgxQuoteRanges,
  type SgxQuote,
  type SgxReportBody,
} from '../../../src/core/evidence/sgx-quote';
import { pemToDer } from '../../../src/core/evidence/x509';

const SEED = 0x5c;

function p256Key(xy: Uint8Array) {
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: toBase64Url(xy.subarray(0, 32)), y: toBase64Url(xy.subarray(32)) },
    format: 'jwk',
  });
}

function expectFormatError(bytes: Uint8Array, field?: string, offset?: number): FormatError {
  let error: unknown;
  try {
    decodeSgxQuote(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FormatError);
  const fe = error as FormatError;
  if (field !== undefined) expect(fe.field).toBe(field);
  if (offset !== undefined) expect(fe.offset).toBe(offset);
  expect(fe.offset).toBeGreaterThanOrEqual(0);
  expect(fe.offset).toBeLessThanOrEqual(bytes.length);
  return fe;
}

const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const arbBody: fc.Arbitrary<SgxReportBody> = fc.record({
  cpuSvn: bytesN(16),
  miscSelect: fc.nat({ max: 0xffffffff }),
  isvExtProdId: bytesN(16),
  flags: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  xfrm: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  mrEnclave: bytesN(32),
  mrSigner: bytesN(32),
  configId: bytesN(64),
  isvProdId: fc.nat({ max: 0xffff }),
  isvSvn: fc.nat({ max: 0xffff }),
  configSvn: fc.nat({ max: 0xffff }),
  isvFamilyId: bytesN(16),
  reportData: bytesN(64),
});
const arbQuote: fc.Arbitrary<SgxQuote> = fc.record({
  header: fc.record({
    version: fc.constant(3),
    attestationKeyType: fc.constant(2),
    reserved: fc.nat({ max: 0xffffffff }),
    qeSvn: fc.nat({ max: 0xffff }),
    pceSvn: fc.nat({ max: 0xffff }),
    qeVendorId: bytesN(16),
    userData: bytesN(20),
  }),
  body: arbBody,
  signature: bytesN(64),
  attestationKey: bytesN(64),
  qeReport: arbBody,
  qeReportSignature: bytesN(64),
  qeAuthData: fc.uint8Array({ maxLength: 64 }),
  certificationDataType: fc.integer({ min: 1, max: 7 }),
  certificationData: fc.uint8Array({ maxLength: 600 }),
});

describe('SGX quote v3', () => {
  const ev = demoSgxEvidence(SEED, { reportData: Uint8Array.of(1, 2, 3) });

  it('puts the fields at the offsets of the Intel tables', () => {
    const q = ev.quote;
    const v = new DataView(q.buffer, q.byteOffset);
    expect(v.getUint16(0, true)).toBe(3);
    expect(v.getUint16(2, true)).toBe(2);
    expect(q.subarray(...L.qeVendorId)).toEqual(INTEL_QE_VENDOR_ID);
    expect(q.subarray(...L.mrEnclave)).toEqual(demoSgxMrEnclave());
    expect(q.subarray(...L.mrEnclave)).toEqual(ev.decoded.body.mrEnclave);
    expect(q.subarray(...L.mrSigner)).toEqual(ev.decoded.body.mrSigner);
    expect([...q.subarray(368, 371)]).toEqual([1, 2, 3]); // REPORTDATA at body offset 320
    expect(v.getUint16(L.isvSvn[0], true)).toBe(1);
    expect(v.getUint32(432, true)).toBe(q.length - 436);
    expect(v.getBigUint64(L.attributes[0], true) & 2n).toBe(0n);
    const dbg = demoSgxEvidence(SEED, { debug: true }).quote;
    expect(dbg[L.attributes[0]] & 0x02).toBe(0x02);
    expect(isDebug(decodeSgxQuote(dbg).body)).toBe(true);
    const [cs, ce] = sgxQuoteRanges(ev.decoded).certificationData;
    expect(new TextDecoder().decode(q.subarray(cs, ce))).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(ce).toBe(q.length);
  });

  it('round trips: decode(encode(q)) = q and encode(decode(b)) = b (seeded property)', () => {
    expect(encodeSgxQuote(decodeSgxQuote(ev.quote))).toEqual(ev.quote);
    fc.assert(
      fc.property(arbQuote, (q) => {
        const bytes = encodeSgxQuote(q);
        expect(decodeSgxQuote(bytes)).toEqual(q);
        expect(encodeSgxQuote(decodeSgxQuote(bytes))).toEqual(bytes);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('OpenSSL verifies the attestation key signature, the PCK signature over the QE report, and the chain', () => {
    const q = ev.decoded;
    const ak = p256Key(q.attestationKey);
    expect(
      osslVerify(
        'sha256',
        ev.quote.subarray(...L.signed),
        { key: ak, dsaEncoding: 'ieee-p1363' },
        q.signature,
      ),
    ).toBe(true);
    const pem = new TextDecoder().decode(q.certificationData);
    const certs = pemToDer(pem).map((d) => new X509Certificate(d));
    expect(certs).toHaveLength(3);
    expect(
      osslVerify(
        'sha256',
        encodeSgxReportBody(q.qeReport),
        { key: certs[0].publicKey, dsaEncoding: 'ieee-p1363' },
        q.qeReportSignature,
      ),
    ).toBe(true);
    expect(q.qeReport.reportData).toEqual(qeReportDataBinding(q.attestationKey, q.qeAuthData));
    for (let i = 0; i + 1 < certs.length; i++) expect(certs[i].verify(certs[i + 1].publicKey)).toBe(true);
    expect(certs[2].verify(certs[2].publicKey)).toBe(true);
    expect(certs[2].subject).toContain('DEMO');
  });

  it('refuses malformed quotes with field and offset', () => {
    const q = ev.quote;
    for (let n = 0; n < q.length; n += n < 1100 ? 1 : 37) expectFormatError(q.subarray(0, n));
    const patch = (at: number, value: number) => {
      const b = q.slice();
      b[at] = value;
      return b;
    };
    expectFormatError(patch(0, 4), 'version', 0);
    expectFormatError(patch(2, 3), 'attestationKeyType', 2);
    expectFormatError(patch(48 + 20, 1), 'reserved1', 68);
    expectFormatError(patch(48 + 300, 9), 'reserved4', 348);
    expectFormatError(patch(564 + 100, 1), 'qeReport.reserved2', 664);
    expectFormatError(patch(432, q[432] ^ 1), 'signatureDataLength', 432);
    expectFormatError(concatBytes(q, Uint8Array.of(0)), 'signatureDataLength', 432);
    const [cs] = sgxQuoteRanges(ev.decoded).certificationData;
    expectFormatError(patch(cs - 6, 9), 'certificationDataType', cs - 6);
  });

  it('mutated and random inputs only ever decode or throw a FormatError with an offset (seeded property)', () => {
    const q = ev.quote;
    const mutated = fc
      .array(fc.tuple(fc.nat(q.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 })
      .map((flips) => {
        const b = q.slice();
        for (const [i, x] of flips) b[i] ^= x;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 1200 })), (bytes) => {
        try {
          decodeSgxQuote(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
          expect((e as FormatError).offset).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
