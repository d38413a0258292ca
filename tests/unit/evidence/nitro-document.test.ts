import { createHash, verify as osslVerify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Tagged } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, fromBase64, utf8 } from '../../../src/core/crypto/bytes';
import { digest } from '../../../src/core/crypto/hash';
import { FormatError } from '../../../src/core/errors';
import { demoNitroEvidence } from '../../../src/core/evidence/nitro-chain';
import {
  coseSigStructure,
  decodeNitroDocument,
  encodeCbor,
  encodeNitroDocument,
  encodeNitroPayload,
  ES384_PROTECTED_HEADER,
  NITRO_LIMITS,
  type NitroPayload,
} from '../../../src/core/evidence/nitro-document';
import { AWS_NITRO_ROOT_G1_SHA256, awsNitroRootG1Der } from '../../../src/core/evidence/nitro-roots';

const SEED = 0x6e17;
const real = (f: string) => fromBase64(readFileSync(`tests/fixtures/real/nitro/${f}`, 'utf8'));
const REAL = ['nitro_attestation.b64', 'nitro_attestation_debug.b64'];

/** The options the golden file was generated with (once, then committed). */
const goldenOptions = () => ({
  nonce: digest('sha256', utf8('ccte golden nonce')),
  userData: utf8('ccte golden document, seed 1'),
});

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A COSE_Sign1 around `payload` with a dummy signature: decoding never judges the signature. */
function coseAround(
  payload: Uint8Array,
  opts: { prot?: Uint8Array; unprot?: Map<number, unknown>; sig?: Uint8Array } = {},
) {
  return encodeCbor([
    opts.prot ?? ES384_PROTECTED_HEADER,
    opts.unprot ?? new Map(),
    payload,
    opts.sig ?? new Uint8Array(96),
  ]);
}

/** The demo payload as a raw CBOR map (NSM key order) that a test can break on purpose. */
function payloadMap(): Map<string, unknown> {
  const p = demoNitroEvidence(SEED).payload;
  return new Map<string, unknown>([
    ['module_id', p.moduleId],
    ['digest', p.digest],
    ['timestamp', p.timestamp],
    ['pcrs', new Map([...p.pcrs])],
    ['certificate', p.certificate],
    ['cabundle', p.cabundle],
    ['public_key', null],
    ['user_data', null],
    ['nonce', null],
  ]);
}

function expectFormatError(bytes: Uint8Array, field: string | RegExp, offset?: number): FormatError {
  let error: unknown;
  try {
    decodeNitroDocument(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FormatError);
  const fe = error as FormatError;
  expect(fe.format).toBe('nitro-document');
  if (typeof field === 'string') expect(fe.field).toBe(field);
  else expect(fe.field).toMatch(field);
  if (offset !== undefined) expect(fe.offset).toBe(offset);
  expect(fe.offset).toBeGreaterThanOrEqual(0);
  expect(fe.offset).toBeLessThanOrEqual(bytes.length);
  expect(fe.message).toMatch(/at offset 0x[0-9a-f]+/);
  return fe;
}

const arbPayload: fc.Arbitrary<NitroPayload> = fc.record(
  {
    moduleId: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
    digest: fc.constant('SHA384' as const),
    timestamp: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    pcrs: fc.uniqueArray(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 32 }).chain((idx) =>
      fc
        .array(fc.uint8Array({ minLength: 48, maxLength: 48 }), {
          minLength: idx.length,
          maxLength: idx.length,
        })
        .map((vals) => new Map(idx.sort((a, b) => a - b).map((i, k) => [i, vals[k]]))),
    ),
    certificate: fc.uint8Array({ minLength: 1, maxLength: 1024 }),
    cabundle: fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 4 }),
    publicKey: fc.option(fc.uint8Array({ minLength: 1, maxLength: 1024 }), { nil: undefined }),
    userData: fc.oneof(fc.constant(null), fc.constant(undefined), fc.uint8Array({ maxLength: 1024 })),
    nonce: fc.oneof(fc.constant(null), fc.constant(undefined), fc.uint8Array({ maxLength: 1024 })),
  },
  { requiredKeys: ['moduleId', 'digest', 'timestamp', 'pcrs', 'certificate', 'cabundle'] },
);

describe('Nitro attestation document: real NSM output', () => {
  it.each(REAL)('%s decodes, and its payload re-encodes to the NSM bytes exactly', (f) => {
    const bytes = real(f);
    const doc = decodeNitroDocument(bytes);
    expect(doc.cose.tagged).toBe(false);
    expect(doc.cose.alg).toBe(-35);
    expect(doc.payload.digest).toBe('SHA384');
    expect(doc.payload.moduleId).toMatch(/^i-0a22e5c5f24d22174-enc/);
    expect(doc.payload.pcrs.size).toBe(16);
    expect(doc.payload.cabundle).toHaveLength(4);
    expect(doc.payload.nonce).toEqual(new Uint8Array(1024).fill(1));
    expect(encodeNitroPayload(doc.payload)).toEqual(doc.cose.payload);
    // The layout points at the bytes it names.
    const [s, e] = doc.layout.nonce ?? [0, 0];
    expect(bytes.subarray(s, e)).toEqual(doc.payload.nonce);
    const [ps, pe] = doc.layout.pcr4 ?? [0, 0];
    expect(bytes.subarray(ps, pe)).toEqual(doc.payload.pcrs.get(4));
  });

  it('debug mode shows as all-zero PCRs except PCR4 in the real debug document', () => {
    const pcrs = decodeNitroDocument(real('nitro_attestation_debug.b64')).payload.pcrs;
    for (const [i, v] of pcrs) expect(v.every((b) => b === 0)).toBe(i !== 4);
  });

  it("pins AWS_NitroEnclaves_Root-G1: AWS's fingerprint, and the root of the real documents", () => {
    const der = awsNitroRootG1Der();
    expect(createHash('sha256').update(der).digest('hex')).toBe(AWS_NITRO_ROOT_G1_SHA256);
    const x = new X509Certificate(der);
    expect(x.subject).toBe('C=US\nO=Amazon\nOU=AWS\nCN=aws.nitro-enclaves');
    expect(x.verify(x.publicKey)).toBe(true);
    for (const f of REAL) expect(decodeNitroDocument(real(f)).payload.cabundle[0]).toEqual(der);
  });

  it('OpenSSL verifies the real signatures over our Sig_structure and the real chains to the AWS root', () => {
    for (const f of REAL) {
      const doc = decodeNitroDocument(real(f));
      const leaf = new X509Certificate(doc.payload.certificate);
      const tbs = coseSigStructure(doc.cose.protectedHeader, doc.cose.payload);
      expect(
        osslVerify('sha384', tbs, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, doc.cose.signature),
      ).toBe(true);
      const chain = [leaf, ...[...doc.payload.cabundle].reverse().map((d) => new X509Certificate(d))];
      for (let i = 0; i + 1 < chain.length; i++) expect(chain[i].verify(chain[i + 1].publicKey)).toBe(true);
    }
  });
});

describe('Nitro attestation document: our encoder', () => {
  it('round trips: decode(encode(payload)) = payload (seeded property)', () => {
    const sign = () => new Uint8Array(96);
    fc.assert(
      fc.property(arbPayload, (p) => {
        const doc = decodeNitroDocument(encodeNitroDocument(p, sign));
        expect(doc.payload).toEqual(p);
        expect(encodeNitroPayload(doc.payload)).toEqual(doc.cose.payload);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('still produces exactly the committed golden document for seed 1', () => {
    const golden = new Uint8Array(readFileSync('tests/fixtures/golden/nitro-document-seed1.cbor'));
    const ev = demoNitroEvidence(1, goldenOptions());
    expect(ev.document.length).toBe(golden.length);
    expect(bytesEqual(ev.document, golden)).toBe(true);
  });

  it('writes the NSM header bytes: untagged, protected A1 01 38 22, empty unprotected map', () => {
    const { document } = demoNitroEvidence(SEED);
    expect([...document.subarray(0, 7)]).toEqual([0x84, 0x44, 0xa1, 0x01, 0x38, 0x22, 0xa0]);
    const tagged = demoNitroEvidence(SEED, { tagged: true }).document;
    expect(tagged[0]).toBe(0xd2); // tag 18
    expect(tagged.subarray(1)).toEqual(document);
    expect(decodeNitroDocument(tagged).payload).toEqual(decodeNitroDocument(document).payload);
  });

  it('OpenSSL verifies our COSE_Sign1 signature (ieee-p1363 over the Sig_structure) and our DEMO chain', () => {
    const { document, chain } = demoNitroEvidence(SEED, { nonce: Uint8Array.of(1, 2, 3) });
    const doc = decodeNitroDocument(document);
    const leaf = new X509Certificate(doc.payload.certificate);
    // Build the Sig_structure independently of our helper: CBOR ["Signature1", h'A1013822', h'', payload].
    const tbs = encodeCbor([
      'Signature1',
      Uint8Array.of(0xa1, 0x01, 0x38, 0x22),
      new Uint8Array(0),
      doc.cose.payload,
    ]);
    expect(tbs).toEqual(doc.cose.toBeSigned);
    expect(
      osslVerify('sha384', tbs, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, doc.cose.signature),
    ).toBe(true);
    const certs = chain.leafFirst.map((d) => new X509Certificate(d));
    for (let i = 0; i + 1 < certs.length; i++) {
      expect(certs[i].verify(certs[i + 1].publicKey)).toBe(true);
      expect(certs[i].checkIssued(certs[i + 1])).toBe(true);
    }
    const root = certs.at(-1) as X509Certificate;
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.subject).toContain('OU=AWS (DEMO)');
  });

  it('refuses to encode what the NSM could not produce (RangeError/TypeError at the boundary)', () => {
    const p = demoNitroEvidence(SEED).payload;
    const sign = () => new Uint8Array(96);
    expect(() => encodeNitroDocument({ ...p, nonce: new Uint8Array(1025) }, sign)).toThrow(RangeError);
    expect(() => encodeNitroDocument({ ...p, pcrs: new Map([[32, new Uint8Array(48)]]) }, sign)).toThrow(
      RangeError,
    );
    expect(() => encodeNitroDocument({ ...p, pcrs: new Map([[0, new Uint8Array(32)]]) }, sign)).toThrow(
      RangeError,
    );
    expect(() => encodeNitroDocument({ ...p, moduleId: '' }, sign)).toThrow(TypeError);
    expect(() => encodeNitroDocument({ ...p, cabundle: [] }, sign)).toThrow(RangeError);
  });
});

describe('Nitro attestation document: malformed input', () => {
  const good = demoNitroEvidence(SEED, { nonce: new Uint8Array(16).fill(9) }).document;

  it('every truncation is a FormatError with an offset inside the input', () => {
    for (let n = 0; n < good.length; n++) expectFormatError(good.subarray(0, n), /.+/);
  });

  it('trailing bytes, indefinite lengths, non-minimal lengths and unknown tags are refused', () => {
    const trailing = Uint8Array.of(...good, 0x00);
    expectFormatError(trailing, 'COSE_Sign1', good.length);
    expectFormatError(Uint8Array.of(0x9f, ...good.subarray(1), 0xff), 'COSE_Sign1', 0);
    // 0x98 0x04 = array of 4 with a one-byte length: valid CBOR, but not the shortest form.
    expectFormatError(Uint8Array.of(0x98, 0x04, ...good.subarray(1)), 'COSE_Sign1', 0);
    expectFormatError(Uint8Array.of(0xd1, ...good), 'COSE_Sign1', 0); // tag 17 = COSE_Mac0
    expectFormatError(encodeCbor(new Tagged(18, 'x')), 'COSE_Sign1', 1);
  });

  it('refuses a wrong COSE shape: algorithm, unprotected headers, signature size, detached payload', () => {
    const payload = encodeNitroPayload(demoNitroEvidence(SEED).payload);
    expectFormatError(coseAround(payload, { prot: encodeCbor(new Map([[1, -7]])) }), 'protected.alg');
    expectFormatError(coseAround(payload, { prot: new Uint8Array(0) }), 'protected.alg');
    expectFormatError(coseAround(payload, { unprot: new Map([[4, utf8('kid')]]) }), 'unprotected');
    expectFormatError(coseAround(payload, { sig: new Uint8Array(64) }), 'signature');
    expectFormatError(encodeCbor([ES384_PROTECTED_HEADER, new Map(), null, new Uint8Array(96)]), 'payload');
    expectFormatError(encodeCbor([ES384_PROTECTED_HEADER, new Map(), payload]), 'COSE_Sign1', 0);
    expectFormatError(coseAround(new Uint8Array(NITRO_LIMITS.payloadBytes + 1)), 'payload');
  });

  it.each([
    ['module_id', 'module_id', (m: Map<string, unknown>) => m.set('module_id', utf8('bytes'))],
    ['module_id', 'empty module_id', (m: Map<string, unknown>) => m.set('module_id', '')],
    ['digest', 'unknown digest', (m: Map<string, unknown>) => m.set('digest', 'SHA256')],
    ['timestamp', 'negative timestamp', (m: Map<string, unknown>) => m.set('timestamp', -1)],
    ['timestamp', 'zero timestamp', (m: Map<string, unknown>) => m.set('timestamp', 0)],
    ['pcrs', 'pcrs as an array', (m: Map<string, unknown>) => m.set('pcrs', [new Uint8Array(48)])],
    ['pcrs', 'no PCRs', (m: Map<string, unknown>) => m.set('pcrs', new Map())],
    ['pcr0', 'a 32-byte PCR', (m: Map<string, unknown>) => m.set('pcrs', new Map([[0, new Uint8Array(32)]]))],
    ['pcrs index', 'PCR 32', (m: Map<string, unknown>) => m.set('pcrs', new Map([[32, new Uint8Array(48)]]))],
    [
      'pcrs index',
      'a text PCR index',
      (m: Map<string, unknown>) => m.set('pcrs', new Map([['0', new Uint8Array(48)]])),
    ],
    [
      'certificate',
      'an empty certificate',
      (m: Map<string, unknown>) => m.set('certificate', new Uint8Array(0)),
    ],
    [
      'certificate',
      'an oversized certificate',
      (m: Map<string, unknown>) => m.set('certificate', new Uint8Array(1025)),
    ],
    ['cabundle', 'an empty cabundle', (m: Map<string, unknown>) => m.set('cabundle', [])],
    [
      'cabundle[1]',
      'a text cabundle entry',
      (m: Map<string, unknown>) => m.set('cabundle', [new Uint8Array(1), 'x']),
    ],
    [
      'public_key',
      'an empty public key',
      (m: Map<string, unknown>) => m.set('public_key', new Uint8Array(0)),
    ],
    [
      'user_data',
      'user data of 1025 bytes',
      (m: Map<string, unknown>) => m.set('user_data', new Uint8Array(1025)),
    ],
    ['nonce', 'a text nonce', (m: Map<string, unknown>) => m.set('nonce', 'n-once')],
    ['nonce', 'a 1025-byte nonce', (m: Map<string, unknown>) => m.set('nonce', new Uint8Array(1025))],
    ['extra', 'an unknown field', (m: Map<string, unknown>) => m.set('extra', 1)],
    ['payload key', 'an integer key', (m: Map<string, unknown>) => m.set(7 as unknown as string, 1)],
    ['pcrs', 'a missing mandatory field', (m: Map<string, unknown>) => m.delete('pcrs')],
  ])('refuses %s (%s) with the field named', (field, _what, mutate) => {
    const m = payloadMap();
    mutate(m);
    const bytes = coseAround(encodeCbor(m));
    const fe = expectFormatError(bytes, field);
    expect(fe.offset).toBeGreaterThanOrEqual(10); // inside the payload (which starts at 10), not the envelope
  });

  it('names the exact offset of a bad value', () => {
    const m = payloadMap();
    m.set('digest', 'SHA512');
    const bytes = coseAround(encodeCbor(m));
    expectFormatError(bytes, 'digest', indexOfBytes(bytes, encodeCbor('SHA512')));
    const n = payloadMap();
    n.set('nonce', 'text');
    const b2 = coseAround(encodeCbor(n));
    expectFormatError(b2, 'nonce', indexOfBytes(b2, encodeCbor('text')));
  });

  it('refuses duplicate keys and text that is not UTF-8', () => {
    const payload = encodeNitroPayload(demoNitroEvidence(SEED).payload);
    // Rewrite the map header from 9 to 10 entries and append a second "digest".
    const dup = Uint8Array.of(0xaa, ...payload.subarray(1), ...encodeCbor('digest'), ...encodeCbor('SHA384'));
    expectFormatError(coseAround(dup), 'payload');
    const m = payloadMap();
    m.set('module_id', 'i-0123456789abcdef0-enc0123');
    const bytes = encodeCbor(m);
    const at = indexOfBytes(bytes, utf8('i-0123'));
    bytes[at] = 0xff; // a lone 0xff is never UTF-8
    expectFormatError(coseAround(bytes), 'payload');
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    const deep = new Uint8Array(200_000).fill(0x81); // [[[[…
    expectFormatError(deep, 'COSE_Sign1');
    const payload = Uint8Array.of(...new Uint8Array(40).fill(0x81), 0x00);
    expectFormatError(coseAround(payload), 'payload');
  });

  it('mutated and random inputs only ever decode or throw a FormatError with an offset (seeded property)', () => {
    const mutated = fc
      .array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const b = good.slice();
        for (const [i, x] of flips) b[i] ^= x;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 512 })), (bytes) => {
        const t = performance.now();
        try {
          decodeNitroDocument(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
          const fe = e as FormatError;
          expect(fe.offset).toBeGreaterThanOrEqual(0);
          expect(fe.offset).toBeLessThanOrEqual(bytes.length);
        }
        expect(performance.now() - t).toBeLessThan(1000);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
