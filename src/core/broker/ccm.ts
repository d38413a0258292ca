/**
 * A Fortanix-CCM-style certificate authority for enclaves (Fortanix Confidential Computing Manager;
 * DOMAIN.md §f "Fortanix CCM"). In RATS terms the node agent is a local verifier and the CCM is the
 * Verifier, the Relying Party and a CA at once; what it hands out is not a secret but an X.509 TLS
 * certificate, so that ordinary TLS stacks can trust "an enclave we approved" through one root.
 *
 *   1. issueJoinToken()            the operator gets a single-use join token
 *   2. enrolNode(...)              a node agent presents the token, its key and attestation evidence
 *                                  binding SHA-256(node key SPKI) ‖ SHA-256(token) → node certificate
 *   3. proposeApp / approveApp     an app build (measurement + domains) is allow-listed only after an
 *                                  explicit approval
 *   4. issueAppCertificate(csr)    the enclave sends a real PKCS#10 CSR signed by its fresh key,
 *                                  carrying its evidence (REPORT_DATA = SHA-256(CSR SPKI) ‖ zeros) and
 *                                  the node agent's endorsement; the CCM checks, in order: CSR format,
 *                                  proof of possession, node enrolment, appraisal, key binding,
 *                                  allow-list — and only then issues a serverAuth/clientAuth certificate
 *   5. heartbeat(...)              the enclave signs {serial, sequence, timestamp} with its key; stale,
 *                                  replayed or unknown-app heartbeats are refused
 *
 * The CSR flow has no nonce: its freshness comes from the key binding. Replaying someone's CSR or
 * evidence can at best get a certificate for a key the replayer does not hold.
 *
 * Every refusal is a value `{ ok: false, step, reason }` naming the step that failed.
 */
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import {
  ECParameters,
  id_ecdsaWithSHA256,
  id_ecdsaWithSHA384,
  id_ecPublicKey,
  id_secp256r1,
  id_secp384r1,
} from '@peculiar/asn1-ecc';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Attribute,
  AttributeTypeAndValue,
  AttributeValue,
  ExtendedKeyUsage,
  GeneralName,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_kp_clientAuth,
  id_kp_serverAuth,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { bytesEqual, concatBytes, constantTimeEqual, fromHex, toHex, utf8 } from '../crypto/bytes';
import type { HmacDrbg } from '../crypto/drbg';
import { generateKeyPair, isValidPublicKey, sign, verify, type Curve, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { Writer } from '../binary';
import { FormatError } from '../errors';
import {
  isSignedBy,
  issueCertificate,
  parseCertificate,
  type CertExtension,
  type Certificate,
} from '../evidence/x509';
import type { AttestationResult } from '../verify/ear';
import { fromBase64Url, toBase64Url, type EcPrivateKey, type EcPublicKey } from './jws';
import type { AppraisalRequest, Tee } from './kbs';

/**
 * CSR attribute types for what the enclave sends along. They sit under 1.3.6.1.4.1.32473, the private
 * enterprise number IANA reserves for documentation (RFC 5612), because Fortanix's own encoding is
 * not public: these are ours, and say so.
 */
export const CSR_ATTRIBUTE = {
  evidence: '1.3.6.1.4.1.32473.1.1',
  nodeCertificate: '1.3.6.1.4.1.32473.1.2',
  nodeSignature: '1.3.6.1.4.1.32473.1.3',
} as const;

const NODE_ENDORSEMENT_LABEL = utf8('ccte/ccm/node-endorsement/v1\0');
const HEARTBEAT_LABEL = utf8('ccte/ccm/heartbeat/v1\0');

export type CcmStep =
  | 'join-token'
  | 'node-attestation'
  | 'approval'
  | 'csr-format'
  | 'csr-signature'
  | 'node-enrolment'
  | 'attestation'
  | 'key-binding'
  | 'allow-list'
  | 'heartbeat-format'
  | 'heartbeat-unknown-app'
  | 'heartbeat-signature'
  | 'heartbeat-replay'
  | 'heartbeat-stale';

export type CcmRefusal = { ok: false; step: CcmStep; reason: string };
export type CcmOutcome<T> = ({ ok: true } & T) | CcmRefusal;

function refuse(step: CcmStep, reason: string): CcmRefusal {
  return { ok: false, step, reason };
}

/**
 * What the CCM needs from a verifier: the verdict, and the evidence's measurement and report data,
 * which the CCM believes only when the verdict is affirming. The allow-list and the key binding are
 * the CCM's own (relying-party) checks, so it can name them when they fail.
 */
export interface EnclaveAppraisal {
  result: AttestationResult;
  measurement: Uint8Array;
  reportData: Uint8Array;
}
export type AppraiseEnclave = (request: AppraisalRequest) => EnclaveAppraisal;

// ---- encodings shared by the CCM and its clients ----

const CURVE_OID: Record<Curve, string> = { p256: id_secp256r1, p384: id_secp384r1 };
const SIG_OID: Record<Curve, string> = { p256: id_ecdsaWithSHA256, p384: id_ecdsaWithSHA384 };

/** DER SubjectPublicKeyInfo of an EC key (id-ecPublicKey + named curve + uncompressed point). */
export function ecSpkiDer(key: EcPublicKey): Uint8Array {
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({
      algorithm: id_ecPublicKey,
      parameters: AsnConvert.serialize(new ECParameters({ namedCurve: CURVE_OID[key.curve] })),
    }),
    subjectPublicKey: key.publicKey.slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(spki));
}

/** REPORT_DATA an enclave must attest for a CSR: SHA-256(SPKI DER) ‖ 32 zero bytes. */
export function appReportData(spkiDer: Uint8Array): Uint8Array {
  return concatBytes(digest('sha256', spkiDer), new Uint8Array(32));
}

/** REPORT_DATA a node agent must attest at enrolment: SHA-256(SPKI DER) ‖ SHA-256(join token). */
export function nodeEnrolmentReportData(nodeKey: EcPublicKey, joinToken: string): Uint8Array {
  return concatBytes(digest('sha256', ecSpkiDer(nodeKey)), digest('sha256', utf8(joinToken)));
}

/** The node agent's vouching for an enclave's evidence (it verified the local report first). */
export interface NodeEndorsement {
  /** DER of the node agent certificate the CCM issued at enrolment. */
  nodeCertificate: Uint8Array;
  /** DER ECDSA signature by the node agent key over label ‖ evidence. */
  signature: Uint8Array;
}

export function endorseEvidence(
  nodeKey: EcPrivateKey,
  nodeCertificate: Uint8Array,
  evidence: Uint8Array,
): NodeEndorsement {
  const signature = sign(nodeKey.curve, nodeKey.privateKey, concatBytes(NODE_ENDORSEMENT_LABEL, evidence), {
    format: 'der',
  });
  return { nodeCertificate: Uint8Array.from(nodeCertificate), signature };
}

function commonNameOnly(cn: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: cn }) }),
    ]),
  ]);
}

function octets(b: Uint8Array): ArrayBuffer {
  return AsnConvert.serialize(new OctetString(b));
}

export interface EnclaveCsrInput {
  key: KeyPair;
  /** The TLS name the enclave asks for; must be among the allow-listed domains of its build. */
  commonName: string;
  evidence: Uint8Array;
  endorsement: NodeEndorsement;
}

/** A real PKCS#10 (RFC 2986) request, signed by the enclave's key (ECDSA, SHA-256 for P-256). */
export function createEnclaveCsr(input: EnclaveCsrInput): Uint8Array {
  const { key } = input;
  const cri = new CertificationRequestInfo({
    version: 0,
    subject: commonNameOnly(input.commonName),
    subjectPKInfo: AsnConvert.parse(ecSpkiDer(key), SubjectPublicKeyInfo),
    attributes: new Attributes([
      new Attribute({ type: CSR_ATTRIBUTE.evidence, values: [octets(input.evidence)] }),
      new Attribute({
        type: CSR_ATTRIBUTE.nodeCertificate,
        values: [input.endorsement.nodeCertificate.slice().buffer],
      }),
      new Attribute({ type: CSR_ATTRIBUTE.nodeSignature, values: [octets(input.endorsement.signature)] }),
    ]),
  });
  const criDer = new Uint8Array(AsnConvert.serialize(cri));
  const signature = sign(key.curve, key.privateKey, criDer, { format: 'der' });
  const csr = new CertificationRequest({
    certificationRequestInfo: cri,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SIG_OID[key.curve] }),
    signature: signature.slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(csr));
}

export interface EnclaveCsr {
  der: Uint8Array;
  /** The exact CertificationRequestInfo bytes the enclave signed. */
  signedBytes: Uint8Array;
  /** The exact SubjectPublicKeyInfo bytes, which the evidence must bind. */
  spki: Uint8Array;
  publicKey: EcPublicKey;
  commonName: string;
  signatureOid: string;
  signature: Uint8Array;
  evidence?: Uint8Array;
  nodeCertificate?: Uint8Array;
  nodeSignature?: Uint8Array;
}

/** One DER TLV header at `off`: the tag and where the contents start and end. */
function tlv(b: Uint8Array, off: number, field: string): { tag: number; start: number; end: number } {
  if (off + 2 > b.length) throw new FormatError('pkcs10', field, off, 'truncated DER header');
  const tag = b[off];
  let len = b[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > b.length) {
      throw new FormatError('pkcs10', field, off + 1, 'bad DER length');
    }
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
    start += n;
  }
  if (start + len > b.length) {
    throw new FormatError('pkcs10', field, off, `DER length ${len} runs past the end`);
  }
  return { tag, start, end: start + len };
}

/** Parses a PKCS#10 request; FormatError('pkcs10', field, offset, …) for anything malformed. */
export function parseEnclaveCsr(der: Uint8Array): EnclaveCsr {
  const outer = tlv(der, 0, 'CertificationRequest');
  if (outer.tag !== 0x30) throw new FormatError('pkcs10', 'CertificationRequest', 0, 'not a DER SEQUENCE');
  if (outer.end !== der.length) {
    throw new FormatError('pkcs10', 'CertificationRequest', outer.end, 'trailing bytes after the request');
  }
  const criTlv = tlv(der, outer.start, 'CertificationRequestInfo');
  const version = tlv(der, criTlv.start, 'version');
  const subject = tlv(der, version.end, 'subject');
  const spkiTlv = tlv(der, subject.end, 'subjectPKInfo');
  let csr: CertificationRequest;
  try {
    csr = AsnConvert.parse(der, CertificationRequest);
  } catch (e) {
    throw new FormatError(
      'pkcs10',
      'CertificationRequest',
      0,
      `ASN.1 does not parse (${(e as Error).message})`,
    );
  }
  const cri = csr.certificationRequestInfo;
  const alg = cri.subjectPKInfo.algorithm;
  const namedCurve = alg.parameters ? AsnConvert.parse(alg.parameters, ECParameters).namedCurve : undefined;
  const curve = namedCurve === id_secp256r1 ? 'p256' : namedCurve === id_secp384r1 ? 'p384' : undefined;
  if (alg.algorithm !== id_ecPublicKey || !curve) {
    throw new FormatError(
      'pkcs10',
      'subjectPKInfo',
      subject.end,
      'the enclave key must be EC P-256 or P-384',
    );
  }
  const cn = cri.subject
    .flatMap((rdn) => [...rdn])
    .find((atv) => atv.type === '2.5.4.3')
    ?.value.toString();
  if (!cn) throw new FormatError('pkcs10', 'subject', version.end, 'no commonName');
  const attribute = (oid: string): ArrayBuffer | undefined =>
    (cri.attributes ?? []).find((a) => a.type === oid)?.values[0];
  const octetsOf = (oid: string, field: string): Uint8Array | undefined => {
    const v = attribute(oid);
    if (!v) return undefined;
    try {
      return new Uint8Array(AsnConvert.parse(v, OctetString).buffer);
    } catch {
      throw new FormatError('pkcs10', field, criTlv.start, 'attribute value is not an OCTET STRING');
    }
  };
  const nodeCert = attribute(CSR_ATTRIBUTE.nodeCertificate);
  const evidence = octetsOf(CSR_ATTRIBUTE.evidence, 'evidence attribute');
  const nodeSignature = octetsOf(CSR_ATTRIBUTE.nodeSignature, 'node signature attribute');
  return {
    der: Uint8Array.from(der),
    signedBytes: der.slice(outer.start, criTlv.end),
    spki: der.slice(subject.end, spkiTlv.end),
    publicKey: { curve, publicKey: new Uint8Array(cri.subjectPKInfo.subjectPublicKey) },
    commonName: cn,
    signatureOid: csr.signatureAlgorithm.algorithm,
    signature: new Uint8Array(csr.signature),
    ...(evidence ? { evidence } : {}),
    ...(nodeCert ? { nodeCertificate: new Uint8Array(nodeCert) } : {}),
    ...(nodeSignature ? { nodeSignature } : {}),
  };
}

// ---- heartbeats ----

export interface Heartbeat {
  /** Hex serial number of the app certificate the CCM issued. */
  certificateSerial: string;
  sequence: number;
  /** Seconds since the epoch, by the enclave's clock. */
  timestamp: number;
  /** base64url DER ECDSA signature by the app key over heartbeatSigningInput(...). */
  signature: string;
}

/** label ‖ u8 serial length ‖ serial ‖ u32 sequence ‖ u64 timestamp (big-endian). */
export function heartbeatSigningInput(
  certificateSerial: string,
  sequence: number,
  timestamp: number,
): Uint8Array {
  const serial = fromHex(certificateSerial, 'certificateSerial');
  return new Writer('be')
    .bytes(HEARTBEAT_LABEL)
    .u8(serial.length)
    .bytes(serial)
    .u32(sequence)
    .u64(BigInt(timestamp))
    .finish();
}

export function signHeartbeat(
  appKey: EcPrivateKey,
  certificateSerial: string,
  sequence: number,
  timestamp: number,
): Heartbeat {
  const sig = sign(
    appKey.curve,
    appKey.privateKey,
    heartbeatSigningInput(certificateSerial, sequence, timestamp),
    { format: 'der' },
  );
  return { certificateSerial, sequence, timestamp, signature: toBase64Url(sig) };
}

// ---- the CCM ----

export interface AppBuild {
  id: string;
  name: string;
  /** Hex of the launch measurement (MRENCLAVE, SNP MEASUREMENT, …). */
  measurement: string;
  domains: readonly string[];
  status: 'pending' | 'approved';
  approvedBy?: string;
}

export interface AppStatus {
  appId: string;
  build: string;
  domain: string;
  lastSequence?: number;
  lastHeartbeat?: number;
  /** No heartbeat within heartbeatMaxAgeSeconds (or none yet). */
  overdue: boolean;
}

export interface CcmOptions {
  drbg: HmacDrbg;
  appraise: AppraiseEnclave;
  /** Seconds since the epoch (simulated time). */
  clock: () => number;
  /** The TEE the appraiser is asked about (default 'sgx', as Fortanix CCM's enclaves). */
  tee?: Tee;
  /** Organisation name in the CCM's certificates. */
  organisation?: string;
  certificateLifetimeSeconds?: number;
  /** Heartbeats older than this (or this far in the future) are stale. */
  heartbeatMaxAgeSeconds?: number;
}

interface EnrolledNode {
  nodeId: string;
  publicKey: EcPublicKey;
}

interface IssuedApp {
  build: string;
  domain: string;
  publicKey: EcPublicKey;
  lastSequence?: number;
  lastHeartbeat?: number;
}

function ext(oid: string, critical: boolean, value: ArrayBuffer): CertExtension {
  return { oid, critical, value: new Uint8Array(value) };
}

function keyUsage(flags: number): CertExtension {
  return ext(id_ce_keyUsage, true, AsnConvert.serialize(new KeyUsage(flags)));
}

export class ConfidentialComputingManager {
  private readonly caKey: KeyPair;
  private readonly caName: Record<string, string>;
  private readonly tokens: HmacDrbg;
  private readonly serials: HmacDrbg;
  private readonly appraise: AppraiseEnclave;
  private readonly clock: () => number;
  private readonly tee: Tee;
  private readonly organisation: string;
  private readonly joinTokens = new Set<string>();
  private readonly nodes = new Map<string, EnrolledNode>();
  private readonly builds = new Map<string, AppBuild>();
  private readonly issued = new Map<string, IssuedApp>();
  private nodeCount = 0;
  readonly caCertificate: Uint8Array;
  readonly certificateLifetimeSeconds: number;
  readonly heartbeatMaxAgeSeconds: number;

  constructor(options: CcmOptions) {
    this.caKey = generateKeyPair('p256', options.drbg.fork('ccm/ca-key'));
    this.tokens = options.drbg.fork('ccm/join-tokens');
    this.serials = options.drbg.fork('ccm/serials');
    this.appraise = options.appraise;
    this.clock = options.clock;
    this.tee = options.tee ?? 'sgx';
    this.organisation = options.organisation ?? 'Confidential Computing Manager (demo)';
    this.certificateLifetimeSeconds = options.certificateLifetimeSeconds ?? 30 * 86_400;
    this.heartbeatMaxAgeSeconds = options.heartbeatMaxAgeSeconds ?? 60;
    this.caName = { CN: 'CCM Root CA (demo)', O: this.organisation };
    const now = this.clock();
    this.caCertificate = issueCertificate(
      {
        serialNumber: this.serial(),
        subject: this.caName,
        issuer: this.caName,
        notBefore: new Date(now * 1000),
        notAfter: new Date((now + 10 * 365 * 86_400) * 1000),
        publicKey: { kind: 'ec', curve: 'p256', point: this.caKey.publicKey },
        isCA: true,
        extensions: [keyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)],
      },
      this.signer(),
    );
  }

  private signer() {
    return { kind: 'ecdsa', curve: 'p256', privateKey: this.caKey.privateKey, hash: 'sha256' } as const;
  }

  /** Positive, minimal DER INTEGER: top bit clear, second-highest set so there is no leading zero. */
  private serial(): Uint8Array {
    const s = this.serials.generate(16);
    s[0] = (s[0] & 0x7f) | 0x40;
    return s;
  }

  private issue(
    subject: Record<string, string>,
    publicKey: EcPublicKey,
    extensions: CertExtension[],
  ): Uint8Array {
    const now = this.clock();
    return issueCertificate(
      {
        serialNumber: this.serial(),
        subject,
        issuer: this.caName,
        notBefore: new Date(now * 1000),
        notAfter: new Date((now + this.certificateLifetimeSeconds) * 1000),
        publicKey: { kind: 'ec', curve: publicKey.curve, point: publicKey.publicKey },
        isCA: false,
        extensions,
      },
      this.signer(),
    );
  }

  /** Step 1: a single-use join token for one node agent. */
  issueJoinToken(): string {
    const token = toBase64Url(this.tokens.generate(32));
    this.joinTokens.add(token);
    return token;
  }

  /** Step 2: node provisioning, once per node agent lifetime. */
  enrolNode(request: {
    joinToken: string;
    nodePublicKey: EcPublicKey;
    evidence: Uint8Array;
  }): CcmOutcome<{ nodeId: string; certificate: Uint8Array }> {
    if (!this.joinTokens.has(request.joinToken)) {
      return refuse('join-token', 'join token unknown or already used: ask the CCM operator for a new one');
    }
    this.joinTokens.delete(request.joinToken); // single use, even when attestation then fails
    if (!isValidPublicKey(request.nodePublicKey.curve, request.nodePublicKey.publicKey)) {
      return refuse(
        'node-attestation',
        `the node key is not a valid ${request.nodePublicKey.curve} public key`,
      );
    }
    const expected = nodeEnrolmentReportData(request.nodePublicKey, request.joinToken);
    const appraisal = this.appraise({
      tee: this.tee,
      evidence: request.evidence,
      expectedReportData: expected,
      nonce: utf8(request.joinToken),
    });
    const broken = notGenuine(appraisal.result);
    if (broken) return refuse('node-attestation', `the node's evidence is not genuine: ${broken}`);
    if (!constantTimeEqual(appraisal.reportData, expected)) {
      return refuse('node-attestation', "the node's REPORT_DATA does not bind its key and this join token");
    }
    const weak = platformWeakness(appraisal.result);
    if (weak) return refuse('node-attestation', `the node is not in a state the CCM accepts: ${weak}`);
    const nodeId = `node-agent-${++this.nodeCount}`;
    const certificate = this.issue({ CN: nodeId, O: this.organisation }, request.nodePublicKey, [
      keyUsage(KeyUsageFlags.digitalSignature),
      ext(id_ce_extKeyUsage, false, AsnConvert.serialize(new ExtendedKeyUsage([id_kp_clientAuth]))),
    ]);
    this.nodes.set(parseCertificate(certificate).serialNumber, { nodeId, publicKey: request.nodePublicKey });
    return { ok: true, nodeId, certificate };
  }

  /** Administrator: a node agent is no longer trusted (its endorsements are refused from now on). */
  deregisterNode(nodeId: string): boolean {
    for (const [serial, n] of this.nodes) {
      if (n.nodeId === nodeId) return this.nodes.delete(serial);
    }
    return false;
  }

  /** Step 3a: a user asks for an app build to be allow-listed; nothing is trusted until approved. */
  proposeApp(build: { name: string; measurement: Uint8Array; domains: readonly string[] }): AppBuild {
    const entry: AppBuild = {
      id: `app-build-${this.builds.size + 1}`,
      name: build.name,
      measurement: toHex(build.measurement),
      domains: [...build.domains],
      status: 'pending',
    };
    this.builds.set(entry.id, entry);
    return { ...entry };
  }

  /** Step 3b: an approver allow-lists a proposed build. */
  approveApp(buildId: string, approver: string): CcmOutcome<{ build: AppBuild }> {
    const entry = this.builds.get(buildId);
    if (!entry) return refuse('approval', `no proposed app build ${buildId}`);
    entry.status = 'approved';
    entry.approvedBy = approver;
    return { ok: true, build: { ...entry } };
  }

  get allowList(): readonly AppBuild[] {
    return [...this.builds.values()].map((b) => ({ ...b }));
  }

  /** Step 4: a CSR with evidence in, a TLS certificate out — or the step that refused it. */
  issueAppCertificate(
    csrDer: Uint8Array,
  ): CcmOutcome<{ certificate: Uint8Array; appId: string; build: string }> {
    let csr: EnclaveCsr;
    try {
      csr = parseEnclaveCsr(csrDer);
    } catch (e) {
      return refuse('csr-format', (e as Error).message);
    }
    if (csr.signatureOid !== SIG_OID[csr.publicKey.curve]) {
      return refuse(
        'csr-signature',
        `signature algorithm ${csr.signatureOid} does not fit a ${csr.publicKey.curve} key`,
      );
    }
    if (
      !verify(csr.publicKey.curve, csr.signature, csr.signedBytes, csr.publicKey.publicKey, { format: 'der' })
    ) {
      return refuse('csr-signature', 'the CSR is not signed by the key it carries (no proof of possession)');
    }
    if (!csr.evidence) return refuse('attestation', 'the CSR carries no attestation evidence attribute');
    const node = this.checkEndorsement(csr);
    if (!node.ok) return node;

    const expected = appReportData(csr.spki);
    const appraisal = this.appraise({
      tee: this.tee,
      evidence: csr.evidence,
      expectedReportData: expected,
      nonce: new Uint8Array(0),
    });
    const { result } = appraisal;
    const broken = notGenuine(result);
    if (broken) return refuse('attestation', `the evidence is not genuine: ${broken}`);
    if (!constantTimeEqual(appraisal.reportData, expected)) {
      return refuse(
        'key-binding',
        "the evidence's REPORT_DATA does not hold SHA-256 of this CSR's public key: it was produced for another key",
      );
    }
    const weak = platformWeakness(result);
    if (weak) return refuse('attestation', `the enclave is not in a state the CCM accepts: ${weak}`);
    const measurement = toHex(appraisal.measurement);
    const candidates = [...this.builds.values()].filter((b) => b.measurement === measurement);
    if (candidates.length === 0)
      return refuse('allow-list', `measurement ${measurement} is not allow-listed`);
    const approved = candidates.filter((b) => b.status === 'approved');
    if (approved.length === 0) {
      return refuse('allow-list', `measurement ${measurement} (${candidates[0].name}) awaits approval`);
    }
    const build = approved.find((b) => b.domains.includes(csr.commonName));
    if (!build) {
      const allowed = approved.flatMap((b) => b.domains).join(', ');
      return refuse(
        'allow-list',
        `domain ${csr.commonName} is not allow-listed for ${approved[0].name} (allowed: ${allowed})`,
      );
    }
    const certificate = this.issue({ CN: csr.commonName, O: this.organisation }, csr.publicKey, [
      keyUsage(KeyUsageFlags.digitalSignature),
      ext(
        id_ce_extKeyUsage,
        false,
        AsnConvert.serialize(new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])),
      ),
      ext(
        id_ce_subjectAltName,
        false,
        AsnConvert.serialize(new SubjectAlternativeName([new GeneralName({ dNSName: csr.commonName })])),
      ),
    ]);
    const appId = parseCertificate(certificate).serialNumber;
    this.issued.set(appId, { build: build.name, domain: csr.commonName, publicKey: csr.publicKey });
    return { ok: true, certificate, appId, build: build.name };
  }

  private checkEndorsement(csr: EnclaveCsr): CcmOutcome<{ node: EnrolledNode }> {
    if (!csr.nodeCertificate || !csr.nodeSignature) {
      return refuse(
        'node-enrolment',
        'the CSR carries no node agent endorsement: the enclave must obtain its report through an enrolled node agent',
      );
    }
    let cert: Certificate;
    try {
      cert = parseCertificate(csr.nodeCertificate);
    } catch (e) {
      return refuse('node-enrolment', `node agent certificate: ${(e as Error).message}`);
    }
    const ca: EcPublicKey = { curve: 'p256', publicKey: this.caKey.publicKey };
    if (!isSignedBy(cert, { kind: 'ec', curve: ca.curve, point: ca.publicKey })) {
      return refuse('node-enrolment', `node agent certificate '${cert.subject}' was not issued by this CCM`);
    }
    const node = this.nodes.get(cert.serialNumber);
    if (!node) {
      return refuse(
        'node-enrolment',
        `node agent '${cert.subject}' is not enrolled (deregistered or never provisioned)`,
      );
    }
    if (cert.publicKey.kind !== 'ec' || !bytesEqual(cert.publicKey.point, node.publicKey.publicKey)) {
      return refuse('node-enrolment', 'node agent certificate key does not match the enrolled node');
    }
    if (
      !verify(
        node.publicKey.curve,
        csr.nodeSignature,
        concatBytes(NODE_ENDORSEMENT_LABEL, csr.evidence ?? new Uint8Array(0)),
        node.publicKey.publicKey,
        { format: 'der' },
      )
    ) {
      return refuse('node-enrolment', `${node.nodeId}'s signature over the evidence does not verify`);
    }
    return { ok: true, node };
  }

  /** Step 5: an enclave-signed heartbeat. */
  heartbeat(hb: Heartbeat): CcmOutcome<{ appId: string; sequence: number }> {
    if (
      typeof hb !== 'object' ||
      hb === null ||
      typeof hb.certificateSerial !== 'string' ||
      !Number.isInteger(hb.sequence) ||
      hb.sequence < 0 ||
      hb.sequence > 0xffff_ffff ||
      !Number.isSafeInteger(hb.timestamp) ||
      hb.timestamp < 0
    ) {
      return refuse(
        'heartbeat-format',
        'a heartbeat is {certificateSerial (hex), sequence (u32), timestamp (s), signature}',
      );
    }
    const app = this.issued.get(hb.certificateSerial.toLowerCase());
    if (!app) {
      return refuse(
        'heartbeat-unknown-app',
        `no app certificate with serial ${hb.certificateSerial} was issued by this CCM`,
      );
    }
    let signature: Uint8Array;
    let input: Uint8Array;
    try {
      signature = fromBase64Url(hb.signature, 'signature');
      input = heartbeatSigningInput(hb.certificateSerial, hb.sequence, hb.timestamp);
    } catch (e) {
      return refuse('heartbeat-format', (e as Error).message);
    }
    if (!verify(app.publicKey.curve, signature, input, app.publicKey.publicKey, { format: 'der' })) {
      return refuse('heartbeat-signature', "the heartbeat is not signed by the app's certified key");
    }
    if (app.lastSequence !== undefined && hb.sequence <= app.lastSequence) {
      return refuse(
        'heartbeat-replay',
        `sequence ${hb.sequence} is not after the last accepted ${app.lastSequence} (replayed heartbeat)`,
      );
    }
    const now = this.clock();
    if (Math.abs(now - hb.timestamp) > this.heartbeatMaxAgeSeconds) {
      return refuse(
        'heartbeat-stale',
        `timestamp ${hb.timestamp} is ${now - hb.timestamp} s from now (${now}); the limit is ${this.heartbeatMaxAgeSeconds} s`,
      );
    }
    app.lastSequence = hb.sequence;
    app.lastHeartbeat = now;
    return { ok: true, appId: hb.certificateSerial.toLowerCase(), sequence: hb.sequence };
  }

  /** The monitoring view: every certified app and whether its heartbeats are overdue. */
  monitor(): AppStatus[] {
    const now = this.clock();
    return [...this.issued.entries()].map(([appId, a]) => ({
      appId,
      build: a.build,
      domain: a.domain,
      ...(a.lastSequence !== undefined ? { lastSequence: a.lastSequence } : {}),
      ...(a.lastHeartbeat !== undefined ? { lastHeartbeat: a.lastHeartbeat } : {}),
      overdue: a.lastHeartbeat === undefined || now - a.lastHeartbeat > this.heartbeatMaxAgeSeconds,
    }));
  }
}

/** Parse, signature or chain failed: nothing read from the evidence can be believed. */
function notGenuine(result: AttestationResult): string | undefined {
  const broken = result.checks.filter(
    (c) => !c.ok && (c.check === 'parse' || c.check === 'signature' || c.check === 'chain'),
  );
  return broken.length > 0 ? broken.map((c) => `${c.check}: ${c.reason}`).join('; ') : undefined;
}

/**
 * Everything except the executables must be affirming (TCB up to date, debug off, …); executables
 * are judged by the CCM's own allow-list, which is its reference value for them, so a verifier that
 * does not know the app (AR4SI executables 33) does not block an approved build.
 */
function platformWeakness(result: AttestationResult): string | undefined {
  const failed = result.checks
    .filter((c) => !c.ok && c.check !== 'measurement')
    .map((c) => `${c.check}: ${c.reason}`);
  const claims = result.claims
    .filter((c) => c.claim !== 'executables' && (c.status === 'warning' || c.status === 'contraindicated'))
    .map((c) => `${c.claim} ${c.value}: ${c.reason}`);
  const all = [...failed, ...claims];
  if (all.length > 0) return all.join('; ');
  if (!result.claims.some((c) => c.status === 'affirming')) return 'the verifier affirmed nothing';
  return undefined;
}
