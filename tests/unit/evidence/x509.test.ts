import { X509Certificate, createPublicKey, verify as osslVerify, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import { rsaPssSign, rsaPssVerify } from '../../../src/core/crypto/rsa';
import { demoSnpEvidence } from '../../../src/core/evidence/amd-chain';
import { DEMO_AMD_KEYS } from '../../../src/core/evidence/demo-amd-keys';
import { demoIntelChain } from '../../../src/core/evidence/intel-chain';
import { nitroDemoChain } from '../../../src/core/evidence/nitro-chain';
import {
  derToPem,
  issueCertificate,
  parseCertificate,
  readCertificates,
  verifyChain,
  type Certificate,
} from '../../../src/core/evidence/x509';
import { FormatError } from '../../../src/core/errors';

const REAL = 'tests/fixtures/real/snp/';
const real = (f: string) => readCertificates(readFileSync(REAL + f));
const AMD = { O: 'Advanced Micro Devices', OU: 'Engineering (DEMO)', C: 'US' };
const at = new Date('2026-01-01T00:00:00Z');

function demoChain(seed: number): { vcek: Uint8Array; ask: Uint8Array; ark: Uint8Array } {
  const drbg = seededDrbg(seed);
  const { ark, ask } = DEMO_AMD_KEYS;
  const validity = {
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2050-01-01T00:00:00Z'),
  };
  const arkDer = issueCertificate(
    {
      ...validity,
      serialNumber: Uint8Array.of(1),
      subject: { ...AMD, CN: 'ARK-Demo' },
      issuer: { ...AMD, CN: 'ARK-Demo' },
      publicKey: { kind: 'rsa', key: ark },
      isCA: true,
    },
    { kind: 'rsa-pss', privateKey: ark, hash: 'sha384', salt: drbg.generate(48) },
  );
  const askDer = issueCertificate(
    {
      ...validity,
      serialNumber: Uint8Array.of(2),
      subject: { ...AMD, CN: 'SEV-Demo' },
      issuer: { ...AMD, CN: 'ARK-Demo' },
      publicKey: { kind: 'rsa', key: ask },
      isCA: true,
    },
    { kind: 'rsa-pss', privateKey: ark, hash: 'sha384', salt: drbg.generate(48) },
  );
  const vcekKey = generateKeyPair('p384', drbg);
  const vcekDer = issueCertificate(
    {
      ...validity,
      serialNumber: Uint8Array.of(3),
      subject: { ...AMD, CN: 'SEV-VCEK' },
      issuer: { ...AMD, CN: 'SEV-Demo' },
      publicKey: { kind: 'ec', curve: 'p384', point: vcekKey.publicKey },
      isCA: false,
    },
    { kind: 'rsa-pss', privateKey: ask, hash: 'sha384', salt: drbg.generate(48) },
  );
  return { vcek: vcekDer, ask: askDer, ark: arkDer };
}

describe('X.509', () => {
  it("verifies AMD's real Milan chain VCEK → ASK → ARK (RSA-4096 PSS) and the Genoa and Turin ASKs", () => {
    const [vcek, ask, ark] = [real('milan-vcek.der')[0], real('milan-ask.pem')[0], real('milan-ark.pem')[0]];
    expect(vcek.signatureAlgorithm).toEqual({ kind: 'rsa-pss', hash: 'sha384', saltLength: 48 });
    expect(vcek.publicKey.kind).toBe('ec');
    const r = verifyChain([vcek, ask, ark], [ark], at);
    expect(r.steps.map((s) => s.reason)).toEqual([
      expect.stringContaining('signed by'),
      expect.stringContaining('signed by'),
      'pinned root, self-signed',
    ]);
    expect(r.ok).toBe(true);
    for (const g of ['genoa', 'turin']) {
      const [a, k] = [real(`${g}-ask.pem`)[0], real(`${g}-ark.pem`)[0]];
      expect(verifyChain([a, k], [k], at).ok).toBe(true);
    }
    expect(
      verifyChain(
        [real('turin-vcek.der')[0], real('turin-ask.pem')[0], real('turin-ark.pem')[0]],
        [real('turin-ark.pem')[0]],
        at,
      ).ok,
    ).toBe(true);
  });

  it('refuses a chain with the wrong root, a swapped intermediate or an unpinned root, saying why', () => {
    const [vcek, ask, ark] = [real('milan-vcek.der')[0], real('milan-ask.pem')[0], real('milan-ark.pem')[0]];
    const genoaArk = real('genoa-ark.pem')[0];
    const wrongRoot = verifyChain([vcek, ask, genoaArk], [genoaArk], at);
    expect(wrongRoot.ok).toBe(false);
    expect(wrongRoot.steps[1].reason).toMatch(
      /signature does not verify|is not the next certificate's subject/,
    );
    const unpinned = verifyChain([vcek, ask, ark], [genoaArk], at);
    expect(unpinned.steps[2].reason).toMatch(/not a pinned trust anchor/);
    const swapped = verifyChain([vcek, real('genoa-ask.pem')[0], genoaArk], [genoaArk], at);
    expect(swapped.steps[0].ok).toBe(false);
  });

  it('issues a demo chain that OpenSSL verifies, byte-identical for the same seed', () => {
    const a = demoChain(1);
    const b = demoChain(1);
    expect(a.vcek).toEqual(b.vcek);
    expect(a.ask).toEqual(b.ask);
    const [vcek, ask, ark] = [a.vcek, a.ask, a.ark].map((d) => new X509Certificate(Buffer.from(d)));
    expect(ark.verify(ark.publicKey)).toBe(true);
    expect(ask.verify(ark.publicKey)).toBe(true);
    expect(vcek.verify(ask.publicKey)).toBe(true);
    expect(vcek.verify(ark.publicKey)).toBe(false);
    expect(ask.checkIssued(ark)).toBe(true);
    const ours = [a.vcek, a.ask, a.ark].map(parseCertificate);
    expect(verifyChain(ours, [ours[2]], at).ok).toBe(true);
    expect(derToPem(a.vcek)).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('issued certificates are exactly what the ASN.1 library encodes (the outer SEQUENCE is assembled by hand)', () => {
    const ders = [
      ...Object.values(demoChain(3)),
      ...[demoIntelChain(4).root, demoIntelChain(4).platformCa, demoIntelChain(4).pck].map((c) => c.der),
      ...nitroDemoChain(5).cabundle,
      nitroDemoChain(5).enclaveCertificate,
      demoSnpEvidence(6).vcek,
    ];
    // And lengths on both sides of the short/long and one/two-byte length forms.
    const key = generateKeyPair('p256', seededDrbg('x509 lengths'));
    for (const n of [1, 20, 60, 100, 300]) {
      ders.push(
        issueCertificate(
          {
            notBefore: new Date('2025-01-01T00:00:00Z'),
            notAfter: new Date('2060-01-01T00:00:00Z'),
            serialNumber: Uint8Array.of(0x80, n),
            subject: { CN: 'x'.repeat(n) },
            issuer: { CN: 'y' },
            publicKey: { kind: 'ec', curve: 'p256', point: key.publicKey },
            isCA: n % 2 === 0,
            extensions: [{ oid: '1.2.3.4', critical: n > 50, value: new Uint8Array(n) }],
          },
          { kind: 'ecdsa', curve: 'p256', privateKey: key.privateKey, hash: 'sha256' },
        ),
      );
    }
    for (const der of ders) {
      expect(new Uint8Array(AsnConvert.serialize(AsnConvert.parse(der, AsnCertificate)))).toEqual(der);
      expect(parseCertificate(der).der).toEqual(der);
    }
  });

  it('RSA-PSS: our signatures verify in OpenSSL and a flipped byte fails both', () => {
    const key = DEMO_AMD_KEYS.ask;
    const pub = createPublicKey({
      key: { kty: 'RSA', n: Buffer.from(key.n.toString(16), 'hex').toString('base64url'), e: 'AQAB' },
      format: 'jwk',
    });
    const drbg = seededDrbg('pss');
    for (let i = 0; i < 5; i++) {
      const msg = drbg.generate(100 + i);
      const sig = rsaPssSign('sha384', key, msg, drbg.generate(48));
      expect(
        osslVerify(
          'sha384',
          msg,
          { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 },
          sig,
        ),
      ).toBe(true);
      expect(rsaPssVerify('sha384', key, msg, sig, 48)).toBe(true);
      sig[10] ^= 1;
      expect(
        osslVerify(
          'sha384',
          msg,
          { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 },
          sig,
        ),
      ).toBe(false);
      expect(rsaPssVerify('sha384', key, msg, sig, 48)).toBe(false);
    }
  });

  it('rejects malformed certificates with a FormatError and an offset, at every truncation', () => {
    const der = readFileSync(REAL + 'milan-vcek.der');
    for (let n = 0; n < der.length; n += 7) {
      expect(() => parseCertificate(new Uint8Array(der.subarray(0, n)))).toThrow(FormatError);
    }
    expect(() => parseCertificate(new Uint8Array([...der, 0]))).toThrow(/trailing bytes/);
    const flipped = (c: Certificate) => ({ ...c, tbs: c.tbs.map((x, i) => (i === 200 ? x ^ 1 : x)) });
    const vcek = flipped(real('milan-vcek.der')[0]);
    expect(
      verifyChain([vcek, real('milan-ask.pem')[0], real('milan-ark.pem')[0]], [real('milan-ark.pem')[0]])
        .steps[0].ok,
    ).toBe(false);
  });
});
