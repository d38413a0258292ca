/**
 * The key broker (Trustee KBS RCAR model): the happy path with real bytes, every wrong path with its
 * status, and a seeded property test over random call sequences for the invariant
 * "no secret leaves the broker unless an appraisal passed for that session and the policy allowed it".
 */
import { createHash, createPublicKey, verify as osslVerify, type JsonWebKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../src/core/crypto/aes-gcm';
import { fromBase64, toBase64, toHex, utf8 } from '../../../src/core/crypto/bytes';
import { HmacDrbg, seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair, type KeyPair } from '../../../src/core/crypto/ecdsa';
import { inspectJws, toBase64Url, toJwk, verifyJws } from '../../../src/core/broker/jws';
import {
  affirmingOnly,
  allowAll,
  canonicalJson,
  denyAll,
  KeyBrokerService,
  parseResourcePath,
  runtimeDataReportData,
  type AppraisalRequest,
  type KbsAttestation,
  type KbsErrorBody,
  type KbsResponse,
  type KbsTokenClaims,
  type ResourcePolicy,
} from '../../../src/core/broker/kbs';
import { unwrapSecret } from '../../../src/core/broker/wrap';
import type { AttestationResult } from '../../../src/core/verify/ear';
import { fakeAppraiser, fakeEvidence, measurementOf } from './fake-evidence';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const GOOD = measurementOf('guest image v1');
const SECRET = utf8('luks passphrase: correct horse battery staple');
const RESOURCE = 'default/key/db';

function ok<T>(r: { status: number; body: T | KbsErrorBody }): T {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

interface World {
  kbs: KeyBrokerService;
  calls: { request: AppraisalRequest; result: AttestationResult }[];
  advance(seconds: number): void;
}

function world(seed: number | string = 1, policy?: ResourcePolicy): World {
  let now = T0;
  const calls: World['calls'] = [];
  const appraise = fakeAppraiser({ references: [GOOD] });
  const kbs = new KeyBrokerService({
    drbg: seededDrbg(seed, 'kbs-test'),
    clock: () => now,
    appraise: (request) => {
      const result = appraise(request);
      calls.push({ request, result });
      return result;
    },
    ...(policy ? { policy } : {}),
  });
  kbs.setResource(RESOURCE, SECRET);
  return { kbs, calls, advance: (s) => (now += s) };
}

interface GuestOptions {
  measurement?: Uint8Array;
  debug?: boolean;
  tcb?: number;
  /** Bind report data to this runtime data instead of the one sent (key substitution, wrong nonce…). */
  bindTo?: (sent: KbsAttestation['runtime-data']) => object;
  nonce?: string;
}

/** A KBC in a guest: auth, fresh TEE key, evidence binding hash(runtime-data), attest. */
function guest(kbs: KeyBrokerService, drbg: HmacDrbg, o: GuestOptions = {}) {
  const auth = kbs.auth({ version: '0.4.0', tee: 'snp', 'extra-params': '' });
  const challenge = ok(auth);
  const sessionId = auth.sessionId ?? '';
  const tee = generateKeyPair('p256', drbg);
  const runtimeData = { nonce: o.nonce ?? challenge.nonce, 'tee-pubkey': toJwk(tee) };
  const bound = o.bindTo ? o.bindTo(runtimeData) : runtimeData;
  const evidence = fakeEvidence({
    measurement: o.measurement ?? GOOD,
    reportData: runtimeDataReportData(bound),
    ...(o.debug ? { debug: true } : {}),
    ...(o.tcb !== undefined ? { tcb: o.tcb } : {}),
  });
  const body: KbsAttestation = { 'runtime-data': runtimeData, 'tee-evidence': toBase64(evidence) };
  return { auth, challenge, sessionId, tee, body, res: kbs.attest(sessionId, body) };
}

describe('KBS RCAR happy path', () => {
  it('auth → challenge, attest → ES256 token (OpenSSL verifies it), resource → secret only the TEE key opens', () => {
    const { kbs, calls } = world();
    const g = guest(kbs, seededDrbg('guest'));

    expect(Object.keys(g.challenge)).toEqual(['nonce', 'extra-params']);
    expect(fromBase64(g.challenge.nonce)).toHaveLength(32);
    expect(g.auth.headers['set-cookie']).toMatch(/^kbs-session-id=[0-9a-f-]{36}; Max-Age=300/);
    expect(g.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // The expected report data is SHA-384 of the canonical runtime-data JSON, zero-padded to 64 bytes.
    const jwk = toJwk(g.tee);
    const canonical = `{"nonce":"${g.challenge.nonce}","tee-pubkey":{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}}`;
    expect(canonicalJson(g.body['runtime-data'])).toBe(canonical);
    const h = createHash('sha384').update(canonical).digest();
    expect(toHex(calls[0].request.expectedReportData)).toBe(h.toString('hex') + '00'.repeat(16));
    expect(calls[0].request.nonce).toEqual(fromBase64(g.challenge.nonce));
    expect(calls[0].request.tee).toBe('snp');

    const { token } = ok(g.res);
    const [hh, pp, ss] = token.split('.');
    const kbsKey = createPublicKey({ key: kbs.publicJwk as JsonWebKey, format: 'jwk' });
    expect(
      osslVerify('sha256', utf8(`${hh}.${pp}`), { key: kbsKey, dsaEncoding: 'ieee-p1363' }, fromBase64(ss)),
    ).toBe(true);
    const claims = inspectJws(token).payload as unknown as KbsTokenClaims;
    expect(claims).toMatchObject({
      iss: kbs.issuer,
      iat: T0,
      exp: T0 + 300,
      jwk: kbs.publicJwk,
      'tee-pubkey': jwk,
      eat_profile: 'tag:github.com,2023:veraison/ear',
    });
    expect(claims.submods.cpu0['ear.status']).toBe('affirming');

    for (const credential of [g.sessionId, token]) {
      const wrapped = ok(kbs.getResource(credential, RESOURCE));
      expect(Object.keys(wrapped)).toEqual(['alg', 'epk', 'iv', 'ciphertext', 'tag']);
      expect(unwrapSecret(g.tee, wrapped)).toEqual(SECRET);
      expect(() => unwrapSecret(generateKeyPair('p256', seededDrbg('host')), wrapped)).toThrow(
        AuthenticationError,
      );
    }
  });

  it('canonical JSON ignores key order and whitespace, and refuses values JSON cannot carry', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe(
      '{"a":true,"b":[1,{"c":null,"d":"x"}]}',
    );
    expect(runtimeDataReportData({ b: 1, a: 2 })).toEqual(runtimeDataReportData({ a: 2, b: 1 }));
    expect(runtimeDataReportData({ a: 1 }, 'sha512')).toHaveLength(64);
    expect(() => canonicalJson({ a: NaN })).toThrow(RangeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});

describe('KBS wrong paths', () => {
  const unauthorised = (r: KbsResponse<unknown>, type: string, detail?: RegExp) => {
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ type: `https://github.com/confidential-containers/kbs/errors/${type}` });
    if (detail) expect((r.body as { detail: string }).detail).toMatch(detail);
    expect(r.body).not.toHaveProperty('token');
  };

  it('no session → 401 (attest and resource)', () => {
    const { kbs } = world();
    const drbg = seededDrbg('g');
    const g = guest(kbs, drbg);
    unauthorised(kbs.attest('', g.body), 'MissingCookie');
    unauthorised(kbs.attest('00000000-0000-4000-8000-000000000000', g.body), 'InvalidCookie');
    unauthorised(kbs.getResource('', RESOURCE), 'TokenNotFound');
    unauthorised(kbs.getResource('no-such-session', RESOURCE), 'InvalidCookie');
  });

  it('a session that was challenged but not attested → 401', () => {
    const { kbs } = world();
    const a = kbs.auth({ version: '0.4.0', tee: 'tdx' });
    unauthorised(kbs.getResource(a.sessionId ?? '', RESOURCE), 'UnAuthenticatedCookie');
  });

  it('malformed /auth: unsupported protocol version → 401, unknown TEE → 400', () => {
    const { kbs } = world();
    expect(kbs.auth({ version: '1.0.0', tee: 'snp' }).status).toBe(401);
    expect(kbs.auth({ version: '0.4.0', tee: 'pdp-11' as 'snp' }).status).toBe(400);
  });

  it('wrong nonce → 401 and no token; the session stays unauthenticated', () => {
    const { kbs } = world();
    const g = guest(kbs, seededDrbg('g'), { nonce: toBase64Url(new Uint8Array(32).fill(7)) });
    unauthorised(g.res, 'AttestationFailed', /not the nonce issued for this session/);
    unauthorised(kbs.getResource(g.sessionId, RESOURCE), 'UnAuthenticatedCookie');
  });

  it('contraindicated appraisal (debug guest, forged evidence) → 401, no token, and the reasons', () => {
    const { kbs } = world();
    const debug = guest(kbs, seededDrbg('g1'), { debug: true });
    unauthorised(debug.res, 'AttestationFailed', /contraindicated.*debug enabled/);
    unauthorised(kbs.getResource(debug.sessionId, RESOURCE), 'UnAuthenticatedCookie');

    const honest = guest(kbs, seededDrbg('g2'));
    const a = kbs.auth({ version: '0.4.0', tee: 'snp' });
    const forged = fromBase64(honest.body['tee-evidence']);
    forged[10] ^= 1;
    const r = kbs.attest(a.sessionId ?? '', { ...honest.body, 'tee-evidence': toBase64(forged) });
    unauthorised(r, 'AttestationFailed');
  });

  it('evidence bound to another key (key substitution by the host) → 401', () => {
    const { kbs } = world();
    const attacker = toJwk(generateKeyPair('p256', seededDrbg('attacker')));
    // The evidence binds the guest's key, but the runtime data sent carries the attacker's key.
    const g = guest(kbs, seededDrbg('g'), { bindTo: (sent) => ({ ...sent, 'tee-pubkey': attacker }) });
    unauthorised(g.res, 'AttestationFailed', /freshness: report data/);
  });

  it('replayed evidence with an old nonce → 401, on a new session and on the old one', () => {
    const { kbs } = world();
    const first = guest(kbs, seededDrbg('g'));
    ok(first.res);
    const a = kbs.auth({ version: '0.4.0', tee: 'snp' });
    unauthorised(kbs.attest(a.sessionId ?? '', first.body), 'AttestationFailed', /stale or replayed/);
    unauthorised(kbs.attest(first.sessionId, first.body), 'AttestationFailed', /already answered/);
  });

  it('policy denial → 403: a warning verdict under affirmingOnly, anything under denyAll', () => {
    const { kbs } = world();
    const unknown = guest(kbs, seededDrbg('g'), { measurement: measurementOf('someone else') });
    const { token } = ok(unknown.res); // warning: a token is issued, the policy decides
    for (const credential of [unknown.sessionId, token]) {
      const r = kbs.getResource(credential, RESOURCE);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({
        type: 'https://github.com/confidential-containers/kbs/errors/PolicyDeny',
      });
      expect(JSON.stringify(r.body)).toMatch(/cpu0 is warning/);
    }
    // The policy runs before the existence check: a denied requester cannot probe what exists.
    expect(kbs.getResource(token, 'default/key/does-not-exist').status).toBe(403);
    kbs.setPolicy(allowAll);
    expect(kbs.getResource(token, RESOURCE).status).toBe(200);

    const good = guest(kbs, seededDrbg('g2'));
    kbs.setPolicy(denyAll);
    expect(kbs.getResource(good.sessionId, RESOURCE).status).toBe(403);
    kbs.setPolicy(() => {
      throw new Error('policy bug');
    });
    expect(kbs.getResource(good.sessionId, RESOURCE)).toMatchObject({
      status: 403,
      body: { detail: /policy bug/ },
    });
    kbs.setPolicy(affirmingOnly);
    expect(kbs.getResource(good.sessionId, RESOURCE).status).toBe(200);
  });

  it('missing resource → 404, bad path → 404', () => {
    const { kbs } = world();
    const g = guest(kbs, seededDrbg('g'));
    expect(kbs.getResource(g.sessionId, 'default/key/nope')).toMatchObject({
      status: 404,
      body: { type: 'https://github.com/confidential-containers/kbs/errors/ResourceNotFound' },
    });
    for (const bad of ['default/key', 'a/b/c/d', 'default/../db', 'default/key/', '', 'a/b/c d', 'a/./b']) {
      expect(kbs.getResource(g.sessionId, bad), bad).toMatchObject({
        status: 404,
        body: { type: 'https://github.com/confidential-containers/kbs/errors/InvalidRequestPath' },
      });
      expect(parseResourcePath(bad).ok).toBe(false);
    }
    expect(() => kbs.setResource('../etc/passwd', SECRET)).toThrow(RangeError);
  });

  it('token expired → 401; session expired → 401', () => {
    const w = world();
    const g = guest(w.kbs, seededDrbg('g'));
    const { token } = ok(g.res);
    w.advance(299);
    expect(w.kbs.getResource(token, RESOURCE).status).toBe(200);
    expect(w.kbs.getResource(g.sessionId, RESOURCE).status).toBe(200);
    w.advance(1);
    unauthorised(w.kbs.getResource(token, RESOURCE), 'TokenInvalid', /expired/);
    unauthorised(w.kbs.getResource(g.sessionId, RESOURCE), 'ExpiredCookie');
  });

  it('a challenge answered too late → 401', () => {
    const w = world();
    const a = w.kbs.auth({ version: '0.4.0', tee: 'snp' });
    w.advance(301);
    unauthorised(w.kbs.attest(a.sessionId ?? '', {} as KbsAttestation), 'ExpiredCookie');
  });

  it('token from another KBS key → 401; a token with a tampered claim → 401', () => {
    const ours = world(1);
    const theirs = world(2);
    const g = guest(theirs.kbs, seededDrbg('g'));
    const { token } = ok(g.res);
    unauthorised(ours.kbs.getResource(token, RESOURCE), 'TokenInvalid', /does not verify/);
    const [h, , s] = token.split('.');
    const claims = inspectJws(token).payload;
    const widened = toBase64Url(utf8(JSON.stringify({ ...claims, exp: T0 + 99999 })));
    unauthorised(theirs.kbs.getResource(`${h}.${widened}.${s}`, RESOURCE), 'TokenInvalid');
    expect(verifyJws(token, theirs.kbs.publicKey, { now: T0 }).ok).toBe(true);
  });
});

// ---- the invariant, over random call sequences ----

type Variant =
  | 'good'
  | 'unknown-measurement'
  | 'old-tcb'
  | 'debug'
  | 'tampered'
  | 'wrong-nonce'
  | 'key-substitution'
  | 'replay';
type Cmd =
  | { k: 'auth' }
  | { k: 'attest'; s: number; variant: Variant }
  | { k: 'get'; cred: 'session' | 'token' | 'garbage' | 'foreign'; s: number; path: number }
  | { k: 'tick'; dt: number }
  | { k: 'policy'; p: 'affirmingOnly' | 'denyAll' | 'allowAll' };

const POLICIES = { affirmingOnly, denyAll, allowAll };
const PATHS = [RESOURCE, 'default/key/missing', 'default/../db'];
const PASSING: readonly Variant[] = ['good', 'unknown-measurement', 'old-tcb'];

// Biased towards sequences that can release something, so the invariant is tested where it matters.
const variant = fc.oneof(
  { arbitrary: fc.constant<Variant>('good'), weight: 4 },
  {
    arbitrary: fc.constantFrom<Variant>(
      'unknown-measurement',
      'old-tcb',
      'debug',
      'tampered',
      'wrong-nonce',
      'key-substitution',
      'replay',
    ),
    weight: 3,
  },
);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.constant<Cmd>({ k: 'auth' }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('attest' as const), s: fc.nat(2), variant }), weight: 3 },
  {
    arbitrary: fc.record({
      k: fc.constant('get' as const),
      cred: fc.constantFrom('session' as const, 'token' as const, 'garbage' as const, 'foreign' as const),
      s: fc.nat(2),
      path: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(2), weight: 1 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ k: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 150 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('policy' as const),
      p: fc.constantFrom('affirmingOnly' as const, 'denyAll' as const, 'allowAll' as const),
    }),
    weight: 1,
  },
);

interface SessionModel {
  id: string;
  nonce: string;
  key?: KeyPair;
  token?: string;
  passedResult?: AttestationResult;
}

const SECRET_FORMS = [new TextDecoder().decode(SECRET), toBase64(SECRET), toBase64Url(SECRET), toHex(SECRET)];

/** Runs a call sequence, checks the invariant after every call, and returns every response as JSON. */
function run(seed: number, cmds: Cmd[]): string[] {
  const w = world(seed);
  const foreign = world(seed + 1);
  const foreignToken = ok(guest(foreign.kbs, seededDrbg('foreign')).res).token;
  const guestDrbg = seededDrbg(seed, 'guests');
  const sessions: SessionModel[] = [];
  let policy: ResourcePolicy = affirmingOnly;
  let lastBody: KbsAttestation | undefined;
  const transcript: string[] = [];
  const record = (r: KbsResponse<unknown>) => {
    const json = JSON.stringify(r);
    for (const form of SECRET_FORMS) expect(json).not.toContain(form);
    transcript.push(json);
  };

  for (const c of cmds) {
    if (c.k === 'auth') {
      const r = w.kbs.auth({ version: '0.4.0', tee: 'snp' });
      record(r);
      sessions.push({ id: r.sessionId ?? '', nonce: ok(r).nonce });
    } else if (c.k === 'tick') {
      w.advance(c.dt);
    } else if (c.k === 'policy') {
      policy = POLICIES[c.p];
      w.kbs.setPolicy(policy);
    } else if (c.k === 'attest') {
      const s = sessions[c.s % Math.max(1, sessions.length)];
      if (!s || (c.variant === 'replay' && !lastBody)) continue;
      const key = generateKeyPair('p256', guestDrbg);
      const nonce = c.variant === 'wrong-nonce' ? toBase64Url(guestDrbg.generate(32)) : s.nonce;
      const runtimeData = { nonce, 'tee-pubkey': toJwk(key) };
      const bound =
        c.variant === 'key-substitution'
          ? { ...runtimeData, 'tee-pubkey': toJwk(generateKeyPair('p256', guestDrbg)) }
          : runtimeData;
      const evidence = fakeEvidence({
        measurement: c.variant === 'unknown-measurement' ? measurementOf('unknown') : GOOD,
        reportData: runtimeDataReportData(bound),
        debug: c.variant === 'debug',
        tcb: c.variant === 'old-tcb' ? 1 : 5,
      });
      if (c.variant === 'tampered') evidence[20] ^= 0x80;
      const body =
        c.variant === 'replay' && lastBody
          ? lastBody
          : { 'runtime-data': runtimeData, 'tee-evidence': toBase64(evidence) };
      const before = w.calls.length;
      const r = w.kbs.attest(s.id, body);
      record(r);
      if (r.status === 200) {
        // Issued only when this very call appraised this session's nonce and the verdict passed.
        expect(PASSING).toContain(c.variant);
        expect(w.calls.length).toBe(before + 1);
        const call = w.calls[before];
        expect(call.request.nonce).toEqual(fromBase64(s.nonce));
        expect(['affirming', 'warning']).toContain(call.result.status);
        s.key = key;
        s.token = r.body.token;
        s.passedResult = call.result;
      } else {
        expect(JSON.stringify(r.body)).not.toMatch(/"token"/);
      }
      if (c.variant !== 'replay') lastBody = body;
    } else {
      const s = sessions[c.s % Math.max(1, sessions.length)];
      const credential =
        c.cred === 'garbage'
          ? 'not-a-session'
          : c.cred === 'foreign'
            ? foreignToken
            : c.cred === 'token'
              ? (s?.token ?? '')
              : (s?.id ?? '');
      const r = w.kbs.getResource(credential, PATHS[c.path]);
      record(r);
      if (r.status === 200) {
        // THE invariant: a passed appraisal for this session, a policy that allows it, and the
        // secret readable only with the key that session attested.
        expect(c.cred === 'session' || c.cred === 'token').toBe(true);
        expect(s?.passedResult && s.key).toBeTruthy();
        if (!s?.passedResult || !s.key) continue;
        expect(
          policy(
            { submods: s.passedResult.submods },
            { repository: 'default', type: 'key', tag: 'db', path: RESOURCE },
          ).allow,
        ).toBe(true);
        expect(PATHS[c.path]).toBe(RESOURCE);
        expect(unwrapSecret(s.key, r.body)).toEqual(SECRET);
      }
    }
  }
  return transcript;
}

describe('KBS invariant (property)', () => {
  it('no secret leaves without a passed appraisal for that session and an allowing policy; same seed → same bytes', () => {
    let released = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(cmd, { minLength: 4, maxLength: 30, size: 'max' }),
        (seed, cmds) => {
          const a = run(seed, cmds);
          const b = run(seed, cmds);
          expect(b).toEqual(a); // byte-identical responses for the same seed and calls
          released += a.filter((j) => j.startsWith('{"status":200,"body":{"alg"')).length;
        },
      ),
      { seed: 0x4b42, numRuns: 150 },
    );
    expect(released).toBeGreaterThan(40); // the property was not passed vacuously
  });

  it('a different seed gives different nonces, session ids, tokens and envelopes', () => {
    const cmds: Cmd[] = [
      { k: 'auth' },
      { k: 'attest', s: 0, variant: 'good' },
      { k: 'get', cred: 'session', s: 0, path: 0 },
    ];
    const a = run(1, cmds);
    const b = run(2, cmds);
    expect(a).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(a[i]).not.toBe(b[i]);
  });
});
