/**
 * Arm CCA attestation token (draft-ffm-rats-cca-token; RMM specification "Attestation token"): a
 * composite of two COSE_Sign1 tokens in CBOR tag 399, `{44234: platform token, 44241: realm token}`,
 * each a byte string holding a tagged COSE_Sign1.
 *
 * - The realm token is signed by the Realm Attestation Key (RAK, ECDSA P-384, ES384), which the RMM
 *   holds; it carries the verifier's 64-byte challenge, the Realm Personalization Value, the RIM and
 *   four REMs, and the RAK's own public key.
 * - The platform token is signed by the CCA Platform Attestation Key (CPAK) in the HES/RSS; its
 *   challenge is H(RAK public key), which is how the platform vouches for that RAK. It describes the
 *   platform: instance ID, lifecycle state, implementation ID, firmware components.
 *
 * Simplified (and said so): the RAK public key is carried as a raw SEC1 point (draft-ffm-rats-cca-token
 * -00; later RMM releases wrap it in a COSE_Key), the newer CMW form (tag 907) is not produced, and
 * the instance ID is 0x01 ‖ SHA-256(CPAK point), the PSA convention for a key-derived UEID. The CBOR
 * and COSE_Sign1 code is shared with the Nitro document (nitro-document.ts).
 */
import { Tagged } from 'cborg';
import { assertBytes, concatBytes, utf8 } from '../crypto/bytes';
import { seededDrbg, type Seed } from '../crypto/drbg';
import { generateKeyPair, isValidPublicKey, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { RealmMeasurements } from '../measure/cca';
import {
  cborExpect,
  contentRange,
  coseSign1FromNode,
  encodeCbor,
  encodeCoseSign1,
  ES384_PROTECTED_HEADER,
  es384Signer,
  readCbor,
  type ByteRange,
  type CborNode,
  type CoseSign1,
  type CoseSigner,
} from './nitro-document';

const FORMAT = 'cca-token';
const x = cborExpect(FORMAT);

export const CCA_TOKEN_TAG = 399;
export const CCA_PLATFORM_TOKEN = 44234;
export const CCA_REALM_TOKEN = 44241;

/** Realm token claim keys. */
export const REALM_CLAIM = {
  challenge: 10,
  profile: 265,
  personalizationValue: 44235,
  hashAlgo: 44236,
  publicKey: 44237,
  rim: 44238,
  rems: 44239,
  publicKeyHashAlgo: 44240,
} as const;

/** Platform token claim keys. */
export const PLATFORM_CLAIM = {
  challenge: 10,
  instanceId: 256,
  profile: 265,
  lifecycle: 2395,
  implementationId: 2396,
  swComponents: 2399,
  verificationService: 2400,
  config: 2401,
  hashAlgo: 2402,
} as const;

/** Software component keys (PSA token). */
export const SW_COMPONENT = { type: 1, measurement: 2, version: 4, signerId: 5, hashAlgo: 6 } as const;

export const CCA_REALM_PROFILE = 'tag:arm.com,2023:realm#1.0.0';
export const CCA_PLATFORM_PROFILE = 'tag:arm.com,2023:cca_platform#1.0.0';

/** Hash algorithm names as the tokens spell them (IANA "Named Information Hash Algorithm"). */
export type CcaHashName = 'sha-256' | 'sha-384' | 'sha-512';
const HASHES = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' } as const;
const HASH_SIZE = { 'sha-256': 32, 'sha-384': 48, 'sha-512': 64 } as const;

export function isCcaHashName(s: string): s is CcaHashName {
  return s in HASHES;
}

/** Lifecycle states by their high byte (PSA security lifecycle): only "secured" may be trusted. */
export type CcaLifecycleState =
  | 'unknown'
  | 'assembly-and-test'
  | 'cca-platform-rot-provisioning'
  | 'secured'
  | 'non-cca-platform-debug'
  | 'recoverable-cca-platform-debug'
  | 'decommissioned'
  | 'invalid';

export function ccaLifecycleState(lifecycle: number): CcaLifecycleState {
  const states: Record<number, CcaLifecycleState> = {
    0x00: 'unknown',
    0x10: 'assembly-and-test',
    0x20: 'cca-platform-rot-provisioning',
    0x30: 'secured',
    0x40: 'non-cca-platform-debug',
    0x50: 'recoverable-cca-platform-debug',
    0x60: 'decommissioned',
  };
  if (lifecycle > 0xffff) return 'invalid';
  // Within each state only the secured range 0x3000–0x30FF carries a sub-state; others are exact.
  const high = lifecycle >> 8;
  if (high === 0x30) return 'secured';
  return (lifecycle & 0xff) === 0 ? (states[high] ?? 'invalid') : 'invalid';
}

export interface CcaRealmClaims {
  /** The verifier's nonce, 64 bytes. */
  challenge: Uint8Array;
  /** Realm Personalization Value, 64 bytes, chosen by the realm's owner at creation (RPV). */
  personalizationValue: Uint8Array;
  /** Hash used for RIM and REMs. */
  hashAlgo: CcaHashName;
  /** RAK public key, uncompressed P-384 point (97 bytes). */
  publicKey: Uint8Array;
  rim: Uint8Array;
  /** REM0–3. */
  rems: Uint8Array[];
  /** Hash of the RAK public key that the platform token's challenge carries. */
  publicKeyHashAlgo: CcaHashName;
  profile?: string;
}

export interface CcaSwComponent {
  type?: string;
  measurement: Uint8Array;
  version?: string;
  signerId: Uint8Array;
  hashAlgo?: string;
}

export interface CcaPlatformClaims {
  /** H(RAK public key) with the realm's publicKeyHashAlgo: 32, 48 or 64 bytes. */
  challenge: Uint8Array;
  /** 0x01 ‖ 32 bytes. */
  instanceId: Uint8Array;
  profile: string;
  lifecycle: number;
  implementationId: Uint8Array;
  swComponents: CcaSwComponent[];
  verificationService?: string;
  config: Uint8Array;
  hashAlgo: string;
}

/** Claim name → [start, end) in the whole token (byte strings: contents). */
export type CcaLayout = Partial<Record<string, ByteRange>>;

export interface CcaToken {
  platform: { cose: CoseSign1; claims: CcaPlatformClaims };
  realm: { cose: CoseSign1; claims: CcaRealmClaims };
  layout: CcaLayout;
}

// ---- encoding ----------------------------------------------------------------------------------

function realmClaimsMap(c: CcaRealmClaims): Map<number, unknown> {
  assertBytes(c.challenge, 'challenge', 64);
  assertBytes(c.personalizationValue, 'personalizationValue', 64);
  assertBytes(c.publicKey, 'publicKey', 97);
  const size = HASH_SIZE[c.hashAlgo];
  if (size === undefined)
    throw new RangeError(`hashAlgo: ${String(c.hashAlgo)} is not sha-256, -384 or -512`);
  assertBytes(c.rim, 'rim', size);
  if (c.rems.length !== 4) throw new RangeError(`rems: expected 4, got ${c.rems.length}`);
  c.rems.forEach((r, i) => assertBytes(r, `rems[${i}]`, size));
  const R = REALM_CLAIM;
  return new Map<number, unknown>([
    [R.profile, c.profile ?? CCA_REALM_PROFILE],
    [R.challenge, c.challenge],
    [R.personalizationValue, c.personalizationValue],
    [R.hashAlgo, c.hashAlgo],
    [R.publicKeyHashAlgo, c.publicKeyHashAlgo],
    [R.publicKey, c.publicKey],
    [R.rim, c.rim],
    [R.rems, c.rems],
  ]);
}

function platformClaimsMap(c: CcaPlatformClaims): Map<number, unknown> {
  if (![32, 48, 64].includes(c.challenge.length)) throw new RangeError('challenge: 32, 48 or 64 bytes');
  assertBytes(c.instanceId, 'instanceId', 33);
  assertBytes(c.implementationId, 'implementationId', 32);
  if (!Number.isInteger(c.lifecycle) || c.lifecycle < 0 || c.lifecycle > 0xffff) {
    throw new RangeError(`lifecycle: ${c.lifecycle} is not a u16`);
  }
  const P = PLATFORM_CLAIM;
  const S = SW_COMPONENT;
  const m = new Map<number, unknown>([
    [P.profile, c.profile],
    [P.challenge, c.challenge],
    [P.implementationId, c.implementationId],
    [P.instanceId, c.instanceId],
    [P.config, c.config],
    [P.lifecycle, c.lifecycle],
    [
      P.swComponents,
      c.swComponents.map((s) => {
        const e = new Map<number, unknown>();
        if (s.type !== undefined) e.set(S.type, s.type);
        e.set(S.measurement, s.measurement);
        if (s.version !== undefined) e.set(S.version, s.version);
        e.set(S.signerId, s.signerId);
        if (s.hashAlgo !== undefined) e.set(S.hashAlgo, s.hashAlgo);
        return e;
      }),
    ],
  ]);
  if (c.verificationService !== undefined) m.set(P.verificationService, c.verificationService);
  m.set(P.hashAlgo, c.hashAlgo);
  return m;
}

/** The platform challenge that binds a RAK: H(RAK public key). */
export function ccaRakBinding(rakPublicKey: Uint8Array, alg: CcaHashName): Uint8Array {
  return digest(HASHES[alg], rakPublicKey);
}

/** Instance ID of a platform whose CPAK is `cpakPublicKey`: 0x01 ‖ SHA-256(point). */
export function ccaInstanceId(cpakPublicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(0x01), digest('sha256', cpakPublicKey));
}

export function encodeCcaToken(
  claims: { platform: CcaPlatformClaims; realm: CcaRealmClaims },
  signers: { platform: CoseSigner; realm: CoseSigner },
): Uint8Array {
  const token = (payload: Map<number, unknown>, sign: CoseSigner) =>
    encodeCoseSign1({
      protectedHeader: ES384_PROTECTED_HEADER,
      payload: encodeCbor(payload),
      sign,
      tagged: true,
    });
  return encodeCbor(
    new Tagged(
      CCA_TOKEN_TAG,
      new Map<number, Uint8Array>([
        [CCA_PLATFORM_TOKEN, token(platformClaimsMap(claims.platform), signers.platform)],
        [CCA_REALM_TOKEN, token(realmClaimsMap(claims.realm), signers.realm)],
      ]),
    ),
  );
}

// ---- decoding ----------------------------------------------------------------------------------

function claimsOf(cose: CoseSign1, which: string): Map<number, CborNode> {
  const root = readCbor(cose.payload, {
    format: FORMAT,
    field: `${which} claims`,
    base: cose.ranges.payload[0],
  });
  const out = new Map<number, CborNode>();
  for (const [k, v] of x.map(`${which} claims`, root)) out.set(x.int(`${which} claim key`, k), v);
  return out;
}

function hashName(field: string, n: CborNode): CcaHashName {
  const s = x.text(field, n);
  if (!isCcaHashName(s)) x.fail(field, n, `unknown hash algorithm "${s}"`);
  return s as CcaHashName;
}

function decodeRealm(cose: CoseSign1, layout: CcaLayout, start: number): CcaRealmClaims {
  const m = claimsOf(cose, 'realm');
  const R = REALM_CLAIM;
  const need = (key: number, name: string): CborNode => {
    const n = m.get(key);
    if (!n) return x.fail(`realm.${name}`, start, `claim ${key} (${name}) is missing`);
    layout[`realm.${name}`] = contentRange(n);
    return n;
  };
  const hashAlgo = hashName('realm.hashAlgo', need(R.hashAlgo, 'hashAlgo'));
  const size = HASH_SIZE[hashAlgo];
  const remNodes = x.array('realm.rems', need(R.rems, 'rems'));
  if (remNodes.length !== 4)
    x.fail('realm.rems', need(R.rems, 'rems'), `${remNodes.length} REMs, expected 4`);
  const rems = remNodes.map((n, i) => {
    layout[`realm.rem${i}`] = contentRange(n);
    return x.bytes(`realm.rem${i}`, n, size, size).value;
  });
  const profile = m.get(R.profile);
  return {
    challenge: x.bytes('realm.challenge', need(R.challenge, 'challenge'), 64, 64).value,
    personalizationValue: x.bytes(
      'realm.personalizationValue',
      need(R.personalizationValue, 'personalizationValue'),
      64,
      64,
    ).value,
    hashAlgo,
    publicKey: x.bytes('realm.publicKey', need(R.publicKey, 'publicKey'), 97, 97).value,
    rim: x.bytes('realm.rim', need(R.rim, 'rim'), size, size).value,
    rems,
    publicKeyHashAlgo: hashName('realm.publicKeyHashAlgo', need(R.publicKeyHashAlgo, 'publicKeyHashAlgo')),
    ...(profile ? { profile: x.text('realm.profile', profile) } : {}),
  };
}

function decodePlatform(cose: CoseSign1, layout: CcaLayout, start: number): CcaPlatformClaims {
  const m = claimsOf(cose, 'platform');
  const P = PLATFORM_CLAIM;
  const need = (key: number, name: string): CborNode => {
    const n = m.get(key);
    if (!n) return x.fail(`platform.${name}`, start, `claim ${key} (${name}) is missing`);
    layout[`platform.${name}`] = contentRange(n);
    return n;
  };
  const challenge = x.bytes('platform.challenge', need(P.challenge, 'challenge'), 32, 64);
  if (![32, 48, 64].includes(challenge.value.length)) {
    x.fail('platform.challenge', challenge, `${challenge.value.length} bytes, expected 32, 48 or 64`);
  }
  const lifecycle = x.uint('platform.lifecycle', need(P.lifecycle, 'lifecycle'));
  if (lifecycle > 0xffff)
    x.fail('platform.lifecycle', need(P.lifecycle, 'lifecycle'), `${lifecycle} exceeds 0xffff`);
  const S = SW_COMPONENT;
  const swComponents = x
    .array('platform.swComponents', need(P.swComponents, 'swComponents'))
    .map((node, i) => {
      const f = `platform.swComponents[${i}]`;
      const e = new Map<number, CborNode>();
      for (const [k, v] of x.map(f, node)) e.set(x.int(`${f} key`, k), v);
      const measurement = e.get(S.measurement);
      const signerId = e.get(S.signerId);
      if (!measurement || !signerId)
        return x.fail(f, node, 'measurement (2) and signer ID (5) are mandatory');
      layout[`${f}.measurement`] = contentRange(measurement);
      const text = (key: number, name: string) => {
        const n = e.get(key);
        return n ? { [name]: x.text(`${f}.${name}`, n) } : {};
      };
      return {
        ...text(S.type, 'type'),
        measurement: x.bytes(`${f}.measurement`, measurement, 32, 64).value,
        ...text(S.version, 'version'),
        signerId: x.bytes(`${f}.signerId`, signerId, 32, 64).value,
        ...text(S.hashAlgo, 'hashAlgo'),
      } as CcaSwComponent;
    });
  const verificationService = m.get(P.verificationService);
  return {
    challenge: challenge.value,
    instanceId: x.bytes('platform.instanceId', need(P.instanceId, 'instanceId'), 33, 33).value,
    profile: x.text('platform.profile', need(P.profile, 'profile')),
    lifecycle,
    implementationId: x.bytes(
      'platform.implementationId',
      need(P.implementationId, 'implementationId'),
      32,
      32,
    ).value,
    swComponents,
    ...(verificationService
      ? { verificationService: x.text('platform.verificationService', verificationService) }
      : {}),
    config: x.bytes('platform.config', need(P.config, 'config')).value,
    hashAlgo: x.text('platform.hashAlgo', need(P.hashAlgo, 'hashAlgo')),
  };
}

/** Decodes and checks the structure of a CCA token; FormatError names the claim and its offset. */
export function decodeCcaToken(bytes: Uint8Array): CcaToken {
  assertBytes(bytes, 'bytes');
  const root = readCbor(bytes, { format: FORMAT, field: 'token', tags: [CCA_TOKEN_TAG] });
  if (root.kind !== 'tag' || root.tag !== CCA_TOKEN_TAG)
    x.fail('token', root, 'expected CBOR tag 399 (CCA token)');
  const outer = root.kind === 'tag' ? root.content : root;
  const parts = new Map<number, CborNode>();
  for (const [k, v] of x.map('token', outer)) parts.set(x.int('token key', k), v);
  const layout: CcaLayout = {};
  const part = (key: number, name: 'platform' | 'realm'): CoseSign1 => {
    const n = parts.get(key);
    if (!n) return x.fail(name, outer, `the ${name} token (${key}) is missing`);
    const b = x.bytes(name, n, 1);
    const inner = readCbor(b.value, {
      format: FORMAT,
      field: `${name} token`,
      base: b.contentStart,
      tags: [18],
    });
    const cose = coseSign1FromNode(inner, FORMAT);
    if (cose.alg !== -35)
      x.fail(
        `${name}.alg`,
        cose.ranges.alg?.[0] ?? b.contentStart,
        `COSE algorithm ${cose.alg ?? '(none)'} is not ES384 (-35)`,
      );
    if (cose.signature.length !== 96)
      x.fail(`${name}.signature`, cose.ranges.signature[0], `${cose.signature.length} bytes, ES384 needs 96`);
    layout[name] = contentRange(b);
    layout[`${name}.signature`] = cose.ranges.signature;
    layout[`${name}.payload`] = cose.ranges.payload;
    return cose;
  };
  if (parts.size !== 2)
    x.fail('token', outer, `${parts.size} entries, expected the platform and realm tokens`);
  const platformCose = part(CCA_PLATFORM_TOKEN, 'platform');
  const realmCose = part(CCA_REALM_TOKEN, 'realm');
  const realm = decodeRealm(realmCose, layout, realmCose.ranges.payload[0]);
  const platform = decodePlatform(platformCose, layout, platformCose.ranges.payload[0]);
  return {
    platform: { cose: platformCose, claims: platform },
    realm: { cose: realmCose, claims: realm },
    layout,
  };
}

// ---- a simulated realm on a simulated platform (DEMO) ---------------------------------------------

export interface DemoCcaOptions {
  /** The verifier's nonce (≤ 64 bytes, zero-padded to the 64-byte realm challenge). */
  challenge?: Uint8Array;
  personalizationValue?: Uint8Array;
  /** Default 0x3000 (secured); 0x4000/0x5000 are the debug states. */
  lifecycle?: number;
  rim?: Uint8Array;
  rems?: Uint8Array[];
  swComponents?: CcaSwComponent[];
  /** Replace the platform challenge (a token spliced onto another platform's attestation). */
  platformChallenge?: Uint8Array;
  /** Sign the platform token with this instead of the demo CPAK (a forger, or an OpenSSL key). */
  signPlatform?: CoseSigner;
  /** The public key of `signPlatform`'s CPAK, from which the instance ID is derived. */
  cpakPublicKey?: Uint8Array;
  /** Use this RAK instead of the demo one. */
  rak?: KeyPair;
}

export interface DemoCcaEvidence {
  token: Uint8Array;
  /** The DEMO platform's CPAK public key: what a verifier's endorsement store pins. */
  cpakPublicKey: Uint8Array;
  rak: KeyPair;
  claims: { platform: CcaPlatformClaims; realm: CcaRealmClaims };
}

function pad64(value: Uint8Array | undefined, name: string): Uint8Array {
  const out = new Uint8Array(64);
  if (value === undefined) return out;
  assertBytes(value, name);
  if (value.length > 64) throw new RangeError(`${name}: at most 64 bytes`);
  out.set(value);
  return out;
}

/** The DEMO realm's measurements: RIPAS for 2 MiB, one kernel granule, one vCPU, REM0 extended once. */
export function demoCcaRealmMeasurements(): { rim: Uint8Array; rems: Uint8Array[] } {
  const realm = new RealmMeasurements({ hashAlgo: 'sha256', s2sz: 40 });
  realm.initRipas(0x8000_0000n, 0x8020_0000n);
  const granule = new Uint8Array(4096);
  granule.set(utf8('ccte demo realm kernel'));
  realm.dataCreate(0x8000_0000n, granule);
  realm.recCreate(0x8000_0000n);
  realm.activate();
  realm.extendRem(0, digest('sha256', utf8('ccte demo realm runtime: initrd')));
  return { rim: realm.rim, rems: [0, 1, 2, 3].map((i) => realm.rem(i)) };
}

/**
 * A complete simulated CCA token for a seed: a DEMO platform (its CPAK drawn from the seed) and a
 * realm measured by measure/cca.ts, signed the way the RMM and the HES/RSS sign. Same seed → same bytes.
 */
export function demoCcaEvidence(seed: Seed, opts: DemoCcaOptions = {}): DemoCcaEvidence {
  const drbg = seededDrbg(seed, 'ccte cca demo');
  const cpak = generateKeyPair('p384', drbg.fork('cpak'));
  const rak = opts.rak ?? generateKeyPair('p384', drbg.fork('rak'));
  if (!isValidPublicKey('p384', rak.publicKey) || rak.publicKey.length !== 97) {
    throw new RangeError('rak: expected an uncompressed P-384 key');
  }
  const measured = demoCcaRealmMeasurements();
  const realm: CcaRealmClaims = {
    challenge: pad64(opts.challenge, 'challenge'),
    personalizationValue: pad64(opts.personalizationValue, 'personalizationValue'),
    hashAlgo: 'sha-256',
    publicKey: rak.publicKey,
    rim: opts.rim ?? measured.rim,
    rems: opts.rems ?? measured.rems,
    publicKeyHashAlgo: 'sha-256',
    profile: CCA_REALM_PROFILE,
  };
  const component = (type: string, version: string) => ({
    type,
    measurement: digest('sha256', utf8(`ccte demo ${type} ${version}`)),
    version,
    signerId: digest('sha256', utf8('ccte demo firmware signer')),
    hashAlgo: 'sha-256',
  });
  const platform: CcaPlatformClaims = {
    challenge: opts.platformChallenge ?? ccaRakBinding(rak.publicKey, realm.publicKeyHashAlgo),
    instanceId: ccaInstanceId(opts.cpakPublicKey ?? cpak.publicKey),
    profile: CCA_PLATFORM_PROFILE,
    lifecycle: opts.lifecycle ?? 0x3000,
    implementationId: digest('sha256', utf8('ccte DEMO CCA platform implementation')),
    swComponents: opts.swComponents ?? [
      component('RSE_BL1_2', '1.0.0'),
      component('BL2', '2.9.0'),
      component('BL31', '2.10.0'),
      component('RMM', '1.0.0'),
    ],
    verificationService: 'https://veraison.example/DEMO',
    config: Uint8Array.of(0xcf, 0xcf, 0x00, 0x00),
    hashAlgo: 'sha-256',
  };
  const claims = { platform, realm };
  const token = encodeCcaToken(claims, {
    platform: opts.signPlatform ?? es384Signer(cpak.privateKey),
    realm: es384Signer(rak.privateKey),
  });
  return { token, cpakPublicKey: opts.cpakPublicKey ?? cpak.publicKey, rak, claims };
}
