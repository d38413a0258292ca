import { X509Certificate, createHash, verify as osslVerify } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derToRaw } from '../../../src/core/crypto/ecdsa';
import { FormatError } from '../../../src/core/errors';
import { demoSnpEvidence } from '../../../src/core/evidence/amd-chain';
import {
  decodeGuestPolicy,
  decodePlatformInfo,
  decodeSnpReport,
  decodeTcb,
  encodeSnpReport,
  makeGuestPolicy,
  makeSignerInfo,
  makeTcb,
  POLICY_BITS,
  signSnpReport,
  SNP_REPORT_LAYOUT,
  SNP_REPORT_SIZE,
  snpFieldAt,
  snpProductFromCpuid,
  snpReportDigest,
  snpSignatureFrom,
  snpSignatureToDer,
  snpSignatureToRaw,
  snpSignedBytes,
  verifySnpReportSignature,
  type SnpReport,
} from '../../../src/core/evidence/snp-report';
import { derToPem, readCertificates } from '../../../src/core/evidence/x509';

const REAL = 'tests/fixtures/real/snp/';
const GOLDEN = 'tests/fixtures/golden/';
const milan = () => new Uint8Array(readFileSync(REAL + 'milan-report.bin'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The fields of a report without the decoder's extras (layout source, anomalies, product). */
function fieldsOf(d: ReturnType<typeof decodeSnpReport>): SnpReport {
  const { tcbLayout: _l, tcbLayoutSource: _s, anomalies: _a, product: _p, ...fields } = d;
  return fields;
}

describe('SEV-SNP report: the real Milan report', () => {
  it('decodes every field of the real Milan report to the values the fixture README gives', () => {
    // Values read from tests/fixtures/real/snp/milan-report.bin (virtee/sev test data) with xxd:
    // version 2, policy 0x30000, REPORTED_TCB 0x7308000000000003, firmware 1.52 build 4.
    const d = decodeSnpReport(milan());
    expect(d.version).toBe(2);
    expect(d.policy.raw).toBe(0x30000n);
    expect(d.policy).toMatchObject({ smt: true, reservedMustBeOne: true, debug: false, migrateMa: false });
    expect(d.policy).toMatchObject({ abiMajor: 0, abiMinor: 0, mustBeZero: 0n });
    expect(d.vmpl).toBe(0);
    expect(d.signatureAlgo).toBe(1);
    expect(d.platformInfo).toMatchObject({ raw: 1n, smtEnabled: true, tsmeEnabled: false });
    expect(d.signerInfo).toMatchObject({ signingKeyName: 'vcek', maskChipKey: false, authorKeyEn: false });
    expect(d.reportedTcb).toMatchObject({
      raw: 0x7308000000000003n,
      bootloader: 3,
      tee: 0,
      snp: 8,
      microcode: 115,
    });
    expect(d.currentTcb.raw).toBe(d.reportedTcb.raw);
    expect(d.committedTcb.raw).toBe(d.reportedTcb.raw);
    expect(d.launchTcb.raw).toBe(d.reportedTcb.raw);
    expect(d.currentVersion).toEqual({ major: 1, minor: 52, build: 4 });
    expect(d.committedVersion).toEqual({ major: 1, minor: 52, build: 4 });
    expect(hex(d.reportData).slice(0, 16)).toBe('d447b55d197491bf');
    expect(hex(d.measurement).slice(0, 16)).toBe('7a1e5c266c0108db');
    expect(d.hostData.every((x) => x === 0)).toBe(true);
    expect(d.reportIdMa.every((x) => x === 0xff)).toBe(true); // no migration agent
    expect(hex(d.chipId).slice(0, 16)).toBe('d49554ec717f4e5b');
    expect(d.cpuid).toBeUndefined();
    expect(d.anomalies).toEqual([]);
    expect(d.tcbLayout).toBe('milan-genoa');
  });

  it('re-encodes the real report byte for byte', () => {
    const b = milan();
    expect(hex(encodeSnpReport(decodeSnpReport(b)))).toBe(hex(b));
  });

  it("OpenSSL verifies the real report's signature with the real VCEK after our LE → DER conversion", () => {
    const b = milan();
    const vcek = new X509Certificate(readFileSync(REAL + 'milan-vcek.der'));
    const der = snpSignatureToDer(b.subarray(0x2a0));
    expect(osslVerify('sha384', snpSignedBytes(b), vcek.publicKey, der)).toBe(true);
    const point = readCertificates(new Uint8Array(readFileSync(REAL + 'milan-vcek.der')))[0].publicKey;
    expect(point.kind === 'ec' && verifySnpReportSignature(b, point.point)).toBe(true);
  });
});

describe('SEV-SNP report: layout', () => {
  it('the layout table tiles 0x000–0x4a0 without gaps or overlaps, at the ABI offsets', () => {
    const leaves = Object.entries(SNP_REPORT_LAYOUT)
      .filter(([k]) => k !== 'signature')
      .map(([, r]) => r)
      .sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [start, end] of leaves) {
      expect(start).toBe(at);
      expect(end).toBeGreaterThan(start);
      at = end;
    }
    expect(at).toBe(SNP_REPORT_SIZE);
    // Spot checks against DOMAIN.md §d and go-sev-guest abi.go.
    expect(SNP_REPORT_LAYOUT.reportData).toEqual([0x50, 0x90]);
    expect(SNP_REPORT_LAYOUT.measurement).toEqual([0x90, 0xc0]);
    expect(SNP_REPORT_LAYOUT.hostData).toEqual([0xc0, 0xe0]);
    expect(SNP_REPORT_LAYOUT.reportedTcb).toEqual([0x180, 0x188]);
    expect(SNP_REPORT_LAYOUT.chipId).toEqual([0x1a0, 0x1e0]);
    expect(SNP_REPORT_LAYOUT.launchTcb).toEqual([0x1f0, 0x1f8]);
    expect(SNP_REPORT_LAYOUT.signature).toEqual([0x2a0, 0x4a0]);
  });

  it('snpFieldAt names the field of any offset, reserved by version', () => {
    expect(snpFieldAt(0x95)).toMatchObject({ name: 'MEASUREMENT', start: 0x90, end: 0xc0, reserved: false });
    expect(snpFieldAt(0x188, 2)).toMatchObject({ name: 'reserved', reserved: true });
    expect(snpFieldAt(0x188, 3)).toMatchObject({ name: 'CPUID_FAM_ID', reserved: false });
    expect(snpFieldAt(0x1f8, 4)?.reserved).toBe(true);
    expect(snpFieldAt(0x1f8, 5)?.name).toBe('LAUNCH_MIT_VECTOR');
    expect(snpFieldAt(0x4a0)).toBeUndefined();
  });
});

describe('SEV-SNP report: bit fields and TCB', () => {
  it('names every POLICY bit at its ABI position, with bit 17 set and 26–63 zero when built', () => {
    for (const [name, bit] of Object.entries(POLICY_BITS)) {
      if (name === 'reservedMustBeOne') continue;
      const p = makeGuestPolicy({ [name]: true });
      expect(p.raw).toBe((1n << 17n) | (1n << BigInt(bit)));
      expect(p[name as keyof typeof POLICY_BITS]).toBe(true);
    }
    expect(makeGuestPolicy({ abiMajor: 1, abiMinor: 51 }).raw).toBe(0x20133n);
    const bad = decodeGuestPolicy(1n << 40n);
    expect(bad.reservedMustBeOne).toBe(false);
    expect(bad.mustBeZero).toBe(1n << 14n);
  });

  it('decodes TCB_VERSION per product: Milan/Genoa bytes 0,1,6,7; Turin bytes 0,1,2,3,7 with FMC', () => {
    expect(decodeTcb(0x7308000000000003n, 'milan-genoa')).toMatchObject({
      bootloader: 3,
      tee: 0,
      snp: 8,
      microcode: 115,
    });
    const turin = makeTcb('turin', { fmc: 1, bootloader: 2, tee: 3, snp: 4, microcode: 9 });
    expect(turin.raw).toBe(0x0900000004030201n);
    expect(decodeTcb(turin.raw, 'turin')).toMatchObject({
      fmc: 1,
      bootloader: 2,
      tee: 3,
      snp: 4,
      microcode: 9,
    });
    expect(makeTcb('milan-genoa', { bootloader: 4, tee: 0, snp: 23, microcode: 213 }).raw).toBe(
      0xd517000000000004n,
    );
    expect(() => makeTcb('turin', { bootloader: 256, tee: 0, snp: 0, microcode: 0 })).toThrow(/bootloader/);
  });

  it('takes the TCB layout from CPUID (v3+), the caller (v2) or the Turin CHIP_ID shape', () => {
    expect(snpProductFromCpuid(0x19, 0x01)).toBe('Milan');
    expect(snpProductFromCpuid(0x19, 0x11)).toBe('Genoa');
    expect(snpProductFromCpuid(0x1a, 0x02)).toBe('Turin');
    const t3 = decodeSnpReport(demoSnpEvidence(5, { product: 'Turin', version: 3 }).report);
    expect([t3.tcbLayout, t3.tcbLayoutSource, t3.product]).toEqual(['turin', 'cpuid', 'Turin']);
    const t2 = demoSnpEvidence(5, { product: 'Turin', version: 2 }).report;
    expect(decodeSnpReport(t2)).toMatchObject({ tcbLayout: 'turin', tcbLayoutSource: 'chip-id' });
    expect(decodeSnpReport(t2, { product: 'Turin' })).toMatchObject({
      tcbLayout: 'turin',
      tcbLayoutSource: 'caller',
    });
    // Read with the wrong layout, Turin's TCB bytes land in Milan's reserved bytes: reported, not thrown.
    const wrong = decodeSnpReport(t2, { product: 'Milan' });
    expect(wrong.anomalies[0]).toMatchObject({ field: 'CURRENT_TCB', offset: 0x3a });
    expect(wrong.anomalies[0].detail).toMatch(/wrong product layout/);
  });

  it('reports POLICY and SIGNER_INFO reserved bits as anomalies with their offsets', () => {
    const e = demoSnpEvidence(2);
    const f = { ...e.fields, policy: decodeGuestPolicy(e.fields.policy.raw & ~(1n << 17n)) };
    const d = decodeSnpReport(encodeSnpReport(f));
    expect(d.anomalies).toEqual([{ field: 'POLICY', offset: 0x0a, detail: expect.stringMatching(/bit 17/) }]);
    const g = {
      ...e.fields,
      policy: decodeGuestPolicy(e.fields.policy.raw | (1n << 33n)),
      signerInfo: makeSignerInfo(),
    };
    g.signerInfo = { ...g.signerInfo, raw: 0x14 };
    const d2 = decodeSnpReport(encodeSnpReport(g));
    expect(d2.anomalies.map((a) => [a.field, a.offset])).toEqual([
      ['POLICY', 0x0c],
      ['SIGNER_INFO', 0x48],
    ]);
    expect(d2.anomalies[1].detail).toMatch(/SIGNING_KEY 5 is reserved/);
  });
});

describe('SEV-SNP report: encode/decode round trips', () => {
  for (const version of [2, 3, 4, 5] as const) {
    for (const product of ['Milan', 'Genoa', 'Turin'] as const) {
      it(`version ${version}, ${product}: encode → decode → encode is the identity`, () => {
        const e = demoSnpEvidence(`rt-${version}-${product}`, {
          version,
          product,
          policy: { smt: true, singleSocket: true, abiMajor: 1, abiMinor: 55 },
          reportData: Uint8Array.from({ length: 64 }, (_, i) => i),
          hostData: Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i),
          guestSvn: 7,
          vmpl: 1,
        });
        const d = decodeSnpReport(e.report);
        expect(fieldsOf(d)).toEqual(e.fields);
        expect(hex(encodeSnpReport(d))).toBe(hex(e.report));
        expect(d.anomalies).toEqual([]);
        if (version === 5) expect(d.launchMitVector).toBe(0n);
        else expect(d.launchMitVector).toBeUndefined();
      });
    }
  }

  it('round-trips arbitrary field values (fast-check, seeded)', () => {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
    const u8 = fc.integer({ min: 0, max: 255 });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    const report = fc.record({
      version: fc.constantFrom(2, 3, 4, 5),
      guestSvn: u32,
      policy: u64,
      familyId: bytes(16),
      vmpl: u32,
      tcb: fc.array(u64, { minLength: 4, maxLength: 4 }),
      platformInfo: u64,
      reportData: bytes(64),
      measurement: bytes(48),
      chipId: bytes(64),
      cpuid: fc.tuple(u8, u8, u8),
      fw: fc.tuple(u8, u8, u8),
      mit: fc.tuple(u64, u64),
      r: bytes(48),
      s: bytes(48),
    });
    const base = demoSnpEvidence(3).fields;
    fc.assert(
      fc.property(report, (x) => {
        const f: SnpReport = {
          ...base,
          version: x.version,
          guestSvn: x.guestSvn,
          policy: decodeGuestPolicy(x.policy),
          familyId: x.familyId,
          vmpl: x.vmpl,
          currentTcb: decodeTcb(x.tcb[0], 'milan-genoa'),
          reportedTcb: decodeTcb(x.tcb[1], 'milan-genoa'),
          committedTcb: decodeTcb(x.tcb[2], 'milan-genoa'),
          launchTcb: decodeTcb(x.tcb[3], 'milan-genoa'),
          platformInfo: decodePlatformInfo(x.platformInfo),
          reportData: x.reportData,
          measurement: x.measurement,
          chipId: x.chipId,
          cpuid:
            x.version >= 3 ? { family: 0x19, model: x.cpuid[1] & 0x0f, stepping: x.cpuid[2] } : undefined,
          currentVersion: { major: x.fw[0], minor: x.fw[1], build: x.fw[2] },
          committedVersion: { major: x.fw[2], minor: x.fw[0], build: x.fw[1] },
          launchMitVector: x.version >= 5 ? x.mit[0] : undefined,
          currentMitVector: x.version >= 5 ? x.mit[1] : undefined,
          signature: snpSignatureFrom(Uint8Array.from([...x.r, ...x.s])),
        };
        if (f.cpuid === undefined) delete f.cpuid;
        if (f.launchMitVector === undefined) delete f.launchMitVector;
        if (f.currentMitVector === undefined) delete f.currentMitVector;
        const b = encodeSnpReport(f);
        const d = decodeSnpReport(b, { product: 'Milan' });
        expect(fieldsOf(d)).toEqual(f);
        expect(hex(encodeSnpReport(d))).toBe(hex(b));
        expect(d.policy.raw).toBe(x.policy);
        expect(d.platformInfo.raw).toBe(x.platformInfo);
        expect(d.reportedTcb.raw).toBe(x.tcb[1]);
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });
});

describe('SEV-SNP report: signature', () => {
  it('stores R and S little-endian in 72-byte zero-padded slots and converts to raw and DER', () => {
    const raw = Uint8Array.from({ length: 96 }, (_, i) => i + 1);
    const sig = snpSignatureFrom(raw);
    expect(sig.length).toBe(512);
    expect(sig[0]).toBe(48); // r's least significant byte first
    expect(sig[47]).toBe(1);
    expect(sig.subarray(48, 72).every((x) => x === 0)).toBe(true);
    expect(sig[72]).toBe(96);
    expect(snpSignatureToRaw(sig)).toEqual(raw);
    expect(derToRaw('p384', snpSignatureToDer(sig))).toEqual(raw);
    expect(snpSignatureFrom(snpSignatureToDer(sig), 'der')).toEqual(sig);
    const padded = Uint8Array.from(sig);
    padded[0x80] = 1; // inside S's zero padding (SIGNATURE+0x78..0x90)
    expect(() => snpSignatureToRaw(padded)).toThrow(/S does not fit in 48 bytes/);
  });

  it('OpenSSL verifies our signature with the VCEK certificate; a changed byte fails both verifiers', () => {
    const e = demoSnpEvidence(1, { reportData: Uint8Array.of(1, 2, 3) });
    const vcek = new X509Certificate(Buffer.from(e.vcek));
    const der = snpSignatureToDer(e.report.subarray(0x2a0));
    expect(osslVerify('sha384', snpSignedBytes(e.report), vcek.publicKey, der)).toBe(true);
    expect(snpReportDigest(e.report)).toEqual(
      new Uint8Array(createHash('sha384').update(snpSignedBytes(e.report)).digest()),
    );
    const bad = Uint8Array.from(e.report);
    bad[0x60] ^= 0x01;
    expect(osslVerify('sha384', snpSignedBytes(bad), vcek.publicKey, der)).toBe(false);
    expect(verifySnpReportSignature(bad, e.vcekKey.publicKey)).toBe(false);
    expect(verifySnpReportSignature(e.report, e.vcekKey.publicKey)).toBe(true);
  });

  it('signSnpReport is deterministic (RFC 6979) and leaves the signed bytes as they were', () => {
    const e = demoSnpEvidence(4);
    const again = signSnpReport(e.report, e.vcekKey.privateKey);
    expect(hex(again)).toBe(hex(e.report));
    const jwk = new X509Certificate(Buffer.from(e.vcek)).publicKey.export({ format: 'jwk' });
    expect(Buffer.from(jwk.x ?? '', 'base64url')).toEqual(Buffer.from(e.vcekKey.publicKey.subarray(1, 49)));
  });
});

describe('SEV-SNP report: golden file', () => {
  const files = {
    report: `${GOLDEN}snp-report-seed1.bin`,
    chain: `${GOLDEN}snp-report-seed1-chain.pem`,
  };

  it('demoSnpEvidence(1) still produces exactly the committed report and chain', () => {
    const e = demoSnpEvidence(1);
    const chainPem = [e.vcek, e.ask, e.ark].map((d) => derToPem(d)).join('');
    // Regenerate deliberately with UPDATE_GOLDEN=1 (and say why in the commit).
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(files.report)) {
      if (process.env.UPDATE_GOLDEN !== '1')
        throw new Error(`missing ${files.report}: run with UPDATE_GOLDEN=1`);
      writeFileSync(files.report, e.report);
      writeFileSync(files.chain, chainPem);
    }
    expect(hex(e.report)).toBe(hex(new Uint8Array(readFileSync(files.report))));
    expect(chainPem).toBe(readFileSync(files.chain, 'utf8'));
    const [vcek, ask, ark] = readCertificates(new Uint8Array(readFileSync(files.chain)));
    expect(vcek.der).toEqual(e.vcek);
    expect(ask.der).toEqual(e.ask);
    expect(ark.der).toEqual(e.ark);
    const golden = decodeSnpReport(new Uint8Array(readFileSync(files.report)));
    expect(golden).toMatchObject({ version: 3, product: 'Milan', vmpl: 0 });
    expect(hex(encodeSnpReport(golden))).toBe(hex(e.report));
  });
});

describe('SEV-SNP report: malformed input', () => {
  const good = () => demoSnpEvidence(9, { version: 5 }).report;

  function formatError(f: () => unknown): FormatError {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      return e as FormatError;
    }
    throw new Error('expected a FormatError');
  }

  it('refuses every truncation with the length as offset and names the field that was cut', () => {
    const b = good();
    for (let n = 0; n < SNP_REPORT_SIZE; n += 13) {
      const e = formatError(() => decodeSnpReport(b.subarray(0, n)));
      expect(e.offset).toBe(n);
      expect(e.message).toMatch(/truncated/);
    }
    expect(formatError(() => decodeSnpReport(b.subarray(0, 0x9a))).message).toMatch(/cut inside MEASUREMENT/);
  });

  it('refuses trailing bytes at offset 0x4a0', () => {
    const e = formatError(() => decodeSnpReport(Uint8Array.from([...good(), 0, 0])));
    expect(e.offset).toBe(0x4a0);
    expect(e.message).toMatch(/2 unexpected trailing bytes/);
  });

  it.each([0, 1, 6, 0xffffffff])('refuses version %i at offset 0', (version) => {
    const b = good();
    new DataView(b.buffer).setUint32(0, version, true);
    const e = formatError(() => decodeSnpReport(b));
    expect(e.offset).toBe(0);
    expect(e.field).toBe('VERSION');
  });

  it('refuses a non-zero byte anywhere in a reserved range, naming that exact offset (per version)', () => {
    const ranges: Record<number, [number, number][]> = {
      2: [
        [0x4c, 0x50],
        [0x188, 0x1a0],
        [0x1eb, 0x1ec],
        [0x1ef, 0x1f0],
        [0x1f8, 0x2a0],
      ],
      3: [
        [0x18b, 0x1a0],
        [0x1f8, 0x2a0],
      ],
      5: [[0x208, 0x2a0]],
    };
    let checked = 0;
    for (const [version, list] of Object.entries(ranges)) {
      const b = demoSnpEvidence(9, { version: Number(version) as 2 | 3 | 5 }).report;
      for (const [start, end] of [...list, [0x2d0, 0x2e8], [0x318, 0x330], [0x330, 0x4a0]]) {
        for (let at = start; at < end; at += 1 + (at % 5)) {
          const bad = Uint8Array.from(b);
          bad[at] = 0x5a;
          const e = formatError(() => decodeSnpReport(bad));
          expect(e.offset).toBe(at);
          expect(e.message).toMatch(/must be zero, found 0x5a/);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('decode returns or throws FormatError for random and mutated bytes (fast-check, seeded)', () => {
    const seeds = [milan(), good(), demoSnpEvidence(9, { version: 2, product: 'Turin' }).report];
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(SNP_REPORT_SIZE - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 8 }),
      )
      .map(([s, flips]) => {
        const b = Uint8Array.from(s);
        for (const [at, x] of flips) b[at] ^= x;
        return b;
      });
    const random = fc.oneof(
      fc.uint8Array({ maxLength: 1400 }),
      fc.uint8Array({ minLength: SNP_REPORT_SIZE, maxLength: SNP_REPORT_SIZE }),
    );
    fc.assert(
      fc.property(fc.oneof(mutated, random), (input) => {
        try {
          decodeSnpReport(input);
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
          expect(e.message).toMatch(/^snp-report: .* at offset 0x[0-9a-f]+: /);
        }
      }),
      { seed: 4242, numRuns: 5000 },
    );
  });
});
