/**
 * The TCG event log (PC Client Platform Firmware Profile, §10): parse crypto-agile and legacy SHA-1
 * logs, write crypto-agile logs, replay a log into PCR banks and recompute the digests that the
 * specification defines as H(event data).
 *
 * Layout (little-endian). Record 0 is a legacy `TCG_PCR_EVENT`: PCRIndex u32, EventType u32,
 * Digest[20], EventSize u32, Event. In a crypto-agile log it is EV_NO_ACTION carrying the
 * `TCG_EfiSpecIDEventStruct` ("Spec ID Event03", the list of digest algorithms and their sizes); every
 * later record is a `TCG_PCR_EVENT2`: PCRIndex u32, EventType u32, count u32, count × {AlgorithmId u16,
 * digest}, EventSize u32, Event. Without the Spec ID event the whole log is legacy SHA-1 records.
 *
 * Events are numbered by their position in the file: the Spec ID record is event 0, so the first
 * measurement of a crypto-agile log is event 1 (as in go-eventlog); a legacy log starts at event 0.
 */
import { Reader, Writer } from '../binary';
import { bytesEqual, concatBytes } from '../crypto/bytes';
import { digest, digestSize, isHashAlg, type HashAlg } from '../crypto/hash';
import { FormatError } from '../errors';
import { decodeEventData, type EventData } from './event-data';
import { EV, eventTypeName } from './event-types';
import { PCR_COUNT, PcrBank } from './pcr';

export const EVENT_LOG_FORMAT = 'tcg-event-log';

/** TPM_ALG_ID of each digest we can compute (TPM 2.0 Library, Part 2, Table 9). */
export const TPM_ALG_ID = {
  sha1: 0x0004,
  sha256: 0x000b,
  sha384: 0x000c,
  sha512: 0x000d,
} as const satisfies Record<HashAlg, number>;

const ALG_BY_ID = new Map<number, HashAlg>(
  Object.entries(TPM_ALG_ID).map(([alg, id]) => [id, alg as HashAlg]),
);

/** Algorithms a header may list that we cannot hash; their sizes still let us step over their digests. */
const FOREIGN_DIGEST_SIZES = new Map([
  [0x0012, 32], // SM3_256
  [0x0027, 32], // SHA3_256
  [0x0028, 48], // SHA3_384
  [0x0029, 64], // SHA3_512
]);

const SPEC_ID_SIGNATURE = 'Spec ID Event03\0';
const STARTUP_LOCALITY_SIGNATURE = 'StartupLocality\0';
const CALLING_EFI_APPLICATION = 'Calling EFI Application from Boot Option';

export type EventLogFormat = 'crypto-agile' | 'sha1';

export interface SpecIdAlgorithm {
  algId: number;
  digestSize: number;
  /** Set when we can compute this digest ourselves. */
  alg?: HashAlg;
}

/** TCG_EfiSpecIDEventStruct, the header of a crypto-agile log. */
export interface SpecIdEvent {
  platformClass: number;
  specVersionMinor: number;
  specVersionMajor: number;
  specErrata: number;
  /** 1 = 32-bit UINTN, 2 = 64-bit. */
  uintnSize: number;
  algorithms: SpecIdAlgorithm[];
  vendorInfo: Uint8Array;
}

export interface EventDigest {
  algId: number;
  alg?: HashAlg;
  digest: Uint8Array;
}

export interface TcgEvent {
  /** Position in the file: 0 is the first record (the Spec ID header of a crypto-agile log). */
  number: number;
  /** Byte offset of the record in the log, and its length. */
  offset: number;
  length: number;
  pcrIndex: number;
  type: number;
  typeName: string;
  digests: EventDigest[];
  data: Uint8Array;
  dataOffset: number;
  /** What the data say, where we know the structure. */
  decoded?: EventData;
  /** What is odd about the data (they are kept raw); never a reason to refuse the log. */
  note?: string;
}

export interface EventLog {
  format: EventLogFormat;
  specId?: SpecIdEvent;
  /** The Spec ID record of a crypto-agile log, kept for hex views; not a measurement. */
  header?: TcgEvent;
  /** Every other record, in order, including EV_NO_ACTION and unknown types. */
  events: TcgEvent[];
  /** Banks the log can be replayed into: the header's algorithms we can hash (SHA-1 for a legacy log). */
  algorithms: HashAlg[];
  /** Oddities of the log as a whole (order of events, padding), for a reader to weigh. */
  warnings: string[];
  /** 0xFF bytes after the last event: CCEL tables are padded to their reserved size. */
  padding: number;
}

function fail(field: string, offset: number, detail: string): FormatError {
  return new FormatError(EVENT_LOG_FORMAT, field, offset, detail);
}

function startsWithAscii(data: Uint8Array, text: string): boolean {
  if (data.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (data[i] !== text.charCodeAt(i)) return false;
  return true;
}

function checkPcrIndex(n: number, pcrIndex: number, at: number): void {
  if (pcrIndex >= PCR_COUNT) {
    throw fail(`event ${n} PCR index`, at, `${pcrIndex} is not a PCR (0–${PCR_COUNT - 1})`);
  }
}

/**
 * The next `n` bytes as a view into the log, not a copy: a log has hundreds of digests and data blocks,
 * and copying each one cost a fifth of the parse time. Parsed events therefore share the input's memory.
 */
function view(r: Reader, field: string, n: number): Uint8Array {
  const at = r.offset;
  r.skip(field, n);
  return r.bytes.subarray(at, at + n);
}

/** Reads EventSize and the event data, refusing a size that runs past the end of the log. */
function readEventData(r: Reader, n: number): { data: Uint8Array; dataOffset: number } {
  const sizeAt = r.offset;
  const size = r.u32(`event ${n} event size`);
  if (size > r.remaining) {
    throw fail(`event ${n} event size`, sizeAt, `${size} bytes, but only ${r.remaining} are left in the log`);
  }
  const dataOffset = r.offset;
  return { data: view(r, `event ${n} event data`, size), dataOffset };
}

function finishEvent(
  n: number,
  offset: number,
  end: number,
  pcrIndex: number,
  type: number,
  digests: EventDigest[],
  data: Uint8Array,
  dataOffset: number,
): TcgEvent {
  const event: TcgEvent = {
    number: n,
    offset,
    length: end - offset,
    pcrIndex,
    type,
    typeName: eventTypeName(type),
    digests,
    data,
    dataOffset,
  };
  const { decoded, note } = decodeEventData(type, data, dataOffset);
  if (decoded) event.decoded = decoded;
  if (note) event.note = note;
  return event;
}

/** A legacy `TCG_PCR_EVENT` record (every record of a SHA-1 log, and record 0 of any log). */
function readSha1Event(r: Reader, n: number): TcgEvent {
  const offset = r.offset;
  const pcrIndex = r.u32(`event ${n} PCR index`);
  checkPcrIndex(n, pcrIndex, offset);
  const type = r.u32(`event ${n} event type`);
  const sha1 = view(r, `event ${n} digest`, 20);
  const { data, dataOffset } = readEventData(r, n);
  return finishEvent(
    n,
    offset,
    r.offset,
    pcrIndex,
    type,
    [{ algId: 4, alg: 'sha1', digest: sha1 }],
    data,
    dataOffset,
  );
}

function parseSpecId(bytes: Uint8Array, header: TcgEvent): SpecIdEvent {
  if (header.pcrIndex !== 0)
    throw fail('event 0 PCR index', header.offset, 'the Spec ID event must be on PCR 0');
  if (header.digests[0].digest.some((x) => x !== 0)) {
    throw fail('event 0 digest', header.offset + 8, 'the Spec ID event must have a zero digest');
  }
  const start = header.dataOffset;
  // A reader over exactly the event data, with offsets that count from the start of the log.
  const r = new Reader(bytes.subarray(0, start + header.data.length), EVENT_LOG_FORMAT, 'le', start);
  r.skip('Spec ID signature', 16);
  const platformClass = r.u32('Spec ID platformClass');
  const versionAt = r.offset;
  const specVersionMinor = r.u8('Spec ID specVersionMinor');
  const specVersionMajor = r.u8('Spec ID specVersionMajor');
  if (specVersionMajor !== 2 || specVersionMinor !== 0) {
    throw fail('Spec ID version', versionAt, `${specVersionMajor}.${specVersionMinor}, expected 2.0`);
  }
  const specErrata = r.u8('Spec ID specErrata');
  const uintnAt = r.offset;
  const uintnSize = r.u8('Spec ID uintnSize');
  if (uintnSize !== 1 && uintnSize !== 2) {
    throw fail('Spec ID uintnSize', uintnAt, `${uintnSize}, expected 1 (32-bit) or 2 (64-bit)`);
  }
  const countAt = r.offset;
  const count = r.u32('Spec ID numberOfAlgorithms');
  if (count === 0) throw fail('Spec ID numberOfAlgorithms', countAt, 'a crypto-agile log needs at least one');
  if (count * 4 > r.remaining) {
    throw fail(
      'Spec ID numberOfAlgorithms',
      countAt,
      `${count} algorithms do not fit in ${r.remaining} bytes`,
    );
  }
  const algorithms: SpecIdAlgorithm[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.offset;
    const algId = r.u16(`Spec ID algorithm ${i} id`);
    const size = r.u16(`Spec ID algorithm ${i} digestSize`);
    const alg = ALG_BY_ID.get(algId);
    const expected = alg ? digestSize(alg) : FOREIGN_DIGEST_SIZES.get(algId);
    if (expected !== undefined && size !== expected) {
      throw fail(
        `Spec ID algorithm ${i}`,
        at,
        `0x${algId.toString(16)} has ${expected}-byte digests, header says ${size}`,
      );
    }
    if (size === 0 || size > 128)
      throw fail(`Spec ID algorithm ${i}`, at + 2, `digest size ${size} is implausible`);
    if (algorithms.some((a) => a.algId === algId)) {
      throw fail(`Spec ID algorithm ${i}`, at, `0x${algId.toString(16)} is listed twice`);
    }
    algorithms.push(alg ? { algId, digestSize: size, alg } : { algId, digestSize: size });
  }
  const vendorInfoSize = r.u8('Spec ID vendorInfoSize');
  const vendorInfo = r.take('Spec ID vendorInfo', vendorInfoSize);
  r.finish();
  return { platformClass, specVersionMinor, specVersionMajor, specErrata, uintnSize, algorithms, vendorInfo };
}

/** A `TCG_PCR_EVENT2` record; digest sizes come from the header. */
function readAgileEvent(r: Reader, n: number, algorithms: readonly SpecIdAlgorithm[]): TcgEvent {
  const offset = r.offset;
  const pcrIndex = r.u32(`event ${n} PCR index`);
  checkPcrIndex(n, pcrIndex, offset);
  const type = r.u32(`event ${n} event type`);
  const countAt = r.offset;
  const count = r.u32(`event ${n} digest count`);
  if (count > algorithms.length) {
    throw fail(
      `event ${n} digest count`,
      countAt,
      `${count} exceeds the ${algorithms.length} algorithms in the header`,
    );
  }
  const digests: EventDigest[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.offset;
    const algId = r.u16(`event ${n} digest ${i} algorithm`);
    const spec = algorithms.find((a) => a.algId === algId);
    if (!spec) {
      throw fail(
        `event ${n} digest ${i} algorithm`,
        at,
        `0x${algId.toString(16).padStart(4, '0')} is not in the header, so its digest size is unknown`,
      );
    }
    if (digests.some((d) => d.algId === algId)) {
      throw fail(
        `event ${n} digest ${i} algorithm`,
        at,
        `0x${algId.toString(16)} appears twice in one event`,
      );
    }
    const value = view(r, `event ${n} digest ${i}`, spec.digestSize);
    digests.push(spec.alg ? { algId, alg: spec.alg, digest: value } : { algId, digest: value });
  }
  const { data, dataOffset } = readEventData(r, n);
  return finishEvent(n, offset, r.offset, pcrIndex, type, digests, data, dataOffset);
}

/** Remaining bytes that are all 0xFF, i.e. padding rather than another event. */
function isPadding(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0xff) return false;
  return true;
}

/** Order and consistency remarks that concern several events; the events themselves stay as they are. */
function logWarnings(log: EventLog): void {
  let pcr0Extended = false;
  let calledApplication = false;
  for (const e of log.events) {
    if (e.type === EV.EV_NO_ACTION) {
      if (e.decoded?.kind === 'startup-locality' && pcr0Extended) {
        log.warnings.push(`event ${e.number}: StartupLocality after PCR 0 was extended; ignored in replay`);
      }
      continue;
    }
    if (e.pcrIndex === 0) pcr0Extended = true;
    if (
      e.type === EV.EV_EFI_ACTION &&
      e.decoded?.kind === 'text' &&
      e.decoded.text === CALLING_EFI_APPLICATION
    ) {
      calledApplication = true;
    }
    if (e.type === EV.EV_EFI_BOOT_SERVICES_APPLICATION && e.pcrIndex === 4 && !calledApplication) {
      log.warnings.push(
        `event ${e.number}: ${e.typeName} on PCR 4 comes before the "${CALLING_EFI_APPLICATION}" action`,
      );
      calledApplication = true; // say it once
    }
    for (const alg of log.algorithms) {
      if (!digestFor(e, alg)) log.warnings.push(`event ${e.number}: no ${alg} digest`);
    }
  }
}

/**
 * Parses a crypto-agile or legacy SHA-1 event log; a truncated or inconsistent log throws FormatError.
 * Event data and digests are views into `bytes`: copy the input first if it will change.
 */
export function parseEventLog(bytes: Uint8Array): EventLog {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes: expected Uint8Array');
  if (bytes.length === 0) throw fail('event 0', 0, 'the log is empty');
  const r = new Reader(bytes, EVENT_LOG_FORMAT, 'le');
  const first = readSha1Event(r, 0);
  let log: EventLog;
  if (first.type === EV.EV_NO_ACTION && startsWithAscii(first.data, SPEC_ID_SIGNATURE)) {
    const specId = parseSpecId(bytes, first);
    log = {
      format: 'crypto-agile',
      specId,
      header: first,
      events: [],
      algorithms: specId.algorithms.flatMap((a) => (a.alg ? [a.alg] : [])),
      warnings: [],
      padding: 0,
    };
    for (let n = 1; r.remaining > 0; n++) {
      if (bytes[r.offset] === 0xff && isPadding(bytes, r.offset)) {
        log.padding = r.remaining;
        log.warnings.push(`${r.remaining} bytes of 0xFF padding after event ${n - 1}`);
        break;
      }
      log.events.push(readAgileEvent(r, n, specId.algorithms));
    }
  } else {
    log = { format: 'sha1', events: [first], algorithms: ['sha1'], warnings: [], padding: 0 };
    for (let n = 1; r.remaining > 0; n++) log.events.push(readSha1Event(r, n));
  }
  logWarnings(log);
  return log;
}

/** The event's digest for one bank, if the event carries it. */
export function digestFor(event: TcgEvent, alg: HashAlg): Uint8Array | undefined {
  for (const d of event.digests) if (d.alg === alg) return d.digest;
  return undefined;
}

/**
 * Replays the log into one PCR bank per algorithm (by default every bank the log has): from the reset
 * values, skipping EV_NO_ACTION, extending each PCR with that bank's digest. The StartupLocality event
 * sets PCR 0's reset value. An event without a digest for a requested bank makes that bank unreplayable,
 * which is a FormatError naming the event.
 */
export function replayEventLog(
  log: EventLog,
  algorithms: readonly HashAlg[] = log.algorithms,
): Partial<Record<HashAlg, PcrBank>> {
  const banks: Partial<Record<HashAlg, PcrBank>> = {};
  for (const alg of algorithms) {
    const bank = new PcrBank(alg);
    let pcr0Extended = false;
    for (const e of log.events) {
      if (e.type === EV.EV_NO_ACTION) {
        if (e.decoded?.kind === 'startup-locality' && e.pcrIndex === 0 && !pcr0Extended) {
          bank.setStartupLocality(e.decoded.locality);
        }
        continue;
      }
      const value = digestFor(e, alg);
      if (!value) {
        throw fail(
          `event ${e.number} digests`,
          e.offset + 8,
          `no ${alg} digest, so the ${alg} bank cannot be replayed`,
        );
      }
      if (e.pcrIndex === 0) pcr0Extended = true;
      bank.extend(e.pcrIndex, value, { event: e.number, label: e.typeName });
    }
    banks[alg] = bank;
  }
  return banks;
}

/** Event types whose digest the PFP defines as the hash of the event data itself. */
const DIGEST_OF_DATA = new Set<number>([
  EV.EV_SEPARATOR,
  EV.EV_ACTION,
  EV.EV_EFI_ACTION,
  EV.EV_S_CRTM_VERSION,
  EV.EV_EFI_VARIABLE_DRIVER_CONFIG,
  EV.EV_EFI_VARIABLE_BOOT,
  EV.EV_EFI_VARIABLE_BOOT2,
  EV.EV_EFI_VARIABLE_AUTHORITY,
  EV.EV_EFI_GPT_EVENT,
]);

export interface DigestCheck {
  event: number;
  offset: number;
  typeName: string;
  alg: HashAlg;
  status: 'match' | 'mismatch';
  /** How it matched, or what the digest does cover when that can be found. */
  detail?: string;
}

/**
 * Recomputes the digests that should equal H(event data): replay only proves that the digests are
 * consistent with the PCRs, not that the data shown beside them are what was measured. Returns one
 * result per event and bank; other event types (code images, GRUB strings) are not covered.
 */
export function checkEventDigests(log: EventLog): DigestCheck[] {
  const checks: DigestCheck[] = [];
  for (const e of log.events) {
    if (!DIGEST_OF_DATA.has(e.type)) continue;
    for (const d of e.digests) {
      if (!d.alg) continue;
      const check: DigestCheck = {
        event: e.number,
        offset: e.offset,
        typeName: e.typeName,
        alg: d.alg,
        status: 'match',
      };
      if (!bytesEqual(digest(d.alg, e.data), d.digest)) {
        const variable = e.decoded?.kind === 'uefi-variable' ? e.decoded : undefined;
        if (
          e.type === EV.EV_EFI_VARIABLE_BOOT &&
          variable &&
          bytesEqual(digest(d.alg, variable.variableData), d.digest)
        ) {
          // EDK2 measures Boot#### variables by their value only; older PFP revisions allowed it.
          check.detail = 'digest covers VariableData only, as EDK2 measures boot variables';
        } else {
          check.status = 'mismatch';
          if (
            e.data.length > 0 &&
            bytesEqual(digest(d.alg, e.data.subarray(0, e.data.length - 1)), d.digest)
          ) {
            check.detail =
              'digest matches the data without their last byte (shim bug, go-attestation issue 157)';
          }
        }
      }
      checks.push(check);
    }
  }
  return checks;
}

/** One event to write; digests default to H(data) for every bank (EV_NO_ACTION: zeros). */
export interface EventToWrite {
  pcrIndex: number;
  type: number;
  data: Uint8Array;
  /** Digests of what was measured when that is not the data (a PE image's Authenticode hash). */
  digests?: Partial<Record<HashAlg, Uint8Array>>;
}

export interface EventLogContents {
  /** The banks to log, in header order. SHA-1 is refused: we replay SHA-1 logs, we do not make them. */
  algorithms: readonly HashAlg[];
  events: readonly EventToWrite[];
  /** Locality of TPM2_Startup; when given, a StartupLocality EV_NO_ACTION event is written first. */
  locality?: number;
}

function specIdEventData(algorithms: readonly HashAlg[]): Uint8Array {
  const w = new Writer('le');
  for (let i = 0; i < SPEC_ID_SIGNATURE.length; i++) w.u8(SPEC_ID_SIGNATURE.charCodeAt(i));
  w.u32(0) // platformClass: client
    .u8(0) // specVersionMinor
    .u8(2) // specVersionMajor
    .u8(0) // specErrata
    .u8(2) // uintnSize: 64-bit UEFI
    .u32(algorithms.length);
  for (const alg of algorithms) w.u16(TPM_ALG_ID[alg]).u16(digestSize(alg));
  w.u8(0); // vendorInfoSize
  return w.finish();
}

/** Writes a crypto-agile event log whose replay gives the PCRs of `events`. */
export function writeEventLog({ algorithms, events, locality }: EventLogContents): Uint8Array {
  if (algorithms.length === 0) throw new RangeError('algorithms: at least one bank is needed');
  for (const alg of algorithms) {
    if (!isHashAlg(alg)) throw new RangeError(`algorithms: unknown hash algorithm ${JSON.stringify(alg)}`);
    if (alg === 'sha1') throw new RangeError('algorithms: SHA-1 banks are only replayed, never written');
  }
  if (new Set(algorithms).size !== algorithms.length)
    throw new RangeError('algorithms: a bank is listed twice');
  // Fixed-size fields go through small Writers, payloads are concatenated once at the end.
  const parts: Uint8Array[] = [];
  const header = specIdEventData(algorithms);
  parts.push(new Writer('le').u32(0).u32(EV.EV_NO_ACTION).zeros(20).u32(header.length).finish(), header);
  const all: EventToWrite[] = [];
  if (locality !== undefined) {
    if (!Number.isInteger(locality) || locality < 0 || locality > 4) {
      throw new RangeError(`locality: ${locality} is not a TPM locality (0–4)`);
    }
    const signature = Uint8Array.from(STARTUP_LOCALITY_SIGNATURE, (c) => c.charCodeAt(0));
    all.push({ pcrIndex: 0, type: EV.EV_NO_ACTION, data: concatBytes(signature, Uint8Array.of(locality)) });
  }
  all.push(...events);
  all.forEach((e, i) => {
    if (!Number.isInteger(e.pcrIndex) || e.pcrIndex < 0 || e.pcrIndex >= PCR_COUNT) {
      throw new RangeError(`events[${i}].pcrIndex: ${e.pcrIndex} is not a PCR (0–${PCR_COUNT - 1})`);
    }
    if (!Number.isInteger(e.type) || e.type < 0 || e.type > 0xffffffff) {
      throw new RangeError(`events[${i}].type: ${e.type} is not a 32-bit event type`);
    }
    if (!(e.data instanceof Uint8Array)) throw new TypeError(`events[${i}].data: expected Uint8Array`);
    parts.push(new Writer('le').u32(e.pcrIndex).u32(e.type).u32(algorithms.length).finish());
    for (const alg of algorithms) {
      const given = e.digests?.[alg];
      const value =
        e.type === EV.EV_NO_ACTION ? new Uint8Array(digestSize(alg)) : (given ?? digest(alg, e.data));
      if (value.length !== digestSize(alg)) {
        throw new RangeError(
          `events[${i}].digests.${alg}: expected ${digestSize(alg)} bytes, got ${value.length}`,
        );
      }
      parts.push(new Writer('le').u16(TPM_ALG_ID[alg]).finish(), value);
    }
    parts.push(new Writer('le').u32(e.data.length).finish(), e.data);
  });
  return concatBytes(...parts);
}
