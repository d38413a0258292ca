import { createHash, createPublicKey, verify as osslVerify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex, toBase64Url } from '../../../src/core/crypto/bytes';
import { rawToDer } from '../../../src/core/crypto/ecdsa';
import { FormatError } from '../../../src/core/errors';
import {
  AK_OBJECT_ATTRIBUTES,
  decodeTpmQuote,
  decodeTpmsAttest,
  decodeTpmtSignature,
  demoTpmAk,
  demoTpmEvidence,
  encodeTpmQuote,
  encodeTpmsAttest,
  encodeTpmtSignature,
  makeAttestationKey,
  pcrDigest,
  selectionFor,
  tpm2Quote,
  tpm2SignExternal,
  TpmRefusal,
  tpmsAttestRanges,
  type TpmsAttestQuote,
} from '../../../src/core/evidence/tpm-quote';

const GOLDEN = new Uint8Array(readFileSync('tests/fixtures/golden/tpm-quote-seed1.bin'));
const NONCE = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const PCRS = {
  sha256: {
    0: new Uint8Array(32).fill(0x10),
    4: new Uint8Array(32).fill(0x14),
    7: new Uint8Array(32).fill(0x17),
  },
};
const demo = demoTpmEvidence(1, { pcrs: PCRS, nonce: NONCE });

function formatError(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw new Error(`expected a FormatError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  throw new Error('expected a FormatError, but decoding succeeded');
}

describe('TPMS_ATTEST / TPMT_SIGNATURE codec', () => {
  it('decodes the demo quote field by field (big-endian, TPM_GENERATED_VALUE, TPM_ST_ATTEST_QUOTE)', () => {
    expect(toHex(demo.attest.subarray(0, 6))).toBe('ff5443478018');
    const a = decodeTpmsAttest(demo.attest);
    expect(a.extraData).toEqual(NONCE);
    expect(a.pcrSelect).toEqual([{ hash: 0x000b, sizeofSelect: 3, pcrs: [0, 4, 7] }]);
    expect(a.clockInfo.safe).toBe(true);
    expect(a.firmwareVersion).toBe(0x0001002600000000n);
    // PCR bitmap: byte 0 bits 0, 4, 7 → 0x91.
    const r = tpmsAttestRanges(a);
    expect(toHex(demo.attest.subarray(...r.pcrSelect))).toBe('00000001000b03910000');
    expect(r.pcrDigest[1]).toBe(demo.attest.length);
    // pcrDigest = SHA-256(PCR0 ‖ PCR4 ‖ PCR7), computed by OpenSSL.
    const want = createHash('sha256')
      .update(PCRS.sha256[0])
      .update(PCRS.sha256[4])
      .update(PCRS.sha256[7])
      .digest();
    expect(toHex(a.pcrDigest)).toBe(want.toString('hex'));
    const sig = decodeTpmtSignature(demo.signature);
    expect(sig).toMatchObject({ sigAlg: 0x0018, hash: 0x000b });
  });

  it('round-trips encode → decode → encode for attest, signature and the TPM2_Quote response', () => {
    const a = decodeTpmsAttest(demo.attest);
    expect(encodeTpmsAttest(a)).toEqual(demo.attest);
    expect(encodeTpmtSignature(decodeTpmtSignature(demo.signature))).toEqual(demo.signature);
    expect(encodeTpmQuote(decodeTpmQuote(demo.quote))).toEqual(demo.quote);
    expect(demo.quote).toEqual(
      concatBytes(Uint8Array.of(0, demo.attest.length), demo.attest, demo.signature),
    );
    const rsa = { sigAlg: 0x0014, hash: 0x000b, sig: new Uint8Array(256).fill(7) } as const;
    expect(decodeTpmtSignature(encodeTpmtSignature(rsa))).toEqual(rsa);
  });

  it('still produces exactly the committed golden file (seed 1)', () => {
    expect(toHex(demo.quote)).toBe(toHex(GOLDEN));
  });

  it('property (fast-check, seeded): arbitrary quotes round-trip', () => {
    const bytes = (max: number) => fc.uint8Array({ maxLength: max });
    const selection = fc.record({
      hash: fc.constantFrom(0x0004, 0x000b, 0x000c, 0x000d),
      sizeofSelect: fc.integer({ min: 0, max: 8 }),
      bits: fc.array(fc.nat({ max: 63 }), { maxLength: 10 }),
    });
    const attest = fc.record({
      qualifiedSigner: bytes(66),
      extraData: bytes(66),
      clockInfo: fc.record({
        clock: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        resetCount: fc.nat({ max: 0xffffffff }),
        restartCount: fc.nat({ max: 0xffffffff }),
        safe: fc.boolean(),
      }),
      firmwareVersion: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      pcrSelect: fc.array(selection, { maxLength: 4 }),
      pcrDigest: bytes(64),
    });
    fc.assert(
      fc.property(attest, (raw) => {
        const a: TpmsAttestQuote = {
          ...raw,
          pcrSelect: raw.pcrSelect.map((s) => ({
            hash: s.hash,
            sizeofSelect: s.sizeofSelect,
            pcrs: [...new Set(s.bits.filter((b) => b < 8 * s.sizeofSelect))].sort((x, y) => x - y),
          })),
        };
        const enc = encodeTpmsAttest(a);
        expect(decodeTpmsAttest(enc)).toEqual(a);
        expect(encodeTpmsAttest(decodeTpmsAttest(enc))).toEqual(enc);
      }),
      { seed: 0x7b3, numRuns: 500 },
    );
  });

  it('selections list banks in TPM_ALG_ID order with PCRs ascending; pcrDigest follows that order', () => {
    const pcrs = {
      sha384: { 2: new Uint8Array(48).fill(2) },
      sha256: { 9: new Uint8Array(32).fill(9), 1: new Uint8Array(32).fill(1) },
    };
    const sel = selectionFor(pcrs);
    expect(sel).toEqual([
      { hash: 0x000b, sizeofSelect: 3, pcrs: [1, 9] },
      { hash: 0x000c, sizeofSelect: 3, pcrs: [2] },
    ]);
    const want = createHash('sha256')
      .update(pcrs.sha256[1])
      .update(pcrs.sha256[9])
      .update(pcrs.sha384[2])
      .digest('hex');
    expect(toHex(pcrDigest('sha256', sel, pcrs))).toBe(want);
  });
});

describe('TPM quote: malformed input', () => {
  it('every truncation of the response, the attest and the signature is a FormatError at or before the cut', () => {
    for (const [bytes, decode] of [
      [demo.quote, decodeTpmQuote],
      [demo.attest, decodeTpmsAttest],
      [demo.signature, decodeTpmtSignature],
    ] as const) {
      for (let n = 0; n < bytes.length; n++) {
        const e = formatError(() => decode(bytes.subarray(0, n)));
        expect(e.offset).toBeLessThanOrEqual(n);
      }
      const e = formatError(() => decode(Uint8Array.of(...bytes, 0)));
      expect([e.field, e.offset]).toEqual(['end', bytes.length]);
    }
  });

  const set = (b: Uint8Array, at: number, ...v: number[]) => {
    const c = Uint8Array.from(b);
    c.set(v, at);
    return c;
  };
  const a = decodeTpmsAttest(demo.attest);
  const r = tpmsAttestRanges(a);

  it.each([
    ['wrong magic', () => set(demo.attest, 0, 0xff, 0x54, 0x43, 0x48), 'magic', 0],
    ['TPM_ST_ATTEST_CERTIFY instead of a quote', () => set(demo.attest, 4, 0x80, 0x17), 'type', 4],
    ['qualifiedSigner size 67', () => set(demo.attest, 6, 0, 67), 'qualifiedSigner.size', 6],
    [
      'extraData size 0xffff',
      () => set(demo.attest, r.extraData[0], 0xff, 0xff),
      'extraData.size',
      r.extraData[0],
    ],
    ['safe = 2', () => set(demo.attest, r.clockInfo[0] + 16, 2), 'clockInfo.safe', r.clockInfo[0] + 16],
    [
      'selection count 17',
      () => set(demo.attest, r.pcrSelect[0], 0, 0, 0, 17),
      'pcrSelect.count',
      r.pcrSelect[0],
    ],
    [
      'sizeofSelect 9',
      () => set(demo.attest, r.pcrSelect[0] + 6, 9),
      'pcrSelect[0].sizeofSelect',
      r.pcrSelect[0] + 6,
    ],
    ['pcrDigest size 65', () => set(demo.attest, r.pcrDigest[0], 0, 65), 'pcrDigest.size', r.pcrDigest[0]],
  ])('attest with %s → FormatError naming %s at its offset', (_, bytes, field, offset) => {
    const e = formatError(() => decodeTpmsAttest(bytes()));
    expect([e.field, e.offset]).toEqual([field, offset]);
  });

  it('signature with an unsupported scheme (ECDAA 0x001a) or oversized r → FormatError with offset', () => {
    let e = formatError(() => decodeTpmtSignature(set(demo.signature, 0, 0x00, 0x1a)));
    expect([e.field, e.offset]).toEqual(['sigAlg', 0]);
    e = formatError(() => decodeTpmtSignature(set(demo.signature, 4, 0x00, 0x43)));
    expect([e.field, e.offset]).toEqual(['signatureR.size', 4]);
  });

  it('an error inside the quoted attest is reported at its offset in the response', () => {
    const e = formatError(() => decodeTpmQuote(set(demo.quote, 2 + 4, 0x80, 0x17)));
    expect([e.format, e.field, e.offset]).toEqual(['tpm2-quote', 'quoted.type', 6]);
  });

  it('property (fast-check, seeded): any bytes, or a mutated valid quote, decode or throw FormatError with an offset', () => {
    const mutated = fc
      .tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }), fc.nat())
      .map(([flips, cut]) => {
        const b = Uint8Array.from(demo.quote);
        for (const [at, x] of flips) b[at % b.length] ^= x;
        return cut % 4 === 0 ? b.subarray(0, cut % b.length) : b;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 512 })), (b) => {
        try {
          decodeTpmQuote(b);
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
          expect(e.offset).toBeLessThanOrEqual(b.length);
          expect(e.message).toMatch(/ at offset 0x[0-9a-f]+: /);
        }
      }),
      { seed: 0x7b4, numRuns: 5000 },
    );
  });
});

describe('the simulated TPM and its attestation key', () => {
  const { ak, akCertificate, caCertificate } = demoTpmAk(1);

  it('a restricted AK refuses to sign external data that starts with TPM_GENERATED_VALUE (a forged quote)', () => {
    const forged = encodeTpmsAttest({ ...decodeTpmsAttest(demo.attest), pcrDigest: new Uint8Array(32) });
    expect(() => tpm2SignExternal(ak, forged)).toThrow(TpmRefusal);
    expect(() => tpm2SignExternal(ak, forged)).toThrow(/^TPM_RC_TICKET: /);
    // Other data is fine, and the same bytes with any other first word are fine.
    expect(() => tpm2SignExternal(ak, Uint8Array.of(0xff, 0x54, 0x43, 0x46, 1))).not.toThrow();
  });

  it('an unrestricted signing key would sign it: why verifiers must know the AK is restricted', () => {
    const loose = makeAttestationKey(ak.key, AK_OBJECT_ATTRIBUTES & ~0x00010000);
    expect(() => tpm2SignExternal(loose, demo.attest)).not.toThrow();
    expect(() => tpm2Quote(makeAttestationKey(ak.key, 0x00010072), { pcrs: PCRS, nonce: NONCE })).toThrow(
      /TPM_RC_KEY/,
    );
  });

  it("the AK name is nameAlg ‖ SHA-256(TPMT_PUBLIC), and TPMT_PUBLIC carries the AK's point", () => {
    expect(toHex(ak.name)).toBe('000b' + createHash('sha256').update(ak.publicArea).digest('hex'));
    expect(toHex(ak.publicArea).includes(toHex(ak.key.publicKey.subarray(1, 33)))).toBe(true);
    expect(toHex(ak.publicArea.subarray(0, 10))).toBe('0023000b000500720000');
    expect(decodeTpmsAttest(demo.attest).qualifiedSigner).toEqual(ak.qualifiedName);
  });

  it('OpenSSL verifies our TPM quote signature with the AK certificate, and the AK certificate chain', () => {
    const sig = decodeTpmtSignature(demo.signature);
    if (sig.sigAlg !== 0x0018) throw new Error('expected ECDSA');
    const der = rawToDer('p256', concatBytes(sig.r, sig.s));
    const cert = new X509Certificate(demo.akCertificate);
    expect(osslVerify('sha256', demo.attest, cert.publicKey, der)).toBe(true);
    const ca = new X509Certificate(demo.akCaCertificate);
    expect(cert.verify(ca.publicKey) && ca.verify(ca.publicKey) && cert.checkIssued(ca)).toBe(true);
    expect(cert.subject).toMatch(/DEMO vTPM attestation key/);
    expect(demo.akCertificate).toEqual(akCertificate);
    expect(demo.akCaCertificate).toEqual(caCertificate);
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: toBase64Url(ak.key.publicKey.subarray(1, 33)),
      y: toBase64Url(ak.key.publicKey.subarray(33)),
    };
    expect(osslVerify('sha256', demo.attest, createPublicKey({ key: jwk, format: 'jwk' }), der)).toBe(true);
  });
});
