import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/core/crypto/bytes';
import {
  decodeEventData,
  decodeText,
  devicePathToText,
  formatGuid,
} from '../../../src/core/measure/event-data';
import { EV, eventTypeName, knownEventTypeName } from '../../../src/core/measure/event-types';
import { efiVariable, imageLoad } from './golden-log';

describe('event types', () => {
  it('names the PFP types and keeps unknown ones visible', () => {
    expect(EV.EV_SEPARATOR).toBe(4);
    expect(EV.EV_EFI_VARIABLE_AUTHORITY).toBe(0x800000e0);
    expect(eventTypeName(0x80000003)).toBe('EV_EFI_BOOT_SERVICES_APPLICATION');
    expect(eventTypeName(0x12345)).toBe('unknown (0x00012345)');
    expect(knownEventTypeName(0x12345)).toBeUndefined();
  });
});

describe('event data', () => {
  it('formats EFI GUIDs with the first three fields little-endian', () => {
    const g = Uint8Array.from([
      0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11, 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c,
    ]);
    expect(formatGuid(g)).toBe('8be4df61-93ca-11d2-aa0d-00e098032b8c');
  });

  it('decodes ASCII and UTF-16 text and refuses binary', () => {
    expect(decodeText(utf8('Exit Boot Services Invocation'))).toEqual({
      text: 'Exit Boot Services Invocation',
      encoding: 'ascii',
    });
    expect(decodeText(Uint8Array.from([0x41, 0, 0x42, 0, 0, 0]))).toEqual({
      text: 'AB',
      encoding: 'utf-16le',
    });
    expect(decodeText(Uint8Array.of(0x01, 0x9f, 0x33))).toBeUndefined();
    expect(decodeText(new Uint8Array(0))).toBeUndefined();
  });

  it('decodes UEFI variables and says what is odd about them', () => {
    const ok = decodeEventData(
      EV.EV_EFI_VARIABLE_DRIVER_CONFIG,
      efiVariable('SecureBoot', Uint8Array.of(1)),
      0,
    );
    expect(ok.note).toBeUndefined();
    expect(ok.decoded).toMatchObject({
      kind: 'uefi-variable',
      variableName: 'SecureBoot',
      variableGuidName: 'EFI_GLOBAL_VARIABLE',
    });
    const empty = decodeEventData(
      EV.EV_EFI_VARIABLE_DRIVER_CONFIG,
      efiVariable('SecureBoot', new Uint8Array(0)),
      0,
    );
    expect(empty.note).toMatch(/0 bytes of data, expected 1/);
    const extra = decodeEventData(
      EV.EV_EFI_VARIABLE_AUTHORITY,
      Uint8Array.from([...efiVariable('db', Uint8Array.of(9)), 0]),
      0,
    );
    expect(extra.note).toBe('1 bytes after VariableData');
    const short = efiVariable('PK', new Uint8Array(8)).subarray(0, 40);
    expect(decodeEventData(EV.EV_EFI_VARIABLE_DRIVER_CONFIG, short, 0x100).note).toMatch(
      /^VariableDataLength at offset 0x118: 8 bytes but only 4 left/,
    );
  });

  it('turns device paths into UEFI text, and refuses a node that overruns', () => {
    const load = decodeEventData(
      EV.EV_EFI_BOOT_SERVICES_APPLICATION,
      imageLoad('\\EFI\\ubuntu\\shimx64.efi'),
      0,
    );
    expect(load.decoded).toMatchObject({
      kind: 'uefi-image-load',
      devicePath: '\\EFI\\ubuntu\\shimx64.efi',
      imageLocationInMemory: 0x7e000000n,
    });
    const pci = Uint8Array.from([
      2, 1, 12, 0, 0xd0, 0x41, 0x03, 0x0a, 0, 0, 0, 0, 1, 1, 6, 0, 0, 3, 0x7f, 0xff, 4, 0,
    ]);
    expect(devicePathToText(pci)).toBe('PciRoot(0x0)/Pci(0x3,0x0)');
    expect(() => devicePathToText(Uint8Array.from([1, 1, 200, 0]))).toThrow(
      /node data at offset 0x4: needs 196 bytes/,
    );
    expect(() => devicePathToText(Uint8Array.from([1, 1, 2, 0]))).toThrow(
      /shorter than the 4-byte node header/,
    );
  });

  it('decodes separators, firmware blobs and StartupLocality', () => {
    expect(decodeEventData(EV.EV_SEPARATOR, new Uint8Array(4), 0)).toEqual({
      decoded: { kind: 'separator', value: 0, error: false },
    });
    const blob = new Uint8Array(16);
    blob[3] = 0xff;
    expect(decodeEventData(EV.EV_POST_CODE, blob, 0).decoded).toEqual({
      kind: 'firmware-blob',
      base: 0xff000000n,
      length: 0n,
    });
    expect(decodeEventData(EV.EV_POST_CODE, utf8('ACPI DATA'), 0).decoded).toMatchObject({
      kind: 'text',
      text: 'ACPI DATA',
    });
    const locality = Uint8Array.from([...utf8('StartupLocality\0'), 3]);
    expect(decodeEventData(EV.EV_NO_ACTION, locality, 0).decoded).toEqual({
      kind: 'startup-locality',
      locality: 3,
    });
    locality[16] = 9;
    expect(decodeEventData(EV.EV_NO_ACTION, locality, 0).note).toMatch(/not a TPM locality/);
  });
});
