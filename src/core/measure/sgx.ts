/**
 * Intel SGX enclave identity (SDM Vol. 3D, "Enclave measurement"). MRENCLAVE is one SHA-256 stream of
 * 64-byte records written by the instructions that build the enclave:
 *   ECREATE:  "ECREATE\0" ‖ SSAFRAMESIZE u32 ‖ SIZE u64 ‖ 44 zero bytes
 *   EADD:     "EADD\0\0\0\0" ‖ page offset u64 ‖ SECINFO (48 bytes: flags u64, then zeros)
 *   EEXTEND:  "EEXTEND\0" ‖ chunk offset u64 ‖ 48 zero bytes, followed by the 256-byte chunk
 * Offsets are relative to the enclave base, so the value does not depend on where it is loaded.
 * MRSIGNER = SHA-256 of the signer's RSA-3072 modulus as stored in SIGSTRUCT (384 bytes, little-endian).
 */
import { createHash, digest, type IncrementalHash } from '../crypto/hash';

export const SGX_PAGE_SIZE = 4096;
export const EEXTEND_CHUNK = 256;
const RECORD_SIZE = 64;
const U64_LIMIT = 1n << 64n;

/** SECINFO.FLAGS page types and permissions (SDM Table 37-9/37-10). */
export const SECINFO_FLAGS = {
  R: 1n,
  W: 2n,
  X: 4n,
  PT_SECS: 0n << 8n,
  PT_TCS: 1n << 8n,
  PT_REG: 2n << 8n,
} as const;

/** The 48-byte SECINFO of EADD: flags in the first 8 bytes, the rest reserved (zero). */
export function secinfo(flags: bigint): Uint8Array {
  const b = new Uint8Array(48);
  new DataView(b.buffer).setBigUint64(0, flags, true);
  return b;
}

export type SgxOperation = 'ECREATE' | 'EADD' | 'EEXTEND';

export interface MrEnclaveRecord {
  operation: SgxOperation;
  /** The 64-byte record that was hashed. */
  record: Uint8Array;
  /** EEXTEND only: the 256 bytes hashed after the record (a view). */
  chunk?: Uint8Array;
}

function u64(value: bigint, name: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value >= U64_LIMIT)
    throw new RangeError(`${name}: not a u64`);
  return value;
}

function record(tag: string): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(RECORD_SIZE);
  for (let i = 0; i < tag.length; i++) bytes[i] = tag.charCodeAt(i);
  return { bytes, view: new DataView(bytes.buffer) };
}

/** MRENCLAVE built instruction by instruction, keeping every record; starts with ECREATE. */
export class MrEnclaveBuilder {
  private readonly hash: IncrementalHash = createHash('sha256');
  private readonly list: MrEnclaveRecord[] = [];
  private finished?: Uint8Array;

  /** ECREATE: the SSA frame size (in pages) and the enclave size in bytes. */
  constructor(ssaFrameSize: number, enclaveSize: bigint) {
    if (!Number.isInteger(ssaFrameSize) || ssaFrameSize < 1 || ssaFrameSize > 0xffffffff) {
      throw new RangeError('ssaFrameSize: a u32 of at least 1 page');
    }
    const r = record('ECREATE');
    r.view.setUint32(8, ssaFrameSize, true);
    r.view.setBigUint64(12, u64(enclaveSize, 'enclaveSize'), true);
    this.push({ operation: 'ECREATE', record: r.bytes });
  }

  private push(entry: MrEnclaveRecord): void {
    if (this.finished) throw new Error('MRENCLAVE is final (EINIT ran); the enclave cannot change');
    this.hash.update(entry.record);
    if (entry.chunk) this.hash.update(entry.chunk);
    this.list.push(entry);
  }

  /** EADD of the page at `offset` with its SECINFO: binds the page's place and permissions, not its bytes. */
  eadd(offset: bigint, secinfoBytes: Uint8Array): this {
    if (u64(offset, 'offset') % BigInt(SGX_PAGE_SIZE) !== 0n)
      throw new RangeError('offset: not page aligned');
    if (secinfoBytes.length !== 48) throw new RangeError('secinfo: expected 48 bytes');
    const r = record('EADD');
    r.view.setBigUint64(8, offset, true);
    r.bytes.set(secinfoBytes, 16);
    this.push({ operation: 'EADD', record: r.bytes });
    return this;
  }

  /** EEXTEND of one 256-byte chunk at `offset`: this is what binds the contents. */
  eextend(offset: bigint, chunk: Uint8Array): this {
    if (u64(offset, 'offset') % BigInt(EEXTEND_CHUNK) !== 0n)
      throw new RangeError('offset: not 256-byte aligned');
    if (chunk.length !== EEXTEND_CHUNK) throw new RangeError(`chunk: expected ${EEXTEND_CHUNK} bytes`);
    const r = record('EEXTEND');
    r.view.setBigUint64(8, offset, true);
    this.push({ operation: 'EEXTEND', record: r.bytes, chunk });
    return this;
  }

  /** EADD of a page, then (when `measured`) EEXTEND of its 16 chunks, as the SGX loaders do. */
  addPage(offset: bigint, page: Uint8Array, secinfoBytes: Uint8Array, measured = true): this {
    if (page.length !== SGX_PAGE_SIZE) throw new RangeError(`page: expected ${SGX_PAGE_SIZE} bytes`);
    this.eadd(offset, secinfoBytes);
    if (measured) {
      for (let off = 0; off < SGX_PAGE_SIZE; off += EEXTEND_CHUNK) {
        this.eextend(offset + BigInt(off), page.subarray(off, off + EEXTEND_CHUNK));
      }
    }
    return this;
  }

  /** EINIT: the final MRENCLAVE. */
  finish(): Uint8Array {
    this.finished ??= this.hash.digest();
    return Uint8Array.from(this.finished);
  }

  get records(): readonly MrEnclaveRecord[] {
    return this.list;
  }
}

/** MRSIGNER from SIGSTRUCT's MODULUS field (384 bytes, little-endian, as stored). */
export function mrSigner(modulusLittleEndian: Uint8Array): Uint8Array {
  if (!(modulusLittleEndian instanceof Uint8Array) || modulusLittleEndian.length !== 384) {
    throw new RangeError('modulus: expected the 384-byte RSA-3072 modulus');
  }
  return digest('sha256', modulusLittleEndian);
}
