import { createHash, createPublicKey, verify as osslVerify } from 'node:crypto';
import { Tagged } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8, toBase64Url } from '../../../src/core/crypto/bytes';
import { FormatError } from '../../../src/core/errors';
import {
  ccaLifecycleState,
  decodeCcaToken,
  demoCcaEvidence,
  demoCcaRealmMeasurements,
  encodeCcaToken,
  type CcaPlatformClaims,
  type CcaRealmClaims,
} from '../../../src/core/evidence/cca-token';
import { encodeCbor } from '../../../src/core/evidence/nitro-document';

const SEED = 0xcca;
const NONCE = new Uint8Array(64).fill(0x4e);

function p384Key(point: Uint8Array) {
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-384',
      x: toBase64Url(point.subarray(1, 49)),
      y: toBase64Url(point.subarray(49)),
    },
    format: 'jwk',
  });
}

function expectFormatError(bytes: Uint8Array, field?: string | RegExp): FormatError {
  let error: unknown;
  try {
    decodeCcaToken(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FormatError);
  const fe = error as FormatError;
  expect(fe.format).toBe('cca-token');
  if (typeof field === 'string') expect(fe.field).toBe(field);
  else if (field) expect(fe.field).toMatch(field);
  expect(fe.offset).toBeGreaterThanOrEqual(0);
  expect(fe.offset).toBeLessThanOrEqual(bytes.length);
  return fe;
}

const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const arbClaims = fc.constantFrom<'sha-256' | 'sha-512'>('sha-256', 'sha-512').chain((alg) => {
  const n = alg === 'sha-256' ? 32 : 64;
  const realm: fc.Arbitrary<CcaRealmClaims> = fc.record({
    challenge: bytesN(64),
    personalizationValue: bytesN(64),
    hashAlgo: fc.constant(alg),
    publicKey: bytesN(97),
    rim: bytesN(n),
    rems: fc.array(bytesN(n), { minLength: 4, maxLength: 4 }),
    publicKeyHashAlgo: fc.constantFrom<'sha-256' | 'sha-512'>('sha-256', 'sha-512'),
    profile: fc.constant('tag:arm.com,2023:realm#1.0.0'),
  });
  const platform: fc.Arbitrary<CcaPlatformClaims> = fc.record(
    {
      challenge: fc.constantFrom(32, 48, 64).chain(bytesN),
      instanceId: bytesN(33),
      profile: fc.string({ maxLength: 40 }),
      lifecycle: fc.nat({ max: 0xffff }),
      implementationId: bytesN(32),
      swComponents: fc.array(
        fc.record(
          {
            type: fc.string({ maxLength: 12 }),
            measurement: bytesN(32),
            version: fc.string({ maxLength: 8 }),
            signerId: bytesN(32),
            hashAlgo: fc.constant('sha-256'),
          },
          { requiredKeys: ['measurement', 'signerId'] },
        ),
        { maxLength: 5 },
      ),
      verificationService: fc.string({ maxLength: 30 }),
      config: fc.uint8Array({ maxLength: 8 }),
      hashAlgo: fc.constant('sha-256'),
    },
    {
      requiredKeys: [
        'challenge',
        'instanceId',
        'profile',
        'lifecycle',
        'implementationId',
        'swComponents',
        'config',
        'hashAlgo',
      ],
    },
  );
  return fc.record({ realm, platform });
});

describe('Arm CCA token', () => {
  const ev = demoCcaEvidence(SEED, { challenge: NONCE });

  it('is tag 399 around {44234: platform, 44241: realm}, each a tagged COSE_Sign1 in a byte string', () => {
    const t = ev.token;
    expect([...t.subarray(0, 3)]).toEqual([0xd9, 0x01, 0x8f]); // tag(399)
    expect(t[3]).toBe(0xa2); // map(2)
    expect([...t.subarray(4, 7)]).toEqual([0x19, 0xac, 0xca]); // 44234
    const d = decodeCcaToken(t);
    const [ps] = d.layout.platform ?? [0];
    expect([...t.subarray(ps, ps + 7)]).toEqual([0xd2, 0x84, 0x44, 0xa1, 0x01, 0x38, 0x22]);
    expect(d.realm.cose.tagged).toBe(true);
    expect(d.realm.claims.challenge).toEqual(NONCE);
    expect(d.realm.claims.publicKey).toEqual(ev.rak.publicKey);
    const { rim, rems } = demoCcaRealmMeasurements();
    expect(d.realm.claims.rim).toEqual(rim);
    expect(d.realm.claims.rems).toEqual(rems);
    const [rs, re] = d.layout['realm.rim'] ?? [0, 0];
    expect(t.subarray(rs, re)).toEqual(rim);
  });

  it('binds the realm to the platform: platform challenge = SHA-256(RAK public key)', () => {
    const d = decodeCcaToken(ev.token);
    expect(d.platform.claims.challenge).toEqual(
      new Uint8Array(createHash('sha256').update(ev.rak.publicKey).digest()),
    );
    expect(d.platform.claims.instanceId).toEqual(
      Uint8Array.of(1, ...createHash('sha256').update(ev.cpakPublicKey).digest()),
    );
  });

  it('OpenSSL verifies the realm token with the RAK and the platform token with the CPAK', () => {
    const d = decodeCcaToken(ev.token);
    const opts = (point: Uint8Array) => ({ key: p384Key(point), dsaEncoding: 'ieee-p1363' as const });
    expect(
      osslVerify('sha384', d.realm.cose.toBeSigned, opts(ev.rak.publicKey), d.realm.cose.signature),
    ).toBe(true);
    expect(
      osslVerify('sha384', d.platform.cose.toBeSigned, opts(ev.cpakPublicKey), d.platform.cose.signature),
    ).toBe(true);
    expect(
      osslVerify('sha384', d.platform.cose.toBeSigned, opts(ev.rak.publicKey), d.platform.cose.signature),
    ).toBe(false);
  });

  it('round trips claims (seeded property)', () => {
    const sign = () => new Uint8Array(96);
    fc.assert(
      fc.property(arbClaims, (claims) => {
        const d = decodeCcaToken(encodeCcaToken(claims, { platform: sign, realm: sign }));
        expect(d.realm.claims).toEqual(claims.realm);
        expect(d.platform.claims).toEqual(claims.platform);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('names lifecycle states as the PSA/CCA ranges do', () => {
    expect(ccaLifecycleState(0x3000)).toBe('secured');
    expect(ccaLifecycleState(0x30ff)).toBe('secured');
    expect(ccaLifecycleState(0x4000)).toBe('non-cca-platform-debug');
    expect(ccaLifecycleState(0x5000)).toBe('recoverable-cca-platform-debug');
    expect(ccaLifecycleState(0x6000)).toBe('decommissioned');
    expect(ccaLifecycleState(0x0000)).toBe('unknown');
    expect(ccaLifecycleState(0x4001)).toBe('invalid');
    expect(ccaLifecycleState(0x7000)).toBe('invalid');
  });

  it('refuses malformed tokens with the claim named and an offset', () => {
    const t = ev.token;
    for (let n = 0; n < t.length; n += 3) expectFormatError(t.subarray(0, n));
    const good = decodeCcaToken(t);
    const sign = () => new Uint8Array(96);
    const enc = (realm: Partial<CcaRealmClaims>, platform: Partial<CcaPlatformClaims> = {}) =>
      encodeCcaToken(
        { realm: { ...good.realm.claims, ...realm }, platform: { ...good.platform.claims, ...platform } },
        { platform: sign, realm: sign },
      );
    expect(() => enc({ challenge: new Uint8Array(63) })).toThrow(RangeError);
    // Build what the encoder refuses by hand: a token whose parts are not what the RMM writes.
    const wrap = (m: Map<number, unknown>) => encodeCbor(new Tagged(399, m));
    const [ps, pe] = good.layout.platform ?? [0, 0];
    const [rs, re] = good.layout.realm ?? [0, 0];
    const platform = t.slice(ps, pe);
    const realm = t.slice(rs, re);
    expectFormatError(wrap(new Map([[44234, platform]])), 'token');
    expectFormatError(
      wrap(
        new Map<number, unknown>([
          [44234, platform],
          [44241, 'realm'],
        ]),
      ),
      'realm',
    );
    expectFormatError(
      encodeCbor(
        new Map([
          [44234, platform],
          [44241, realm],
        ]),
      ),
      'token',
    );
    expectFormatError(
      encodeCbor(
        new Tagged(
          400,
          new Map([
            [44234, platform],
            [44241, realm],
          ]),
        ),
      ),
      'token',
    );
    expectFormatError(Uint8Array.of(...t, 0), 'token');
    const bad = (field: string, c: Map<number, unknown>) => {
      const payload = encodeCbor(c);
      const cose = encodeCbor(
        new Tagged(18, [Uint8Array.of(0xa1, 0x01, 0x38, 0x22), new Map(), payload, new Uint8Array(96)]),
      );
      expectFormatError(
        wrap(
          new Map<number, unknown>([
            [44234, platform],
            [44241, cose],
          ]),
        ),
        field,
      );
    };
    const realmMap = () =>
      new Map<number, unknown>([
        [10, NONCE],
        [44235, new Uint8Array(64)],
        [44236, 'sha-256'],
        [44237, ev.rak.publicKey],
        [44238, new Uint8Array(32)],
        [44239, [new Uint8Array(32), new Uint8Array(32), new Uint8Array(32), new Uint8Array(32)]],
        [44240, 'sha-256'],
      ]);
    bad('realm.challenge', realmMap().set(10, new Uint8Array(32)));
    bad('realm.hashAlgo', realmMap().set(44236, 'md5'));
    bad('realm.rim', realmMap().set(44238, new Uint8Array(64)));
    bad('realm.rems', realmMap().set(44239, [new Uint8Array(32)]));
    bad('realm.publicKey', realmMap().set(44237, utf8('not a key')));
    const missing = realmMap();
    missing.delete(44238);
    bad('realm.rim', missing);
  });

  it('mutated and random inputs only ever decode or throw a FormatError with an offset (seeded property)', () => {
    const t = ev.token;
    const mutated = fc
      .array(fc.tuple(fc.nat(t.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 })
      .map((flips) => {
        const b = t.slice();
        for (const [i, v] of flips) b[i] ^= v;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 400 })), (bytes) => {
        try {
          decodeCcaToken(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
          expect((e as FormatError).offset).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
