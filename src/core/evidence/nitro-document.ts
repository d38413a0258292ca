/**
 * AWS Nitro Enclaves attestation document, as the Nitro Secure Module (NSM) returns it: a COSE_Sign1
 * (RFC 9052 §4.2) `[protected = {1: -35} (ES384), unprotected = {}, payload, signature (96 B r‖s)]`,
 * untagged as the NSM emits it or with CBOR tag 18, whose payload is the CBOR map described in
 * aws-nitro-enclaves-nsm-api docs/attestation_process.md §2.2 and checked as its §3.2.2 says.
 *
 * The COSE_Sign1 and the position-keeping CBOR reader live here too and are reused by the Arm CCA
 * token (cca-token.ts): CBOR itself is cborg's (strict mode, no indefinite lengths, no duplicate keys);
 * this file only records where each item lies, so that every error and every verdict can name the
 * byte offset, and the hex view can highlight a field.
 *
 * Decoding refuses anything the NSM could not have written (wrong types, oversized fields, unknown
 * digest, unknown keys); whether the values are trustworthy (signature, chain, nonce, PCRs) is for
 * core/verify/nitro.ts.
 */
import {
  decode,
  encode,
  Tagged,
  Tokenizer,
  type DecodeOptions,
  type TagDecodeControl,
  type Token,
} from 'cborg';
import { fromUtf8 } from '../crypto/bytes';
import { sign, verify } from '../crypto/ecdsa';
import { FormatError } from '../errors';

// ---- CBOR with positions ----------------------------------------------------------------------

/** [start, end) in bytes from the start of the outermost evidence. */
export type ByteRange = readonly [number, number];

interface NodeBase {
  /** Offset of the item's first header byte. */
  start: number;
  /** Offset just past the item (including everything nested in it). */
  end: number;
}

/** A decoded CBOR item that remembers where it was. */
export type CborNode =
  | (NodeBase & { kind: 'uint' | 'negint'; value: number | bigint })
  | (NodeBase & { kind: 'bytes'; value: Uint8Array; contentStart: number })
  | (NodeBase & { kind: 'text'; value: string })
  | (NodeBase & { kind: 'array'; items: CborNode[] })
  | (NodeBase & { kind: 'map'; entries: [CborNode, CborNode][] })
  | (NodeBase & { kind: 'tag'; tag: number; content: CborNode })
  | (NodeBase & { kind: 'simple'; value: boolean | null })
  | (NodeBase & { kind: 'float'; value: number });

/** Evidence is a few levels deep; anything deeper is an attack on the parser, not a document. */
const MAX_DEPTH = 16;

/**
 * cborg's strictest reading: shortest-form integers and lengths, definite lengths only, no
 * undefined/NaN/Infinity, no repeated map keys. Maps keep non-string keys (COSE and EAT use integers).
 */
const STRICT_CBOR: DecodeOptions = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  useMaps: true,
  rejectDuplicateMapKeys: true,
  retainStringBytes: true,
};

interface Recorded {
  token: Token;
  start: number;
}

/** cborg's own tokenizer, noting where each token starts so errors and fields can name offsets. */
class RecordingTokenizer extends Tokenizer {
  readonly recorded: Recorded[] = [];
  tokenStart = 0;
  reading = false;

  override next(): Token {
    this.tokenStart = this.pos();
    this.reading = true;
    const token = super.next();
    this.reading = false;
    this.recorded.push({ token, start: this.tokenStart });
    return token;
  }
}

export interface CborReadOptions {
  format: string;
  /** Field named in errors (e.g. 'COSE_Sign1', 'payload'). */
  field: string;
  /** Offset of `bytes` within the outermost evidence, so nested items report absolute offsets. */
  base?: number;
  /** Tags the caller understands (e.g. 18 for COSE_Sign1); cborg refuses any other. */
  tags?: readonly number[];
}

/**
 * Where cborg stopped: inside a token it was reading, at the end of the input when items ran out or
 * trailing bytes began, and otherwise at the token it had just read and refused (a tag, a repeated key).
 */
function errorOffset(t: RecordingTokenizer, e: unknown): number {
  if (t.reading) return t.tokenStart;
  const message = e instanceof Error ? e.message : '';
  if (/not enough entries|too many terminals|did not find any content|content missing/.test(message)) {
    return t.pos();
  }
  return t.recorded.at(-1)?.start ?? t.pos();
}

function cborReason(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'nested too deeply';
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/^CBOR decode error:\s*/, '');
}

/**
 * Decodes exactly one CBOR item filling `bytes`, strictly, into a tree that keeps each item's byte
 * range. Every failure is a FormatError at the offset where cborg stopped.
 */
export function readCbor(bytes: Uint8Array, o: CborReadOptions): CborNode {
  const base = o.base ?? 0;
  // cborg hands out Buffers for byte strings when given a Buffer; a plain view keeps values plain.
  const input = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tags = Object.fromEntries((o.tags ?? []).map((t) => [t, (d: TagDecodeControl) => d()]));
  const options: DecodeOptions = { ...STRICT_CBOR, tags };
  const tokenizer = new RecordingTokenizer(input, options);
  try {
    decode(input, { ...options, tokenizer });
  } catch (e) {
    throw new FormatError(o.format, o.field, base + errorOffset(tokenizer, e), cborReason(e));
  }
  return buildNode(tokenizer.recorded, { i: 0 }, 0, base, o);
}

function buildNode(
  rec: readonly Recorded[],
  cursor: { i: number },
  depth: number,
  base: number,
  o: CborReadOptions,
): CborNode {
  const { token, start: rel } = rec[cursor.i++];
  const start = base + rel;
  const headerEnd = start + (token.encodedLength ?? 0);
  if (depth > MAX_DEPTH) {
    throw new FormatError(o.format, o.field, start, `nested more than ${MAX_DEPTH} levels deep`);
  }
  switch (token.type.name) {
    case 'uint':
    case 'negint':
      return { kind: token.type.name, value: token.value as number | bigint, start, end: headerEnd };
    case 'bytes': {
      const value = token.value as Uint8Array;
      return { kind: 'bytes', value, start, end: headerEnd, contentStart: headerEnd - value.length };
    }
    case 'string': {
      // cborg decodes leniently (U+FFFD); a signed document with broken UTF-8 is malformed.
      try {
        fromUtf8(token.byteValue ?? new Uint8Array(0));
      } catch {
        throw new FormatError(o.format, o.field, start, 'text string is not valid UTF-8');
      }
      return { kind: 'text', value: token.value as string, start, end: headerEnd };
    }
    case 'array': {
      const items: CborNode[] = [];
      for (let k = 0; k < (token.value as number); k++)
        items.push(buildNode(rec, cursor, depth + 1, base, o));
      return { kind: 'array', items, start, end: items.at(-1)?.end ?? headerEnd };
    }
    case 'map': {
      const entries: [CborNode, CborNode][] = [];
      for (let k = 0; k < (token.value as number); k++) {
        const key = buildNode(rec, cursor, depth + 1, base, o);
        entries.push([key, buildNode(rec, cursor, depth + 1, base, o)]);
      }
      return { kind: 'map', entries, start, end: entries.at(-1)?.[1].end ?? headerEnd };
    }
    case 'tag': {
      const content = buildNode(rec, cursor, depth + 1, base, o);
      return { kind: 'tag', tag: token.value as number, content, start, end: content.end };
    }
    case 'true':
    case 'false':
    case 'null':
      return {
        kind: 'simple',
        value: token.type.name === 'null' ? null : token.type.name === 'true',
        start,
        end: headerEnd,
      };
    case 'float':
      return { kind: 'float', value: token.value as number, start, end: headerEnd };
    default:
      // undefined and break are refused by the strict options before we get here.
      throw new FormatError(o.format, o.field, start, `unexpected CBOR ${token.type.name}`);
  }
}

/**
 * CBOR encoding that keeps map entries in insertion order: the NSM writes its fields in struct order
 * (module_id, digest, timestamp, …), not in canonical order, and we reproduce its bytes.
 */
export function encodeCbor(value: unknown): Uint8Array {
  const out = encode(value, { mapSorter: () => 0 });
  // In Node cborg may return a Buffer; callers compare and slice plain Uint8Arrays.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** What a CBOR item is called in error messages ("a byte string", "an array", …). */
export function describeCbor(n: CborNode): string {
  const names: Record<CborNode['kind'], string> = {
    uint: 'an unsigned integer',
    negint: 'a negative integer',
    bytes: 'a byte string',
    text: 'a text string',
    array: 'an array',
    map: 'a map',
    tag: 'a tag',
    simple: n.kind === 'simple' ? String(n.value) : '',
    float: 'a float',
  };
  return names[n.kind];
}

/** Error helpers shared by the CBOR-based formats: each names the field and the item's offset. */
export function cborExpect(format: string) {
  const fail = (field: string, at: number | CborNode, detail: string): never => {
    throw new FormatError(format, field, typeof at === 'number' ? at : at.start, detail);
  };
  const typeError = (field: string, n: CborNode, wanted: string): never =>
    fail(field, n, `must be ${wanted}, found ${describeCbor(n)}`);
  return {
    fail,
    bytes(field: string, n: CborNode, min = 0, max = Infinity): Extract<CborNode, { kind: 'bytes' }> {
      if (n.kind !== 'bytes') return typeError(field, n, 'a byte string');
      if (n.value.length < min || n.value.length > max) {
        const bound = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min}..${max}`;
        fail(field, n, `${n.value.length} bytes, expected ${bound}`);
      }
      return n;
    },
    text(field: string, n: CborNode): string {
      return n.kind === 'text' ? n.value : typeError(field, n, 'a text string');
    },
    uint(field: string, n: CborNode): number {
      if (n.kind !== 'uint') return typeError(field, n, 'an unsigned integer');
      if (typeof n.value !== 'number') return fail(field, n, `${n.value} exceeds 2^53`);
      return n.value;
    },
    int(field: string, n: CborNode): number {
      if (n.kind !== 'uint' && n.kind !== 'negint') return typeError(field, n, 'an integer');
      if (typeof n.value !== 'number') return fail(field, n, `${n.value} is out of range`);
      return n.value;
    },
    array(field: string, n: CborNode): CborNode[] {
      return n.kind === 'array' ? n.items : typeError(field, n, 'an array');
    },
    map(field: string, n: CborNode): [CborNode, CborNode][] {
      return n.kind === 'map' ? n.entries : typeError(field, n, 'a map');
    },
  };
}

/** The [start, end) of a byte string's contents (without its header), or of the whole item. */
export function contentRange(n: CborNode): ByteRange {
  return n.kind === 'bytes' ? [n.contentStart, n.end] : [n.start, n.end];
}

// ---- COSE_Sign1 (RFC 9052) ----------------------------------------------------------------------

export const COSE_SIGN1_TAG = 18;
/** COSE algorithm −35 = ES384 (ECDSA P-384 with SHA-384), RFC 9053 §2.1. */
export const COSE_ALG_ES384 = -35;
/** The serialized protected header `{1: -35}` = A1 01 38 22, exactly as the NSM writes it. */
export const ES384_PROTECTED_HEADER = Uint8Array.of(0xa1, 0x01, 0x38, 0x22);
/** ES384 signatures are r ‖ s, 48 bytes each (RFC 9053 §2.1), not DER. */
export const ES384_SIGNATURE_BYTES = 96;

/** Signs the Sig_structure bytes and returns the raw r‖s signature. */
export type CoseSigner = (toBeSigned: Uint8Array) => Uint8Array;

/** A deterministic (RFC 6979) ES384 signer for a P-384 private key. */
export function es384Signer(privateKey: Uint8Array): CoseSigner {
  return (toBeSigned) => sign('p384', privateKey, toBeSigned, { hash: 'sha384', format: 'raw' });
}

/** The bytes a COSE_Sign1 signature covers: `["Signature1", protected, external_aad, payload]`. */
export function coseSigStructure(
  protectedHeader: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  return encodeCbor(['Signature1', protectedHeader, externalAad, payload]);
}

export interface CoseSign1 {
  tagged: boolean;
  /** The serialized protected header (the bstr's contents), as signed. */
  protectedHeader: Uint8Array;
  /** Header label 1 from the protected header; undefined when absent. */
  alg: number | undefined;
  /** Number of unprotected header entries (unsigned, so verifiers should expect none). */
  unprotectedCount: number;
  payload: Uint8Array;
  signature: Uint8Array;
  /** The Sig_structure bytes that `signature` must cover. */
  toBeSigned: Uint8Array;
  ranges: {
    whole: ByteRange;
    protected: ByteRange;
    unprotected: ByteRange;
    payload: ByteRange;
    signature: ByteRange;
    alg?: ByteRange;
  };
}

/** Decodes a COSE_Sign1 (tagged 18 or untagged) without judging the algorithm or signature. */
export function decodeCoseSign1(bytes: Uint8Array, format: string, base = 0): CoseSign1 {
  const root = readCbor(bytes, { format, field: 'COSE_Sign1', base, tags: [COSE_SIGN1_TAG] });
  return coseSign1FromNode(root, format);
}

/** As decodeCoseSign1, for a COSE_Sign1 already read as part of a larger CBOR item. */
export function coseSign1FromNode(root: CborNode, format: string): CoseSign1 {
  const x = cborExpect(format);
  let body = root;
  const tagged = root.kind === 'tag';
  if (root.kind === 'tag') {
    if (root.tag !== COSE_SIGN1_TAG) x.fail('COSE_Sign1', root, `tag ${root.tag} is not COSE_Sign1 (18)`);
    body = root.content;
  }
  const items = x.array('COSE_Sign1', body);
  if (items.length !== 4) x.fail('COSE_Sign1', body, `array of ${items.length} items, expected 4`);
  const [prot, unprot, payload, signature] = items;
  const protectedNode = x.bytes('protected', prot);
  const unprotected = x.map('unprotected', unprot);
  if (payload.kind === 'simple' && payload.value === null) {
    x.fail('payload', payload, 'detached payloads are not supported');
  }
  const payloadNode = x.bytes('payload', payload);
  const signatureNode = x.bytes('signature', signature);

  let alg: number | undefined;
  let algRange: ByteRange | undefined;
  if (protectedNode.value.length > 0) {
    const header = readCbor(protectedNode.value, {
      format,
      field: 'protected',
      base: protectedNode.contentStart,
    });
    for (const [k, v] of x.map('protected', header)) {
      const label = x.int('protected', k);
      if (label === 1) {
        alg = x.int('protected.alg', v);
        algRange = [v.start, v.end];
      }
    }
  }
  return {
    tagged,
    protectedHeader: protectedNode.value,
    alg,
    unprotectedCount: unprotected.length,
    payload: payloadNode.value,
    signature: signatureNode.value,
    toBeSigned: coseSigStructure(protectedNode.value, payloadNode.value),
    ranges: {
      whole: [root.start, root.end],
      protected: contentRange(protectedNode),
      unprotected: [unprot.start, unprot.end],
      payload: contentRange(payloadNode),
      signature: contentRange(signatureNode),
      ...(algRange ? { alg: algRange } : {}),
    },
  };
}

/** COSE_Sign1 with an empty unprotected header, as the NSM and Arm's RSS write it. */
export function encodeCoseSign1(args: {
  protectedHeader: Uint8Array;
  payload: Uint8Array;
  sign: CoseSigner;
  tagged: boolean;
}): Uint8Array {
  const signature = args.sign(coseSigStructure(args.protectedHeader, args.payload));
  const body = [args.protectedHeader, new Map(), args.payload, signature];
  return encodeCbor(args.tagged ? new Tagged(COSE_SIGN1_TAG, body) : body);
}

/** True when `cose` carries a valid ES384 signature by the P-384 key `publicKey` (SEC1 point). */
export function verifyEs384(cose: CoseSign1, publicKey: Uint8Array): boolean {
  if (cose.alg !== COSE_ALG_ES384 || cose.signature.length !== ES384_SIGNATURE_BYTES) return false;
  return verify('p384', cose.signature, cose.toBeSigned, publicKey, { hash: 'sha384', format: 'raw' });
}

// ---- the Nitro attestation document -----------------------------------------------------------

const FORMAT = 'nitro-document';

/**
 * Bounds from attestation_process.md. The CDDL there gives user data, nonce and public key up to
 * 1024 bytes; its §3.2.2.2 prose says 512 for user_data and nonce, but the NSM itself signs 1024-byte
 * values (tests/fixtures/real/nitro), so a verifier that stopped at 512 would refuse genuine documents.
 */
export const NITRO_LIMITS = {
  /** COSE payload: `bstr .size (1..16384)`. */
  payloadBytes: 16_384,
  /** certificate and each cabundle entry: `bytes .size (1..1024)`. */
  certificateBytes: 1024,
  publicKeyBytes: 1024,
  userDataBytes: 1024,
  nonceBytes: 1024,
  /** PCR indexes 0..31. */
  pcrCount: 32,
  /** SHA-384 PCRs, since "SHA384" is the only digest the format defines. */
  pcrBytes: 48,
} as const;

/** The payload's keys, in the order the NSM writes them. */
export const NITRO_FIELDS = [
  'module_id',
  'digest',
  'timestamp',
  'pcrs',
  'certificate',
  'cabundle',
  'public_key',
  'user_data',
  'nonce',
] as const;
export type NitroField = (typeof NITRO_FIELDS)[number];
const MANDATORY: readonly NitroField[] = NITRO_FIELDS.slice(0, 6);

export interface NitroPayload {
  /** Issuing Nitro hypervisor module, e.g. `i-0a22e5c5f24d22174-enc0191cceb4289903f`. */
  moduleId: string;
  digest: 'SHA384';
  /** Milliseconds since the Unix epoch (UTC) when the NSM produced the document. */
  timestamp: number;
  /** Locked PCRs by index: 0 image, 1 kernel + bootstrap, 2 application, 3 IAM role, 4 instance ID, 8 signing certificate. */
  pcrs: ReadonlyMap<number, Uint8Array>;
  /** The enclave's certificate (DER), whose key signed the document. */
  certificate: Uint8Array;
  /** Issuing CAs, root first: [root, intermediate 1, …, last intermediate]. */
  cabundle: Uint8Array[];
  /** Absent (undefined) or present as null, as the NSM writes an unused optional field. */
  publicKey?: Uint8Array | null;
  userData?: Uint8Array | null;
  nonce?: Uint8Array | null;
}

/** Field name → [start, end) in the document (byte strings: their contents; `pcr3` etc. per PCR). */
export type NitroLayout = Partial<Record<string, ByteRange>>;

export interface NitroDocument {
  cose: CoseSign1;
  payload: NitroPayload;
  layout: NitroLayout;
}

function assertLength(value: Uint8Array, name: string, min: number, max: number): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name}: expected Uint8Array`);
  if (value.length < min || value.length > max) {
    throw new RangeError(`${name}: ${value.length} bytes, the NSM allows ${min}..${max}`);
  }
}

/** Checks a payload against the NSM's bounds before encoding (boundary check: RangeError / TypeError). */
function assertNitroPayload(p: NitroPayload): void {
  if (typeof p.moduleId !== 'string' || p.moduleId.length === 0) {
    throw new TypeError('moduleId: expected a non-empty string');
  }
  if (p.digest !== 'SHA384') throw new RangeError(`digest: only "SHA384" exists, got ${String(p.digest)}`);
  if (!Number.isSafeInteger(p.timestamp) || p.timestamp <= 0) {
    throw new RangeError(`timestamp: expected milliseconds > 0, got ${p.timestamp}`);
  }
  if (p.pcrs.size < 1 || p.pcrs.size > NITRO_LIMITS.pcrCount) {
    throw new RangeError(`pcrs: ${p.pcrs.size} PCRs, expected 1..${NITRO_LIMITS.pcrCount}`);
  }
  for (const [i, v] of p.pcrs) {
    if (!Number.isInteger(i) || i < 0 || i >= NITRO_LIMITS.pcrCount) {
      throw new RangeError(`pcrs: index ${i} is outside 0..31`);
    }
    assertLength(v, `pcrs[${i}]`, NITRO_LIMITS.pcrBytes, NITRO_LIMITS.pcrBytes);
  }
  assertLength(p.certificate, 'certificate', 1, NITRO_LIMITS.certificateBytes);
  if (p.cabundle.length < 1) throw new RangeError('cabundle: needs at least the root');
  p.cabundle.forEach((c, i) => assertLength(c, `cabundle[${i}]`, 1, NITRO_LIMITS.certificateBytes));
  if (p.publicKey) assertLength(p.publicKey, 'publicKey', 1, NITRO_LIMITS.publicKeyBytes);
  if (p.userData) assertLength(p.userData, 'userData', 0, NITRO_LIMITS.userDataBytes);
  if (p.nonce) assertLength(p.nonce, 'nonce', 0, NITRO_LIMITS.nonceBytes);
}

/** The payload map's CBOR, fields in NSM order, optional fields written only when defined. */
export function encodeNitroPayload(p: NitroPayload): Uint8Array {
  assertNitroPayload(p);
  const m = new Map<string, unknown>([
    ['module_id', p.moduleId],
    ['digest', p.digest],
    ['timestamp', p.timestamp],
    ['pcrs', new Map([...p.pcrs].sort(([a], [b]) => a - b))],
    ['certificate', p.certificate],
    ['cabundle', p.cabundle],
  ]);
  if (p.publicKey !== undefined) m.set('public_key', p.publicKey);
  if (p.userData !== undefined) m.set('user_data', p.userData);
  if (p.nonce !== undefined) m.set('nonce', p.nonce);
  const bytes = encodeCbor(m);
  if (bytes.length > NITRO_LIMITS.payloadBytes) {
    throw new RangeError(`payload: ${bytes.length} bytes exceeds the ${NITRO_LIMITS.payloadBytes} allowed`);
  }
  return bytes;
}

/** A signed document: COSE_Sign1 with the ES384 protected header, untagged like the NSM's unless asked. */
export function encodeNitroDocument(
  payload: NitroPayload,
  sign: CoseSigner,
  options: { tagged?: boolean } = {},
): Uint8Array {
  return encodeCoseSign1({
    protectedHeader: ES384_PROTECTED_HEADER,
    payload: encodeNitroPayload(payload),
    sign,
    tagged: options.tagged ?? false,
  });
}

/** Decodes and checks the structure of a Nitro attestation document; FormatError names field and offset. */
export function decodeNitroDocument(bytes: Uint8Array): NitroDocument {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes: expected Uint8Array');
  const x = cborExpect(FORMAT);
  const cose = decodeCoseSign1(bytes, FORMAT);
  const layout: NitroLayout = {
    COSE_Sign1: cose.ranges.whole,
    protected: cose.ranges.protected,
    unprotected: cose.ranges.unprotected,
    payload: cose.ranges.payload,
    signature: cose.ranges.signature,
  };
  if (cose.alg !== COSE_ALG_ES384) {
    x.fail(
      'protected.alg',
      cose.ranges.alg?.[0] ?? cose.ranges.protected[0],
      `COSE algorithm ${cose.alg ?? '(none)'} is not ES384 (-35)`,
    );
  }
  if (cose.unprotectedCount !== 0) {
    x.fail(
      'unprotected',
      cose.ranges.unprotected[0],
      'the NSM writes no unprotected headers; unsigned headers are refused',
    );
  }
  if (cose.signature.length !== ES384_SIGNATURE_BYTES) {
    x.fail(
      'signature',
      cose.ranges.signature[0],
      `${cose.signature.length} bytes, ES384 needs ${ES384_SIGNATURE_BYTES} (r ‖ s)`,
    );
  }
  if (cose.payload.length < 1 || cose.payload.length > NITRO_LIMITS.payloadBytes) {
    x.fail(
      'payload',
      cose.ranges.payload[0],
      `${cose.payload.length} bytes, expected 1..${NITRO_LIMITS.payloadBytes}`,
    );
  }
  const root = readCbor(cose.payload, { format: FORMAT, field: 'payload', base: cose.ranges.payload[0] });
  const fields = new Map<NitroField, CborNode>();
  for (const [k, v] of x.map('payload', root)) {
    const name = x.text('payload key', k);
    if (!(NITRO_FIELDS as readonly string[]).includes(name)) x.fail(name, k, 'unknown field');
    fields.set(name as NitroField, v);
  }
  for (const f of MANDATORY) if (!fields.has(f)) x.fail(f, root, 'mandatory field is missing');
  const at = (f: NitroField): CborNode => fields.get(f) as CborNode;
  const note = (f: string, n: CborNode): void => {
    layout[f] = contentRange(n);
  };

  const moduleId = x.text('module_id', at('module_id'));
  if (moduleId.length === 0) x.fail('module_id', at('module_id'), 'must not be empty');
  note('module_id', at('module_id'));

  const digest = x.text('digest', at('digest'));
  if (digest !== 'SHA384')
    x.fail('digest', at('digest'), `unknown digest "${digest}" (only "SHA384" exists)`);
  note('digest', at('digest'));

  const timestamp = x.uint('timestamp', at('timestamp'));
  if (timestamp === 0) x.fail('timestamp', at('timestamp'), 'must be greater than 0');
  note('timestamp', at('timestamp'));

  const pcrEntries = x.map('pcrs', at('pcrs'));
  if (pcrEntries.length < 1 || pcrEntries.length > NITRO_LIMITS.pcrCount) {
    x.fail('pcrs', at('pcrs'), `${pcrEntries.length} PCRs, expected 1..${NITRO_LIMITS.pcrCount}`);
  }
  const pcrs = new Map<number, Uint8Array>();
  for (const [k, v] of pcrEntries) {
    const index = x.uint('pcrs index', k);
    if (index >= NITRO_LIMITS.pcrCount) x.fail('pcrs index', k, `PCR ${index} is outside 0..31`);
    const value = x.bytes(`pcr${index}`, v, NITRO_LIMITS.pcrBytes, NITRO_LIMITS.pcrBytes);
    pcrs.set(index, value.value);
    note(`pcr${index}`, value);
  }
  note('pcrs', at('pcrs'));

  const certificate = x.bytes('certificate', at('certificate'), 1, NITRO_LIMITS.certificateBytes);
  note('certificate', certificate);

  const bundle = x.array('cabundle', at('cabundle'));
  if (bundle.length === 0) x.fail('cabundle', at('cabundle'), 'must hold at least the root certificate');
  const cabundle = bundle.map((n, i) => {
    const c = x.bytes(`cabundle[${i}]`, n, 1, NITRO_LIMITS.certificateBytes);
    note(`cabundle[${i}]`, c);
    return c.value;
  });
  note('cabundle', at('cabundle'));

  const optional = (f: NitroField, min: number, max: number): Uint8Array | null | undefined => {
    const n = fields.get(f);
    if (n === undefined) return undefined;
    note(f, n);
    if (n.kind === 'simple' && n.value === null) return null;
    return x.bytes(f, n, min, max).value;
  };
  const publicKey = optional('public_key', 1, NITRO_LIMITS.publicKeyBytes);
  const userData = optional('user_data', 0, NITRO_LIMITS.userDataBytes);
  const nonce = optional('nonce', 0, NITRO_LIMITS.nonceBytes);

  return {
    cose,
    layout,
    payload: {
      moduleId,
      digest: 'SHA384',
      timestamp,
      pcrs,
      certificate: certificate.value,
      cabundle,
      ...(publicKey !== undefined ? { publicKey } : {}),
      ...(userData !== undefined ? { userData } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
    },
  };
}
