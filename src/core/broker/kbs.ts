/**
 * A Key Broker Service modelled on Confidential Containers' Trustee KBS and its RCAR protocol
 * (Request → Challenge → Attestation → Response; trustee `kbs/docs/kbs_attestation_protocol.md`), as a
 * pure object: no network, no timers, no state machine. Each method takes the JSON body a real KBC
 * would POST and returns `{ status, body, headers }` with the JSON a real KBS would answer, so the
 * simulation can draw the messages and the transcript can show their real bytes.
 *
 *   POST /kbs/v0/auth      auth(request)                    → challenge + Set-Cookie kbs-session-id
 *   POST /kbs/v0/attest    attest(sessionId, attestation)   → { token } (ES256 JWT with the EAR)
 *   GET  /kbs/v0/resource/<repository>/<type>/<tag>
 *                          getResource(sessionIdOrToken, path) → the secret wrapped to tee-pubkey
 *
 * The broker is RATS's background-check relying party: it never parses evidence itself but hands it
 * to an injected `appraise` function (any format: SNP, TDX, TPM, a test fake), and releases a secret
 * only when (1) an appraisal of evidence bound to *this* session's nonce and TEE key passed, and
 * (2) the resource policy, which sees only the EAR result and the resource path, allows it.
 * Randomness comes from the DRBG and time from the injected clock, so a seed replays byte for byte.
 *
 * Status codes follow the protocol text: 401 unauthenticated (no or unknown session, invalid or
 * expired token, failed attestation), 403 policy denied, 404 malformed path or missing resource.
 * Trustee's implementation answers 401 for a policy denial too (its error mapping sends everything
 * except path and plugin errors to 401); we follow the protocol text because a workshop should be
 * able to tell "you are not who you need to be" from "you are, but this is not yours".
 */
import { fromBase64, utf8 } from '../crypto/bytes';
import type { HmacDrbg } from '../crypto/drbg';
import { generateKeyPair, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { CLAIMS, type AttestationResult, type Status, type Submod } from '../verify/ear';
import { fromJwk, signJws, toBase64Url, toJwk, verifyJws, type EcPublicJwk, type EcPublicKey } from './jws';
import { wrapSecret, type WrappedSecret } from './wrap';

/** TEE names as kbs-types spells them. */
export const KBS_TEES = [
  'snp',
  'tdx',
  'sgx',
  'cca',
  'se',
  'tpm',
  'csv',
  'az-snp-vtpm',
  'az-tdx-vtpm',
  'sample',
] as const;
export type Tee = (typeof KBS_TEES)[number];

/** The protocol version this broker speaks; any 0.x request is accepted, as the 0.x clients interoperate. */
export const KBS_PROTOCOL_VERSION = '0.4.0';

export const KBS_SESSION_COOKIE = 'kbs-session-id';

const ERROR_TYPE_PREFIX = 'https://github.com/confidential-containers/kbs/errors';

// ---- the injected verifier ----

export interface AppraisalRequest {
  tee: Tee;
  /** The evidence bytes exactly as the KBC sent them (base64-decoded). */
  evidence: Uint8Array;
  /** What the evidence's report-data field must hold: see `runtimeDataReportData`. */
  expectedReportData: Uint8Array;
  /** The challenge nonce issued for this session (decoded bytes). */
  nonce: Uint8Array;
}

/** A verifier for one or many evidence formats; the broker depends on no format. */
export type Appraise = (request: AppraisalRequest) => AttestationResult;

// ---- message bodies ----

export interface KbsRequest {
  version: string;
  tee: Tee;
  'extra-params'?: unknown;
}

export interface KbsChallenge {
  nonce: string;
  'extra-params': Record<string, never>;
}

export interface RuntimeData {
  nonce: string;
  'tee-pubkey': EcPublicJwk;
}

/**
 * Trustee nests the evidence as `{ primary_evidence, additional_evidence }` with per-TEE JSON inside;
 * we carry the raw binary evidence as one base64 string, so that every format travels the same way.
 */
export interface KbsAttestation {
  tee?: Tee;
  'runtime-data': RuntimeData;
  'tee-evidence': string;
}

export interface KbsToken {
  token: string;
}

/** Trustee's ErrorInformation: `type` is a URL naming the error, `detail` says what to do about it. */
export interface KbsErrorBody {
  type: string;
  detail: string;
}

export type KbsResponse<T> =
  | { status: 200; body: T; headers: Readonly<Record<string, string>> }
  | { status: 400 | 401 | 403 | 404; body: KbsErrorBody; headers: Readonly<Record<string, string>> };

/** Claims of the attestation token (JWT) the broker issues after a passed appraisal. */
export interface KbsTokenClaims {
  iss: string;
  iat: number;
  exp: number;
  /** The broker's own public key, so a relying party can check the signature (protocol's `jwk` claim). */
  jwk: EcPublicJwk;
  /** The key the TEE bound into its evidence; secrets for this token's holder are wrapped to it. */
  'tee-pubkey': EcPublicJwk;
  eat_profile: AttestationResult['eat_profile'];
  'ear.verifier-id': AttestationResult['ear.verifier-id'];
  eat_nonce?: string;
  submods: Record<string, Submod>;
}

// ---- resource policy ----

export interface ResourcePath {
  repository: string;
  type: string;
  tag: string;
  /** `repository/type/tag` */
  path: string;
}

/** What a resource policy may look at: the EAR appraisal, never the evidence. */
export interface PolicyInput {
  submods: Readonly<Record<string, Submod>>;
}

export interface PolicyDecision {
  allow: boolean;
  reason: string;
}

/**
 * Decides whether an attested requester may have a resource (Trustee: a Rego policy with
 * `default allow = false` over the EAR claims and the resource path). A policy that throws denies.
 */
export type ResourcePolicy = (ear: PolicyInput, resource: ResourcePath) => PolicyDecision;

/** Trustee's `affirming.rego`: at least one submod, and every submod's ear.status is "affirming". */
export const affirmingOnly: ResourcePolicy = (ear) => {
  const entries = Object.entries(ear.submods);
  if (entries.length === 0) {
    return { allow: false, reason: 'the appraisal has no submods, so nothing is affirmed' };
  }
  const weak = entries.find(([, s]) => s['ear.status'] !== 'affirming');
  if (weak) {
    return {
      allow: false,
      reason: `submod ${weak[0]} is ${weak[1]['ear.status']}, and this policy releases only to affirming TEEs`,
    };
  }
  return { allow: true, reason: `every submod (${entries.map(([n]) => n).join(', ')}) is affirming` };
};

/** Releases nothing: the safe starting point before a policy is written. */
export const denyAll: ResourcePolicy = () => ({
  allow: false,
  reason: 'the deny-all policy releases nothing',
});

/**
 * Releases to anything that got a token, whatever the verdict (warnings included). For teaching only:
 * it shows why a broker that merely checks "attestation happened" is not enough.
 */
export const allowAll: ResourcePolicy = () => ({
  allow: true,
  reason: 'the allow-all policy releases to every attested requester, whatever its verdict',
});

// ---- canonical runtime data ----

/**
 * JSON with object keys sorted (by UTF-16 code unit, which equals byte order for the ASCII keys of
 * runtime-data) at every level and no whitespace: what Trustee's `serialize_canon_json` produces for
 * a serde_json Value, so both sides hash the same bytes however the sender ordered its keys.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
}

export type ReportDataHash = 'sha256' | 'sha384' | 'sha512';

/**
 * The report data a TEE must put in its evidence for this runtime data:
 * `hash(canonicalJson(runtime-data))`, zero-padded to 64 bytes (SNP REPORT_DATA, TDX REPORTDATA).
 * SHA-384 by default, as Trustee's KBS asks its attestation service for; the zero padding is what
 * Trustee's SNP verifier applies before comparing.
 */
export function runtimeDataReportData(runtimeData: object, hash: ReportDataHash = 'sha384'): Uint8Array {
  const h = digest(hash, utf8(canonicalJson(runtimeData)));
  const out = new Uint8Array(64);
  out.set(h);
  return out;
}

// ---- resource paths ----

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

export type PathParse = { ok: true; resource: ResourcePath } | { ok: false; reason: string };

/** `repository/type/tag`, each a non-empty [A-Za-z0-9_.-] segment and never `.` or `..`. */
export function parseResourcePath(path: string): PathParse {
  if (typeof path !== 'string') return { ok: false, reason: 'resource path: not a string' };
  const segments = path.split('/');
  if (segments.length !== 3) {
    return {
      ok: false,
      reason: `resource path ${JSON.stringify(path)}: expected <repository>/<type>/<tag>, got ${segments.length} segment(s)`,
    };
  }
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === '.' || s === '..') {
      return {
        ok: false,
        reason: `resource path ${JSON.stringify(path)}: segment ${JSON.stringify(s)} must be [A-Za-z0-9_.-]+ and not . or ..`,
      };
    }
  }
  const [repository, type, tag] = segments;
  return { ok: true, resource: { repository, type, tag, path } };
}

// ---- the broker ----

export interface KbsOptions {
  drbg: HmacDrbg;
  appraise: Appraise;
  /** Seconds since the epoch (simulated time). */
  clock: () => number;
  /** Default: affirmingOnly. */
  policy?: ResourcePolicy;
  /** The token signing key (P-256 → ES256, P-384 → ES384); default: a P-256 key from the DRBG. */
  signingKey?: KeyPair;
  /** `iss` of the tokens. */
  issuer?: string;
  /** How long a challenge may wait for its answer, and an attested session lasts (Trustee: 5 min). */
  sessionTtlSeconds?: number;
  tokenTtlSeconds?: number;
  reportDataHash?: ReportDataHash;
}

type Phase = 'challenged' | 'attested' | 'answered-and-refused';

interface Session {
  tee: Tee;
  nonce: string;
  expiresAt: number;
  phase: Phase;
  teeKey?: EcPublicKey;
  submods?: Record<string, Submod>;
}

/** An authenticated requester: a key to wrap to and an appraisal for the policy. */
interface Requester {
  teeKey: EcPublicKey;
  ear: PolicyInput;
}

type ErrorStatus = 400 | 401 | 403 | 404;

function fail(status: ErrorStatus, type: string, detail: string): KbsResponse<never> {
  return { status, body: { type: `${ERROR_TYPE_PREFIX}/${type}`, detail }, headers: {} };
}

const STATUSES: readonly Status[] = ['affirming', 'warning', 'contraindicated', 'none'];

/** A verdict good enough to issue a token: nothing contraindicated and something actually appraised. */
function passed(result: AttestationResult): { ok: boolean; reason: string } {
  const submods = Object.entries(result.submods ?? {});
  if (submods.length === 0) return { ok: false, reason: 'the verifier returned no submods' };
  const bad = submods.find(([, s]) => s['ear.status'] === 'contraindicated' || s['ear.status'] === 'none');
  if (result.status === 'contraindicated' || result.status === 'none' || bad) {
    const failed = (result.checks ?? []).filter((c) => !c.ok).map((c) => `${c.check}: ${c.reason}`);
    const claims = (result.claims ?? [])
      .filter((c) => c.status === 'contraindicated')
      .map((c) => `${c.claim} ${c.value}: ${c.reason}`);
    const why = [...failed, ...claims].join('; ') || 'no claim affirmed';
    return {
      ok: false,
      reason: `the verifier's verdict is ${bad ? bad[1]['ear.status'] : result.status} (${why})`,
    };
  }
  return { ok: true, reason: `verdict ${result.status}` };
}

function readSubmods(value: unknown): Record<string, Submod> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, Submod> = {};
  for (const [name, s] of Object.entries(value as Record<string, unknown>)) {
    if (typeof s !== 'object' || s === null) return undefined;
    const m = s as Record<string, unknown>;
    const status = m['ear.status'];
    const vector = m['ear.trustworthiness-vector'];
    if (!STATUSES.includes(status as Status) || typeof vector !== 'object' || vector === null) {
      return undefined;
    }
    const tv: Submod['ear.trustworthiness-vector'] = {};
    for (const c of CLAIMS) {
      const v = (vector as Record<string, unknown>)[c];
      if (typeof v === 'number') tv[c] = v;
    }
    out[name] = {
      'ear.status': status as Status,
      'ear.trustworthiness-vector': tv,
      'ear.appraisal-policy-id': String(m['ear.appraisal-policy-id'] ?? ''),
    };
  }
  return out;
}

/** Session ids look like Trustee's (UUID v4), but their bits come from the DRBG. */
function uuidFrom(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class KeyBrokerService {
  private readonly sessions = new Map<string, Session>();
  private readonly resources = new Map<string, Uint8Array>();
  private readonly signingKey: KeyPair;
  private readonly sessionIds: HmacDrbg;
  private readonly nonces: HmacDrbg;
  private readonly wrapping: HmacDrbg;
  private readonly appraise: Appraise;
  private readonly clock: () => number;
  private policy: ResourcePolicy;
  readonly issuer: string;
  readonly sessionTtlSeconds: number;
  readonly tokenTtlSeconds: number;
  readonly reportDataHash: ReportDataHash;

  constructor(options: KbsOptions) {
    // One child generator per consumer, so e.g. an extra session does not shift the wrapping keys.
    this.signingKey = options.signingKey ?? generateKeyPair('p256', options.drbg.fork('kbs/signing-key'));
    this.sessionIds = options.drbg.fork('kbs/session-ids');
    this.nonces = options.drbg.fork('kbs/nonces');
    this.wrapping = options.drbg.fork('kbs/wrapping');
    this.appraise = options.appraise;
    this.clock = options.clock;
    this.policy = options.policy ?? affirmingOnly;
    this.issuer = options.issuer ?? 'https://kbs.ccte.example';
    this.sessionTtlSeconds = options.sessionTtlSeconds ?? 300;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 300;
    this.reportDataHash = options.reportDataHash ?? 'sha384';
  }

  /** The key that verifies this broker's tokens. */
  get publicKey(): EcPublicKey {
    return { curve: this.signingKey.curve, publicKey: this.signingKey.publicKey };
  }

  get publicJwk(): EcPublicJwk {
    return toJwk(this.publicKey);
  }

  /** Admin: store a secret under `repository/type/tag` (RangeError for a malformed path). */
  setResource(path: string, secret: Uint8Array): void {
    const p = parseResourcePath(path);
    if (!p.ok) throw new RangeError(p.reason);
    this.resources.set(path, Uint8Array.from(secret));
  }

  /** Admin: replace the resource policy. */
  setPolicy(policy: ResourcePolicy): void {
    this.policy = policy;
  }

  private now(): number {
    return this.clock();
  }

  /** Request → Challenge. */
  auth(request: KbsRequest): KbsResponse<KbsChallenge> & { sessionId?: string } {
    if (typeof request !== 'object' || request === null) {
      return fail(
        400,
        'InvalidRequest',
        'the request body must be a JSON object {version, tee, extra-params}',
      );
    }
    const { version, tee } = request;
    if (typeof version !== 'string' || !/^0\.\d+\.\d+$/.test(version)) {
      return fail(
        401,
        'ProtocolVersion',
        `protocol version ${JSON.stringify(version)} is not supported: this KBS speaks ${KBS_PROTOCOL_VERSION} (any 0.x.y client)`,
      );
    }
    if (!KBS_TEES.includes(tee)) {
      return fail(
        400,
        'InvalidRequest',
        `tee ${JSON.stringify(tee)} is unknown; expected one of ${KBS_TEES.join(', ')}`,
      );
    }
    const sessionId = uuidFrom(this.sessionIds.generate(16));
    const nonce = toBase64Url(this.nonces.generate(32));
    this.sessions.set(sessionId, {
      tee,
      nonce,
      expiresAt: this.now() + this.sessionTtlSeconds,
      phase: 'challenged',
    });
    return {
      status: 200,
      body: { nonce, 'extra-params': {} },
      headers: {
        'set-cookie': `${KBS_SESSION_COOKIE}=${sessionId}; Max-Age=${this.sessionTtlSeconds}; Path=/kbs/v0; HttpOnly`,
      },
      sessionId,
    };
  }

  private session(
    sessionId: string | undefined,
  ): { ok: true; session: Session } | { ok: false; response: KbsResponse<never> } {
    if (!sessionId) {
      return {
        ok: false,
        response: fail(401, 'MissingCookie', `no ${KBS_SESSION_COOKIE} cookie: start with POST /kbs/v0/auth`),
      };
    }
    const session = this.sessions.get(sessionId);
    if (!session) {
      return {
        ok: false,
        response: fail(
          401,
          'InvalidCookie',
          `session ${sessionId} is unknown to this KBS: start with POST /kbs/v0/auth`,
        ),
      };
    }
    if (this.now() >= session.expiresAt) {
      return {
        ok: false,
        response: fail(
          401,
          'ExpiredCookie',
          `session ${sessionId} expired at ${session.expiresAt}: authenticate and attest again`,
        ),
      };
    }
    return { ok: true, session };
  }

  /** Attestation → Response (an attestation token), or 401 with the verifier's reasons. */
  attest(sessionId: string, attestation: KbsAttestation): KbsResponse<KbsToken> {
    const found = this.session(sessionId);
    if (!found.ok) return found.response;
    const { session } = found;
    if (session.phase !== 'challenged') {
      return fail(
        401,
        'AttestationFailed',
        `the challenge of session ${sessionId} was already answered; each nonce is good for one attestation: start again with POST /kbs/v0/auth`,
      );
    }
    // From here on the nonce is spent, whatever the outcome: a second try cannot reuse it.
    session.phase = 'answered-and-refused';
    const refuse = (detail: string) => fail(401, 'AttestationFailed', detail);

    if (typeof attestation !== 'object' || attestation === null) {
      return refuse('the attestation body must be a JSON object');
    }
    if (attestation.tee !== undefined && attestation.tee !== session.tee) {
      return refuse(
        `tee ${JSON.stringify(attestation.tee)} differs from the ${session.tee} announced in /auth`,
      );
    }
    const runtimeData = attestation['runtime-data'];
    if (typeof runtimeData !== 'object' || runtimeData === null) {
      return refuse('runtime-data is missing: it must carry {nonce, tee-pubkey}');
    }
    if (runtimeData.nonce !== session.nonce) {
      return refuse(
        `runtime-data.nonce ${JSON.stringify(runtimeData.nonce)} is not the nonce issued for this session (stale or replayed evidence)`,
      );
    }
    let teeKey: EcPublicKey;
    try {
      teeKey = fromJwk(runtimeData['tee-pubkey']);
    } catch (e) {
      return refuse(`runtime-data.tee-pubkey: ${(e as Error).message}`);
    }
    const encoded = attestation['tee-evidence'];
    if (typeof encoded !== 'string' || encoded.length === 0) {
      return refuse('tee-evidence is missing: expected base64 evidence');
    }
    let evidence: Uint8Array;
    try {
      evidence = fromBase64(encoded, 'tee-evidence');
    } catch (e) {
      return refuse((e as Error).message);
    }
    const expectedReportData = runtimeDataReportData(runtimeData, this.reportDataHash);
    let result: AttestationResult;
    try {
      result = this.appraise({
        tee: session.tee,
        evidence,
        expectedReportData,
        nonce: nonceBytes(session.nonce),
      });
    } catch (e) {
      return refuse(`the verifier could not appraise the evidence: ${(e as Error).message}`);
    }
    const verdict = passed(result);
    if (!verdict.ok) return refuse(`attestation failed: ${verdict.reason}`);

    const now = this.now();
    session.phase = 'attested';
    session.teeKey = teeKey;
    session.submods = structuredClone(result.submods);
    session.expiresAt = now + this.sessionTtlSeconds;
    const claims: KbsTokenClaims = {
      iss: this.issuer,
      iat: now,
      exp: now + this.tokenTtlSeconds,
      jwk: this.publicJwk,
      'tee-pubkey': toJwk(teeKey),
      eat_profile: result.eat_profile,
      'ear.verifier-id': result['ear.verifier-id'],
      ...(result.eat_nonce ? { eat_nonce: result.eat_nonce } : {}),
      submods: result.submods,
    };
    return {
      status: 200,
      body: { token: signJws(this.signingKey, claims) },
      headers: {
        'set-cookie': `${KBS_SESSION_COOKIE}=${sessionId}; Max-Age=${this.sessionTtlSeconds}; Path=/kbs/v0; HttpOnly`,
      },
    };
  }

  private authenticate(
    credential: string,
  ): { ok: true; requester: Requester } | { ok: false; response: KbsResponse<never> } {
    if (typeof credential !== 'string' || credential.length === 0) {
      return {
        ok: false,
        response: fail(
          401,
          'TokenNotFound',
          `no ${KBS_SESSION_COOKIE} cookie and no bearer token: attest first`,
        ),
      };
    }
    if (credential.split('.').length === 3) {
      const v = verifyJws(credential, this.publicKey, { now: this.now() });
      if (!v.ok) {
        return { ok: false, response: fail(401, 'TokenInvalid', `attestation token refused: ${v.reason}`) };
      }
      if (v.payload.iss !== this.issuer) {
        return {
          ok: false,
          response: fail(
            401,
            'TokenInvalid',
            `attestation token refused: issuer ${JSON.stringify(v.payload.iss)} is not ${this.issuer}`,
          ),
        };
      }
      const submods = readSubmods(v.payload.submods);
      let teeKey: EcPublicKey;
      try {
        teeKey = fromJwk(v.payload['tee-pubkey']);
      } catch (e) {
        return {
          ok: false,
          response: fail(
            401,
            'TokenInvalid',
            `attestation token refused: tee-pubkey ${(e as Error).message}`,
          ),
        };
      }
      if (!submods) {
        return {
          ok: false,
          response: fail(401, 'TokenInvalid', 'attestation token refused: submods are malformed'),
        };
      }
      return { ok: true, requester: { teeKey, ear: { submods } } };
    }
    const found = this.session(credential);
    if (!found.ok) return found;
    const { session } = found;
    if (session.phase !== 'attested' || !session.teeKey || !session.submods) {
      return {
        ok: false,
        response: fail(
          401,
          'UnAuthenticatedCookie',
          `session ${credential} has not passed attestation: answer its challenge with POST /kbs/v0/attest`,
        ),
      };
    }
    return {
      ok: true,
      requester: { teeKey: session.teeKey, ear: { submods: session.submods } },
    };
  }

  /**
   * GET /kbs/v0/resource/<path>: authenticate (401) → path (404) → policy (403) → existence (404) →
   * the secret wrapped to the attested tee-pubkey. The policy runs before the existence check so that
   * a denied requester cannot probe which resources exist.
   */
  getResource(sessionIdOrToken: string, path: string): KbsResponse<WrappedSecret> {
    const who = this.authenticate(sessionIdOrToken);
    if (!who.ok) return who.response;
    const parsed = parseResourcePath(path);
    if (!parsed.ok) return fail(404, 'InvalidRequestPath', parsed.reason);
    let decision: PolicyDecision;
    try {
      decision = this.policy(structuredClone(who.requester.ear), parsed.resource);
    } catch (e) {
      decision = { allow: false, reason: `the policy failed (${(e as Error).message}), so it denies` };
    }
    if (decision.allow !== true) {
      return fail(403, 'PolicyDeny', `access to ${path} denied by policy: ${decision.reason}`);
    }
    const secret = this.resources.get(parsed.resource.path);
    if (!secret) return fail(404, 'ResourceNotFound', `resource ${path} does not exist in this KBS`);
    return { status: 200, body: wrapSecret(who.requester.teeKey, secret, this.wrapping), headers: {} };
  }
}

/** The nonce bytes handed to the verifier: the decoded challenge (base64url of 32 DRBG bytes). */
function nonceBytes(nonce: string): Uint8Array {
  return fromBase64(nonce, 'nonce');
}
