/**
 * SEV and SEV-ES launch measurement. While the host launches the guest, the AMD-SP hashes every page
 * it encrypts with LAUNCH_UPDATE_DATA (and, for SEV-ES, every vCPU's VMSA with LAUNCH_UPDATE_VMSA) into
 * one SHA-256 stream, the launch digest GCTX.LD. LAUNCH_MEASURE then returns MEAS ‖ MNONCE with
 *   MEAS = HMAC-SHA256(TIK, 0x04 ‖ API_MAJOR ‖ API_MINOR ‖ BUILD ‖ POLICY u32 LE ‖ LD[32] ‖ MNONCE[16])
 * (AMD SEV API 55766, LAUNCH_MEASURE; QEMU's AMD memory encryption docs). The TIK is shared only by the
 * AMD-SP and the guest owner, so only the owner can check the value; the owner adds no challenge of
 * its own, the only fresh value being the firmware's MNONCE.
 */
import { concatBytes } from '../crypto/bytes';
import { createHash, type IncrementalHash } from '../crypto/hash';
import { hmac } from '../crypto/hmac';

export const SEV_LAUNCH_DIGEST_SIZE = 32;
export const SEV_TIK_SIZE = 16;
export const SEV_MNONCE_SIZE = 16;
/** The context byte AMD puts in front of the measured fields of LAUNCH_MEASURE. */
const MEASURE_CONTEXT = 0x04;

export type SevLaunchUpdateKind = 'data' | 'vmsa';

/** One LAUNCH_UPDATE_* call as measured: what kind, where it sits in the hashed stream, how long. */
export interface SevLaunchUpdate {
  kind: SevLaunchUpdateKind;
  offset: number;
  length: number;
  label?: string;
}

/** GCTX.LD accumulated over the launch updates, in order. */
export class SevLaunchDigest {
  private readonly hash: IncrementalHash = createHash('sha256');
  private readonly list: SevLaunchUpdate[] = [];
  private length = 0;
  private finished?: Uint8Array;

  private add(kind: SevLaunchUpdateKind, bytes: Uint8Array, label?: string): this {
    if (this.finished) throw new Error('the launch digest is final (LAUNCH_MEASURE was issued)');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes: expected Uint8Array');
    if (kind === 'vmsa' && bytes.length !== 4096) throw new RangeError('bytes: a VMSA is one 4 KiB page');
    this.hash.update(bytes);
    const update: SevLaunchUpdate = { kind, offset: this.length, length: bytes.length };
    if (label !== undefined) update.label = label;
    this.list.push(update);
    this.length += bytes.length;
    return this;
  }

  /** LAUNCH_UPDATE_DATA: memory the guest starts with (firmware, kernel hashes table). */
  updateData(bytes: Uint8Array, label?: string): this {
    return this.add('data', bytes, label);
  }

  /** LAUNCH_UPDATE_VMSA (SEV-ES): one vCPU's initial register state, so it cannot be forged later. */
  updateVmsa(vmsa: Uint8Array, label?: string): this {
    return this.add('vmsa', vmsa, label);
  }

  finish(): Uint8Array {
    this.finished ??= this.hash.digest();
    return Uint8Array.from(this.finished);
  }

  get updates(): readonly SevLaunchUpdate[] {
    return this.list;
  }
}

export interface SevMeasurementInput {
  apiMajor: number;
  apiMinor: number;
  build: number;
  /** Guest policy (bit 0 NODBG, 1 NOKS, 2 ES, …). */
  policy: number;
  launchDigest: Uint8Array;
  mnonce: Uint8Array;
}

function byte(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw new RangeError(`${name}: ${value} is not a byte`);
  return value;
}

/** The bytes the HMAC covers, for a hex view of what the owner checks. */
export function sevMeasuredBytes(input: SevMeasurementInput): Uint8Array {
  const { policy, launchDigest, mnonce } = input;
  if (!Number.isInteger(policy) || policy < 0 || policy > 0xffffffff)
    throw new RangeError('policy: not a u32');
  if (launchDigest.length !== SEV_LAUNCH_DIGEST_SIZE) throw new RangeError('launchDigest: expected 32 bytes');
  if (mnonce.length !== SEV_MNONCE_SIZE) throw new RangeError('mnonce: expected 16 bytes');
  const head = Uint8Array.of(
    MEASURE_CONTEXT,
    byte(input.apiMajor, 'apiMajor'),
    byte(input.apiMinor, 'apiMinor'),
    byte(input.build, 'build'),
    policy & 0xff,
    (policy >>> 8) & 0xff,
    (policy >>> 16) & 0xff,
    policy >>> 24,
  );
  return concatBytes(head, launchDigest, mnonce);
}

/** MEAS of LAUNCH_MEASURE: what the owner recomputes with its copy of the TIK. */
export function sevLaunchMeasurement(tik: Uint8Array, input: SevMeasurementInput): Uint8Array {
  if (!(tik instanceof Uint8Array) || tik.length !== SEV_TIK_SIZE)
    throw new RangeError('tik: expected 16 bytes');
  return hmac('sha256', tik, sevMeasuredBytes(input));
}

/** Splits LAUNCH_MEASURE's 48-byte output (as QEMU's query-sev-launch-measure reports it). */
export function splitLaunchMeasure(blob: Uint8Array): { measurement: Uint8Array; mnonce: Uint8Array } {
  if (blob.length !== SEV_LAUNCH_DIGEST_SIZE + SEV_MNONCE_SIZE)
    throw new RangeError('blob: expected 48 bytes');
  return { measurement: blob.slice(0, 32), mnonce: blob.slice(32) };
}
