import { generateKeyPairSync, sign as osslSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { DEMO_AMD_KEYS } from '../../../src/core/evidence/demo-amd-keys';
import {
  DEMO_AMD_NAMES,
  DEMO_TCB,
  demoChainCertificates,
  demoSnpChip,
  demoSnpEvidence,
  deriveDemoVcek,
  vcekExtensions,
  type DemoSnpOptions,
} from '../../../src/core/evidence/amd-chain';
import { amdArkCertificates, demoArkCertificate } from '../../../src/core/evidence/amd-roots';
import {
  encodeSnpReport,
  SNP_SIGNED_END,
  snpSignatureFrom,
  snpSignedBytes,
} from '../../../src/core/evidence/snp-report';
import {
  issueCertificate,
  parseCertificate,
  readCertificates,
  type Certificate,
} from '../../../src/core/evidence/x509';
import { tierOf, type AttestationResult, type ClaimName, type Status } from '../../../src/core/verify/ear';
import { appraiseSnp, firstFailure, strictSnpPolicy, type SnpPolicy } from '../../../src/core/verify/snp';
import { claimVector as vector, failedChecks as failed } from './_result';

const REAL = 'tests/fixtures/real/snp/';
const RANK: Record<Status, number> = { none: 0, affirming: 1, warning: 2, contraindicated: 3 };

/** Every result: overall status never better than the worst claim, checks in the documented order. */
function checked(r: AttestationResult): AttestationResult {
  const worst = Math.max(...r.claims.map((c) => RANK[tierOf(c.value)]));
  expect(RANK[r.status]).toBeGreaterThanOrEqual(worst);
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
  expect(r.submods.cpu0['ear.status']).toBe(r.status);
  return r;
}

function vectorDiff(
  a: AttestationResult,
  b: AttestationResult,
): Partial<Record<ClaimName, [number, number]>> {
  const out: Partial<Record<ClaimName, [number, number]>> = {};
  for (const c of a.claims) {
    const after = vector(b)[c.claim] ?? 0;
    if (after !== c.value) out[c.claim] = [c.value, after];
  }
  return out;
}
const claimOf = (r: AttestationResult, name: ClaimName) => r.claims.find((c) => c.claim === name);

// ---- the real Milan report ----

describe('SNP appraisal: the real Milan report and AMD chain', () => {
  const report = new Uint8Array(readFileSync(REAL + 'milan-report.bin'));
  const chain = ['milan-vcek.der', 'milan-ask.pem', 'milan-ark.pem'].flatMap((f) =>
    readCertificates(new Uint8Array(readFileSync(REAL + f))),
  );
  // A policy that matches the report: REPORT_DATA (0x050) taken as the nonce the verifier issued,
  // MEASUREMENT (0x090) as the reference value, and REPORTED_TCB bl=3 tee=0 snp=8 ucode=115 as floor.
  const policy = strictSnpPolicy({
    nonce: report.slice(0x50, 0x90),
    referenceMeasurements: [report.slice(0x90, 0xc0)],
    minTcb: { bootloader: 3, tee: 0, snp: 8, microcode: 115 },
    at: new Date('2026-01-01T00:00:00Z'),
  });

  it('is affirming with AMD’s pinned Milan ARK and a policy that matches it', () => {
    const r = checked(appraiseSnp(report, chain, policy));
    expect(failed(r)).toEqual([]);
    expect(r.status).toBe('affirming');
    expect(vector(r)).toEqual({
      'instance-identity': 2,
      configuration: 3,
      executables: 3,
      'file-system': 0,
      hardware: 2,
      'runtime-opaque': 2,
      'storage-opaque': 0,
      'sourced-data': 0,
    });
    expect(r.checks[2].reason).toMatch(/SEV-VCEK → SEV-Milan → ARK-Milan/);
    expect(claimOf(r, 'executables')?.range).toEqual([0x90, 0xc0]);
    expect(r.eat_nonce).toBe(Buffer.from(report.subarray(0x50, 0x90)).toString('hex'));
  });

  it('completes a chain given as the VCEK alone from AMD’s public ASK and pinned ARK', () => {
    expect(checked(appraiseSnp(report, chain.slice(0, 1), policy)).status).toBe('affirming');
  });

  it('refuses it under a higher TCB floor, another product’s ARK, or a VCEK outside its validity', () => {
    const tcb = checked(
      appraiseSnp(report, chain, { ...policy, minTcb: { bootloader: 3, tee: 0, snp: 8, microcode: 209 } }),
    );
    expect(tcb.status).toBe('warning');
    expect(failed(tcb)).toEqual(['tcb']);
    expect(claimOf(tcb, 'hardware')).toMatchObject({ value: 32, range: [0x187, 0x188] });
    expect(claimOf(tcb, 'hardware')?.reason).toMatch(/microcode 115 < 209 \(first at 0x187\)/);
    const genoa = readCertificates(new Uint8Array(readFileSync(REAL + 'genoa-ark.pem')));
    const root = checked(appraiseSnp(report, chain, { ...policy, trustedRoots: genoa }));
    expect(root.status).toBe('contraindicated');
    expect(failed(root)).toEqual(['chain']);
    expect(claimOf(root, 'instance-identity')?.value).toBe(97);
    const late = checked(appraiseSnp(report, chain, { ...policy, at: new Date('2031-01-01') }));
    expect(failed(late)).toEqual(['chain']);
    expect(late.checks[2].reason).toMatch(/not valid at 2031/);
  });

  it('fails on every one of 200 sampled signed-byte flips, naming the signature check', () => {
    const drbg = seededDrbg('milan-flips');
    for (let i = 0; i < 200; i++) {
      const bad = Uint8Array.from(report);
      bad[drbg.nextInt(SNP_SIGNED_END)] ^= 1 + drbg.nextInt(255);
      const r = appraiseSnp(bad, chain, policy);
      expect(r.status).toBe('contraindicated');
      expect(r.checks[1]).toMatchObject({ check: 'signature', ok: false });
    }
  });
});

// ---- our own evidence ----

const NONCE = seededDrbg('nonce').generate(64);
const MEASUREMENT = seededDrbg('launch').generate(48);
const evidence = (opts: DemoSnpOptions = {}) =>
  demoSnpEvidence(1, { reportData: NONCE, measurement: MEASUREMENT, ...opts });
const demoPolicy = (over: Partial<SnpPolicy> = {}): SnpPolicy =>
  strictSnpPolicy({
    id: 'test/sev-snp',
    trustedRoots: [demoArkCertificate()],
    nonce: NONCE,
    referenceMeasurements: [MEASUREMENT],
    minTcb: DEMO_TCB.Milan,
    allowSmt: true,
    ...over,
  });
const appraise = (
  e: { report: Uint8Array; vcek: Uint8Array; ask: Uint8Array; ark: Uint8Array },
  p = demoPolicy(),
) => checked(appraiseSnp(e.report, demoChainCertificates(e), p));

describe('SNP appraisal: our evidence', () => {
  const base = evidence();
  const good = appraise(base);

  it('is affirming for a matching policy, and names policy and nonce in the EAR', () => {
    expect(good.status).toBe('affirming');
    expect(failed(good)).toEqual([]);
    expect(vector(good)).toMatchObject({
      'instance-identity': 2,
      configuration: 2,
      executables: 3,
      hardware: 2,
    });
    expect(good.submods.cpu0['ear.appraisal-policy-id']).toBe('test/sev-snp');
    expect(good.eat_profile).toBe('tag:github.com,2023:veraison/ear');
  });

  it('the strict default refuses the simulated root: AMD’s ARKs only', () => {
    const r = appraise(base, { ...demoPolicy(), trustedRoots: amdArkCertificates() });
    expect(failed(r)).toEqual(['chain']);
    expect(claimOf(r, 'instance-identity')?.value).toBe(97);
    expect(r.checks[2].reason).toMatch(/simulated ARK/);
    expect(strictSnpPolicy()).toMatchObject({ allowDebug: false, allowMigrationAgent: false });
  });

  it('debug bit: configuration 2 → 96 and nothing else', () => {
    const r = appraise(evidence({ policy: { smt: true, debug: true } }));
    expect(vectorDiff(good, r)).toEqual({ configuration: [2, 96] });
    expect(failed(r)).toEqual(['policy']);
    expect(r.status).toBe('contraindicated');
    expect(claimOf(r, 'configuration')).toMatchObject({ range: [0x0a, 0x0b], field: 'POLICY' });
    expect(claimOf(r, 'configuration')?.reason).toMatch(/POLICY.DEBUG \(bit 19, byte 0x00a\)/);
    expect(firstFailure(r)?.check).toBe('policy');
    const allowed = appraise(
      evidence({ policy: { smt: true, debug: true } }),
      demoPolicy({ allowDebug: true }),
    );
    expect(allowed.status).toBe('warning');
    expect(claimOf(allowed, 'configuration')).toMatchObject({ value: 32 });
    expect(claimOf(allowed, 'configuration')?.reason).toMatch(
      /accepted only because the policy allows debug/,
    );
  });

  it('old TCB: hardware 2 → 32 and nothing else (the VCEK for the old TCB is genuine)', () => {
    const old = evidence({ tcb: { ...DEMO_TCB.Milan, snp: 22 } });
    const r = appraise(old);
    expect(vectorDiff(good, r)).toEqual({ hardware: [2, 32] });
    expect(failed(r)).toEqual(['tcb']);
    expect(r.status).toBe('warning');
    expect(claimOf(r, 'hardware')).toMatchObject({ range: [0x186, 0x187], field: 'REPORTED_TCB' });
    expect(claimOf(r, 'hardware')?.reason).toMatch(/snp 22 < 23/);
  });

  it('wrong nonce: freshness fails, the result is contraindicated, no claim changes', () => {
    const other = Uint8Array.from(NONCE);
    other[5] ^= 0xff;
    const r = appraise(base, demoPolicy({ nonce: other }));
    expect(vectorDiff(good, r)).toEqual({});
    expect(failed(r)).toEqual(['freshness']);
    expect(r.status).toBe('contraindicated');
    expect(r.checks[3]).toMatchObject({ range: [0x55, 0x56], field: 'REPORT_DATA' });
    expect(r.checks[3].reason).toMatch(/first difference at 0x055/);
    const prefix = appraise(
      evidence({ reportData: NONCE.subarray(0, 32) }),
      demoPolicy({ nonce: NONCE.subarray(0, 32) }),
    );
    expect(prefix.status).toBe('affirming');
    const prefixOnly = appraise(
      base,
      demoPolicy({ nonce: NONCE.subarray(0, 32), reportDataMatch: 'prefix' }),
    );
    expect(prefixOnly.status).toBe('affirming');
    expect(failed(appraise(base, demoPolicy({ nonce: NONCE.subarray(0, 32) })))).toEqual(['freshness']);
    const none = appraise(base, demoPolicy({ nonce: undefined }));
    expect(none.status).toBe('affirming');
    expect(none.checks[3].reason).toMatch(/replayed report would pass/);
  });

  it('one measurement byte: executables 3 → 33 and nothing else', () => {
    const m = Uint8Array.from(MEASUREMENT);
    m[47] ^= 1;
    const r = appraise(evidence({ measurement: m }));
    expect(vectorDiff(good, r)).toEqual({ executables: [3, 33] });
    expect(failed(r)).toEqual(['measurement']);
    expect(r.status).toBe('warning');
    expect(claimOf(r, 'executables')?.range).toEqual([0x90, 0xc0]);
  });

  it('migration agent, SMT and HOST_DATA are judged under configuration, with their byte', () => {
    const ma = appraise(evidence({ policy: { smt: true, migrateMa: true } }));
    expect(vectorDiff(good, ma)).toEqual({ configuration: [2, 96] });
    expect(claimOf(ma, 'configuration')?.reason).toMatch(/MIGRATE_MA/);
    expect(
      appraise(
        evidence({ policy: { smt: true, migrateMa: true } }),
        demoPolicy({ allowMigrationAgent: true }),
      ).status,
    ).toBe('affirming');
    const smt = appraise(base, demoPolicy({ allowSmt: false }));
    expect(vectorDiff(good, smt)).toEqual({ configuration: [2, 32] });
    expect(claimOf(smt, 'configuration')).toMatchObject({ range: [0x40, 0x41], field: 'PLATFORM_INFO' });
    const notJudged = appraise(base, demoPolicy({ allowSmt: undefined }));
    expect(vectorDiff(good, notJudged)).toEqual({ configuration: [2, 3] });
    const host = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(appraise(evidence({ hostData: host }), demoPolicy({ expectedHostData: host })).status).toBe(
      'affirming',
    );
    const wrongHost = appraise(base, demoPolicy({ expectedHostData: host }));
    expect(vectorDiff(good, wrongHost)).toEqual({ configuration: [2, 96] });
    expect(claimOf(wrongHost, 'configuration')?.field).toBe('HOST_DATA');
  });

  it('a report changed after signing: signature fails, identity 99, other claims withheld', () => {
    const tampered = Uint8Array.from(base.report);
    tampered[0x90] ^= 1; // the measurement the attacker wants to show
    const r = appraise({ ...base, report: tampered });
    expect(failed(r)).toEqual(['signature', 'measurement']);
    expect(r.status).toBe('contraindicated');
    expect(claimOf(r, 'instance-identity')).toMatchObject({
      value: 99,
      range: [0x2a0, 0x4a0],
      field: 'SIGNATURE',
    });
    expect(claimOf(r, 'executables')).toMatchObject({ value: 0 });
    expect(claimOf(r, 'executables')?.reason).toMatch(/not appraised: the signature check failed/);
  });
});

describe('SNP appraisal: mutation test', () => {
  const base = evidence();
  const certs = demoChainCertificates(base);
  const policy = demoPolicy();

  it('every one of 1,000 flips of signed bytes (each of the 672 once, 328 sampled) fails, naming the signature check', () => {
    const drbg = seededDrbg('snp-signed-flips');
    const offsets = new Set<number>();
    let alsoParse = 0;
    for (let i = 0; i < 1000; i++) {
      const at = i < SNP_SIGNED_END ? i : drbg.nextInt(SNP_SIGNED_END);
      offsets.add(at);
      const bad = Uint8Array.from(base.report);
      bad[at] ^= 1 + drbg.nextInt(255);
      const r = appraiseSnp(bad, certs, policy);
      expect(r.status, `flip at 0x${at.toString(16)}`).toBe('contraindicated');
      expect(r.checks[1], `flip at 0x${at.toString(16)}`).toMatchObject({ check: 'signature', ok: false });
      expect(r.checks[1].reason).toMatch(/SIGNATURE|SIGNER_INFO/);
      expect(claimOf(r, 'instance-identity')?.value).toBe(99);
      if (!r.checks[0].ok) alsoParse++;
    }
    expect(offsets.size).toBe(SNP_SIGNED_END);
    expect(alsoParse).toBeGreaterThan(0); // flips in reserved bytes are also named by the parse check
  });

  it('every sampled flip of the unsigned SIGNATURE field changes the verdict and names the check', () => {
    const drbg = seededDrbg('snp-signature-flips');
    for (let i = 0; i < 300; i++) {
      const at = SNP_SIGNED_END + drbg.nextInt(0x4a0 - SNP_SIGNED_END);
      const bad = Uint8Array.from(base.report);
      bad[at] ^= 1 + drbg.nextInt(255);
      const r = appraiseSnp(bad, certs, policy);
      expect(r.status).toBe('contraindicated');
      const first = firstFailure(r);
      expect(['parse', 'signature']).toContain(first?.check);
      if (first?.check === 'parse') expect(first.reason).toMatch(new RegExp(`offset 0x${at.toString(16)}`));
    }
  });
});

describe('SNP appraisal: identity and chain', () => {
  const base = evidence();

  function vcekFor(opts: { hwId?: Uint8Array; tcb?: typeof DEMO_TCB.Milan; product?: string }): Uint8Array {
    const chip = demoSnpChip(1);
    const key = deriveDemoVcek(chip, base.fields.reportedTcb);
    return issueCertificate(
      {
        notBefore: new Date('2025-01-01'),
        notAfter: new Date('2045-01-01'),
        serialNumber: Uint8Array.of(9),
        subject: { CN: 'SEV-VCEK' },
        issuer: DEMO_AMD_NAMES.ask,
        publicKey: { kind: 'ec', curve: 'p384', point: key.publicKey },
        isCA: false,
        extensions: vcekExtensions(
          opts.product ?? 'Milan-B0',
          opts.tcb ?? DEMO_TCB.Milan,
          opts.hwId ?? chip.chipId,
        ),
      },
      { kind: 'rsa-pss', privateKey: DEMO_AMD_KEYS.ask, hash: 'sha384', salt: new Uint8Array(48) },
    );
  }

  it('a VCEK whose hwID is another chip’s: chain fails at CHIP_ID, identity 96', () => {
    const r = appraise({ ...base, vcek: vcekFor({ hwId: demoSnpChip(2).chipId }) });
    expect(failed(r)).toEqual(['chain']);
    expect(claimOf(r, 'instance-identity')).toMatchObject({
      value: 96,
      range: [0x1a0, 0x1e0],
      field: 'CHIP_ID',
    });
    expect(r.checks[2].reason).toMatch(/belongs to another chip/);
  });

  it('a VCEK certifying another TCB than REPORTED_TCB: chain fails at the differing byte, identity 96', () => {
    const r = appraise({ ...base, vcek: vcekFor({ tcb: { ...DEMO_TCB.Milan, microcode: 200 } }) });
    expect(failed(r)).toEqual(['chain']);
    expect(claimOf(r, 'instance-identity')).toMatchObject({
      value: 96,
      range: [0x187, 0x188],
      field: 'REPORTED_TCB',
    });
    expect(r.checks[2].reason).toMatch(/microcode differ/);
  });

  it('a VCEK for another product than the report’s CPUID: identity 96', () => {
    const r = appraise({ ...base, vcek: vcekFor({ product: 'Genoa-B1' }) });
    expect(failed(r)).toEqual(['chain']);
    expect(r.checks[2].reason).toMatch(/VCEK is for Genoa but the report's CPUID says Milan/);
  });

  it('another chip’s genuine VCEK: the signature does not verify, identity 99', () => {
    const other = demoSnpEvidence(2);
    const r = appraise({ ...base, vcek: other.vcek });
    expect(failed(r)).toContain('signature');
    expect(claimOf(r, 'instance-identity')?.value).toBe(99);
  });

  it('MASK_CHIP_ID: CHIP_ID is zero, the hwID is not compared, and the result can affirm', () => {
    const r = appraise(evidence({ maskChipId: true }));
    expect(r.status).toBe('affirming');
    expect(r.checks[2].reason).toMatch(/CHIP_ID masked/);
  });

  it('a forged chain: the attacker’s own ASK signs a VCEK for the attacker’s key → 99', () => {
    const forged = demoSnpEvidence('attacker', { reportData: NONCE, measurement: MEASUREMENT });
    const askCert = parseCertificate(forged.ask);
    const tamperedAsk = { ...askCert, tbs: askCert.tbs.map((x, i) => (i === 300 ? x ^ 1 : x)) };
    const r = checked(
      appraiseSnp(
        forged.report,
        [parseCertificate(forged.vcek), tamperedAsk, parseCertificate(forged.ark)],
        demoPolicy(),
      ),
    );
    expect(failed(r)).toEqual(['chain']);
    expect(claimOf(r, 'instance-identity')?.value).toBe(99);
  });

  it('no certificates, or no VCEK among them: signature and chain fail, no exception', () => {
    const r = checked(appraiseSnp(base.report, [], demoPolicy()));
    expect(failed(r)).toEqual(['signature', 'chain']);
    expect(r.checks[1].reason).toMatch(/no VCEK/);
    const noLeaf = checked(
      appraiseSnp(base.report, [parseCertificate(base.ask), parseCertificate(base.ark)], demoPolicy()),
    );
    expect(noLeaf.status).toBe('contraindicated');
  });
});

describe('SNP appraisal: independent signers and malformed input', () => {
  it('accepts a report signed by an OpenSSL-generated P-384 key with a VCEK issued for it', () => {
    const base = evidence();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Uint8Array.from([
      4,
      ...Buffer.from(jwk.x ?? '', 'base64url'),
      ...Buffer.from(jwk.y ?? '', 'base64url'),
    ]);
    const vcek = issueCertificate(
      {
        notBefore: new Date('2025-01-01'),
        notAfter: new Date('2045-01-01'),
        serialNumber: Uint8Array.of(7),
        subject: { CN: 'SEV-VCEK' },
        issuer: DEMO_AMD_NAMES.ask,
        publicKey: { kind: 'ec', curve: 'p384', point },
        isCA: false,
        extensions: vcekExtensions('Milan-B0', DEMO_TCB.Milan, base.fields.chipId),
      },
      { kind: 'rsa-pss', privateKey: DEMO_AMD_KEYS.ask, hash: 'sha384', salt: new Uint8Array(48).fill(7) },
    );
    const unsigned = encodeSnpReport({ ...base.fields, signature: new Uint8Array(512) });
    for (const dsaEncoding of ['ieee-p1363', 'der'] as const) {
      const sig = osslSign('sha384', snpSignedBytes(unsigned), { key: privateKey, dsaEncoding });
      const report = Uint8Array.from(unsigned);
      report.set(
        snpSignatureFrom(new Uint8Array(sig), dsaEncoding === 'der' ? 'der' : 'raw'),
        SNP_SIGNED_END,
      );
      const r = appraise({ ...base, report, vcek });
      expect(failed(r)).toEqual([]);
      expect(r.status).toBe('affirming');
    }
  });

  it('truncated, oversized, wrong-version and non-zero-reserved reports: parse fails with the offset, no throw', () => {
    const base = evidence();
    const cases: [Uint8Array, RegExp][] = [
      [base.report.subarray(0, 0x100), /offset 0x100: truncated/],
      [Uint8Array.from([...base.report, 1]), /offset 0x4a0: 1 unexpected trailing bytes/],
      [Uint8Array.from(base.report).fill(0, 0, 4), /VERSION at offset 0x0: version 0/],
      [
        (() => {
          const b = Uint8Array.from(base.report);
          b[0x4d] = 1;
          return b;
        })(),
        /reserved at offset 0x4d: must be zero/,
      ],
    ];
    for (const [report, why] of cases) {
      const r = appraise({ ...base, report });
      expect(r.status).toBe('contraindicated');
      expect(r.checks[0].ok).toBe(false);
      expect(r.checks[0].reason).toMatch(why);
      const offset = parseInt(/offset 0x([0-9a-f]+)/.exec(r.checks[0].reason)?.[1] ?? 'x', 16);
      expect(r.checks[0].range?.[0]).toBe(offset);
      expect(r.checks[1].ok).toBe(false);
      expect(claimOf(r, 'configuration')?.value).toBe(1);
    }
  });

  it('POLICY bit 17 cleared by the firmware’s signer: parse names byte 0x00a, signature still verifies', () => {
    const base = evidence();
    const p = base.fields.policy;
    const fields = { ...base.fields, policy: { ...p, raw: p.raw & ~(1n << 17n), reservedMustBeOne: false } };
    const e = demoSnpEvidence(1, { reportData: NONCE, measurement: MEASUREMENT, policy: fields.policy });
    const r = appraise(e);
    expect(failed(r)).toEqual(['parse']);
    expect(r.checks[0]).toMatchObject({ range: [0x0a, 0x0b], field: 'POLICY' });
    expect(claimOf(r, 'instance-identity')?.value).toBe(1);
  });

  it('appraises demo evidence for every product and report version', () => {
    for (const product of ['Milan', 'Genoa', 'Turin'] as const) {
      for (const version of [2, 3, 5] as const) {
        const e = evidence({ product, version });
        const r = appraise(e, demoPolicy({ minTcb: DEMO_TCB[product] }));
        expect(failed(r), `${product} v${version}`).toEqual([]);
      }
    }
    const certs: Certificate[] = demoChainCertificates(evidence());
    expect(certs.length).toBe(3);
  });
});
