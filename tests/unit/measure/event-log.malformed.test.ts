/**
 * A truncated or inconsistent log must be refused with a FormatError that names the event, the field
 * and the byte offset; never a crash, a hang or a silently shorter log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors';
import { parseEventLog, replayEventLog, writeEventLog } from '../../../src/core/measure/event-log';
import { EV } from '../../../src/core/measure/event-types';

const DIR = new URL('../../fixtures/real/tpm/', import.meta.url);
const REAL = readdirSync(DIR)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(new URL(f, DIR))) }));
const realLog = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const AGILE = realLog('ubuntu-2104-no-dbx.bin');
const LEGACY = realLog('debian-10.bin');

function rejection(input: Uint8Array): FormatError {
  try {
    parseEventLog(input);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('accepted');
}

/** Parses, and on success also replays (replay may refuse a missing digest, also with a FormatError). */
function parseOrFormatError(input: Uint8Array): 'ok' | 'rejected' {
  try {
    replayEventLog(parseEventLog(input));
    return 'ok';
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    expect(e.message).toMatch(/offset 0x[0-9a-f]+/);
    expect(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= input.length).toBe(true);
    return 'rejected';
  }
}

function u32le(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = Uint8Array.from(b);
  new DataView(c.buffer).setUint32(at, v, true);
  return c;
}

/**
 * Every offset of the smallest agile log and of the legacy log; for the others a dense sample: every
 * offset in the 64 bytes after each event start (where the header fields are) and every 61st elsewhere.
 */
function cuts(name: string, bytes: Uint8Array, starts: number[]): number[] {
  if (name === 'arch-linux-workstation.bin' || name === 'debian-10.bin')
    return Array.from({ length: bytes.length }, (_, i) => i);
  const set = new Set<number>();
  for (const s of starts) for (let i = s; i < Math.min(bytes.length, s + 64); i++) set.add(i);
  for (let i = 0; i < bytes.length; i += 61) set.add(i);
  return [...set].sort((a, b) => a - b);
}

describe('truncation', () => {
  it.each(REAL.map((r) => [r.name, r.bytes] as const))(
    '%s: every cut that is not an event boundary is refused',
    (name, bytes) => {
      const full = parseEventLog(bytes);
      const records = [...(full.header ? [full.header] : []), ...full.events];
      const boundaries = new Set(records.map((e) => e.offset + e.length));
      for (const cut of cuts(
        name,
        bytes,
        records.map((e) => e.offset),
      )) {
        const input = bytes.subarray(0, cut);
        if (boundaries.has(cut)) {
          expect(parseOrFormatError(input)).toBe('ok'); // a log cut between events is a shorter valid log
          continue;
        }
        const e = rejection(input);
        expect(e.message).toMatch(/^tcg-event-log: (event \d+|Spec ID)[^:]* at offset 0x[0-9a-f]+: /);
        expect(e.offset).toBeLessThanOrEqual(cut);
      }
    },
  );
});

describe('inconsistent logs', () => {
  const log = parseEventLog(AGILE);
  const e5 = log.events[4]; // an event in the middle
  const countAt = e5.offset + 8;

  it('names the event, field and offset when the digest count exceeds the header', () => {
    const e = rejection(u32le(AGILE, countAt, 9));
    expect(e.message).toBe(
      `tcg-event-log: event ${e5.number} digest count at offset 0x${countAt.toString(16)}: 9 exceeds the 3 algorithms in the header`,
    );
  });

  it('refuses a digest algorithm that is not in the header', () => {
    const c = Uint8Array.from(AGILE);
    new DataView(c.buffer).setUint16(countAt + 4, 0x0012, true); // SM3_256, absent from this header
    expect(rejection(c).message).toMatch(
      new RegExp(
        `event ${e5.number} digest 0 algorithm at offset 0x${(countAt + 4).toString(16)}: 0x0012 is not in the header`,
      ),
    );
  });

  it('refuses an event size that runs past the end', () => {
    const sizeAt = e5.dataOffset - 4;
    const e = rejection(u32le(AGILE, sizeAt, 0x7fffffff));
    expect(e.message).toMatch(
      new RegExp(
        `event ${e5.number} event size at offset 0x${sizeAt.toString(16)}: 2147483647 bytes, but only \\d+ are left`,
      ),
    );
  });

  it('refuses a PCR index beyond the TPM', () => {
    expect(rejection(u32le(AGILE, e5.offset, 24)).message).toMatch(/PCR index at offset .*: 24 is not a PCR/);
    expect(rejection(u32le(LEGACY, 0, 0x100)).message).toMatch(/event 0 PCR index at offset 0x0: 256/);
  });

  it('refuses a wrong Spec ID header', () => {
    // numberOfAlgorithms at 0x38, first algorithm at 0x3c, vendorInfoSize after the list
    expect(rejection(u32le(AGILE, 0x38, 0)).message).toMatch(
      /Spec ID numberOfAlgorithms at offset 0x38: a crypto-agile log needs at least one/,
    );
    expect(rejection(u32le(AGILE, 0x38, 1000)).message).toMatch(
      /Spec ID numberOfAlgorithms at offset 0x38: 1000 algorithms do not fit/,
    );
    const wrongSize = Uint8Array.from(AGILE);
    wrongSize[0x3e] = 32; // SHA-1 with 32-byte digests
    expect(rejection(wrongSize).message).toMatch(
      /Spec ID algorithm 0 at offset 0x3c: 0x4 has 20-byte digests, header says 32/,
    );
    const version = Uint8Array.from(AGILE);
    version[0x35] = 1;
    expect(rejection(version).message).toMatch(/Spec ID version at offset 0x34: 1.0, expected 2.0/);
    const vendor = Uint8Array.from(AGILE);
    vendor[0x48] = 0; // the Spec ID event is one byte longer than its contents
    new DataView(vendor.buffer).setUint32(0x1c, 0x2a, true);
    expect(() => parseEventLog(vendor)).toThrow(FormatError);
    expect(rejection(u32le(AGILE, 0, 1)).message).toMatch(
      /event 0 PCR index at offset 0x0: the Spec ID event must be on PCR 0/,
    );
    const digest = Uint8Array.from(AGILE);
    digest[8] = 1;
    expect(rejection(digest).message).toMatch(
      /event 0 digest at offset 0x8: the Spec ID event must have a zero digest/,
    );
  });

  it('refuses an empty log and trailing garbage', () => {
    expect(rejection(new Uint8Array(0)).message).toMatch(/event 0 at offset 0x0: the log is empty/);
    const garbage = Uint8Array.from([...AGILE, 1, 2, 3]);
    expect(rejection(garbage).message).toMatch(
      new RegExp(`event ${log.events.length + 1} PCR index at offset 0x${AGILE.length.toString(16)}`),
    );
  });

  it('accepts trailing 0xFF padding (as CCEL tables have) and says so', () => {
    const padded = Uint8Array.from([...AGILE, ...new Array(100).fill(0xff)]);
    const p = parseEventLog(padded);
    expect(p.padding).toBe(100);
    expect(p.events.length).toBe(log.events.length);
    expect(p.warnings.some((w) => /100 bytes of 0xFF padding/.test(w))).toBe(true);
  });

  it('keeps events whose data do not decode, with a note instead of a failure', () => {
    const bytes = writeEventLog({
      algorithms: ['sha256'],
      events: [
        { pcrIndex: 7, type: EV.EV_EFI_VARIABLE_DRIVER_CONFIG, data: Uint8Array.of(1, 2, 3) },
        { pcrIndex: 4, type: EV.EV_EFI_BOOT_SERVICES_APPLICATION, data: new Uint8Array(40).fill(0xee) },
        { pcrIndex: 4, type: EV.EV_SEPARATOR, data: Uint8Array.of(1, 0, 0, 0, 0) },
        { pcrIndex: 4, type: EV.EV_SEPARATOR, data: Uint8Array.of(0xff, 0xff, 0xff, 0xff) },
      ],
    });
    const p = parseEventLog(bytes);
    expect(p.events.map((e) => e.decoded?.kind)).toEqual([undefined, undefined, undefined, 'separator']);
    expect(p.events[0].note).toMatch(/^VariableName GUID at offset 0x[0-9a-f]+: needs 16 bytes, only 3 left/);
    expect(p.events[1].note).toMatch(/ImageLengthInMemory|LengthOfDevicePath/);
    expect(p.events[2].note).toMatch(/separator data are 5 bytes/);
    expect(p.events[3].note).toMatch(/firmware signalled an error/);
    expect(() => replayEventLog(p)).not.toThrow();
  });
});

describe('property: the parser returns or throws FormatError', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        parseOrFormatError(bytes);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('on mutated real logs (bit flips, overwritten runs, cuts)', () => {
    const seeds = REAL.map((r) => r.bytes);
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, at, bytes, cut }) => {
        const base = seeds[seed];
        const m = Uint8Array.from(base);
        m.set(bytes.subarray(0, Math.max(0, m.length - (at % m.length))), at % m.length);
        parseOrFormatError(cut === undefined ? m : m.subarray(0, cut % (m.length + 1)));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('on logs of plausible structure with random counts and sizes', () => {
    const field = fc.oneof(
      fc.constantFrom(0, 1, 2, 3, 4, 0xff, 0xffff, 0xffffffff),
      fc.integer({ min: 0, max: 0xffffffff }),
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 40 }), (words) => {
        const head = AGILE.subarray(0, 0x4d); // the Spec ID event of a three-bank log
        const tail = new Uint8Array(words.length * 4);
        words.forEach((w, i) => new DataView(tail.buffer).setUint32(4 * i, w >>> 0, true));
        parseOrFormatError(Uint8Array.from([...head, ...tail]));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
