/**
 * The Fortanix-CCM-style flow: node enrolment with a join token, allow-listing with approval, a real
 * PKCS#10 CSR carrying evidence (OpenSSL verifies the CSR), an X.509 TLS certificate that OpenSSL
 * parses and verifies against the CCM CA, every refusal naming its step, and heartbeats.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair, type KeyPair } from '../../../src/core/crypto/ecdsa';
import {
  appReportData,
  ConfidentialComputingManager,
  createEnclaveCsr,
  CSR_ATTRIBUTE,
  ecSpkiDer,
  endorseEvidence,
  nodeEnrolmentReportData,
  parseEnclaveCsr,
  signHeartbeat,
  type CcmOutcome,
} from '../../../src/core/broker/ccm';
import { derToPem } from '../../../src/core/evidence/x509';
import { FormatError } from '../../../src/core/errors';
import { fakeEnclaveAppraiser, fakeEvidence, measurementOf } from './fake-evidence';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const APP = measurementOf('payments enclave v3');
const NODE_AGENT = measurementOf('ccm node agent');
const DOMAIN = 'payments.internal.example';

function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version']).status === 0;
}
const tmp = mkdtempSync(join(tmpdir(), 'ccte-ccm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refused<T>(o: CcmOutcome<T>): { step: string; reason: string } {
  if (o.ok) throw new Error('expected a refusal');
  return o;
}

function accepted<T>(o: CcmOutcome<T>): T {
  if (!o.ok) throw new Error(`refused at ${o.step}: ${o.reason}`);
  return o;
}

function setup(seed = 1) {
  let now = T0;
  const ccm = new ConfidentialComputingManager({
    drbg: seededDrbg(seed, 'ccm'),
    clock: () => now,
    appraise: fakeEnclaveAppraiser({ references: [] }),
  });
  const drbg = seededDrbg(seed, 'ccm-clients');
  const nodeKey = generateKeyPair('p256', drbg.fork('node'));
  const token = ccm.issueJoinToken();
  const node = accepted(
    ccm.enrolNode({
      joinToken: token,
      nodePublicKey: nodeKey,
      evidence: fakeEvidence({
        measurement: NODE_AGENT,
        reportData: nodeEnrolmentReportData(nodeKey, token),
      }),
    }),
  );
  const build = ccm.proposeApp({ name: 'payments', measurement: APP, domains: [DOMAIN] });
  return { ccm, drbg, nodeKey, node, build, advance: (s: number) => (now += s), now: () => now };
}

type World = ReturnType<typeof setup>;

function csrFor(
  w: World,
  o: {
    key?: KeyPair;
    bindTo?: KeyPair;
    measurement?: Uint8Array;
    debug?: boolean;
    cn?: string;
    nodeKey?: KeyPair;
    nodeCert?: Uint8Array;
  } = {},
) {
  const key = o.key ?? generateKeyPair('p256', w.drbg);
  const evidence = fakeEvidence({
    measurement: o.measurement ?? APP,
    reportData: appReportData(ecSpkiDer(o.bindTo ?? key)),
    ...(o.debug ? { debug: true } : {}),
  });
  const endorsement = endorseEvidence(o.nodeKey ?? w.nodeKey, o.nodeCert ?? w.node.certificate, evidence);
  return { key, evidence, csr: createEnclaveCsr({ key, commonName: o.cn ?? DOMAIN, evidence, endorsement }) };
}

describe('CCM node enrolment', () => {
  it('issues a node agent certificate that OpenSSL verifies with the CCM CA', () => {
    const { ccm, node } = setup();
    expect(node.nodeId).toBe('node-agent-1');
    const ca = new X509Certificate(ccm.caCertificate);
    const cert = new X509Certificate(node.certificate);
    expect(ca.ca).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subject).toContain('CN=node-agent-1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });

  it('refuses a used or unknown join token, and evidence that binds another key or token', () => {
    const w = setup();
    const key = generateKeyPair('p256', w.drbg);
    const evidence = (reportData: Uint8Array) => fakeEvidence({ measurement: NODE_AGENT, reportData });
    expect(
      refused(
        w.ccm.enrolNode({ joinToken: 'made-up', nodePublicKey: key, evidence: evidence(new Uint8Array(64)) }),
      ).step,
    ).toBe('join-token');
    const t = w.ccm.issueJoinToken();
    const other = generateKeyPair('p256', w.drbg);
    const r = refused(
      w.ccm.enrolNode({
        joinToken: t,
        nodePublicKey: key,
        evidence: evidence(nodeEnrolmentReportData(other, t)),
      }),
    );
    expect(r).toMatchObject({ step: 'node-attestation', reason: expect.stringMatching(/REPORT_DATA/) });
    // The token was spent by the failed attempt.
    expect(
      refused(
        w.ccm.enrolNode({
          joinToken: t,
          nodePublicKey: key,
          evidence: evidence(nodeEnrolmentReportData(key, t)),
        }),
      ).step,
    ).toBe('join-token');
    const t2 = w.ccm.issueJoinToken();
    const debugNode = fakeEvidence({
      measurement: NODE_AGENT,
      reportData: nodeEnrolmentReportData(key, t2),
      debug: true,
    });
    expect(
      refused(w.ccm.enrolNode({ joinToken: t2, nodePublicKey: key, evidence: debugNode })),
    ).toMatchObject({
      step: 'node-attestation',
      reason: expect.stringMatching(/debug/),
    });
  });
});

describe('CCM application certificates', () => {
  it('a real PKCS#10 CSR: OpenSSL verifies its self-signature; we read back the evidence attribute', () => {
    const w = setup();
    const { csr, evidence, key } = csrFor(w);
    const parsed = parseEnclaveCsr(csr);
    expect(parsed.commonName).toBe(DOMAIN);
    expect(parsed.evidence).toEqual(evidence);
    expect(parsed.nodeCertificate).toEqual(w.node.certificate);
    expect(parsed.spki).toEqual(ecSpkiDer(key));
    expect(parsed.publicKey.publicKey).toEqual(key.publicKey);
    if (hasOpenssl()) {
      const file = join(tmp, 'app.csr.der');
      writeFileSync(file, csr);
      const out = spawnSync('openssl', ['req', '-inform', 'DER', '-in', file, '-verify', '-noout', '-text'], {
        encoding: 'utf8',
      });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout + out.stderr).toMatch(/verify OK/i);
      expect(out.stdout).toContain(CSR_ATTRIBUTE.evidence);
    }
  });

  it('allow-listed only after approval; then issues a TLS certificate that OpenSSL verifies with the CCM CA', () => {
    const w = setup();
    const first = csrFor(w);
    expect(refused(w.ccm.issueAppCertificate(first.csr))).toMatchObject({
      step: 'allow-list',
      reason: expect.stringMatching(/awaits approval/),
    });
    expect(w.ccm.approveApp('no-such-build', 'alice')).toMatchObject({ ok: false, step: 'approval' });
    accepted(w.ccm.approveApp(w.build.id, 'alice'));
    expect(w.ccm.allowList[0]).toMatchObject({ status: 'approved', approvedBy: 'alice' });

    const { certificate, appId, build } = accepted(w.ccm.issueAppCertificate(first.csr));
    expect(build).toBe('payments');
    const ca = new X509Certificate(w.ccm.caCertificate);
    const cert = new X509Certificate(certificate);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subjectAltName).toBe(`DNS:${DOMAIN}`);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.serialNumber.toLowerCase()).toBe(appId);
    expect(cert.checkPrivateKey).toBeDefined();
    expect(new Date(cert.validFrom).getTime()).toBe(T0 * 1000);
    if (hasOpenssl()) {
      writeFileSync(join(tmp, 'ca.pem'), derToPem(w.ccm.caCertificate));
      writeFileSync(join(tmp, 'leaf.pem'), derToPem(certificate));
      const out = spawnSync(
        'openssl',
        [
          'verify',
          '-attime',
          String(T0 + 3600),
          '-purpose',
          'sslserver',
          '-CAfile',
          join(tmp, 'ca.pem'),
          join(tmp, 'leaf.pem'),
        ],
        { encoding: 'utf8' },
      );
      expect(out.status, out.stdout + out.stderr).toBe(0);
      expect(out.stdout).toMatch(/leaf\.pem: OK/);
    }
  });

  it('is deterministic: same seed, same CA and certificates byte for byte', () => {
    const run = () => {
      const w = setup(42);
      accepted(w.ccm.approveApp(w.build.id, 'alice'));
      return [w.ccm.caCertificate, accepted(w.ccm.issueAppCertificate(csrFor(w).csr)).certificate];
    };
    expect(run()).toEqual(run());
  });

  it('refuses, naming the step: not allow-listed, wrong domain, node not enrolled, evidence bound to another key, debug', () => {
    const w = setup();
    accepted(w.ccm.approveApp(w.build.id, 'alice'));
    expect(
      refused(
        w.ccm.issueAppCertificate(csrFor(w, { measurement: measurementOf('patched by the host') }).csr),
      ),
    ).toMatchObject({
      step: 'allow-list',
      reason: expect.stringMatching(/not allow-listed/),
    });
    expect(refused(w.ccm.issueAppCertificate(csrFor(w, { cn: 'bank.example' }).csr))).toMatchObject({
      step: 'allow-list',
      reason: expect.stringMatching(/domain bank\.example/),
    });

    // A node agent of another CCM, and a self-made "node" certificate, are not enrolled here.
    const other = setup(2);
    const foreign = csrFor(w, { nodeKey: other.nodeKey, nodeCert: other.node.certificate });
    expect(refused(w.ccm.issueAppCertificate(foreign.csr))).toMatchObject({
      step: 'node-enrolment',
      reason: expect.stringMatching(/not issued by this CCM/),
    });
    // An enrolled node's certificate with a signature by some other key.
    const impostor = csrFor(w, { nodeKey: generateKeyPair('p256', w.drbg) });
    expect(refused(w.ccm.issueAppCertificate(impostor.csr)).step).toBe('node-enrolment');

    const victim = generateKeyPair('p256', w.drbg);
    const stolen = csrFor(w, { bindTo: victim });
    expect(refused(w.ccm.issueAppCertificate(stolen.csr))).toMatchObject({
      step: 'key-binding',
      reason: expect.stringMatching(/another key/),
    });
    expect(refused(w.ccm.issueAppCertificate(csrFor(w, { debug: true }).csr))).toMatchObject({
      step: 'attestation',
      reason: expect.stringMatching(/debug/),
    });

    expect(w.ccm.deregisterNode(w.node.nodeId)).toBe(true);
    expect(refused(w.ccm.issueAppCertificate(csrFor(w).csr))).toMatchObject({
      step: 'node-enrolment',
      reason: expect.stringMatching(/not enrolled/),
    });
  });

  it('refuses a CSR that is malformed or not signed by its own key', () => {
    const w = setup();
    accepted(w.ccm.approveApp(w.build.id, 'alice'));
    const { csr } = csrFor(w);
    const badSig = csr.slice();
    badSig[badSig.length - 5] ^= 1;
    expect(refused(w.ccm.issueAppCertificate(badSig)).step).toBe('csr-signature');
    expect(refused(w.ccm.issueAppCertificate(csr.subarray(0, 100))).step).toBe('csr-format');
    expect(refused(w.ccm.issueAppCertificate(Uint8Array.of(0x30, 0x03, 1, 2, 3))).step).toBe('csr-format');
    expect(() => parseEnclaveCsr(Uint8Array.of(0x31, 0))).toThrow(FormatError);
    // A byte changed inside the signed request (the evidence) breaks proof of possession.
    const inner = csr.slice();
    inner[200] ^= 1;
    expect(['csr-signature', 'csr-format']).toContain(refused(w.ccm.issueAppCertificate(inner)).step);
  });
});

describe('CCM heartbeats', () => {
  it('accepts fresh signed heartbeats in sequence; refuses replayed, stale, forged and unknown ones', () => {
    const w = setup();
    accepted(w.ccm.approveApp(w.build.id, 'alice'));
    const { csr, key } = csrFor(w);
    const { appId } = accepted(w.ccm.issueAppCertificate(csr));
    expect(w.ccm.monitor()).toEqual([{ appId, build: 'payments', domain: DOMAIN, overdue: true }]);

    const hb1 = signHeartbeat(key, appId, 1, w.now());
    expect(w.ccm.heartbeat(hb1)).toEqual({ ok: true, appId, sequence: 1 });
    expect(w.ccm.monitor()[0]).toMatchObject({ lastSequence: 1, lastHeartbeat: T0, overdue: false });
    expect(refused(w.ccm.heartbeat(hb1)).step).toBe('heartbeat-replay');

    w.advance(30);
    expect(w.ccm.heartbeat(signHeartbeat(key, appId, 2, w.now())).ok).toBe(true);
    expect(refused(w.ccm.heartbeat(signHeartbeat(key, appId, 3, w.now() - 600))).step).toBe(
      'heartbeat-stale',
    );
    expect(refused(w.ccm.heartbeat(signHeartbeat(key, appId, 3, w.now() + 600))).step).toBe(
      'heartbeat-stale',
    );
    const forged = signHeartbeat(generateKeyPair('p256', w.drbg), appId, 4, w.now());
    expect(refused(w.ccm.heartbeat(forged)).step).toBe('heartbeat-signature');
    const altered = { ...signHeartbeat(key, appId, 4, w.now()), sequence: 5 };
    expect(refused(w.ccm.heartbeat(altered)).step).toBe('heartbeat-signature');
    expect(refused(w.ccm.heartbeat(signHeartbeat(key, '01ab', 9, w.now()))).step).toBe(
      'heartbeat-unknown-app',
    );
    expect(refused(w.ccm.heartbeat({ ...hb1, sequence: -1 })).step).toBe('heartbeat-format');

    w.advance(61);
    expect(w.ccm.monitor()[0].overdue).toBe(true);
  });
});
