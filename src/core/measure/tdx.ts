/**
 * Intel TDX measurement registers. MRTD is built by the TDX module while the host adds the initial
 * pages: one SHA-384 stream of 128-byte records, `"MEM.PAGE.ADD" ‖ GPA` for each added page and
 * `"MR.EXTEND" ‖ GPA` followed by the 256-byte chunk for each measured chunk (16 per 4 KiB page). The
 * strings are zero-padded to 16 bytes, so the GPA sits at bytes 16–23 and bytes 24–127 are zero.
 * RTMR0–3 start at zero and are extended by the guest: `RTMR = SHA-384(RTMR ‖ data[48])`.
 */
import { concatBytes } from '../crypto/bytes';
import { createHash, digest, type IncrementalHash } from '../crypto/hash';
import { EV } from './event-types';
import { FormatError } from '../errors';
import { digestFor, EVENT_LOG_FORMAT, type EventLog } from './event-log';

export const TDX_PAGE_SIZE = 4096;
export const MR_EXTEND_CHUNK = 256;
export const TDX_MR_SIZE = 48;
const RECORD_SIZE = 128;
const GPA_LIMIT = 1n << 64n;

export type MrtdOperation = 'MEM.PAGE.ADD' | 'MR.EXTEND';

/** One record of the MRTD stream; `chunk` (a view, not a copy) follows MR.EXTEND records. */
export interface MrtdRecord {
  operation: MrtdOperation;
  gpa: bigint;
  chunk?: Uint8Array;
}

function assertGpa(gpa: bigint, alignment: number, name: string): void {
  if (typeof gpa !== 'bigint' || gpa < 0n || gpa >= GPA_LIMIT)
    throw new RangeError(`${name}: not a 64-bit GPA`);
  if (gpa % BigInt(alignment) !== 0n) {
    throw new RangeError(`${name}: 0x${gpa.toString(16)} is not ${alignment}-byte aligned`);
  }
}

/** The 128-byte record the TDX module hashes for one operation (for hex views and tests). */
export function mrtdRecord(operation: MrtdOperation, gpa: bigint): Uint8Array {
  const record = new Uint8Array(RECORD_SIZE);
  for (let i = 0; i < operation.length; i++) record[i] = operation.charCodeAt(i);
  new DataView(record.buffer).setBigUint64(16, gpa, true);
  return record;
}

/** MRTD as the TDX module computes it, operation by operation, keeping the ordered list of records. */
export class MrtdBuilder {
  private readonly hash: IncrementalHash = createHash('sha384');
  private readonly list: MrtdRecord[] = [];
  private finished?: Uint8Array;

  private check(): void {
    if (this.finished)
      throw new Error('MRTD is already finalized (TDH.MR.FINALIZE); no more pages can be added');
  }

  /** TDH.MEM.PAGE.ADD of the 4 KiB page at `gpa`: records that the page exists, not what it holds. */
  addPage(gpa: bigint): this {
    this.check();
    assertGpa(gpa, TDX_PAGE_SIZE, 'gpa');
    this.hash.update(mrtdRecord('MEM.PAGE.ADD', gpa));
    this.list.push({ operation: 'MEM.PAGE.ADD', gpa });
    return this;
  }

  /** TDH.MR.EXTEND of one 256-byte chunk at `gpa`: this is what binds the contents. */
  extendChunk(gpa: bigint, chunk: Uint8Array): this {
    this.check();
    assertGpa(gpa, MR_EXTEND_CHUNK, 'gpa');
    if (!(chunk instanceof Uint8Array) || chunk.length !== MR_EXTEND_CHUNK) {
      throw new RangeError(`chunk: expected ${MR_EXTEND_CHUNK} bytes`);
    }
    this.hash.update(mrtdRecord('MR.EXTEND', gpa)).update(chunk);
    this.list.push({ operation: 'MR.EXTEND', gpa, chunk });
    return this;
  }

  /**
   * Adds one 4 KiB page and, when `measured`, extends all 16 chunks of it, as KVM does per page for
   * KVM_TDX_INIT_MEM_REGION. An unmeasured page (e.g. TDVF's temporary memory) only has its GPA bound.
   */
  addMeasuredPage(gpa: bigint, page: Uint8Array, measured = true): this {
    if (!(page instanceof Uint8Array) || page.length !== TDX_PAGE_SIZE) {
      throw new RangeError(`page: expected ${TDX_PAGE_SIZE} bytes`);
    }
    this.addPage(gpa);
    if (measured) {
      for (let off = 0; off < TDX_PAGE_SIZE; off += MR_EXTEND_CHUNK) {
        this.extendChunk(gpa + BigInt(off), page.subarray(off, off + MR_EXTEND_CHUNK));
      }
    }
    return this;
  }

  /** TDH.MR.FINALIZE: the 48-byte MRTD; the builder accepts nothing afterwards. */
  finish(): Uint8Array {
    this.finished ??= this.hash.digest();
    return Uint8Array.from(this.finished);
  }

  get records(): readonly MrtdRecord[] {
    return this.list;
  }
}

export interface TdRegion {
  gpa: bigint;
  /** A multiple of 4 KiB. */
  bytes: Uint8Array;
  /** Whether TDH.MR.EXTEND covers the contents (TDVF's MR_EXTEND section attribute). */
  measured: boolean;
}

/** MRTD of an initial TD image given as regions, in order; returns the value and the records. */
export function measureMrtd(regions: readonly TdRegion[]): {
  mrtd: Uint8Array;
  records: readonly MrtdRecord[];
} {
  const b = new MrtdBuilder();
  regions.forEach((region, i) => {
    if (region.bytes.length % TDX_PAGE_SIZE !== 0) {
      throw new RangeError(`regions[${i}].bytes: ${region.bytes.length} bytes is not a multiple of 4 KiB`);
    }
    for (let off = 0; off < region.bytes.length; off += TDX_PAGE_SIZE) {
      b.addMeasuredPage(
        region.gpa + BigInt(off),
        region.bytes.subarray(off, off + TDX_PAGE_SIZE),
        region.measured,
      );
    }
  });
  return { mrtd: b.finish(), records: b.records };
}

export const RTMR_COUNT = 4;

export interface RtmrExtend {
  index: number;
  data: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
  label?: string;
}

/** RTMR0–3 of one TD: extend-only SHA-384 registers that start at zero. */
export class RtmrBank {
  private readonly values: Uint8Array[] = Array.from(
    { length: RTMR_COUNT },
    () => new Uint8Array(TDX_MR_SIZE),
  );
  private readonly chain: RtmrExtend[] = [];

  read(index: number): Uint8Array {
    this.checkIndex(index);
    return Uint8Array.from(this.values[index]);
  }

  /** TDG.MR.RTMR.EXTEND: `RTMR[index] = SHA-384(RTMR[index] ‖ data)`, data being 48 bytes. */
  extend(index: number, data: Uint8Array, label?: string): Uint8Array {
    this.checkIndex(index);
    if (!(data instanceof Uint8Array) || data.length !== TDX_MR_SIZE) {
      throw new RangeError(`data: RTMR extend takes ${TDX_MR_SIZE} bytes`);
    }
    const before = this.values[index];
    const after = digest('sha384', concatBytes(before, data));
    this.values[index] = after;
    const link: RtmrExtend = { index, data: Uint8Array.from(data), before, after };
    if (label !== undefined) link.label = label;
    this.chain.push(link);
    return Uint8Array.from(after);
  }

  get history(): readonly RtmrExtend[] {
    return this.chain;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= RTMR_COUNT) {
      throw new RangeError(`index: RTMR${index} does not exist (0–${RTMR_COUNT - 1})`);
    }
  }
}

/** TDX register a TPM PCR maps to in the CC event log (UEFI 2.10 §38.4.1). */
export function tdxRegisterForPcr(pcr: number): 'MRTD' | 'RTMR0' | 'RTMR1' | 'RTMR2' | undefined {
  if (pcr === 0) return 'MRTD';
  if (pcr === 1 || pcr === 7) return 'RTMR0';
  if (pcr >= 2 && pcr <= 6) return 'RTMR1';
  if (pcr >= 8 && pcr <= 15) return 'RTMR2';
  return undefined;
}

/**
 * Replays a CC event log (CCEL: the crypto-agile format with SHA-384 digests, where the "PCR index"
 * is the CC measurement register: 0 = MRTD, 1–4 = RTMR0–3) into RTMRs. Index 0 events describe what
 * MRTD already covers and are not extended.
 */
export function replayCcel(log: EventLog): RtmrBank {
  const bank = new RtmrBank();
  for (const e of log.events) {
    if (e.type === EV.EV_NO_ACTION || e.pcrIndex === 0) continue;
    if (e.pcrIndex > RTMR_COUNT) {
      throw new FormatError(
        EVENT_LOG_FORMAT,
        `event ${e.number} MR index`,
        e.offset,
        `${e.pcrIndex} is not an RTMR`,
      );
    }
    const value = digestFor(e, 'sha384');
    if (!value) {
      const detail = `no SHA-384 digest to extend RTMR${e.pcrIndex - 1}`;
      throw new FormatError(EVENT_LOG_FORMAT, `event ${e.number} digests`, e.offset + 8, detail);
    }
    bank.extend(e.pcrIndex - 1, value, `event ${e.number} ${e.typeName}`);
  }
  return bank;
}
