/**
 * Point arithmetic over P-256 and P-384 where no input is secret, so this code may be variable-time,
 * and it is:
 *
 * - ECDSA verification: the key, the signature and the digest are public;
 * - deriving public keys, signing and agreeing ECDH with the simulation's own keys (ecdsa.ts,
 *   ecdh.ts). Every private key this product holds is either drawn from a DRBG seeded with the run's
 *   seed (which the URL, the scenario file and the transcript carry: anyone can recompute the key
 *   exactly) or a committed demo key, and RFC 6979 nonces follow from the key and the digest. A timing
 *   channel cannot reveal what the seed already tells. The product never holds a real private key;
 *   code that ever does must not use these paths (noble's constant-time ones are there for it).
 *
 * Why not noble's `multiplyUnsafe`: noble builds points with complete projective formulas (12M + 23
 * reduced additions per addition) and immutable, validated point objects, which makes u1·G + u2·Q
 * 2–3× slower than needed. Here: Jacobian coordinates with the a = −3 doubling (3M + 5S) and mixed
 * Jacobian–affine addition (7M + 4S), additions reduced by a conditional subtraction, and two kinds
 * of precomputed scalar multiplication:
 *
 * - for G, a doubling-free signed fixed-window table (for w = 0, 1, …: the multiples j·2^(wW)·G,
 *   j = 1 … 2^(W−1), in affine form): one mixed addition per window, built once per curve;
 * - for a public key Q, a small comb (Lim–Lee, 6 teeth: 63 points) whose cost to build is about one
 *   scalar multiplication, after which u2·Q takes ⌈bits/6⌉ doublings and as many additions: a key
 *   used twice has already repaid it, and verifiers meet the same keys again and again.
 *
 * Formulas: dbl-2001-b, madd-2007-bl and add-2007-bl from the Explicit-Formulas Database
 * (https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-3.html); the incomplete cases (P = ±Q,
 * the point at infinity) are handled explicitly. Results are checked against noble and OpenSSL in
 * tests/unit/crypto/ec-public.test.ts.
 */
import { invert } from '@noble/curves/abstract/modular.js';
import { p256, p384 } from '@noble/curves/nist.js';

/** A point in Jacobian coordinates: (X/Z², Y/Z³); Z = 0 is the point at infinity. */
export interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

/** A doubling-free table: for window w, the affine multiples j·2^(wW)·P (j = 1 … 2^(W−1)), flattened. */
export interface FixedTable {
  W: number;
  windows: number;
  xs: bigint[];
  ys: bigint[];
}

/** A comb (Lim–Lee) of a point P with t teeth and spacing d: the 2^t − 1 affine sums Σ_{i ∈ m} 2^(i·d)·P. */
export interface CombTable {
  t: number;
  d: number;
  xs: bigint[];
  ys: bigint[];
}

const INFINITY: Jacobian = Object.freeze({ X: 1n, Y: 1n, Z: 0n });

/** Arithmetic on one short Weierstrass curve y² = x³ − 3x + b over GF(p), of prime order n. */
export class PublicCurve {
  readonly p: bigint;
  readonly n: bigint;
  readonly bits: number;
  readonly gx: bigint;
  readonly gy: bigint;
  private gTable?: FixedTable;

  constructor(
    params: { p: bigint; n: bigint; a: bigint; Gx: bigint; Gy: bigint },
    readonly gWindow: number,
  ) {
    if (params.a !== params.p - 3n) throw new RangeError('PublicCurve: only curves with a = −3');
    this.p = params.p;
    this.n = params.n;
    this.bits = params.n.toString(2).length;
    this.gx = params.Gx;
    this.gy = params.Gy;
  }

  // ---- point operations -------------------------------------------------------------------------

  /** 2·P (dbl-2001-b, a = −3). */
  double(P: Jacobian): Jacobian {
    const p = this.p;
    const { X, Y, Z } = P;
    if (Z === 0n || Y === 0n) return INFINITY;
    const delta = (Z * Z) % p;
    const gamma = (Y * Y) % p;
    const beta = (X * gamma) % p;
    let t1 = X - delta;
    if (t1 < 0n) t1 += p;
    let t2 = X + delta;
    if (t2 >= p) t2 -= p;
    const alpha = (3n * t1 * t2) % p;
    let X3 = (alpha * alpha - 8n * beta) % p;
    if (X3 < 0n) X3 += p;
    const yz = Y + Z;
    let Z3 = (yz * yz - gamma - delta) % p;
    if (Z3 < 0n) Z3 += p;
    let Y3 = (alpha * (4n * beta - X3) - 8n * (gamma * gamma)) % p;
    if (Y3 < 0n) Y3 += p;
    return { X: X3, Y: Y3, Z: Z3 };
  }

  /** P + (x2, y2) with the second point affine (madd-2007-bl). */
  addAffine(P: Jacobian, x2: bigint, y2: bigint): Jacobian {
    const p = this.p;
    const { X: X1, Y: Y1, Z: Z1 } = P;
    if (Z1 === 0n) return { X: x2, Y: y2, Z: 1n };
    const Z1Z1 = (Z1 * Z1) % p;
    const U2 = (x2 * Z1Z1) % p;
    const S2 = (((y2 * Z1) % p) * Z1Z1) % p;
    let H = U2 - X1;
    if (H < 0n) H += p;
    let r = S2 - Y1;
    if (r < 0n) r += p;
    if (H === 0n) return r === 0n ? this.double(P) : INFINITY;
    r += r;
    if (r >= p) r -= p;
    const HH = (H * H) % p;
    const I = 4n * HH;
    const J = (H * I) % p;
    const V = (X1 * I) % p;
    let X3 = (r * r - J - 2n * V) % p;
    if (X3 < 0n) X3 += p;
    let Y3 = (r * (V - X3) - 2n * Y1 * J) % p;
    if (Y3 < 0n) Y3 += p;
    const zh = Z1 + H;
    let Z3 = (zh * zh - Z1Z1 - HH) % p;
    if (Z3 < 0n) Z3 += p;
    return { X: X3, Y: Y3, Z: Z3 };
  }

  /** P + Q, both Jacobian (add-2007-bl). */
  add(P: Jacobian, Q: Jacobian): Jacobian {
    const p = this.p;
    const { X: X1, Y: Y1, Z: Z1 } = P;
    const { X: X2, Y: Y2, Z: Z2 } = Q;
    if (Z1 === 0n) return Q;
    if (Z2 === 0n) return P;
    const Z1Z1 = (Z1 * Z1) % p;
    const Z2Z2 = (Z2 * Z2) % p;
    const U1 = (X1 * Z2Z2) % p;
    const U2 = (X2 * Z1Z1) % p;
    const S1 = (((Y1 * Z2) % p) * Z2Z2) % p;
    const S2 = (((Y2 * Z1) % p) * Z1Z1) % p;
    let H = U2 - U1;
    if (H < 0n) H += p;
    let r = S2 - S1;
    if (r < 0n) r += p;
    if (H === 0n) return r === 0n ? this.double(P) : INFINITY;
    r += r;
    if (r >= p) r -= p;
    const h2 = 2n * H;
    const I = (h2 * h2) % p;
    const J = (H * I) % p;
    const V = (U1 * I) % p;
    let X3 = (r * r - J - 2n * V) % p;
    if (X3 < 0n) X3 += p;
    let Y3 = (r * (V - X3) - 2n * S1 * J) % p;
    if (Y3 < 0n) Y3 += p;
    const zz = Z1 + Z2;
    let Z3 = (((zz * zz - Z1Z1 - Z2Z2) % p) * H) % p;
    if (Z3 < 0n) Z3 += p;
    return { X: X3, Y: Y3, Z: Z3 };
  }

  /**
   * Affine coordinates of many points with one inversion (Montgomery's trick). No point may be the
   * point at infinity (callers only pass non-zero multiples of a point of prime order).
   */
  normalize(points: readonly Jacobian[]): { xs: bigint[]; ys: bigint[] } {
    const p = this.p;
    const m = points.length;
    const xs = new Array<bigint>(m);
    const ys = new Array<bigint>(m);
    if (m === 0) return { xs, ys };
    const prefix = new Array<bigint>(m);
    let acc = 1n;
    for (let i = 0; i < m; i++) {
      const Z = points[i].Z;
      if (Z === 0n) throw new RangeError('normalize: the point at infinity has no affine form');
      acc = (acc * Z) % p;
      prefix[i] = acc;
    }
    let inv = invert(acc, p);
    for (let i = m - 1; i >= 0; i--) {
      const zInv = i > 0 ? (inv * prefix[i - 1]) % p : inv;
      inv = (inv * points[i].Z) % p;
      const z2 = (zInv * zInv) % p;
      xs[i] = (points[i].X * z2) % p;
      ys[i] = (((points[i].Y * z2) % p) * zInv) % p;
    }
    return { xs, ys };
  }

  // ---- scalar multiplication --------------------------------------------------------------------

  /** The doubling-free table of (x, y) with window W. */
  buildTable(x: bigint, y: bigint, W: number): FixedTable {
    const windows = Math.ceil(this.bits / W) + 1;
    const half = 1 << (W - 1);
    const points: Jacobian[] = [];
    let base: Jacobian = { X: x, Y: y, Z: 1n };
    for (let w = 0; w < windows; w++) {
      // j·base for j = 1 … half: base, 2·base, then + base.
      points.push(base);
      let acc = this.double(base);
      for (let j = 2; j <= half; j++) {
        points.push(acc);
        if (j < half) acc = this.add(acc, base);
      }
      base = this.double(points[points.length - 1]); // 2·(half·base) = 2^W·base
    }
    const { xs, ys } = this.normalize(points);
    return { W, windows, xs, ys };
  }

  /** acc + k·P, with P's doubling-free table (0 ≤ k < 2^bits). */
  addMultiple(acc: Jacobian, table: FixedTable, k: bigint): Jacobian {
    const { W, windows, xs, ys } = table;
    const half = 1 << (W - 1);
    const full = 1 << W;
    const bits = scalarBits(k, windows * W);
    const p = this.p;
    let carry = 0;
    for (let w = 0; w < windows; w++) {
      let d = carry;
      const o = w * W;
      for (let i = 0; i < W; i++) d += bits[o + i] << i;
      if (d > half) {
        d -= full;
        carry = 1;
      } else carry = 0;
      if (d === 0) continue;
      const idx = w * half + Math.abs(d) - 1;
      acc = this.addAffine(acc, xs[idx], d > 0 ? ys[idx] : p - ys[idx]);
    }
    if (carry !== 0) throw new RangeError('addMultiple: scalar too large for the table');
    return acc;
  }

  /**
   * The comb of (x, y) with t teeth (Lim–Lee): spacing d = ⌈bits / t⌉, bases B_i = 2^(i·d)·P, and
   * for every non-empty subset m of the teeth the affine sum Σ_{i ∈ m} B_i (2^t − 1 points). Building
   * it costs about one scalar multiplication (the (t − 1)·d doublings of the bases).
   */
  buildComb(x: bigint, y: bigint, t: number): CombTable {
    const d = Math.ceil(this.bits / t);
    const bases: Jacobian[] = [{ X: x, Y: y, Z: 1n }];
    for (let i = 1; i < t; i++) {
      let b = bases[i - 1];
      for (let j = 0; j < d; j++) b = this.double(b);
      bases.push(b);
    }
    const affine = this.normalize(bases);
    const sums: Jacobian[] = new Array<Jacobian>(1 << t);
    sums[0] = INFINITY;
    for (let i = 0; i < t; i++) {
      const top = 1 << i;
      for (let m = top; m < top << 1; m++) {
        sums[m] = this.addAffine(sums[m - top], affine.xs[i], affine.ys[i]);
      }
    }
    const { xs, ys } = this.normalize(sums.slice(1));
    return { t, d, xs, ys };
  }

  /** k·P with P's comb (0 ≤ k < 2^bits): d − 1 doublings and at most d mixed additions. */
  combMultiply(comb: CombTable, k: bigint): Jacobian {
    const { t, d, xs, ys } = comb;
    const bits = scalarBits(k, t * d);
    let acc = INFINITY;
    for (let j = d - 1; j >= 0; j--) {
      acc = this.double(acc);
      let m = 0;
      for (let i = 0; i < t; i++) m |= bits[i * d + j] << i;
      if (m !== 0) acc = this.addAffine(acc, xs[m - 1], ys[m - 1]);
    }
    return acc;
  }

  /** k·G with the generator's table: one mixed addition per window (1 ≤ k < n). */
  multiplyBase(k: bigint): Jacobian {
    return this.addMultiple(INFINITY, this.generatorTable(), k);
  }

  /**
   * k·P for an affine point P of the curve (1 ≤ k < n) by width-5 NAF: the odd multiples P, 3P, …, 15P
   * in affine form (one inversion), then one doubling per bit and a mixed addition per non-zero digit
   * (about one in six).
   */
  multiply(x: bigint, y: bigint, k: bigint): Jacobian {
    const p = this.p;
    const P: Jacobian = { X: x, Y: y, Z: 1n };
    const twice = this.double(P);
    const odd: Jacobian[] = [P];
    for (let i = 1; i < 8; i++) odd.push(this.add(odd[i - 1], twice));
    const { xs, ys } = this.normalize(odd);
    const digits = naf5(k);
    let acc = INFINITY;
    for (let i = digits.length - 1; i >= 0; i--) {
      acc = this.double(acc);
      const d = digits[i];
      if (d > 0) acc = this.addAffine(acc, xs[d >> 1], ys[d >> 1]);
      else if (d < 0) acc = this.addAffine(acc, xs[-d >> 1], p - ys[-d >> 1]);
    }
    return acc;
  }

  /** The generator's table, built on first use (a one-time cost per curve). */
  generatorTable(): FixedTable {
    this.gTable ??= this.buildTable(this.gx, this.gy, this.gWindow);
    return this.gTable;
  }

  /**
   * ECDSA's check (SEC 1 v2 §4.1.4 step 5–7): R = u1·G + u2·Q, valid iff R ≠ O and x(R) mod n = r.
   * `qComb` is the comb of Q, a point already validated as a point of the curve.
   * Compares X with r·Z² (and (r + n)·Z² when r + n < p) instead of inverting Z.
   */
  checkEcdsa(u1: bigint, u2: bigint, r: bigint, qComb: CombTable): boolean {
    const p = this.p;
    let R = this.combMultiply(qComb, u2);
    R = this.addMultiple(R, this.generatorTable(), u1);
    if (R.Z === 0n) return false;
    const z2 = (R.Z * R.Z) % p;
    if ((r * z2) % p === R.X) return true;
    const rn = r + this.n;
    return rn < p && (rn * z2) % p === R.X;
  }

  /** Affine coordinates of a Jacobian point (undefined for the point at infinity). */
  toAffine(P: Jacobian): { x: bigint; y: bigint } | undefined {
    if (P.Z === 0n) return undefined;
    const { xs, ys } = this.normalize([P]);
    return { x: xs[0], y: ys[0] };
  }
}

/** The width-5 non-adjacent form of k ≥ 0, least significant digit first: digits odd in ±[1, 15] or 0. */
function naf5(k: bigint): Int8Array {
  if (k < 0n) throw new RangeError('scalar: negative');
  const out = new Int8Array(k.toString(2).length + 1);
  let i = 0;
  while (k > 0n) {
    if (k & 1n) {
      let d = Number(k & 31n);
      if (d > 16) d -= 32;
      out[i] = d;
      k -= BigInt(d);
    }
    k >>= 1n;
    i++;
  }
  return out;
}

/** The low `length` bits of k (0 ≤ k < 2^length), least significant first. */
function scalarBits(k: bigint, length: number): Uint8Array {
  if (k < 0n) throw new RangeError('scalar: negative');
  const s = k.toString(2);
  if (s.length > length) throw new RangeError('scalar: too large');
  const out = new Uint8Array(length + 1);
  for (let i = 0, j = s.length - 1; j >= 0; i++, j--) out[i] = s.charCodeAt(j) - 48;
  return out;
}

function params(c: typeof p256 | typeof p384) {
  const { p, n, a, Gx, Gy } = c.Point.CURVE();
  return { p, n, a, Gx, Gy };
}

/**
 * The two curves. The generator's table uses 7-bit windows: 38 (P-256) or 56 (P-384) mixed additions
 * per k·G, for a one-time table of 2,432 or 3,584 points built on the curve's first use (12 and 27 ms
 * here; 8-bit windows saved ~15% per P-384 k·G but took 21 and 48 ms to build, paid by every new
 * worker before its first run).
 */
export const PUBLIC_CURVES = {
  p256: new PublicCurve(params(p256), 7),
  p384: new PublicCurve(params(p384), 7),
} as const;
