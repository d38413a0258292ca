/**
 * Real event logs from real machines (google/go-eventlog testdata, see tests/fixtures/real/README.md):
 * replaying each one must reproduce every PCR value its TPM reported, in every bank.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/crypto/bytes';
import type { HashAlg } from '../../../src/core/crypto/hash';
import { checkEventDigests, parseEventLog, replayEventLog } from '../../../src/core/measure/event-log';
import { EV } from '../../../src/core/measure/event-types';

const DIR = new URL('../../fixtures/real/tpm/', import.meta.url);
const EXPECTED = JSON.parse(readFileSync(new URL('expected-pcrs.json', DIR), 'utf8')) as Record<
  string,
  Partial<Record<HashAlg, Record<string, string>>>
>;
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.bin'))
  .sort();
const read = (file: string) => new Uint8Array(readFileSync(new URL(file, DIR)));

describe('real TCG event logs', () => {
  it('has expected PCRs for every log file and a log file for every expectation', () => {
    expect(FILES).toEqual(Object.keys(EXPECTED).sort());
    expect(FILES.length).toBe(9);
  });

  describe.each(FILES)('%s', (file) => {
    const log = parseEventLog(read(file));
    const banks = replayEventLog(log);

    it.each(Object.entries(EXPECTED[file]))(
      'replays the %s bank to the PCRs the TPM reported',
      (alg, pcrs) => {
        const bank = banks[alg as HashAlg];
        expect(bank, `log has no ${alg} bank`).toBeDefined();
        const got = Object.fromEntries(
          Object.keys(pcrs).map((i) => [i, toHex(bank?.read(Number(i)) ?? new Uint8Array(0))]),
        );
        expect(got).toEqual(pcrs);
      },
    );

    it('keeps every record and chains each bank from the reset values', () => {
      const last = log.events[log.events.length - 1];
      expect(last.offset + last.length).toBe(read(file).length);
      for (const bank of Object.values(banks)) {
        const measured = log.events.filter((e) => e.type !== EV.EV_NO_ACTION);
        expect(bank.history.length).toBe(measured.length);
        expect(bank.history.map((h) => h.source?.event)).toEqual(measured.map((e) => e.number));
      }
    });

    it('recomputes separator and EFI action digests from their data', () => {
      const checks = checkEventDigests(log).filter(
        (c) => c.typeName === 'EV_SEPARATOR' || c.typeName === 'EV_EFI_ACTION',
      );
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.filter((c) => c.status !== 'match')).toEqual([]);
    });
  });

  it('reads the legacy SHA-1 log (debian-10) as such', () => {
    const log = parseEventLog(read('debian-10.bin'));
    expect(log.format).toBe('sha1');
    expect(log.algorithms).toEqual(['sha1']);
    expect(log.events[0]).toMatchObject({ number: 0, typeName: 'EV_S_CRTM_VERSION' });
    expect(log.events[0].decoded).toEqual({
      kind: 'text',
      text: 'GCE Virtual Firmware v1',
      encoding: 'utf-16le',
    });
  });

  it('reads crypto-agile headers: algorithms, sizes and event numbering', () => {
    const log = parseEventLog(read('cos-101-amd-sev.bin'));
    expect(log.format).toBe('crypto-agile');
    expect(log.specId?.algorithms).toEqual([
      { algId: 4, digestSize: 20, alg: 'sha1' },
      { algId: 0xb, digestSize: 32, alg: 'sha256' },
      { algId: 0xc, digestSize: 48, alg: 'sha384' },
    ]);
    expect(log.specId?.uintnSize).toBe(2);
    expect(log.header?.number).toBe(0);
    expect(log.events[0].number).toBe(1);
  });

  it('applies the StartupLocality event (glinux-alex starts PCR 0 at locality 3)', () => {
    const log = parseEventLog(read('glinux-alex.bin'));
    expect(log.events[0]).toMatchObject({
      type: EV.EV_NO_ACTION,
      decoded: { kind: 'startup-locality', locality: 3 },
    });
    const sha256 = replayEventLog(log, ['sha256']).sha256;
    if (!sha256) throw new Error('no sha256 bank');
    expect(sha256.locality).toBe(3);
    expect(toHex(sha256.history[0].before)).toBe(`${'00'.repeat(31)}03`);
  });

  it('reports, and still replays, the odd data of arch-linux-workstation', () => {
    const log = parseEventLog(read('arch-linux-workstation.bin'));
    const secureBoot = log.events.find(
      (e) => e.decoded?.kind === 'uefi-variable' && e.decoded.variableName === 'SecureBoot',
    );
    expect(secureBoot?.note).toMatch(/SecureBoot variable has 0 bytes of data, expected 1/);
    expect(log.warnings.join('\n')).toMatch(
      /EV_EFI_BOOT_SERVICES_APPLICATION on PCR 4 comes before the "Calling EFI Application/,
    );
    const systemdBoot = log.events.find((e) => e.type === EV.EV_EFI_BOOT_SERVICES_APPLICATION);
    expect(systemdBoot?.decoded).toMatchObject({
      kind: 'uefi-image-load',
      devicePath: expect.stringMatching(
        /HD\(1,GPT,1a504613-19b5-4b44-a83d-d926d40daa1c,0x800,0x80000\)\/\\EFI\\SYSTEMD\\SYSTEMD-BOOTX64\.EFI$/,
      ),
    });
    const cmdline = log.events.find((e) => e.type === EV.EV_IPL);
    expect(cmdline?.decoded).toMatchObject({
      kind: 'text',
      encoding: 'utf-16le',
      text: expect.stringMatching(/^initrd=/),
    });
    expect(cmdline?.note).toMatch(/odd length/);
  });

  it('finds the shim authority events whose digest omits the last byte of their data', () => {
    const log = parseEventLog(read('cos-85-amd-sev.bin'));
    const mismatches = checkEventDigests(log).filter((c) => c.status === 'mismatch');
    expect(mismatches.length).toBe(6);
    for (const m of mismatches) {
      expect(m.typeName).toBe('EV_EFI_VARIABLE_AUTHORITY');
      expect(m.detail).toMatch(/without their last byte/);
    }
    expect(log.events.find((e) => e.number === mismatches[0].event)?.note).toMatch(
      /bytes after VariableData/,
    );
  });

  it('accepts boot variables measured by their value only (EDK2) but says so', () => {
    const log = parseEventLog(read('ubuntu-2104-no-dbx.bin'));
    const boot = checkEventDigests(log).filter((c) => c.typeName === 'EV_EFI_VARIABLE_BOOT');
    expect(boot.length).toBeGreaterThan(0);
    expect(boot.every((c) => c.status === 'match')).toBe(true);
    expect(boot.some((c) => c.detail?.includes('VariableData only'))).toBe(true);
  });

  it('decodes the variables, separators and firmware blobs it knows', () => {
    const log = parseEventLog(read('arch-linux-workstation.bin'));
    const kinds = new Set(log.events.map((e) => e.decoded?.kind));
    for (const k of ['uefi-variable', 'separator', 'firmware-blob', 'uefi-image-load', 'gpt', 'text'])
      expect(kinds).toContain(k);
    const names = log.events.flatMap((e) =>
      e.decoded?.kind === 'uefi-variable' ? [e.decoded.variableName] : [],
    );
    expect(names).toEqual([
      'SecureBoot',
      'PK',
      'KEK',
      'db',
      'dbx',
      'BootOrder',
      'Boot0000',
      'Boot0003',
      'Boot0002',
    ]);
  });
});
