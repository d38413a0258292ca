import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, toHex } from '../../../src/core/crypto/bytes';
import type { HashAlg } from '../../../src/core/crypto/hash';
import {
  checkEventDigests,
  parseEventLog,
  replayEventLog,
  writeEventLog,
  type EventToWrite,
} from '../../../src/core/measure/event-log';
import { EV } from '../../../src/core/measure/event-types';
import { PcrBank } from '../../../src/core/measure/pcr';
import { SMALL_LOG } from './golden-log';

const GOLDEN = new URL('../../fixtures/golden/', import.meta.url);

describe('golden crypto-agile log', () => {
  const committed = new Uint8Array(readFileSync(new URL('eventlog-small.bin', GOLDEN)));
  const expected = JSON.parse(readFileSync(new URL('eventlog-small.json', GOLDEN), 'utf8')) as {
    banks: Record<string, Record<string, string>>;
  };

  it('the writer still produces exactly the committed bytes', () => {
    const written = writeEventLog(SMALL_LOG);
    expect(written.length).toBe(committed.length);
    expect(toHex(written)).toBe(toHex(committed));
  });

  it('replays to the PCRs computed independently with node:crypto', () => {
    const log = parseEventLog(committed);
    const banks = replayEventLog(log);
    for (const [alg, pcrs] of Object.entries(expected.banks)) {
      const bank = banks[alg as HashAlg];
      if (!bank) throw new Error(`no ${alg} bank`);
      expect(Object.fromEntries(bank.extendedIndices().map((i) => [String(i), toHex(bank.read(i))]))).toEqual(
        pcrs,
      );
    }
  });

  it('reads back every event, decoded, with the unknown type kept', () => {
    const log = parseEventLog(committed);
    expect(log.format).toBe('crypto-agile');
    expect(log.algorithms).toEqual(['sha256', 'sha384']);
    expect(log.warnings).toEqual([]);
    expect(log.events.length).toBe(SMALL_LOG.events.length + 1); // + StartupLocality
    expect(log.events[0].decoded).toEqual({ kind: 'startup-locality', locality: 3 });
    const unknown = log.events[log.events.length - 1];
    expect(unknown).toMatchObject({ typeName: 'unknown (0x1234abcd)', pcrIndex: 14 });
    expect(Array.from(unknown.data)).toEqual([1, 2, 3]);
    const app = log.events.find((e) => e.type === EV.EV_EFI_BOOT_SERVICES_APPLICATION);
    expect(app?.decoded).toMatchObject({ kind: 'uefi-image-load', devicePath: '\\EFI\\BOOT\\BOOTX64.EFI' });
    expect(log.events.find((e) => e.type === EV.EV_IPL)?.decoded).toEqual({
      kind: 'text',
      encoding: 'ascii',
      text: 'grub_cmd: linux /vmlinuz root=/dev/vda1',
    });
    expect(checkEventDigests(log).every((c) => c.status === 'match')).toBe(true);
  });
});

const ALGS: HashAlg[] = ['sha256', 'sha384', 'sha512'];
const eventArb = fc.record({
  pcrIndex: fc.integer({ min: 0, max: 23 }),
  type: fc.oneof(
    fc.constantFrom(EV.EV_SEPARATOR, EV.EV_EFI_ACTION, EV.EV_IPL, EV.EV_NO_ACTION, EV.EV_POST_CODE),
    fc.integer({ min: 0, max: 0xffffffff }),
  ),
  data: fc.uint8Array({ maxLength: 64 }),
});

describe('write → parse → replay', () => {
  it('equals PCR values computed directly, for any events and banks', () => {
    fc.assert(
      fc.property(
        fc.subarray(ALGS, { minLength: 1 }),
        fc.array(eventArb, { maxLength: 20 }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        (algorithms, events: EventToWrite[], locality) => {
          const bytes = writeEventLog({ algorithms, events, locality });
          const log = parseEventLog(bytes);
          expect(log.events.length).toBe(events.length + (locality === undefined ? 0 : 1));
          const banks = replayEventLog(log);
          for (const alg of algorithms) {
            const direct = new PcrBank(alg);
            if (locality !== undefined) direct.setStartupLocality(locality);
            for (const e of events) {
              if (e.type !== EV.EV_NO_ACTION)
                direct.extend(e.pcrIndex, createHash(alg).update(e.data).digest());
            }
            for (let i = 0; i < 24; i++)
              expect(bytesEqual(banks[alg]?.read(i) ?? new Uint8Array(0), direct.read(i))).toBe(true);
          }
          // and writing what was parsed gives the same bytes back
          const again = writeEventLog({
            algorithms,
            locality: undefined,
            events: log.events.map((e) => ({ pcrIndex: e.pcrIndex, type: e.type, data: e.data })),
          });
          expect(toHex(again)).toBe(toHex(bytes));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('refuses SHA-1 banks, duplicates and bad events when writing', () => {
    const events = [{ pcrIndex: 0, type: EV.EV_SEPARATOR, data: new Uint8Array(4) }];
    expect(() => writeEventLog({ algorithms: ['sha1'], events })).toThrow(/only replayed/);
    expect(() => writeEventLog({ algorithms: [], events })).toThrow(RangeError);
    expect(() => writeEventLog({ algorithms: ['sha256', 'sha256'], events })).toThrow(/twice/);
    expect(() => writeEventLog({ algorithms: ['sha256'], events: [{ ...events[0], pcrIndex: 24 }] })).toThrow(
      /PCR/,
    );
    expect(() => writeEventLog({ algorithms: ['sha256'], events, locality: 5 })).toThrow(/locality/);
    expect(() =>
      writeEventLog({
        algorithms: ['sha256'],
        events: [{ ...events[0], digests: { sha256: new Uint8Array(20) } }],
      }),
    ).toThrow(/expected 32 bytes/);
  });

  it('replay names the event whose digest is missing for a bank', () => {
    const bytes = writeEventLog({
      algorithms: ['sha256'],
      events: [{ pcrIndex: 5, type: EV.EV_SEPARATOR, data: new Uint8Array(4) }],
    });
    const log = parseEventLog(bytes);
    expect(() => replayEventLog(log, ['sha384'])).toThrow(
      /event 1 digests at offset 0x[0-9a-f]+: no sha384 digest/,
    );
  });
});
