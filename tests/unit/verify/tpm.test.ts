import { generateKeyPairSync, sign as osslSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { derToRaw, type KeyPair } from '../../../src/core/crypto/ecdsa';
import { digest } from '../../../src/core/crypto/hash';
import {
  decodeTpmsAttest,
  decodeTpmtSignature,
  demoTpmAk,
  demoTpmEvidence,
  encodeTpmtSignature,
  makeAttestationKey,
  tpm2Quote,
  TPM_ALG,
  type PcrValues,
} from '../../../src/core/evidence/tpm-quote';
import {
  issueCertificate,
  parseCertificate,
  type Certificate,
  type PublicKeyInfo,
} from '../../../src/core/evidence/x509';
import { PcrBank } from '../../../src/core/measure/pcr';
import type { AttestationResult, CheckName, ClaimName } from '../../../src/core/verify/ear';
import { appraiseTpmQuote, type TpmEvidence, type TpmPolicy } from '../../../src/core/verify/tpm';
import { claimVector as vector, failedChecks as failed } from './_result';

/** PCR values as a boot would leave them: firmware, boot manager, Secure Boot state. */
function bootPcrs(kernel = 'vmlinuz-6.8'): PcrValues {
  const bank = new PcrBank('sha256');
  bank.extend(0, digest('sha256', utf8('OVMF firmware volume')));
  bank.extend(4, digest('sha256', utf8('shimx64.efi')));
  bank.extend(4, digest('sha256', utf8(kernel)));
  bank.extend(7, digest('sha256', utf8('SecureBoot=1')));
  return { sha256: { 0: bank.read(0), 4: bank.read(4), 7: bank.read(7) } };
}

const PCRS = bootPcrs();
const NONCE = utf8('tpm verifier nonce');
const demo = demoTpmEvidence(1, { pcrs: PCRS, nonce: NONCE });
const { caCertificate, caKey } = demoTpmAk(1);
const CA = parseCertificate(caCertificate);
const AT = new Date('2026-06-01T00:00:00Z');

const chainOf = (ak: Uint8Array, ca: Uint8Array = demo.akCaCertificate): Certificate[] => [
  parseCertificate(ak),
  parseCertificate(ca),
];
const AK_CHAIN = chainOf(demo.akCertificate);
const evidence = (over: Partial<TpmEvidence> = {}): TpmEvidence => ({
  attest: demo.attest,
  signature: demo.signature,
  akChain: AK_CHAIN,
  pcrs: PCRS,
  ...over,
});
const policy = (over: Partial<TpmPolicy> = {}): TpmPolicy => ({
  id: 'tpm-test',
  trustedRoots: [CA],
  nonce: NONCE,
  at: AT,
  referencePcrs: {
    sha256: {
      0: [PCRS.sha256?.[0] ?? new Uint8Array()],
      4: [PCRS.sha256?.[4] ?? new Uint8Array()],
      7: [PCRS.sha256?.[7] ?? new Uint8Array()],
    },
  },
  ...over,
});

const failing = (r: AttestationResult): CheckName | undefined => r.checks.find((c) => !c.ok)?.check;
function claimChanges(
  a: AttestationResult,
  b: AttestationResult,
): Partial<Record<ClaimName, [number?, number?]>> {
  const out: Partial<Record<ClaimName, [number?, number?]>> = {};
  for (const k of new Set([...Object.keys(vector(a)), ...Object.keys(vector(b))]) as Set<ClaimName>) {
    if (vector(a)[k] !== vector(b)[k]) out[k] = [vector(a)[k], vector(b)[k]];
  }
  return out;
}

/** An AK certificate from the demo AK CA for any public key. */
function certify(publicKey: PublicKeyInfo, serial: number): Uint8Array {
  const name = { CN: 'DEMO vTPM AK CA', O: 'DEMO simulation - not a TPM vendor', C: 'US' };
  return issueCertificate(
    {
      serialNumber: Uint8Array.of(serial),
      subject: { CN: `oracle AK ${serial}` },
      issuer: name,
      notBefore: new Date('2025-01-01Z'),
      notAfter: new Date('2040-01-01Z'),
      publicKey,
      isCA: false,
    },
    { kind: 'ecdsa', curve: 'p256', privateKey: caKey.privateKey, hash: 'sha256' },
  );
}

describe('TPM quote appraisal', () => {
  const baseline = appraiseTpmQuote(evidence(), policy());

  it('affirms a demo quote whose PCRs come from a replayed boot (PcrBank extends)', () => {
    expect(failed(baseline)).toEqual([]);
    expect(vector(baseline)).toEqual({ 'instance-identity': 2, executables: 3 });
    expect(baseline.status).toBe('affirming');
    expect(baseline.checks.map((c) => c.check)).toEqual([
      'parse',
      'signature',
      'chain',
      'freshness',
      'tcb',
      'policy',
      'measurement',
      'platform',
    ]);
  });

  it('wrong nonce → no claim changes, freshness fails at extraData', () => {
    const r = appraiseTpmQuote(evidence(), policy({ nonce: utf8('a different nonce') }));
    expect(claimChanges(baseline, r)).toEqual({});
    expect(failed(r)).toEqual(['freshness']);
    expect(r.checks.find((c) => c.check === 'freshness')?.field).toBe('extraData');
    expect(r.status).toBe('contraindicated');
  });

  it('one PCR in the supplied log differs from what the TPM quoted → executables 3 → 33 (pcrDigest mismatch)', () => {
    const lying = bootPcrs('vmlinuz-evil');
    const r = appraiseTpmQuote(evidence({ pcrs: lying }), policy());
    expect(claimChanges(baseline, r)).toEqual({ executables: [3, 33] });
    expect(failed(r)).toEqual(['measurement']);
    expect(r.checks.find((c) => c.check === 'measurement')?.reason).toMatch(
      /does not describe what the TPM measured/,
    );
  });

  it('one PCR really different (quoted and logged consistently) → executables 3 → 33 (reference mismatch)', () => {
    const evil = bootPcrs('vmlinuz-evil');
    const q = demoTpmEvidence(1, { pcrs: evil, nonce: NONCE });
    const r = appraiseTpmQuote(evidence({ attest: q.attest, signature: q.signature, pcrs: evil }), policy());
    expect(claimChanges(baseline, r)).toEqual({ executables: [3, 33] });
    expect(r.checks.find((c) => c.check === 'measurement')?.reason).toMatch(
      /PCR 4 \(sha256\) = [0-9a-f]+ matches none/,
    );
  });

  it('a reference PCR the quote does not select, a selected PCR with no value, no references → executables 33', () => {
    let r = appraiseTpmQuote(evidence(), policy({ referencePcrs: { sha256: { 9: [new Uint8Array(32)] } } }));
    expect(r.checks.find((c) => c.check === 'measurement')?.reason).toMatch(
      /PCR 9 \(sha256\) .* does not select it/,
    );
    r = appraiseTpmQuote(
      evidence({ pcrs: { sha256: { 0: PCRS.sha256?.[0] ?? new Uint8Array() } } }),
      policy(),
    );
    expect(r.checks.find((c) => c.check === 'measurement')?.reason).toMatch(
      /PCR 4 of the sha256 bank is selected but no value/,
    );
    r = appraiseTpmQuote(evidence(), policy({ referencePcrs: undefined }));
    expect(vector(r).executables).toBe(33);
  });

  it('an AK certificate from an unpinned CA fails the chain; no AK certificate fails the signature', () => {
    const other = demoTpmAk('someone else');
    const r = appraiseTpmQuote(evidence(), policy({ trustedRoots: [parseCertificate(other.caCertificate)] }));
    expect(failed(r)).toEqual(['chain']);
    expect(vector(r)['instance-identity']).toBe(99);
    const r2 = appraiseTpmQuote(evidence({ akChain: [] }), policy());
    expect(failing(r2)).toBe('signature');
  });

  it('a quote signed by another AK (certified by the same CA) does not verify with this AK certificate', () => {
    const other = demoTpmEvidence('other AK', { pcrs: PCRS, nonce: NONCE });
    const r = appraiseTpmQuote(evidence({ signature: other.signature }), policy());
    expect(failed(r)).toEqual(['signature']);
  });

  it('accepts a quote signed by an OpenSSL-generated ECDSA P-256 AK, with OpenSSL making the signature', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = privateKey.export({ format: 'jwk' });
    const point = Uint8Array.of(4, ...fromBase64(jwk.x ?? ''), ...fromBase64(jwk.y ?? ''));
    const key: KeyPair = { curve: 'p256', privateKey: fromBase64(jwk.d ?? ''), publicKey: point };
    const q = tpm2Quote(makeAttestationKey(key), { pcrs: PCRS, nonce: NONCE });
    const der = new Uint8Array(osslSign('sha256', q.attest, privateKey));
    const rs = derToRaw('p256', der);
    const signature = encodeTpmtSignature({
      sigAlg: TPM_ALG.ecdsa,
      hash: TPM_ALG.sha256,
      r: rs.slice(0, 32),
      s: rs.slice(32),
    });
    const akCert = certify({ kind: 'ec', curve: 'p256', point }, 0x41);
    const r = appraiseTpmQuote(evidence({ attest: q.attest, signature, akChain: chainOf(akCert) }), policy());
    expect(failed(r)).toEqual([]);
    expect(r.status).toBe('affirming');
  });

  it('accepts an RSASSA-PKCS1-v1_5 quote signature by an OpenSSL RSA-2048 AK', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const big = (s: string | undefined) => BigInt(`0x${Buffer.from(fromBase64(s ?? '')).toString('hex')}`);
    const akCert = certify({ kind: 'rsa', key: { n: big(jwk.n), e: big(jwk.e) } }, 0x42);
    const attest = demo.attest;
    const sig = new Uint8Array(osslSign('sha256', attest, privateKey));
    const signature = encodeTpmtSignature({ sigAlg: TPM_ALG.rsassa, hash: TPM_ALG.sha256, sig });
    const r = appraiseTpmQuote(evidence({ signature, akChain: chainOf(akCert) }), policy());
    expect(failed(r)).toEqual([]);
    sig[10] ^= 1;
    const bad = encodeTpmtSignature({ sigAlg: TPM_ALG.rsassa, hash: TPM_ALG.sha256, sig });
    expect(
      failed(appraiseTpmQuote(evidence({ signature: bad, akChain: chainOf(akCert) }), policy())),
    ).toEqual(['signature']);
  });

  it('1,200 seeded flips of signed bytes (TPMS_ATTEST) and signature bytes: each caught by parse or signature', () => {
    const drbg = seededDrbg('tpm-mutation');
    const total = demo.attest.length + demo.signature.length;
    const seen = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const at = drbg.nextInt(total);
      const attest = Uint8Array.from(demo.attest);
      const signature = Uint8Array.from(demo.signature);
      const x = 1 + drbg.nextInt(255);
      if (at < attest.length) attest[at] ^= x;
      else signature[at - attest.length] ^= x;
      let want: CheckName = 'signature';
      try {
        decodeTpmsAttest(attest);
        decodeTpmtSignature(signature);
      } catch {
        want = 'parse';
      }
      const r = appraiseTpmQuote(evidence({ attest, signature }), policy());
      const got = failing(r);
      if (got !== want || r.status !== 'contraindicated') {
        throw new Error(`flip at ${at}: expected ${want} to fail first, got ${got} (${r.status})`);
      }
      seen.set(want, (seen.get(want) ?? 0) + 1);
    }
    expect(seen.get('signature')).toBeGreaterThan(800);
  });
});
