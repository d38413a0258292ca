/**
 * Byte helpers shared by the whole core: hex/base64/UTF-8 codecs, concatenation, integer views and a
 * constant-time comparison. Arguments are checked at the boundary and errors name the argument.
 */

/** Throws TypeError unless `value` is a Uint8Array, RangeError unless it has `length` bytes (when given). */
export function assertBytes(value: unknown, name: string, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name}: expected Uint8Array, got ${value === null ? 'null' : typeof value}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name}: expected ${length} bytes, got ${value.length}`);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

/** Value of each hex digit's character code (0-9, a-f, A-F), −1 for every other code below 256. */
const NIBBLE = Int8Array.from({ length: 256 }, (_, code) => {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
});

function hexNibble(code: number): number {
  return code < 256 ? NIBBLE[code] : -1;
}

/** Parses hex (either case, optional `0x` prefix); the error names the first bad character's position. */
export function fromHex(hex: string, name = 'hex'): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`${name}: expected a hex string, got ${typeof hex}`);
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0) throw new RangeError(`${name}: odd number of hex digits (${body.length})`);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(body.charCodeAt(2 * i));
    const lo = hexNibble(body.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new RangeError(`${name}: invalid hex character ${JSON.stringify(body[at])} at position ${at}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/** URL-safe base64 without padding (RFC 4648 §5), as JOSE and JWKs use it. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Parses standard or URL-safe base64; whitespace is ignored, padding optional. */
export function fromBase64(text: string, name = 'base64'): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new RangeError(`${name}: truncated base64 (${clean.length} characters)`);
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = B64_INDEX.get(clean[i]);
    if (v === undefined) {
      throw new RangeError(`${name}: invalid base64 character ${JSON.stringify(clean[i])} at position ${i}`);
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of `text` (short ASCII strings, labels and field names, are copied directly). */
export function utf8(text: string): Uint8Array {
  if (text.length <= 64) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return encoder.encode(text);
      out[i] = c;
    }
    return out;
  }
  return encoder.encode(text);
}

/** Decodes UTF-8, throwing on malformed sequences rather than inventing U+FFFD characters. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Compares in time that depends only on the lengths, never on where the first difference is, so a
 * verifier comparing MACs or measurements does not leak how many leading bytes matched.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, 'a');
  assertBytes(b, 'b');
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Plain equality for non-secret data (layouts, tests); use constantTimeEqual for secrets. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A DataView over exactly the bytes of `b` (respecting its offset into a larger buffer). */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Unsigned big-endian integer from bytes. */
export function bytesToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

/** Unsigned big-endian encoding of `n` in exactly `length` bytes; RangeError if it does not fit. */
export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  if (n < 0n) throw new RangeError(`bigIntToBytes: negative value ${n}`);
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`bigIntToBytes: value does not fit in ${length} bytes`);
  return out;
}

/** Unsigned big-endian encoding of `n` in as few bytes as it needs (JWK and ASN.1 integers). */
export function bigIntToMinimalBytes(n: bigint): Uint8Array {
  return bigIntToBytes(n, Math.max(1, Math.ceil(n.toString(16).length / 2)));
}

/** A reversed copy: AMD and TCG structures store big numbers little-endian. */
export function reversed(b: Uint8Array): Uint8Array {
  return Uint8Array.from(b).reverse();
}
