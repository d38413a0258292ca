/**
 * Arm CCA realm measurements (RMM specification, "Realm measurements"). The RMM keeps one Realm
 * Initial Measurement (RIM), fixed once the realm is activated, and four Realm Extensible Measurements
 * (REM0–3) that the realm extends at run time with RSI_MEASUREMENT_EXTEND. Hash: SHA-256 or SHA-512,
 * chosen by the host at RMI_REALM_CREATE.
 *
 *   RMI_REALM_CREATE  RIM = H(measured RmiRealmParams, a zeroed 4 KiB page holding only the fields below)
 *   RMI_DATA_CREATE   RIM = H(RmmMeasurementDescriptorData:  type 0 ‖ len ‖ RIM ‖ IPA ‖ flags ‖ H(granule))
 *   RMI_REC_CREATE    RIM = H(RmmMeasurementDescriptorRec:   type 1 ‖ len ‖ RIM ‖ H(measured RmiRecParams))
 *   RMI_RTT_INIT_RIPAS RIM = H(RmmMeasurementDescriptorRipas: type 2 ‖ len ‖ RIM ‖ base ‖ top)
 *   RSI_MEASUREMENT_EXTEND  REM[i] = H(REM[i] ‖ data), data up to 64 bytes
 *
 * Simplified, and marked so because the encoding is uncertain (it changed between RMM releases): the
 * descriptors follow TF-RMM's measurement_descs.h (each 0x100 bytes, the RIM and contents fields 64
 * bytes wide with the digest in the first bytes), and the measured RmiRealmParams follow the RMM 1.0
 * layout (flags @0, s2sz @8, sve_vl @0x10, num_bps @0x18, num_wps @0x20, pmu_num_ctrs @0x28, hash_algo
 * @0x30); earlier betas measured features_0 @0 and hash_algo @0x100. The measured RmiRecParams hold
 * flags @0, pc @0x200 and gprs[8] @0x300. Values from this module have not been compared with a real
 * RMM, so they teach the structure of the chain, not reference values for a particular firmware.
 */
import { concatBytes } from '../crypto/bytes';
import { digest, digestSize } from '../crypto/hash';

export type CcaHashAlg = 'sha256' | 'sha512';

/** RMI_HASH_SHA_256 / RMI_HASH_SHA_512 as encoded in RmiRealmParams.hash_algo. */
const RMI_HASH_ALGO = { sha256: 0, sha512: 1 } as const;
const GRANULE_SIZE = 4096;
const DESCRIPTOR_SIZE = 0x100;
export const REM_COUNT = 4;
export const REM_EXTEND_MAX = 64;

export interface RealmParams {
  hashAlgo: CcaHashAlg;
  flags?: bigint;
  /** Stage-2 input address size in bits (IPA width). */
  s2sz?: number;
  sveVl?: number;
  numBps?: number;
  numWps?: number;
  pmuNumCtrs?: number;
}

export type RimStep =
  | { kind: 'realm-create'; input: Uint8Array }
  | { kind: 'data-create'; ipa: bigint; measuredContent: boolean; descriptor: Uint8Array }
  | { kind: 'rec-create'; pc: bigint; descriptor: Uint8Array }
  | { kind: 'init-ripas'; base: bigint; top: bigint; descriptor: Uint8Array };

/** One link of the RIM chain. */
export type RimUpdate = RimStep & { before: Uint8Array; after: Uint8Array };

export interface RemExtend {
  index: number;
  data: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
}

function u64(value: bigint, name: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n)
    throw new RangeError(`${name}: not a u64`);
  return value;
}

function small(value: number | undefined, name: string): number {
  const v = value ?? 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name}: ${v} is not a byte`);
  return v;
}

/** The zeroed RmiRealmParams page with only the measured fields filled in (RMM 1.0 layout). */
export function measuredRealmParams(params: RealmParams): Uint8Array {
  if (!(params.hashAlgo in RMI_HASH_ALGO))
    throw new RangeError(`hashAlgo: ${params.hashAlgo} is not sha256 or sha512`);
  const page = new Uint8Array(GRANULE_SIZE);
  const v = new DataView(page.buffer);
  v.setBigUint64(0x00, u64(params.flags ?? 0n, 'flags'), true);
  page[0x08] = small(params.s2sz, 's2sz');
  page[0x10] = small(params.sveVl, 'sveVl');
  page[0x18] = small(params.numBps, 'numBps');
  page[0x20] = small(params.numWps, 'numWps');
  page[0x28] = small(params.pmuNumCtrs, 'pmuNumCtrs');
  page[0x30] = RMI_HASH_ALGO[params.hashAlgo];
  return page;
}

/** A realm's RIM and REMs as the RMM accumulates them, with the ordered chain of what was measured. */
export class RealmMeasurements {
  readonly hashAlgo: CcaHashAlg;
  private rimValue: Uint8Array;
  private readonly rems: Uint8Array[];
  private readonly rimChain: RimUpdate[] = [];
  private readonly remChain: RemExtend[] = [];
  private active = false;

  /** RMI_REALM_CREATE. */
  constructor(params: RealmParams) {
    this.hashAlgo = params.hashAlgo;
    const input = measuredRealmParams(params);
    const size = digestSize(this.hashAlgo);
    this.rimValue = digest(this.hashAlgo, input);
    this.rems = Array.from({ length: REM_COUNT }, () => new Uint8Array(size));
    this.rimChain.push({ kind: 'realm-create', input, before: new Uint8Array(size), after: this.rimValue });
  }

  get rim(): Uint8Array {
    return Uint8Array.from(this.rimValue);
  }

  rem(index: number): Uint8Array {
    this.checkRem(index);
    return Uint8Array.from(this.rems[index]);
  }

  get rimUpdates(): readonly RimUpdate[] {
    return this.rimChain;
  }

  get remExtends(): readonly RemExtend[] {
    return this.remChain;
  }

  private descriptor(type: number): { bytes: Uint8Array; view: DataView } {
    if (this.active) throw new Error('the realm is active: its initial measurement can no longer change');
    const bytes = new Uint8Array(DESCRIPTOR_SIZE);
    const view = new DataView(bytes.buffer);
    bytes[0] = type;
    view.setBigUint64(0x08, BigInt(DESCRIPTOR_SIZE), true);
    bytes.set(this.rimValue, 0x10);
    return { bytes, view };
  }

  private fold(step: RimStep, descriptor: Uint8Array): Uint8Array {
    const before = this.rimValue;
    this.rimValue = digest(this.hashAlgo, descriptor);
    this.rimChain.push({ ...step, before, after: this.rimValue });
    return this.rim;
  }

  /** RMI_DATA_CREATE of one granule at `ipa`; without contents the granule is mapped unmeasured. */
  dataCreate(ipa: bigint, granule?: Uint8Array): Uint8Array {
    if (granule !== undefined && granule.length !== GRANULE_SIZE)
      throw new RangeError('granule: expected 4 KiB');
    const d = this.descriptor(0);
    d.view.setBigUint64(0x50, u64(ipa, 'ipa'), true);
    d.view.setBigUint64(0x58, granule ? 1n : 0n, true); // RMI_MEASURE_CONTENT
    if (granule) d.bytes.set(digest(this.hashAlgo, granule), 0x60);
    return this.fold({ kind: 'data-create', ipa, measuredContent: !!granule, descriptor: d.bytes }, d.bytes);
  }

  /** RMI_REC_CREATE of a vCPU that starts at `pc` with `gprs` (x0–x7). */
  recCreate(pc: bigint, gprs: readonly bigint[] = [], flags = 0n): Uint8Array {
    if (gprs.length > 8) throw new RangeError('gprs: at most 8 registers (x0–x7)');
    const params = new Uint8Array(GRANULE_SIZE);
    const pv = new DataView(params.buffer);
    pv.setBigUint64(0x000, u64(flags, 'flags'), true);
    pv.setBigUint64(0x200, u64(pc, 'pc'), true);
    gprs.forEach((g, i) => pv.setBigUint64(0x300 + 8 * i, u64(g, `gprs[${i}]`), true));
    const d = this.descriptor(1);
    d.bytes.set(digest(this.hashAlgo, params), 0x50);
    return this.fold({ kind: 'rec-create', pc, descriptor: d.bytes }, d.bytes);
  }

  /** RMI_RTT_INIT_RIPAS: the IPA range [base, top) starts as RAM the realm may use. */
  initRipas(base: bigint, top: bigint): Uint8Array {
    if (u64(top, 'top') <= u64(base, 'base')) throw new RangeError('top: must be above base');
    const d = this.descriptor(2);
    d.view.setBigUint64(0x50, base, true);
    d.view.setBigUint64(0x58, top, true);
    return this.fold({ kind: 'init-ripas', base, top, descriptor: d.bytes }, d.bytes);
  }

  /** RMI_REALM_ACTIVATE: from now on only the REMs change. */
  activate(): void {
    this.active = true;
  }

  /** RSI_MEASUREMENT_EXTEND from inside the realm: `REM[index] = H(REM[index] ‖ data)`. */
  extendRem(index: number, data: Uint8Array): Uint8Array {
    this.checkRem(index);
    if (!(data instanceof Uint8Array) || data.length > REM_EXTEND_MAX) {
      throw new RangeError(`data: at most ${REM_EXTEND_MAX} bytes per extend`);
    }
    const before = this.rems[index];
    const after = digest(this.hashAlgo, concatBytes(before, data));
    this.rems[index] = after;
    this.remChain.push({ index, data: Uint8Array.from(data), before, after });
    return Uint8Array.from(after);
  }

  private checkRem(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= REM_COUNT) {
      throw new RangeError(`index: REM${index} does not exist (0–${REM_COUNT - 1})`);
    }
  }
}
