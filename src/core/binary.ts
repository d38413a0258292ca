/**
 * Bounds-checked readers and writers for the fixed binary layouts of evidence and logs. Every read
 * names its field, so a short or inconsistent input fails with the field and the byte offset
 * (`FormatError`) instead of reading `undefined` past the end.
 */
import { FormatError } from './errors';

export type Endian = 'le' | 'be';

export class Reader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly format: string,
    readonly endian: Endian,
    start = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** A FormatError at the current offset (or the one given). */
  error(field: string, detail: string, offset = this.pos): FormatError {
    return new FormatError(this.format, field, offset, detail);
  }

  private need(field: string, n: number): number {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw this.error(
        field,
        `needs ${n} bytes, only ${Math.max(0, this.bytes.length - this.pos)} left (truncated)`,
      );
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(field: string): number {
    return this.view.getUint8(this.need(field, 1));
  }

  u16(field: string): number {
    return this.view.getUint16(this.need(field, 2), this.endian === 'le');
  }

  u32(field: string): number {
    return this.view.getUint32(this.need(field, 4), this.endian === 'le');
  }

  u64(field: string): bigint {
    return this.view.getBigUint64(this.need(field, 8), this.endian === 'le');
  }

  /** A copy of the next `n` bytes. */
  take(field: string, n: number): Uint8Array {
    const at = this.need(field, n);
    return this.bytes.slice(at, at + n);
  }

  skip(field: string, n: number): void {
    this.need(field, n);
  }

  /** Reads `n` bytes that the specification reserves as zero, refusing any non-zero byte. */
  zeros(field: string, n: number): void {
    const at = this.need(field, n);
    for (let i = at; i < at + n; i++) {
      if (this.bytes[i] !== 0)
        throw this.error(field, `must be zero, found 0x${this.bytes[i].toString(16)}`, i);
    }
  }

  /** Refuses trailing bytes: a layout that does not use its whole input is malformed. */
  finish(): void {
    if (this.pos !== this.bytes.length) {
      throw this.error('end', `${this.bytes.length - this.pos} unexpected trailing bytes`);
    }
  }
}

/** Growable writer for the same layouts. */
export class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  constructor(readonly endian: Endian) {}

  get length(): number {
    return this.len;
  }

  private grow(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  // grow() may replace buf and view, so each write takes its offset first and the view after.
  u8(v: number): this {
    const at = this.grow(1);
    this.view.setUint8(at, v);
    return this;
  }

  u16(v: number): this {
    const at = this.grow(2);
    this.view.setUint16(at, v, this.endian === 'le');
    return this;
  }

  u32(v: number): this {
    const at = this.grow(4);
    this.view.setUint32(at, v, this.endian === 'le');
    return this;
  }

  u64(v: bigint): this {
    const at = this.grow(8);
    this.view.setBigUint64(at, v, this.endian === 'le');
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.grow(b.length);
    this.buf.set(b, at);
    return this;
  }

  zeros(n: number): this {
    this.grow(n); // fresh bytes are zero
    return this;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
