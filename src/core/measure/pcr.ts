/**
 * TPM Platform Configuration Register banks: one bank per hash algorithm, 24 PCRs each, changed only by
 * extend, `PCR = H(PCR ‖ digest)`. Every extend is recorded in order, so a view can draw the chain that
 * led to a value. SHA-1 banks exist only because real logs still carry them: we replay them, we never
 * write new SHA-1 measurements.
 */
import { concatBytes } from '../crypto/bytes';
import { digest as hash, digestSize, type HashAlg } from '../crypto/hash';

export const PCR_COUNT = 24;

/** Locality 0–4 of TPM2_Startup, as the EV_NO_ACTION "StartupLocality" event reports it. */
export const MAX_LOCALITY = 4;

/** Where an extend came from, for a view that links the chain back to the log or the scenario. */
export interface PcrExtendSource {
  /** Event number in the TCG event log, when the extend replays one. */
  event?: number;
  label: string;
}

/** One link of the chain: `after = H(before ‖ digest)` on PCR `index`. */
export interface PcrExtend {
  index: number;
  digest: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
  source?: PcrExtendSource;
}

function assertPcrIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= PCR_COUNT) {
    throw new RangeError(`index: PCR ${index} does not exist (0–${PCR_COUNT - 1})`);
  }
}

function assertLocality(locality: number): void {
  if (!Number.isInteger(locality) || locality < 0 || locality > MAX_LOCALITY) {
    throw new RangeError(`locality: ${locality} is not a TPM locality (0–${MAX_LOCALITY})`);
  }
}

/**
 * The value a PCR holds after TPM2_Startup: zeros for PCR 0–16 and 23, all 0xFF for PCR 17–22 (the
 * dynamic-launch PCRs, which only a DRTM event resets to zero). PCR 0 ends in the startup locality.
 */
export function pcrResetValue(alg: HashAlg, index: number, locality = 0): Uint8Array {
  assertPcrIndex(index);
  assertLocality(locality);
  const value = new Uint8Array(digestSize(alg));
  if (index >= 17 && index <= 22) value.fill(0xff);
  if (index === 0) value[value.length - 1] = locality;
  return value;
}

export class PcrBank {
  readonly size: number;
  private readonly values: Uint8Array[] = [];
  private readonly chain: PcrExtend[] = [];
  private startupLocality = 0;

  constructor(readonly alg: HashAlg) {
    this.size = digestSize(alg);
    for (let i = 0; i < PCR_COUNT; i++) this.values.push(pcrResetValue(alg, i));
  }

  get locality(): number {
    return this.startupLocality;
  }

  /**
   * Records that TPM2_Startup ran at `locality`, which the TPM folds into PCR 0's reset value. It must
   * come before PCR 0 is first extended, as it does in a real boot.
   */
  setStartupLocality(locality: number): void {
    assertLocality(locality);
    if (this.chain.some((e) => e.index === 0)) {
      throw new RangeError('locality: PCR 0 was already extended, the startup locality can no longer change');
    }
    this.startupLocality = locality;
    this.values[0] = pcrResetValue(this.alg, 0, locality);
  }

  /** A copy of the current value. */
  read(index: number): Uint8Array {
    assertPcrIndex(index);
    return Uint8Array.from(this.values[index]);
  }

  /** `PCR[index] = H(PCR[index] ‖ digest)`; returns (a copy of) the new value. */
  extend(index: number, digest: Uint8Array, source?: PcrExtendSource): Uint8Array {
    assertPcrIndex(index);
    if (!(digest instanceof Uint8Array)) throw new TypeError('digest: expected Uint8Array');
    if (digest.length !== this.size) {
      throw new RangeError(
        `digest: a ${this.alg} bank takes ${this.size}-byte digests, got ${digest.length}`,
      );
    }
    const before = this.values[index];
    const after = hash(this.alg, concatBytes(before, digest));
    this.values[index] = after;
    const link: PcrExtend = { index, digest: Uint8Array.from(digest), before, after };
    if (source) link.source = source;
    this.chain.push(link);
    return Uint8Array.from(after);
  }

  /** Every extend so far, oldest first. */
  get history(): readonly PcrExtend[] {
    return this.chain;
  }

  /** The PCRs that were extended at least once, in ascending order. */
  extendedIndices(): number[] {
    return [...new Set(this.chain.map((e) => e.index))].sort((a, b) => a - b);
  }
}
