import { createDecipheriv, createECDH, createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../src/core/crypto/aes-gcm';
import { concatBytes, utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import { FormatError } from '../../../src/core/errors';
import {
  decodeArcb,
  decodeSeMeasuredData,
  decodeSeResponse,
  demoIbmSeEvidence,
  encodeSeMeasuredData,
  encodeSeResponse,
  openArcb,
  sealArcb,
  SE_MEASURED_LAYOUT as M,
  seMeasurement,
  type SeMeasuredData,
} from '../../../src/core/evidence/ibm-se';

const SEED = 0x5e;
const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const arbMeasured: fc.Arbitrary<SeMeasuredData> = fc.record(
  {
    pld: bytesN(64),
    ald: bytesN(64),
    tld: bytesN(64),
    tag: bytesN(16),
    configUid: bytesN(16),
    userData: fc.uint8Array({ maxLength: 256 }),
    nonce: bytesN(16),
    additionalData: fc.uint8Array({ maxLength: 300 }),
  },
  { requiredKeys: ['pld', 'ald', 'tld', 'tag', 'configUid', 'userData', 'additionalData'] },
);

function expectFormatError(f: () => unknown): FormatError {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

describe('IBM Secure Execution attestation', () => {
  it('lays the measured data out as pvattest does, and HMAC-SHA512 over it matches OpenSSL', () => {
    const d: SeMeasuredData = {
      pld: new Uint8Array(64).fill(1),
      ald: new Uint8Array(64).fill(2),
      tld: new Uint8Array(64).fill(3),
      tag: new Uint8Array(16).fill(4),
      configUid: new Uint8Array(16).fill(5),
      userData: utf8('user'),
      nonce: new Uint8Array(16).fill(6),
      additionalData: Uint8Array.of(7, 7, 7),
    };
    const b = encodeSeMeasuredData(d);
    expect(b.length).toBe(232 + 4 + 16 + 3);
    expect(b.subarray(...M.tag)).toEqual(d.tag);
    expect(b.subarray(...M.configUid)).toEqual(d.configUid);
    expect([...b.subarray(224, 232)]).toEqual([0, 4, 0, 0, 0, 0, 0, 3]); // u16 BE, 0000, u32 BE
    expect(b.subarray(232, 236)).toEqual(d.userData);
    expect(b.subarray(236, 252)).toEqual(d.nonce);
    const key = new Uint8Array(64).fill(9);
    expect(seMeasurement(key, d)).toEqual(new Uint8Array(createHmac('sha512', key).update(b).digest()));
  });

  it('round trips measured data and responses (seeded property)', () => {
    fc.assert(
      fc.property(arbMeasured, (d) => {
        expect(decodeSeMeasuredData(encodeSeMeasuredData(d), d.nonce !== undefined)).toEqual(d);
        const r = {
          measurement: d.pld,
          configUid: d.configUid,
          userData: d.userData,
          additionalData: d.additionalData,
        };
        const back = decodeSeResponse(encodeSeResponse(r));
        expect({ ...back, ranges: undefined }).toEqual({ ...r, ranges: undefined });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('seals the ARCB so only the UV with the host key opens it; OpenSSL ECDH and AES-GCM agree', () => {
    const drbg = seededDrbg('arcb');
    const host = generateKeyPair('p384', drbg.fork('host'));
    const other = generateKeyPair('p384', drbg.fork('other'));
    const secrets = { measurementKey: drbg.generate(64), nonce: drbg.generate(16) };
    const arcb = sealArcb([other.publicKey, host.publicKey], secrets, drbg.fork('seal'));
    const opened = openArcb(arcb, host);
    expect(opened.measurementKey).toEqual(secrets.measurementKey);
    expect(opened.nonce).toEqual(secrets.nonce);
    expect(openArcb(arcb, other).measurementKey).toEqual(secrets.measurementKey);
    const stranger = generateKeyPair('p384', drbg.fork('stranger'));
    expect(() => openArcb(arcb, stranger)).toThrow(FormatError);

    // Independently with OpenSSL: ECDH, unwrap the protection key, decrypt the secrets.
    const a = decodeArcb(arcb);
    const ecdh = createECDH('secp384r1');
    ecdh.setPrivateKey(host.privateKey);
    const shared = ecdh.computeSecret(a.customerPublicKey);
    const kek = createHash('sha256')
      .update(concatBytes(utf8('ccte ibm-se arcb slot'), shared))
      .digest();
    const slot = a.slots[1];
    const gcm = (key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad?: Uint8Array) => {
      const d = createDecipheriv('aes-256-gcm', key, iv);
      if (aad) d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
    };
    const protectionKey = gcm(kek, slot.hostKeyHash.subarray(0, 12), slot.wrappedKey);
    expect(gcm(protectionKey, a.iv, a.sealedSecrets, a.header)).toEqual(
      concatBytes(secrets.measurementKey, secrets.nonce),
    );

    // The header is authenticated: flipping a flag makes the UV refuse the request.
    const tampered = arcb.slice();
    tampered[20] ^= 1; // inside the IV
    expect(() => openArcb(tampered, host)).toThrow(AuthenticationError);
  });

  it('the demo exchange yields a response whose HMAC the verifier can recompute', () => {
    const ev = demoIbmSeEvidence(SEED, { userData: utf8('hello') });
    const r = decodeSeResponse(ev.response);
    expect(r.userData).toEqual(utf8('hello'));
    expect(r.configUid).toEqual(ev.configUid);
    const expected = seMeasurement(ev.verifierSecrets.measurementKey, {
      ...ev.image,
      configUid: r.configUid,
      userData: r.userData,
      nonce: ev.verifierSecrets.nonce,
      additionalData: r.additionalData,
    });
    expect(r.measurement).toEqual(expected);
    expect(demoIbmSeEvidence(SEED, { userData: utf8('hello') }).response).toEqual(ev.response);
  });

  it('refuses malformed responses, measured data and ARCBs with field and offset', () => {
    const { response, arcb } = demoIbmSeEvidence(SEED, {
      userData: utf8('abc'),
      additionalData: Uint8Array.of(1),
    });
    for (let n = 0; n < response.length; n++)
      expectFormatError(() => decodeSeResponse(response.subarray(0, n)));
    expect(expectFormatError(() => decodeSeResponse(concatBytes(response, Uint8Array.of(0)))).field).toBe(
      'end',
    );
    const long = response.slice();
    long[80] = 0x01; // user data length 0x0103 > 256
    expect(expectFormatError(() => decodeSeResponse(long))).toMatchObject({
      field: 'user data length',
      offset: 80,
    });
    const measured = encodeSeMeasuredData({
      pld: new Uint8Array(64),
      ald: new Uint8Array(64),
      tld: new Uint8Array(64),
      tag: new Uint8Array(16),
      configUid: new Uint8Array(16),
      userData: new Uint8Array(0),
      additionalData: new Uint8Array(0),
    });
    measured[227] = 1;
    expect(expectFormatError(() => decodeSeMeasuredData(measured, false))).toMatchObject({
      field: 'reserved',
      offset: 227,
    });
    for (let n = 0; n < arcb.length; n += 7) expectFormatError(() => decodeArcb(arcb.subarray(0, n)));
    const v2 = arcb.slice();
    v2[2] = 2;
    expect(expectFormatError(() => decodeArcb(v2))).toMatchObject({ field: 'version', offset: 0 });
  });

  it('random and mutated responses and ARCBs only ever decode or throw a FormatError (seeded property)', () => {
    const { response, arcb } = demoIbmSeEvidence(SEED);
    const flip = (src: Uint8Array) =>
      fc.tuple(fc.nat(src.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const b = src.slice();
        b[i] ^= x;
        return b;
      });
    for (const [parse, src] of [
      [decodeSeResponse, response],
      [decodeArcb, arcb],
    ] as const) {
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), flip(src)), (b) => {
          try {
            parse(b);
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError);
            expect((e as FormatError).offset).toBeLessThanOrEqual(b.length);
          }
        }),
        { seed: SEED, numRuns: 2000 },
      );
    }
  });
});
