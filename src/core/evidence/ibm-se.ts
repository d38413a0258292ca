/**
 * IBM Secure Execution (s390x) attestation, as s390-tools' pvattest and the Ultravisor (UV) do it.
 * There is no signature and no vendor certificate in the evidence: the verifier makes a fresh
 * 64-byte measurement key and a 16-byte nonce, seals them in an Attestation Request Control Block
 * (ARCB) that only the UV of a host whose host key it trusts can open, and the UV answers with
 *
 *   HMAC-SHA512(measurement key, PLD[64] ‖ ALD[64] ‖ TLD[64] ‖ tag[16] ‖ config UID[16]
 *               ‖ user_data_len u16 BE ‖ 0000 ‖ additional_len u32 BE ‖ user data (≤ 256)
 *               ‖ nonce[16] (when requested) ‖ additional data)
 *
 * where PLD/ALD/TLD are the SHA-512 digests of the image's pages, addresses and tweaks and tag is the
 * SE header's AES-GCM tag, all from the image the verifier itself built. So one MAC proves the image,
 * the freshness and the platform at once, and cannot say which of them was wrong.
 *
 * Modelled, and said so: the measured-data layout above is pvattest's. The ARCB is simplified: P-384
 * ECDH (the real one uses P-521) wraps an AES-256-GCM request protection key per host key slot, and
 * that key encrypts measurement key ‖ nonce with the ARCB header as AAD; the response framing
 * (measurement ‖ config UID ‖ lengths ‖ user data ‖ additional data) is ours, not pvattest's exchange
 * file. Host-key documents (signed by IBM, chained to DigiCert, with CRLs) are not part of it.
 */
import { Reader } from '../binary';
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm';
import { assertBytes, concatBytes, utf8 } from '../crypto/bytes';
import { seededDrbg, type HmacDrbg, type Seed } from '../crypto/drbg';
import { ecdhSharedSecret } from '../crypto/ecdh';
import { generateKeyPair, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { hmac } from '../crypto/hmac';
import { FormatError } from '../errors';

export type ByteRange = readonly [number, number];

export const SE_MEASUREMENT_KEY_BYTES = 64;
export const SE_NONCE_BYTES = 16;
export const SE_MAX_USER_DATA = 256;
export const SE_MAX_ADDITIONAL_DATA = 32 * 1024;
export const SE_MEASUREMENT_BYTES = 64;

/** The fixed part of the measured data, in bytes from its start (big-endian integers). */
export const SE_MEASURED_LAYOUT = {
  pld: [0, 64],
  ald: [64, 128],
  tld: [128, 192],
  tag: [192, 208],
  configUid: [208, 224],
  userDataLength: [224, 226],
  reserved: [226, 228],
  additionalDataLength: [228, 232],
} as const satisfies Record<string, ByteRange>;
/** Length of the fixed part; user data, nonce and additional data follow. */
export const SE_MEASURED_FIXED_BYTES = 232;

/** What the verifier knows from building the image: the SE header's digests and tag. */
export interface SeImageDigests {
  /** SHA-512 over the encrypted image pages (page list digest). */
  pld: Uint8Array;
  /** SHA-512 over the page addresses. */
  ald: Uint8Array;
  /** SHA-512 over the page tweaks. */
  tld: Uint8Array;
  /** The SE header's AES-GCM tag. */
  tag: Uint8Array;
}

export interface SeMeasuredData extends SeImageDigests {
  /** Unique ID of this guest configuration (instance), chosen by the UV. */
  configUid: Uint8Array;
  userData: Uint8Array;
  /** Present when the ARCB asked for a nonce. */
  nonce?: Uint8Array;
  additionalData: Uint8Array;
}

function u16be(v: number): Uint8Array {
  return Uint8Array.of(v >> 8, v & 0xff);
}
function u32be(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function checkLengths(d: SeMeasuredData): void {
  assertBytes(d.pld, 'pld', 64);
  assertBytes(d.ald, 'ald', 64);
  assertBytes(d.tld, 'tld', 64);
  assertBytes(d.tag, 'tag', 16);
  assertBytes(d.configUid, 'configUid', 16);
  assertBytes(d.userData, 'userData');
  if (d.userData.length > SE_MAX_USER_DATA)
    throw new RangeError(`userData: at most ${SE_MAX_USER_DATA} bytes`);
  if (d.nonce !== undefined) assertBytes(d.nonce, 'nonce', SE_NONCE_BYTES);
  assertBytes(d.additionalData, 'additionalData');
  if (d.additionalData.length > SE_MAX_ADDITIONAL_DATA) {
    throw new RangeError(`additionalData: at most ${SE_MAX_ADDITIONAL_DATA} bytes`);
  }
}

/** The exact bytes the UV feeds to HMAC-SHA512. */
export function encodeSeMeasuredData(d: SeMeasuredData): Uint8Array {
  checkLengths(d);
  return concatBytes(
    d.pld,
    d.ald,
    d.tld,
    d.tag,
    d.configUid,
    u16be(d.userData.length),
    new Uint8Array(2),
    u32be(d.additionalData.length),
    d.userData,
    d.nonce ?? new Uint8Array(0),
    d.additionalData,
  );
}

/** Reads measured data back; `hasNonce` comes from the ARCB flags, as the layout does not say. */
export function decodeSeMeasuredData(bytes: Uint8Array, hasNonce: boolean): SeMeasuredData {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 'ibm-se-measured-data', 'be');
  const pld = r.take('PLD', 64);
  const ald = r.take('ALD', 64);
  const tld = r.take('TLD', 64);
  const tag = r.take('tag', 16);
  const configUid = r.take('config UID', 16);
  const userLength = r.u16('user data length');
  if (userLength > SE_MAX_USER_DATA)
    throw r.error('user data length', `${userLength} exceeds ${SE_MAX_USER_DATA}`, 224);
  r.zeros('reserved', 2);
  const additionalLength = r.u32('additional data length');
  if (additionalLength > SE_MAX_ADDITIONAL_DATA) {
    throw r.error('additional data length', `${additionalLength} exceeds ${SE_MAX_ADDITIONAL_DATA}`, 228);
  }
  const userData = r.take('user data', userLength);
  const nonce = hasNonce ? r.take('nonce', SE_NONCE_BYTES) : undefined;
  const additionalData = r.take('additional data', additionalLength);
  r.finish();
  return { pld, ald, tld, tag, configUid, userData, ...(nonce ? { nonce } : {}), additionalData };
}

/** The attestation measurement: HMAC-SHA512 keyed by the verifier's measurement key. */
export function seMeasurement(measurementKey: Uint8Array, d: SeMeasuredData): Uint8Array {
  assertBytes(measurementKey, 'measurementKey', SE_MEASUREMENT_KEY_BYTES);
  return hmac('sha512', measurementKey, encodeSeMeasuredData(d));
}

// ---- the UV's answer, as the host relays it ------------------------------------------------------

/** What the guest gets from the UV and sends to the verifier (our framing, big-endian lengths). */
export interface SeAttestationResponse {
  measurement: Uint8Array;
  configUid: Uint8Array;
  userData: Uint8Array;
  additionalData: Uint8Array;
}

export const SE_RESPONSE_LAYOUT = {
  measurement: [0, 64],
  configUid: [64, 80],
  userDataLength: [80, 82],
  additionalDataLength: [82, 86],
} as const satisfies Record<string, ByteRange>;

export function encodeSeResponse(r: SeAttestationResponse): Uint8Array {
  assertBytes(r.measurement, 'measurement', SE_MEASUREMENT_BYTES);
  assertBytes(r.configUid, 'configUid', 16);
  if (r.userData.length > SE_MAX_USER_DATA)
    throw new RangeError(`userData: at most ${SE_MAX_USER_DATA} bytes`);
  if (r.additionalData.length > SE_MAX_ADDITIONAL_DATA) throw new RangeError('additionalData: too long');
  return concatBytes(
    r.measurement,
    r.configUid,
    u16be(r.userData.length),
    u32be(r.additionalData.length),
    r.userData,
    r.additionalData,
  );
}

export function decodeSeResponse(
  bytes: Uint8Array,
): SeAttestationResponse & { ranges: Record<'userData' | 'additionalData', ByteRange> } {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 'ibm-se-response', 'be');
  const measurement = r.take('measurement', SE_MEASUREMENT_BYTES);
  const configUid = r.take('config UID', 16);
  const userLength = r.u16('user data length');
  if (userLength > SE_MAX_USER_DATA)
    throw r.error('user data length', `${userLength} exceeds ${SE_MAX_USER_DATA}`, 80);
  const additionalLength = r.u32('additional data length');
  if (additionalLength > SE_MAX_ADDITIONAL_DATA) {
    throw r.error('additional data length', `${additionalLength} exceeds ${SE_MAX_ADDITIONAL_DATA}`, 82);
  }
  const userStart = r.offset;
  const userData = r.take('user data', userLength);
  const additionalData = r.take('additional data', additionalLength);
  r.finish();
  return {
    measurement,
    configUid,
    userData,
    additionalData,
    ranges: {
      userData: [userStart, userStart + userLength],
      additionalData: [userStart + userLength, bytes.length],
    },
  };
}

// ---- the ARCB (simplified) ---------------------------------------------------------------------

export const ARCB_VERSION = 0x0100;
/** Measurement algorithm 1 = HMAC-SHA512, the only one defined. */
export const ARCB_HMAC_SHA512 = 1;
/** Flag: the verifier asks the UV to include its nonce in the measured data. */
export const ARCB_FLAG_NONCE = 1n << 0n;

export interface ArcbSecrets {
  measurementKey: Uint8Array;
  nonce?: Uint8Array;
}

export interface Arcb {
  version: number;
  flags: bigint;
  measurementAlg: number;
  iv: Uint8Array;
  /** The verifier's ephemeral ECDH public key (uncompressed P-384). */
  customerPublicKey: Uint8Array;
  slots: { hostKeyHash: Uint8Array; wrappedKey: Uint8Array }[];
  /** AES-256-GCM(measurement key ‖ nonce?) ‖ tag, under the request protection key. */
  sealedSecrets: Uint8Array;
  /** The authenticated header bytes (everything before sealedSecrets). */
  header: Uint8Array;
}

/** Slot i wraps the protection key under SHA-256(ECDH x) with a nonce taken from the host key hash. */
function slotKey(shared: Uint8Array): Uint8Array {
  return digest('sha256', concatBytes(utf8('ccte ibm-se arcb slot'), shared));
}

/** How a key slot names its host key: SHA-256 of the host key point. */
export function seHostKeyHash(hostPublicKey: Uint8Array): Uint8Array {
  return digest('sha256', hostPublicKey);
}

/** The verifier's side: a fresh ARCB for the given host keys (uncompressed P-384 points). */
export function sealArcb(
  hostPublicKeys: readonly Uint8Array[],
  secrets: ArcbSecrets,
  drbg: HmacDrbg,
): Uint8Array {
  assertBytes(secrets.measurementKey, 'measurementKey', SE_MEASUREMENT_KEY_BYTES);
  if (secrets.nonce !== undefined) assertBytes(secrets.nonce, 'nonce', SE_NONCE_BYTES);
  if (hostPublicKeys.length < 1 || hostPublicKeys.length > 255)
    throw new RangeError('hostPublicKeys: 1..255 keys');
  const customer = generateKeyPair('p384', drbg);
  const protectionKey = drbg.generate(32);
  const iv = drbg.generate(12);
  const flags = secrets.nonce ? ARCB_FLAG_NONCE : 0n;
  const slots = hostPublicKeys.map((host) => {
    const hash = seHostKeyHash(host);
    const kek = slotKey(ecdhSharedSecret('p384', customer.privateKey, host));
    return concatBytes(hash, aesGcmEncrypt(kek, hash.subarray(0, 12), protectionKey));
  });
  const flagBytes = new Uint8Array(8);
  new DataView(flagBytes.buffer).setBigUint64(0, flags, false);
  const header = concatBytes(
    u32be(ARCB_VERSION),
    flagBytes,
    u32be(ARCB_HMAC_SHA512),
    iv,
    customer.publicKey,
    u32be(slots.length),
    ...slots,
  );
  const secret = concatBytes(secrets.measurementKey, secrets.nonce ?? new Uint8Array(0));
  return concatBytes(header, aesGcmEncrypt(protectionKey, iv, secret, header));
}

export function decodeArcb(bytes: Uint8Array): Arcb {
  assertBytes(bytes, 'bytes');
  const r = new Reader(bytes, 'ibm-se-arcb', 'be');
  const version = r.u32('version');
  if (version !== ARCB_VERSION) throw r.error('version', `0x${version.toString(16)}, expected 0x100`, 0);
  const flags = r.u64('flags');
  const measurementAlg = r.u32('measurement algorithm');
  if (measurementAlg !== ARCB_HMAC_SHA512)
    throw r.error('measurement algorithm', `${measurementAlg} is not HMAC-SHA512 (1)`, 12);
  const iv = r.take('IV', 12);
  const customerPublicKey = r.take('customer public key', 97);
  const count = r.u32('key slot count');
  if (count < 1 || count > 255)
    throw r.error('key slot count', `${count} slots, expected 1..255`, r.offset - 4);
  const slots = Array.from({ length: count }, (_, i) => ({
    hostKeyHash: r.take(`key slot ${i} host key hash`, 32),
    wrappedKey: r.take(`key slot ${i} wrapped key`, 48),
  }));
  const header = bytes.slice(0, r.offset);
  const secretLength = SE_MEASUREMENT_KEY_BYTES + (flags & ARCB_FLAG_NONCE ? SE_NONCE_BYTES : 0) + 16;
  const sealedSecrets = r.take('encrypted secrets', secretLength);
  r.finish();
  return { version, flags, measurementAlg, iv, customerPublicKey, slots, sealedSecrets, header };
}

/** The UV's side: open the ARCB with the host's private key (AuthenticationError if not for us or tampered). */
export function openArcb(bytes: Uint8Array, host: KeyPair): ArcbSecrets & { flags: bigint } {
  const arcb = decodeArcb(bytes);
  const mine = seHostKeyHash(host.publicKey);
  const slot = arcb.slots.find((s) => s.hostKeyHash.every((b, i) => b === mine[i]));
  if (!slot) throw new FormatError('ibm-se-arcb', 'key slots', 0, 'no key slot for this host key');
  const kek = slotKey(ecdhSharedSecret('p384', host.privateKey, arcb.customerPublicKey));
  const protectionKey = aesGcmDecrypt(kek, slot.hostKeyHash.subarray(0, 12), slot.wrappedKey);
  const secret = aesGcmDecrypt(protectionKey, arcb.iv, arcb.sealedSecrets, arcb.header);
  return {
    flags: arcb.flags,
    measurementKey: secret.slice(0, SE_MEASUREMENT_KEY_BYTES),
    ...(arcb.flags & ARCB_FLAG_NONCE ? { nonce: secret.slice(SE_MEASUREMENT_KEY_BYTES) } : {}),
  };
}

/** What the UV does for an attestation request: open the ARCB, measure, answer. */
export function ultravisorAttest(args: {
  arcb: Uint8Array;
  hostKey: KeyPair;
  image: SeImageDigests;
  configUid: Uint8Array;
  userData?: Uint8Array;
  additionalData?: Uint8Array;
}): Uint8Array {
  const secrets = openArcb(args.arcb, args.hostKey);
  const data: SeMeasuredData = {
    ...args.image,
    configUid: args.configUid,
    userData: args.userData ?? new Uint8Array(0),
    ...(secrets.nonce ? { nonce: secrets.nonce } : {}),
    additionalData: args.additionalData ?? new Uint8Array(0),
  };
  return encodeSeResponse({
    measurement: seMeasurement(secrets.measurementKey, data),
    configUid: data.configUid,
    userData: data.userData,
    additionalData: data.additionalData,
  });
}

// ---- DEMO ----------------------------------------------------------------------------------------

/** The SE header digests of a DEMO image (what `genprotimg` would have computed for it). */
export function demoSeImage(label = 'ccte demo secure execution image'): SeImageDigests {
  return {
    pld: digest('sha512', utf8(`${label}: pages`)),
    ald: digest('sha512', utf8(`${label}: addresses`)),
    tld: digest('sha512', utf8(`${label}: tweaks`)),
    tag: digest('sha256', utf8(`${label}: SE header tag`)).slice(0, 16),
  };
}

export interface DemoIbmSeOptions {
  /** The verifier's nonce (16 bytes); default from the seed; null = no nonce requested. */
  nonce?: Uint8Array | null;
  userData?: Uint8Array;
  additionalData?: Uint8Array;
  /** The image actually running (default: the one the verifier built). */
  runningImage?: SeImageDigests;
}

export interface DemoIbmSeEvidence {
  /** The UV's answer the guest relays. */
  response: Uint8Array;
  /** The request the verifier sent. */
  arcb: Uint8Array;
  /** What the verifier kept: its measurement key and nonce. */
  verifierSecrets: ArcbSecrets;
  /** What the verifier built: the image's SE header digests (its reference values). */
  image: SeImageDigests;
  configUid: Uint8Array;
  hostKey: KeyPair;
}

/** A complete simulated exchange: ARCB to a DEMO host key, UV measurement, response. */
export function demoIbmSeEvidence(seed: Seed, opts: DemoIbmSeOptions = {}): DemoIbmSeEvidence {
  const drbg = seededDrbg(seed, 'ccte ibm-se demo');
  const hostKey = generateKeyPair('p384', drbg.fork('host-key'));
  const verifier = drbg.fork('verifier');
  const measurementKey = verifier.generate(SE_MEASUREMENT_KEY_BYTES);
  const nonce = opts.nonce === null ? undefined : (opts.nonce ?? verifier.generate(SE_NONCE_BYTES));
  const secrets: ArcbSecrets = { measurementKey, ...(nonce ? { nonce } : {}) };
  const arcb = sealArcb([hostKey.publicKey], secrets, verifier.fork('arcb'));
  const image = demoSeImage();
  const configUid = drbg.fork('config-uid').generate(16);
  const response = ultravisorAttest({
    arcb,
    hostKey,
    image: opts.runningImage ?? image,
    configUid,
    userData: opts.userData,
    additionalData: opts.additionalData,
  });
  return { response, arcb, verifierSecrets: secrets, image, configUid, hostKey };
}
