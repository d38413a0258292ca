import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors';
import {
  AMD_VCEK_OID,
  demoChainCertificates,
  demoSnpChip,
  demoSnpEvidence,
  deriveDemoVcek,
  derInteger,
  issueDemoArk,
  issueDemoAsk,
  orderSnpChain,
  readVcekExtensions,
  vcekExtensions,
} from '../../../src/core/evidence/amd-chain';
import {
  AMD_ARK_PEM,
  AMD_ASK_PEM,
  amdArkCertificates,
  DEMO_ARK_PEM,
  demoArkCertificate,
} from '../../../src/core/evidence/amd-roots';
import { makeTcb } from '../../../src/core/evidence/snp-report';
import { derToPem, parseCertificate, readCertificates, verifyChain } from '../../../src/core/evidence/x509';

const REAL = 'tests/fixtures/real/snp/';
const real = (f: string) => readCertificates(new Uint8Array(readFileSync(REAL + f)));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('AMD chain: real VCEK extensions', () => {
  it('reads the real Milan VCEK: SPLs = the Milan report’s REPORTED_TCB, hwID = its CHIP_ID', () => {
    const x = readVcekExtensions(real('milan-vcek.der')[0]);
    expect(x).toMatchObject({ structVersion: 0, productName: 'Milan-B0', product: 'Milan' });
    expect(x.tcb).toEqual({ bootloader: 3, tee: 0, snp: 8, microcode: 115 });
    const report = readFileSync(REAL + 'milan-report.bin');
    expect(hex(x.hwId ?? new Uint8Array())).toBe(report.subarray(0x1a0, 0x1e0).toString('hex'));
  });

  it('reads the real Turin VCEK: its own layout, fmcSPL, and an 8-byte hwID', () => {
    const x = readVcekExtensions(real('turin-vcek.der')[0]);
    expect(x).toMatchObject({ structVersion: 1, productName: 'Turin', product: 'Turin' });
    expect(x.tcb).toEqual({ fmc: 0, bootloader: 0, tee: 0, snp: 0, microcode: 9 });
    expect(x.hwId?.length).toBe(8);
    expect(hex(x.hwId ?? new Uint8Array())).toBe('1e550a8ee5cf9f4d');
  });

  it('refuses a malformed SPL extension with a FormatError naming the OID and offset', () => {
    const cert = real('milan-vcek.der')[0];
    const bad = {
      ...cert,
      extensions: cert.extensions.map((e) =>
        e.oid === AMD_VCEK_OID.ucodeSPL ? { ...e, value: Uint8Array.of(0x04, 0x01, 0x73) } : e,
      ),
    };
    expect(() => readVcekExtensions(bad)).toThrow(FormatError);
    expect(() => readVcekExtensions(bad)).toThrow(
      /1\.3\.6\.1\.4\.1\.3704\.1\.3\.8 at offset 0x0: expected a DER INTEGER/,
    );
  });

  it('encodes SPLs as AMD does: DER INTEGER, a leading zero from 0x80', () => {
    expect(hex(derInteger(0x73))).toBe('020173');
    expect(hex(derInteger(0))).toBe('020100');
    expect(hex(derInteger(213))).toBe('020200d5');
    const milanExt = real('milan-vcek.der')[0].extensions.find((e) => e.oid === AMD_VCEK_OID.ucodeSPL);
    expect(hex(milanExt?.value ?? new Uint8Array())).toBe(hex(derInteger(115)));
    const ours = vcekExtensions(
      'Turin',
      { fmc: 200, bootloader: 1, tee: 2, snp: 3, microcode: 250 },
      new Uint8Array(8),
    );
    const x = readVcekExtensions({ ...real('turin-vcek.der')[0], extensions: ours });
    expect(x.tcb).toEqual({ fmc: 200, bootloader: 1, tee: 2, snp: 3, microcode: 250 });
  });
});

describe('AMD chain: pinned roots', () => {
  it("embeds AMD's real ARKs and ASKs byte for byte as the fixtures have them", () => {
    for (const p of ['Milan', 'Genoa', 'Turin'] as const) {
      expect(AMD_ARK_PEM[p].trim()).toBe(readFileSync(`${REAL}${p.toLowerCase()}-ark.pem`, 'utf8').trim());
      expect(AMD_ASK_PEM[p].trim()).toBe(readFileSync(`${REAL}${p.toLowerCase()}-ask.pem`, 'utf8').trim());
      const ark = new X509Certificate(AMD_ARK_PEM[p]);
      expect(ark.verify(ark.publicKey)).toBe(true);
      expect(ark.subject).toContain(`CN=ARK-${p}`);
    }
    expect(amdArkCertificates().map((c) => c.subject.replace(/.*CN=/, ''))).toEqual([
      'ARK-Milan',
      'ARK-Genoa',
      'ARK-Turin',
    ]);
  });

  it('the committed DEMO_ARK_PEM is exactly what issueDemoArk() issues, clearly labelled as a demo', () => {
    expect(DEMO_ARK_PEM).toBe(derToPem(issueDemoArk()));
    expect(demoArkCertificate().subject).toMatch(/DEMO/);
    expect(demoArkCertificate().subject).toMatch(/CN=ARK-Demo/);
  });
});

describe('AMD chain: the simulated chain', () => {
  it('OpenSSL verifies demo VCEK ← ASK ← ARK, and the same seed gives the same bytes', () => {
    const a = demoSnpEvidence(1);
    const b = demoSnpEvidence(1);
    expect(hex(a.vcek)).toBe(hex(b.vcek));
    expect(hex(a.report)).toBe(hex(b.report));
    const [vcek, ask, ark] = [a.vcek, a.ask, a.ark].map((d) => new X509Certificate(Buffer.from(d)));
    expect(ark.verify(ark.publicKey)).toBe(true);
    expect(ask.verify(ark.publicKey)).toBe(true);
    expect(vcek.verify(ask.publicKey)).toBe(true);
    expect(vcek.checkIssued(ask)).toBe(true);
    expect(vcek.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'secp384r1' });
    expect(ask.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 4096 });
    const ours = demoChainCertificates(a);
    expect(ours[0].signatureAlgorithm).toEqual({ kind: 'rsa-pss', hash: 'sha384', saltLength: 48 });
    expect(verifyChain(ours, [demoArkCertificate()], new Date('2030-01-01')).ok).toBe(true);
    expect(verifyChain(ours, amdArkCertificates()).ok).toBe(false);
  });

  it('puts the report’s TCB and CHIP_ID into the VCEK; another seed is another chip', () => {
    const e = demoSnpEvidence(1, { tcb: { bootloader: 7, tee: 1, snp: 20, microcode: 200 } });
    const x = readVcekExtensions(parseCertificate(e.vcek));
    expect(x.tcb).toEqual({ bootloader: 7, tee: 1, snp: 20, microcode: 200 });
    expect(hex(x.hwId ?? new Uint8Array())).toBe(hex(e.fields.chipId));
    expect(hex(demoSnpChip(2).chipId)).not.toBe(hex(demoSnpChip(1).chipId));
    const t = demoSnpEvidence(1, { product: 'Turin' });
    const tx = readVcekExtensions(parseCertificate(t.vcek));
    expect(tx.product).toBe('Turin');
    expect(tx.hwId?.length).toBe(8);
    expect(t.fields.chipId.subarray(8).every((v) => v === 0)).toBe(true);
    expect(tx.tcb.fmc).toBe(1);
  });

  it('derives the VCEK from chip secret and TCB: a different TCB gives a different key', () => {
    const chip = demoSnpChip(1);
    const k1 = deriveDemoVcek(
      chip,
      makeTcb('milan-genoa', { bootloader: 4, tee: 0, snp: 23, microcode: 213 }),
    );
    const k2 = deriveDemoVcek(
      chip,
      makeTcb('milan-genoa', { bootloader: 4, tee: 0, snp: 22, microcode: 213 }),
    );
    const k1again = deriveDemoVcek(
      chip,
      makeTcb('milan-genoa', { bootloader: 4, tee: 0, snp: 23, microcode: 213 }),
    );
    expect(hex(k1.publicKey)).toBe(hex(k1again.publicKey));
    expect(hex(k1.publicKey)).not.toBe(hex(k2.publicKey));
    expect(issueDemoAsk()).toEqual(demoSnpEvidence(3).ask); // the ASK does not depend on the seed
  });
});

describe('AMD chain: ordering a user’s certificates', () => {
  const [vcek, ask, ark] = [real('milan-vcek.der')[0], real('milan-ask.pem')[0], real('milan-ark.pem')[0]];

  it('orders certificates given in any order, or as AMD’s cert_chain PEM (ASK then ARK)', () => {
    expect(orderSnpChain([ark, vcek, ask]).chain).toEqual([vcek, ask, ark]);
    const certChain = readCertificates(
      new TextEncoder().encode(
        readFileSync(REAL + 'milan-ask.pem', 'utf8') + readFileSync(REAL + 'milan-ark.pem', 'utf8'),
      ),
    );
    expect(orderSnpChain([...certChain, vcek]).chain.map((c) => c.subject)).toEqual(
      [vcek, ask, ark].map((c) => c.subject),
    );
  });

  it('fills a missing ASK or ARK from the known certificates, and says what is missing otherwise', () => {
    expect(orderSnpChain([vcek], [ask, ark]).chain).toEqual([vcek, ask, ark]);
    expect(orderSnpChain([vcek]).problem).toMatch(/no certificate for .*CN=SEV-Milan/);
    expect(orderSnpChain([ask, ark]).problem).toMatch(/no VCEK/);
    expect(orderSnpChain([vcek, parseCertificate(demoSnpEvidence(1).vcek)]).problem).toMatch(
      /2 EC certificates/,
    );
  });
});
