import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../../src/core/crypto/bytes';
import { nitroPcrs } from '../../../src/core/measure/nitro';
import {
  DEMO_ENCLAVE_IMAGE,
  DEMO_NITRO_TIMESTAMP,
  demoNitroEvidence,
  nitroDemoChain,
  nitroDemoRootDer,
} from '../../../src/core/evidence/nitro-chain';
import { decodeNitroDocument } from '../../../src/core/evidence/nitro-document';
import { awsNitroRootG1Der } from '../../../src/core/evidence/nitro-roots';
import { parseCertificate, verifyChain } from '../../../src/core/evidence/x509';

describe('simulated AWS Nitro PKI (DEMO)', () => {
  it('has the real shape: root → regional → zonal → instance → enclave, all P-384/SHA-384, labelled DEMO', () => {
    const chain = nitroDemoChain(7);
    const certs = chain.leafFirst.map(parseCertificate);
    expect(certs.map((c) => c.subject.match(/CN=([^,]+)/)?.[1])).toEqual([
      `${chain.moduleId}.us-east-1.aws`,
      expect.stringMatching(/^i-[0-9a-f]{17}\.us-east-1\.aws\.nitro-enclaves$/),
      expect.stringMatching(/^[0-9a-f]{16}\.zonal\.us-east-1\.aws\.nitro-enclaves$/),
      expect.stringMatching(/^[0-9a-f]{16}\.us-east-1\.aws\.nitro-enclaves$/),
      'aws.nitro-enclaves',
    ]);
    for (const c of certs) {
      expect(c.subject).toContain('OU=AWS (DEMO)');
      expect(c.publicKey).toMatchObject({ kind: 'ec', curve: 'p384' });
      expect(c.signatureAlgorithm).toEqual({ kind: 'ecdsa', hash: 'sha384' });
    }
    expect(certs.map((c) => c.isCA)).toEqual([false, true, true, true, true]);
    const at = new Date(DEMO_NITRO_TIMESTAMP);
    expect(verifyChain(certs, [certs[4]], at).ok).toBe(true);
    // The enclave certificate lives three hours, like AWS's.
    expect(verifyChain(certs, [certs[4]], new Date(DEMO_NITRO_TIMESTAMP + 4 * 3_600_000)).ok).toBe(false);
    expect(chain.cabundle).toEqual([...chain.leafFirst.slice(1)].reverse());
    expect(chain.moduleId).toMatch(/^i-[0-9a-f]{17}-enc[0-9a-f]{16}$/);
  });

  it('OpenSSL accepts every link and the self-signed DEMO root', () => {
    const certs = nitroDemoChain(8).leafFirst.map((d) => new X509Certificate(d));
    for (let i = 0; i + 1 < certs.length; i++) {
      expect(certs[i].checkIssued(certs[i + 1])).toBe(true);
      expect(certs[i].verify(certs[i + 1].publicKey)).toBe(true);
    }
    expect(certs[4].verify(certs[4].publicKey)).toBe(true);
    expect(certs[1].ca).toBe(true);
    expect(certs[0].ca).toBe(false);
  });

  it('is deterministic per seed, keeps one DEMO root for every seed, and never uses the real AWS root', () => {
    expect(nitroDemoChain(1).leafFirst).toEqual(nitroDemoChain(1).leafFirst);
    const [a, b] = [nitroDemoChain(1), nitroDemoChain(2)];
    expect(bytesEqual(a.enclaveCertificate, b.enclaveCertificate)).toBe(false);
    expect(a.cabundle[0]).toEqual(b.cabundle[0]);
    expect(a.cabundle[0]).toEqual(nitroDemoRootDer());
    expect(bytesEqual(nitroDemoRootDer(), awsNitroRootG1Der())).toBe(false);
    expect(verifyChain(a.leafFirst.map(parseCertificate), [parseCertificate(awsNitroRootG1Der())]).ok).toBe(
      false,
    );
  });

  it('demoNitroEvidence carries what it is given and simulates debug mode as zero PCRs', () => {
    const nonce = Uint8Array.of(1, 2, 3);
    const pcr0 = new Uint8Array(48).fill(0xab);
    const ev = demoNitroEvidence(3, {
      nonce,
      userData: Uint8Array.of(9),
      pcrs: { 0: pcr0, 4: new Uint8Array(48).fill(4) },
    });
    const doc = decodeNitroDocument(ev.document);
    expect(doc.payload.nonce).toEqual(nonce);
    expect(doc.payload.userData).toEqual(Uint8Array.of(9));
    expect(doc.payload.publicKey).toBeNull();
    expect([...doc.payload.pcrs.keys()]).toEqual([0, 4]);
    expect(doc.payload.pcrs.get(0)).toEqual(pcr0);
    expect(ev.root).toEqual(nitroDemoRootDer());

    const defaults = decodeNitroDocument(demoNitroEvidence(3).document).payload.pcrs;
    const measured = nitroPcrs(DEMO_ENCLAVE_IMAGE).pcrs;
    expect([0, 1, 2].map((i) => defaults.get(i))).toEqual([measured[0], measured[1], measured[2]]);

    const debug = decodeNitroDocument(demoNitroEvidence(3, { debug: true }).document).payload.pcrs;
    for (const [i, v] of debug) expect(v.every((x) => x === 0)).toBe(i !== 4);
  });
});
