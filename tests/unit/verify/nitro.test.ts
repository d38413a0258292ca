import { generateKeyPairSync, sign as osslSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64, toHex } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import {
  DEMO_NITRO_TIMESTAMP,
  demoNitroEvidence,
  nitroDemoRootDer,
  type DemoNitroOptions,
} from '../../../src/core/evidence/nitro-chain';
import {
  decodeNitroDocument,
  encodeNitroDocument,
  es384Signer,
} from '../../../src/core/evidence/nitro-document';
import { awsNitroRootG1 } from '../../../src/core/evidence/nitro-roots';
import { issueCertificate, parseCertificate } from '../../../src/core/evidence/x509';
import type { AttestationResult, CheckName, ClaimName } from '../../../src/core/verify/ear';
import { appraiseNitro, NITRO_SUBMOD, type NitroPolicy } from '../../../src/core/verify/nitro';
import { claimVector as vector } from './_result';

const SEED = 0x6e17;
const NONCE = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const demoRoot = parseCertificate(nitroDemoRootDer());

function evidence(options: DemoNitroOptions = {}) {
  return demoNitroEvidence(SEED, { nonce: NONCE, ...options });
}

/** A policy that knows the demo image: PCR0/1/2 from the un-tampered demo document. */
function policy(over: Partial<NitroPolicy> = {}): NitroPolicy {
  const pcrs = evidence().payload.pcrs;
  const ref = (i: number) => [pcrs.get(i) as Uint8Array];
  return {
    id: 'test-nitro',
    trustedRoots: [demoRoot],
    nonce: NONCE,
    at: new Date(DEMO_NITRO_TIMESTAMP),
    referencePcrs: { 0: ref(0), 1: ref(1), 2: ref(2) },
    ...over,
  };
}

const failedChecks = (r: AttestationResult) => r.checks.filter((c) => !c.ok).map((c) => c.check);
const check = (r: AttestationResult, name: CheckName) => r.checks.find((c) => c.check === name);

const BASELINE: Partial<Record<ClaimName, number>> = {
  'instance-identity': 2,
  configuration: 2,
  executables: 2,
  hardware: 2,
  'runtime-opaque': 32,
};

describe('appraiseNitro: a good document', () => {
  it('passes every check, in CHECKS order, with an EAR-shaped result', () => {
    const r = appraiseNitro(evidence().document, policy());
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
    expect(failedChecks(r)).toEqual([]);
    expect(vector(r)).toEqual(BASELINE);
    // Nitro isolates but does not encrypt enclave memory: runtime-opaque 32 caps the status at warning.
    expect(r.status).toBe('warning');
    expect(r.eat_profile).toBe('tag:github.com,2023:veraison/ear');
    expect(r.eat_nonce).toBe(toHex(NONCE));
    expect(r.submods[NITRO_SUBMOD]).toEqual({
      'ear.status': 'warning',
      'ear.trustworthiness-vector': BASELINE,
      'ear.appraisal-policy-id': 'test-nitro',
    });
  });

  it('cites byte ranges that hold the values the checks read', () => {
    const { document } = evidence();
    const r = appraiseNitro(document, policy());
    const [s, e] = check(r, 'freshness')?.range ?? [0, 0];
    expect(document.subarray(s, e)).toEqual(NONCE);
    const [ss, se] = check(r, 'signature')?.range ?? [0, 0];
    expect(se - ss).toBe(96);
    expect(se).toBe(document.length);
  });

  it('accepts a document signed by an OpenSSL-generated P-384 key certified by the instance CA', () => {
    const base = evidence();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Uint8Array.of(4, ...fromBase64(jwk.x ?? ''), ...fromBase64(jwk.y ?? ''));
    const leaf = parseCertificate(base.chain.leafFirst[0]);
    const certificate = issueCertificate(
      {
        serialNumber: Uint8Array.of(0x42),
        subject: { CN: 'openssl-enclave.us-east-1.aws', OU: 'AWS (DEMO)' },
        issuer: base.chain.instanceSubject,
        notBefore: leaf.notBefore,
        notAfter: leaf.notAfter,
        publicKey: { kind: 'ec', curve: 'p384', point },
        isCA: false,
      },
      { kind: 'ecdsa', curve: 'p384', privateKey: base.chain.instanceKey.privateKey, hash: 'sha384' },
    );
    const sign = (tbs: Uint8Array) =>
      new Uint8Array(osslSign('sha384', tbs, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
    const r = appraiseNitro(evidence({ certificate, sign }).document, policy());
    expect(failedChecks(r)).toEqual([]);
    expect(vector(r)).toEqual(BASELINE);
  });
});

describe('appraiseNitro: real NSM documents', () => {
  const real = (f: string) => fromBase64(readFileSync(`tests/fixtures/real/nitro/${f}`, 'utf8'));

  it("verifies the real document up to AWS's pinned root at its own time", () => {
    const bytes = real('nitro_attestation.b64');
    const doc = decodeNitroDocument(bytes);
    const r = appraiseNitro(bytes, {
      id: 'real',
      trustedRoots: [awsNitroRootG1()],
      at: new Date(doc.payload.timestamp),
      nonce: new Uint8Array(1024).fill(1),
      referencePcrs: { 0: [doc.payload.pcrs.get(0) as Uint8Array] },
    });
    expect(failedChecks(r)).toEqual([]);
    expect(vector(r)).toEqual(BASELINE);
  });

  it('refuses the real debug-mode document (configuration 96) unless debug is allowed', () => {
    const bytes = real('nitro_attestation_debug.b64');
    const at = new Date(decodeNitroDocument(bytes).payload.timestamp);
    const strict = appraiseNitro(bytes, { id: 'real', trustedRoots: [awsNitroRootG1()], at });
    expect(failedChecks(strict)).toEqual(['policy', 'measurement']);
    expect(vector(strict).configuration).toBe(96);
    expect(strict.status).toBe('contraindicated');
    const lax = appraiseNitro(bytes, { id: 'real', trustedRoots: [awsNitroRootG1()], at, allowDebug: true });
    expect(vector(lax).configuration).toBe(32);
  });

  it('a real document is stale today: its three-hour enclave certificate has expired', () => {
    const r = appraiseNitro(real('nitro_attestation.b64'), {
      id: 'real',
      trustedRoots: [awsNitroRootG1()],
      at: new Date('2026-01-01T00:00:00Z'),
    });
    expect(failedChecks(r)).toContain('chain');
    expect(check(r, 'chain')?.reason).toMatch(/not valid at/);
    expect(r.status).toBe('contraindicated');
  });

  it('the real document does not chain to the DEMO root, nor our demo documents to the AWS root', () => {
    const r = appraiseNitro(real('nitro_attestation.b64'), { id: 'x', trustedRoots: [demoRoot] });
    expect(vector(r)['instance-identity']).toBe(97);
    const d = appraiseNitro(evidence().document, policy({ trustedRoots: [awsNitroRootG1()] }));
    expect(vector(d)['instance-identity']).toBe(97);
    expect(failedChecks(d)).toEqual(['chain']);
  });
});

describe('appraiseNitro: single changes give exactly the expected claim change', () => {
  const baseline = appraiseNitro(evidence().document, policy());

  it('wrong nonce: freshness fails, no claim changes, status contraindicated', () => {
    const wrong = NONCE.slice();
    wrong[31] ^= 1;
    const r = appraiseNitro(evidence().document, policy({ nonce: wrong }));
    expect(failedChecks(r)).toEqual(['freshness']);
    expect(vector(r)).toEqual(vector(baseline));
    expect(r.status).toBe('contraindicated');
    expect(check(r, 'freshness')?.reason).toMatch(/replay/);
  });

  it('a replayed document without the nonce fails freshness; a policy without a nonce notices nothing', () => {
    const old = evidence({ nonce: null }).document;
    expect(failedChecks(appraiseNitro(old, policy()))).toEqual(['freshness']);
    const lax = appraiseNitro(old, policy({ nonce: undefined }));
    expect(failedChecks(lax)).toEqual([]);
    expect(check(lax, 'freshness')?.reason).toMatch(/would not be noticed/);
  });

  it('one PCR byte: executables 2 → 33 and nothing else, naming that PCR and its bytes', () => {
    const pcrs = new Map(evidence().payload.pcrs);
    const pcr2 = (pcrs.get(2) as Uint8Array).slice();
    pcr2[17] ^= 0x01;
    pcrs.set(2, pcr2);
    const { document } = evidence({ pcrs });
    const r = appraiseNitro(document, policy());
    expect(failedChecks(r)).toEqual(['measurement']);
    expect(vector(r)).toEqual({ ...vector(baseline), executables: 33 });
    const m = check(r, 'measurement');
    expect(m?.field).toBe('pcr2');
    const [s, e] = m?.range ?? [0, 0];
    expect(document.subarray(s, e)).toEqual(pcr2);
  });

  it('debug mode: configuration 2 → 96 and, since debug zeroes the image PCRs, executables 2 → 33', () => {
    const r = appraiseNitro(evidence({ debug: true }).document, policy());
    expect(failedChecks(r)).toEqual(['policy', 'measurement']);
    expect(vector(r)).toEqual({ ...vector(baseline), configuration: 96, executables: 33 });
    // Without reference values only the configuration claim tells debug apart.
    const noRefs = policy({ referencePcrs: undefined });
    const a = appraiseNitro(evidence().document, noRefs);
    const b = appraiseNitro(evidence({ debug: true }).document, noRefs);
    expect(vector(b)).toEqual({ ...vector(a), configuration: 96 });
  });

  it('a genuine certificate for another key: the signature check fails (99), the chain holds', () => {
    const base = evidence();
    const leaf = parseCertificate(base.chain.enclaveCertificate);
    const other = generateKeyPair('p384', seededDrbg('other enclave'));
    const certificate = issueCertificate(
      {
        serialNumber: Uint8Array.of(0x43),
        subject: { CN: 'another-enclave.us-east-1.aws', OU: 'AWS (DEMO)' },
        issuer: base.chain.instanceSubject,
        notBefore: leaf.notBefore,
        notAfter: leaf.notAfter,
        publicKey: { kind: 'ec', curve: 'p384', point: other.publicKey },
        isCA: false,
      },
      { kind: 'ecdsa', curve: 'p384', privateKey: base.chain.instanceKey.privateKey, hash: 'sha384' },
    );
    const r = appraiseNitro(evidence({ certificate }).document, policy());
    expect(failedChecks(r)).toEqual(['signature']);
    expect(vector(r)['instance-identity']).toBe(99);
  });

  it("a forger's own root with AWS's names: chain fails, instance-identity 97", () => {
    const drbg = seededDrbg('forger');
    const rootKey = generateKeyPair('p384', drbg);
    const leafKey = generateKeyPair('p384', drbg);
    const name = { C: 'US', O: 'Amazon', OU: 'AWS (DEMO)', CN: 'aws.nitro-enclaves' };
    const validity = { notBefore: new Date('2020-01-01Z'), notAfter: new Date('2040-01-01Z') };
    const signer = (k: typeof rootKey) =>
      ({ kind: 'ecdsa', curve: 'p384', privateKey: k.privateKey, hash: 'sha384' }) as const;
    const fakeRoot = issueCertificate(
      {
        ...validity,
        serialNumber: Uint8Array.of(1),
        subject: name,
        issuer: name,
        publicKey: { kind: 'ec', curve: 'p384', point: rootKey.publicKey },
        isCA: true,
      },
      signer(rootKey),
    );
    const certificate = issueCertificate(
      {
        ...validity,
        serialNumber: Uint8Array.of(2),
        subject: { CN: 'forged-enclave' },
        issuer: name,
        publicKey: { kind: 'ec', curve: 'p384', point: leafKey.publicKey },
        isCA: false,
      },
      signer(rootKey),
    );
    const forged = { ...evidence().payload, certificate, cabundle: [fakeRoot] };
    const r = appraiseNitro(encodeNitroDocument(forged, es384Signer(leafKey.privateKey)), policy());
    expect(failedChecks(r)).toEqual(['chain']);
    expect(vector(r)['instance-identity']).toBe(97);
    expect(check(r, 'chain')?.reason).toMatch(/not a pinned trust anchor/);
  });
});

describe('appraiseNitro: tampering and malformed evidence', () => {
  it('flipping any of 1,000 sampled signed bytes fails with the signature or parse check named', () => {
    const { document } = evidence();
    const doc = decodeNitroDocument(document);
    const [ps, pe] = doc.cose.ranges.protected;
    const [ys, ye] = doc.cose.ranges.payload;
    const signed = [
      ...Array.from({ length: pe - ps }, (_, i) => ps + i),
      ...Array.from({ length: ye - ys }, (_, i) => ys + i),
    ];
    const drbg = seededDrbg('nitro-mutation');
    const pol = policy();
    const seen = { parse: 0, signature: 0 };
    for (let k = 0; k < 1000; k++) {
      const at = signed[drbg.nextInt(signed.length)];
      const bytes = document.slice();
      bytes[at] ^= 1 << drbg.nextInt(8);
      const r = appraiseNitro(bytes, pol);
      expect(r.status).toBe('contraindicated');
      const first = r.checks.find((c) => !c.ok);
      expect(['parse', 'signature']).toContain(first?.check);
      seen[first?.check as 'parse' | 'signature']++;
      expect(first?.reason.length).toBeGreaterThan(10);
      if (first?.check === 'parse') expect(first.reason).toMatch(/at offset 0x/);
    }
    expect(seen.signature).toBeGreaterThan(500);
  });

  it('flipping a signature byte fails the signature check', () => {
    const { document } = evidence();
    for (const at of [document.length - 96, document.length - 49, document.length - 1]) {
      const bytes = document.slice();
      bytes[at] ^= 0x80;
      const r = appraiseNitro(bytes, policy());
      expect(failedChecks(r)).toEqual(['signature']);
      expect(vector(r)['instance-identity']).toBe(99);
    }
  });

  it('malformed input gives a parse failure with value 1 and the offset, never an exception', () => {
    for (const bytes of [
      new Uint8Array(0),
      Uint8Array.of(0x84),
      evidence().document.subarray(0, 100),
      new Uint8Array(5000).fill(0x81),
    ]) {
      const r = appraiseNitro(bytes, policy());
      expect(r.checks.map((c) => c.check)).toEqual(['parse']);
      expect(r.status).toBe('contraindicated');
      expect(r.claims).toEqual([expect.objectContaining({ claim: 'instance-identity', value: 1 })]);
      expect(r.checks[0].reason).toMatch(/nitro-document: .* at offset 0x[0-9a-f]+/);
    }
  });

  it('a certificate that is not X.509 is a parse failure placed inside the certificate field', () => {
    const { document } = evidence({ certificate: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01) });
    const r = appraiseNitro(document, policy());
    expect(r.checks[0]).toMatchObject({ check: 'parse', ok: false, field: 'certificate' });
    const doc = decodeNitroDocument(document);
    expect(r.checks[0].range?.[0]).toBeGreaterThanOrEqual(doc.layout.certificate?.[0] ?? Infinity);
  });
});
