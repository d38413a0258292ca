import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import { FormatError } from '../../../src/core/errors';
import { demoTdxEvidence } from '../../../src/core/evidence/intel-chain';
import {
  INTEL_SGX_ROOT_CA_PEM,
  INTEL_SGX_ROOT_CA_SHA256,
  intelSgxRootCa,
} from '../../../src/core/evidence/intel-roots';
import {
  decodeTdxQuote,
  encodeTdxQuote,
  INTEL_QE_VENDOR_ID,
  QE_REPORT_LAYOUT,
  readPckChain,
  tdAttributeFlags,
  TDX_QUOTE_LAYOUT,
  tdxQuoteRanges,
  type TdxQuote,
} from '../../../src/core/evidence/tdx-quote';
import { pemToDer } from '../../../src/core/evidence/x509';

const REAL = new Uint8Array(readFileSync('tests/fixtures/real/tdx/spr-e4-quote.dat'));
/** The real quote's own bytes end here; go-tdx-guest appended 39 "extra bytes(only for testing purpose)". */
const REAL_END = 4935;
const GOLDEN = new Uint8Array(readFileSync('tests/fixtures/golden/tdx-quote-seed1.bin'));
const GOLDEN_REPORT_DATA = Uint8Array.from({ length: 64 }, (_, i) => i);

const demo = demoTdxEvidence(1, { reportData: GOLDEN_REPORT_DATA });

function formatError(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw new Error(`expected a FormatError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
  throw new Error('expected a FormatError, but decoding succeeded');
}

function withU16(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = Uint8Array.from(b);
  new DataView(c.buffer).setUint16(at, v, true);
  return c;
}

function withU32(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = Uint8Array.from(b);
  new DataView(c.buffer).setUint32(at, v, true);
  return c;
}

describe('TDX quote v4: the real Sapphire Rapids quote', () => {
  it('refuses the 39 unsigned trailing bytes by default, naming their offset', () => {
    const e = formatError(() => decodeTdxQuote(REAL));
    expect(e.field).toBe('end');
    expect(e.offset).toBe(REAL_END);
    expect(e.message).toBe(
      'tdx-quote: end at offset 0x1347: 39 unsigned bytes after the 4299-byte signature data',
    );
    expect(new TextDecoder().decode(REAL.subarray(REAL_END))).toBe(
      '\nextra bytes(only for testing purpose)\n',
    );
  });

  it('decodes every field, and the quote without the extra bytes decodes strictly', () => {
    const q = decodeTdxQuote(REAL, { extraBytes: 'keep' });
    expect(q.extraBytes.length).toBe(39);
    expect(q.header).toMatchObject({ version: 4, attestationKeyType: 2, teeType: 0x81, qeSvn: 0, pceSvn: 0 });
    expect(q.header.qeVendorId).toEqual(INTEL_QE_VENDOR_ID);
    expect(toHex(q.body.teeTcbSvn)).toBe('03000400000000000000000000000000');
    expect(toHex(q.body.mrTd)).toBe(
      '6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb',
    );
    expect(q.body.tdAttributes).toBe(0x40000000n);
    expect(tdAttributeFlags(q.body.tdAttributes)).toEqual({
      debug: false,
      septVeDisable: false,
      pks: true,
      kl: false,
      perfmon: false,
    });
    expect(q.body.xfam).toBe(0x61ae7n);
    expect(toHex(q.body.rtmrs[3])).toBe('00'.repeat(48));
    expect(q.qeReport).toMatchObject({ isvProdId: 2, isvSvn: 4, miscSelect: 0 });
    expect(q.qeAuthData).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
    const strict = decodeTdxQuote(REAL.subarray(0, REAL_END));
    expect(strict).toEqual({ ...q, extraBytes: new Uint8Array(0) });
  });

  it('re-encodes byte for byte (with and without the extra bytes)', () => {
    const q = decodeTdxQuote(REAL, { extraBytes: 'keep' });
    expect(encodeTdxQuote(q)).toEqual(REAL);
    expect(encodeTdxQuote({ ...q, extraBytes: new Uint8Array(0) })).toEqual(REAL.subarray(0, REAL_END));
  });

  it('binds the attestation key: QE REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ zeros (OpenSSL hash)', () => {
    const q = decodeTdxQuote(REAL, { extraBytes: 'keep' });
    const h = createHash('sha256').update(q.attestationKey).update(q.qeAuthData).digest();
    expect(toHex(q.qeReport.reportData)).toBe(h.toString('hex') + '00'.repeat(32));
  });

  it('carries a PEM chain PCK → PCK Platform CA → Intel SGX Root CA, whose root is the pinned one', () => {
    const q = decodeTdxQuote(REAL, { extraBytes: 'keep' });
    const chain = readPckChain(q);
    expect(chain.map((c) => c.certificate.subject.split(',')[0])).toEqual([
      'CN=Intel SGX PCK Certificate',
      'CN=Intel SGX PCK Platform CA',
      'CN=Intel SGX Root CA',
    ]);
    expect(chain[2].certificate.der).toEqual(intelSgxRootCa().der);
    expect(chain[2].certificate.der).toEqual(pemToDer(INTEL_SGX_ROOT_CA_PEM)[0]);
    expect(createHash('sha256').update(intelSgxRootCa().der).digest('hex')).toBe(INTEL_SGX_ROOT_CA_SHA256);
    // Each block's range covers exactly its PEM text inside the quote.
    for (const c of chain) {
      const text = new TextDecoder().decode(REAL.subarray(...c.range));
      expect(text.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
      expect(text.endsWith('-----END CERTIFICATE-----')).toBe(true);
    }
    expect(chain[0].range[0]).toBe(tdxQuoteRanges(q).pckChain[0]);
  });
});

describe('TDX quote v4: layout', () => {
  it("matches Intel's v4 offsets (DOMAIN §d, decimal) and tiles header ‖ body with no gap", () => {
    const decimal: Record<string, number> = {
      teeTcbSvn: 48,
      mrSeam: 64,
      mrSignerSeam: 112,
      seamAttributes: 160,
      tdAttributes: 168,
      xfam: 176,
      mrTd: 184,
      mrConfigId: 232,
      mrOwner: 280,
      mrOwnerConfig: 328,
      rtmr0: 376,
      rtmr1: 424,
      rtmr2: 472,
      rtmr3: 520,
      reportData: 568,
      signatureDataLength: 632,
    };
    for (const [f, off] of Object.entries(decimal)) {
      expect(TDX_QUOTE_LAYOUT[f as keyof typeof TDX_QUOTE_LAYOUT][0], f).toBe(off);
    }
    const L = TDX_QUOTE_LAYOUT;
    expect(L.header).toEqual([0, 48]);
    expect(L.body[1] - L.body[0]).toBe(584);
    const order = [
      'version',
      'attestationKeyType',
      'teeType',
      'qeSvn',
      'pceSvn',
      'qeVendorId',
      'userData',
      'teeTcbSvn',
      'mrSeam',
      'mrSignerSeam',
      'seamAttributes',
      'tdAttributes',
      'xfam',
      'mrTd',
      'mrConfigId',
      'mrOwner',
      'mrOwnerConfig',
      'rtmr0',
      'rtmr1',
      'rtmr2',
      'rtmr3',
      'reportData',
      'signatureDataLength',
      'signature',
      'attestationKey',
      'certificationDataType',
      'certificationDataSize',
      'qeReport',
      'qeReportSignature',
      'qeAuthDataSize',
    ] as const;
    for (let i = 1; i < order.length; i++) expect(L[order[i]][0], order[i]).toBe(L[order[i - 1]][1]);
    const qe = Object.values(QE_REPORT_LAYOUT);
    for (let i = 1; i < qe.length; i++) expect(qe[i][0]).toBe(qe[i - 1][1]);
    expect(qe[qe.length - 1][1]).toBe(384);
    expect(L.qeReport[1] - L.qeReport[0]).toBe(384);
  });

  it('ranges of the variable fields end where the quote ends', () => {
    for (const b of [REAL, demo.quote]) {
      const q = decodeTdxQuote(b, { extraBytes: 'keep' });
      const r = tdxQuoteRanges(q);
      expect(r.extraBytes[1]).toBe(b.length);
      expect(r.qeAuthData[0]).toBe(TDX_QUOTE_LAYOUT.qeAuthDataSize[1]);
      expect(b.subarray(...r.pckChain)).toEqual(q.pckChainPem);
    }
  });
});

describe('TDX quote v4: encoder', () => {
  it('still produces exactly the committed golden file (seed 1)', () => {
    expect(demo.quote.length).toBe(GOLDEN.length);
    expect(toHex(demo.quote)).toBe(toHex(GOLDEN));
  });

  it('round-trips encode → decode → encode for several seeds and options', () => {
    for (const seed of [1, 2, 'workshop', 42]) {
      const d = demoTdxEvidence(seed, { debug: seed === 2, reportData: Uint8Array.of(1, 2, 3) });
      const q = decodeTdxQuote(d.quote);
      expect(q).toEqual(d.decoded);
      expect(encodeTdxQuote(q)).toEqual(d.quote);
    }
  });

  it('is deterministic: same seed, same bytes; another seed, other keys and measurements', () => {
    expect(demoTdxEvidence(1, { reportData: GOLDEN_REPORT_DATA }).quote).toEqual(demo.quote);
    const other = demoTdxEvidence(2, { reportData: GOLDEN_REPORT_DATA }).decoded;
    expect(other.attestationKey).not.toEqual(demo.decoded.attestationKey);
    expect(other.body.mrTd).not.toEqual(demo.decoded.body.mrTd);
  });

  it('labels every demo certificate DEMO, so none can pass for Intel', () => {
    for (const c of readPckChain(demo.decoded)) {
      expect(c.certificate.subject).toMatch(/^CN=DEMO Intel SGX .*O=DEMO simulation - not Intel Corporation/);
    }
  });

  it('refuses fields of the wrong size with the field named', () => {
    const q = demo.decoded;
    expect(() => encodeTdxQuote({ ...q, body: { ...q.body, mrTd: new Uint8Array(47) } })).toThrow(
      /body\.mrTd/,
    );
    expect(() => encodeTdxQuote({ ...q, signature: new Uint8Array(63) })).toThrow(/signature/);
    expect(() => encodeTdxQuote({ ...q, body: { ...q.body, rtmrs: q.body.rtmrs.slice(0, 3) } })).toThrow(
      /4 RTMRs/,
    );
    expect(() => encodeTdxQuote({ ...q, body: { ...q.body, xfam: -1n } })).toThrow(/xfam/);
  });
});

describe('TDX quote v4: malformed input', () => {
  const good = demo.quote;
  const L = TDX_QUOTE_LAYOUT;

  it('every truncation is a FormatError at or before the cut, never a crash', () => {
    for (let n = 0; n < good.length; n++) {
      const e = formatError(() => decodeTdxQuote(good.subarray(0, n)));
      expect(e.offset).toBeLessThanOrEqual(n);
      expect(e.message).toMatch(/^tdx-quote: \S+ at offset 0x[0-9a-f]+: /);
    }
  });

  it('oversized: one byte more is refused at the end of the signature data', () => {
    const e = formatError(() => decodeTdxQuote(Uint8Array.of(...good, 0)));
    expect([e.field, e.offset]).toEqual(['end', good.length]);
  });

  it.each([
    ['version 3', withU16(good, 0, 3), 'version', 0x0],
    ['version 5', withU16(good, 0, 5), 'version', 0x0],
    ['P-384 key type', withU16(good, 2, 3), 'attestationKeyType', 0x2],
    ['an SGX quote (TEE type 0)', withU32(good, 4, 0), 'teeType', 0x4],
    [
      'signature data 1 byte longer than the file',
      withU32(good, 0x278, good.length - 0x27c + 1),
      'signatureDataLength',
      0x278,
    ],
    ['signature data length 0xffffffff', withU32(good, 0x278, 0xffffffff), 'signatureDataLength', 0x278],
    ['certification data type 5 at the outer level', withU16(good, 0x2fc, 5), 'certificationDataType', 0x2fc],
    [
      'certification data size one short',
      withU32(good, 0x2fe, new DataView(good.buffer).getUint32(0x2fe, true) - 1),
      'certificationDataSize',
      0x2fe,
    ],
    [
      'QE report reserved byte set',
      (() => {
        const c = Uint8Array.from(good);
        c[0x302 + 0x20] = 1;
        return c;
      })(),
      'qeReport.reserved1',
      0x322,
    ],
    [
      'QE report reserved4 byte set',
      (() => {
        const c = Uint8Array.from(good);
        c[0x302 + 0x13f] = 0x80;
        return c;
      })(),
      'qeReport.reserved4',
      0x441,
    ],
  ])('%s → FormatError naming %s at its offset', (_, bytes, field, offset) => {
    const e = formatError(() => decodeTdxQuote(bytes));
    expect(e.field).toBe(field);
    expect(e.offset).toBe(offset);
  });

  it('inner lengths must agree: QE auth data size, PCK type and size', () => {
    const q = decodeTdxQuote(good);
    const r = tdxQuoteRanges(q);
    let e = formatError(() => decodeTdxQuote(withU16(good, L.qeAuthDataSize[0], 0xffff)));
    expect(e.field).toBe('qeAuthData');
    e = formatError(() => decodeTdxQuote(withU16(good, r.pckChainType[0], 6)));
    expect([e.field, e.offset]).toEqual(['pckChainType', r.pckChainType[0]]);
    e = formatError(() => decodeTdxQuote(withU32(good, r.pckChainSize[0], q.pckChainPem.length + 1)));
    expect([e.field, e.offset]).toEqual(['pckChainSize', r.pckChainSize[0]]);
    // A shorter auth data size shifts everything after it: the PCK type is then read from auth data bytes.
    e = formatError(() => decodeTdxQuote(withU16(good, L.qeAuthDataSize[0], 31)));
    expect(e.field).toBe('pckChainType');
  });

  it('PCK chain text: junk, bad base64, non-canonical base64 and a non-certificate are FormatErrors in the quote', () => {
    const q = decodeTdxQuote(good);
    const start = tdxQuoteRanges(q).pckChain[0];
    const pem = new TextDecoder().decode(q.pckChainPem);
    const variant = (text: string): TdxQuote => ({ ...q, pckChainPem: new TextEncoder().encode(text) });
    const cases: [string, string, number][] = [
      ['junk before', `junk${pem}`, start],
      ['junk between', pem.replace('-----END CERTIFICATE-----\n', '-----END CERTIFICATE-----\n!'), -1],
      ['empty', '', start],
      ['bad base64', pem.replace(/(-----BEGIN CERTIFICATE-----\n)M/, '$1*'), start],
      ['not a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', start],
    ];
    for (const [what, text, at] of cases) {
      const e = formatError(() => readPckChain(decodeTdxQuote(encodeTdxQuote(variant(text)))));
      expect(e.format, what).toBe('tdx-quote');
      if (at >= 0) expect(e.offset, what).toBe(at);
      expect(e.offset, what).toBeGreaterThanOrEqual(start);
    }
    // The last base64 character before '=' carries unused bits; setting one must not pass silently.
    const m = /([A-Za-z0-9+/])=\n-----END CERTIFICATE-----/.exec(pem);
    expect(m).not.toBeNull();
    if (m) {
      const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const sloppy =
        B64[B64.indexOf(m[1]) | 1] === m[1] ? B64[B64.indexOf(m[1]) & ~1] : B64[B64.indexOf(m[1]) | 1];
      const text = pem.slice(0, m.index) + sloppy + pem.slice(m.index + 1);
      const e = formatError(() => readPckChain(variant(text)));
      expect(e.message).toMatch(/non-canonical base64/);
    }
  });

  it('property (fast-check, seeded): any bytes, or a mutated valid quote, decode or throw FormatError with an offset', () => {
    const seeds = [good, REAL.subarray(0, REAL_END)];
    const mutated = fc
      .tuple(
        fc.nat({ max: 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 8 }),
        fc.nat(),
      )
      .map(([which, flips, cut]) => {
        const b = Uint8Array.from(seeds[which]);
        for (const [at, x] of flips) b[at % b.length] ^= x;
        return cut % 5 === 0 ? b.subarray(0, cut % b.length) : b;
      });
    const random = fc.uint8Array({ maxLength: 2048 });
    fc.assert(
      fc.property(fc.oneof(mutated, random), (b) => {
        try {
          readPckChain(decodeTdxQuote(b, { extraBytes: 'keep' }));
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset).toBeLessThanOrEqual(b.length);
          expect(e.message).toMatch(/ at offset 0x[0-9a-f]+: /);
        }
      }),
      { seed: 0x7d4, numRuns: 3000 },
    );
  });
});
