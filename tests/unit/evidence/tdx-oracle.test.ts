/**
 * Node's OpenSSL as an independent oracle for TDX quotes: it verifies the real quote's and our demo
 * quotes' signatures and X.509 chains, and our verifier accepts quotes whose keys OpenSSL generated
 * and whose quote signatures OpenSSL made.
 */
import {
  createPublicKey,
  generateKeyPairSync,
  sign as osslSign,
  verify as osslVerify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64, utf8, toBase64Url } from '../../../src/core/crypto/bytes';
import type { KeyPair } from '../../../src/core/crypto/ecdsa';
import { demoTdxEvidence, signTdxQuote, type TdxQuoteSigner } from '../../../src/core/evidence/intel-chain';
import { intelSgxRootCa } from '../../../src/core/evidence/intel-roots';
import {
  decodeTdxQuote,
  encodeTdxQuote,
  readPckChain,
  TDX_QUOTE_LAYOUT,
  type TdxQuote,
} from '../../../src/core/evidence/tdx-quote';
import { derToPem, issueCertificate, parseCertificate } from '../../../src/core/evidence/x509';
import { appraiseTdxQuote, strictTdxPolicy } from '../../../src/core/verify/tdx';

const REAL = new Uint8Array(readFileSync('tests/fixtures/real/tdx/spr-e4-quote.dat'));
const fromB64url = (s: string) => fromBase64(s);

/** The attestation key (X‖Y) as an OpenSSL public key. */
function attestationKeyObject(q: TdxQuote): KeyObject {
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: toBase64Url(q.attestationKey.subarray(0, 32)),
      y: toBase64Url(q.attestationKey.subarray(32)),
    },
    format: 'jwk',
  });
}

function osslChecks(bytes: Uint8Array, q: TdxQuote): void {
  const L = TDX_QUOTE_LAYOUT;
  const ecdsa = (key: KeyObject) => ({ key, dsaEncoding: 'ieee-p1363' as const });
  expect(osslVerify('sha256', bytes.subarray(...L.signed), ecdsa(attestationKeyObject(q)), q.signature)).toBe(
    true,
  );
  const [pck, ca, root] = readPckChain(q).map((c) => new X509Certificate(c.certificate.der));
  expect(osslVerify('sha256', bytes.subarray(...L.qeReport), ecdsa(pck.publicKey), q.qeReportSignature)).toBe(
    true,
  );
  expect(pck.verify(ca.publicKey)).toBe(true);
  expect(ca.verify(root.publicKey)).toBe(true);
  expect(root.verify(root.publicKey)).toBe(true);
  expect(pck.checkIssued(ca)).toBe(true);
  expect(ca.checkIssued(root)).toBe(true);
  expect(ca.ca && root.ca && !pck.ca).toBe(true);
}

describe('TDX quotes against OpenSSL', () => {
  it("OpenSSL verifies the real quote's attestation-key and PCK signatures and its chain to the Intel SGX Root CA", () => {
    const q = decodeTdxQuote(REAL, { extraBytes: 'keep' });
    osslChecks(REAL, q);
    const root = new X509Certificate(intelSgxRootCa().der);
    expect(root.subject).toMatch(/CN=Intel SGX Root CA/);
    expect(root.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(
      '44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3',
    );
  });

  it('OpenSSL verifies our demo quotes and demo chains (several seeds)', () => {
    for (const seed of [1, 7, 'oracle']) {
      const d = demoTdxEvidence(seed, { reportData: utf8(`nonce ${seed}`) });
      osslChecks(d.quote, decodeTdxQuote(d.quote));
      const pem = d.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? [];
      expect(pem.map((p) => new X509Certificate(p).subject.split('\n')[0])).toEqual([
        'CN=DEMO Intel SGX PCK Certificate',
        'CN=DEMO Intel SGX PCK Platform CA',
        'CN=DEMO Intel SGX Root CA',
      ]);
    }
  });

  it('our verifier accepts a quote whose keys OpenSSL generated and whose quote signatures OpenSSL made', () => {
    const osslKey = () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const jwk = privateKey.export({ format: 'jwk' });
      const point = Uint8Array.of(4, ...fromB64url(jwk.x ?? ''), ...fromB64url(jwk.y ?? ''));
      const pair: KeyPair = { curve: 'p256', privateKey: fromB64url(jwk.d ?? ''), publicKey: point };
      return { privateKey, publicKey, pair };
    };
    const [root, ca, pck, ak] = [osslKey(), osslKey(), osslKey(), osslKey()];
    const org = { O: 'OpenSSL oracle', C: 'US' };
    const validity = { notBefore: new Date('2025-01-01Z'), notAfter: new Date('2030-01-01Z') };
    const cert = (cn: string, issuerCn: string, key: KeyPair, by: KeyPair, isCA: boolean, serial: number) =>
      issueCertificate(
        {
          serialNumber: Uint8Array.of(serial),
          subject: { CN: cn, ...org },
          issuer: { CN: issuerCn, ...org },
          ...validity,
          publicKey: { kind: 'ec', curve: 'p256', point: key.publicKey },
          isCA,
        },
        { kind: 'ecdsa', curve: 'p256', privateKey: by.privateKey, hash: 'sha256' },
      );
    const rootDer = cert('root', 'root', root.pair, root.pair, true, 1);
    const caDer = cert('ca', 'root', ca.pair, root.pair, true, 2);
    const pckDer = cert('pck', 'ca', pck.pair, ca.pair, false, 3);
    // OpenSSL agrees the chain is sound, and its keys are the ones in the certificates.
    const [r, c, p] = [rootDer, caDer, pckDer].map((d) => new X509Certificate(d));
    expect(p.verify(c.publicKey) && c.verify(r.publicKey) && r.verify(r.publicKey)).toBe(true);
    expect(p.publicKey.export({ format: 'jwk' }).x).toBe(pck.publicKey.export({ format: 'jwk' }).x);

    const signer: TdxQuoteSigner = {
      attestationPublicKey: ak.pair.publicKey,
      signWithAttestationKey: (m) =>
        new Uint8Array(osslSign('sha256', m, { key: ak.privateKey, dsaEncoding: 'ieee-p1363' })),
      signWithPck: (m) =>
        new Uint8Array(osslSign('sha256', m, { key: pck.privateKey, dsaEncoding: 'ieee-p1363' })),
    };
    const nonce = utf8('fresh from the verifier');
    const base = demoTdxEvidence(3, { reportData: nonce }).decoded;
    const chainPem = [pckDer, caDer, rootDer].map((d) => derToPem(d)).join('');
    const q = signTdxQuote({ ...base, pckChainPem: utf8(chainPem) }, signer);
    const bytes = encodeTdxQuote(q);
    osslChecks(bytes, q);
    const result = appraiseTdxQuote(
      bytes,
      strictTdxPolicy({
        trustedRoots: [parseCertificate(rootDer)],
        nonce,
        referenceMeasurements: [q.body.mrTd],
      }),
    );
    expect(result.checks.filter((x) => !x.ok)).toEqual([]);
    expect(result.status).toBe('affirming');
  });
});
