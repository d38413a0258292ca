/**
 * The contents of tests/fixtures/golden/eventlog-small.bin: a short boot as UEFI firmware and a boot
 * loader would log it, covering the event kinds the parser decodes, an unknown type and a digest that
 * is not H(data) (a PE image's Authenticode hash). The golden test checks that the writer still
 * produces exactly the committed bytes.
 */
import { utf8 } from '../../../src/core/crypto/bytes';
import type { EventLogContents } from '../../../src/core/measure/event-log';
import { EV } from '../../../src/core/measure/event-types';

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) out[2 * i] = text.charCodeAt(i);
  return out;
}

/** UEFI_VARIABLE_DATA for a variable of the EFI global variable GUID. */
export function efiVariable(name: string, value: Uint8Array): Uint8Array {
  const guid = [
    0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11, 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c,
  ];
  const head = new Uint8Array(32);
  head.set(guid, 0);
  const v = new DataView(head.buffer);
  v.setBigUint64(16, BigInt(name.length), true);
  v.setBigUint64(24, BigInt(value.length), true);
  return Uint8Array.from([...head, ...utf16(name), ...value]);
}

/** UEFI_IMAGE_LOAD_EVENT with a file-path device path. */
export function imageLoad(path: string): Uint8Array {
  const file = Uint8Array.from([...utf16(path), 0, 0]);
  const node = Uint8Array.from([0x04, 0x04, (file.length + 4) & 0xff, (file.length + 4) >> 8, ...file]);
  const devicePath = Uint8Array.from([...node, 0x7f, 0xff, 0x04, 0x00]);
  const head = new Uint8Array(32);
  const v = new DataView(head.buffer);
  v.setBigUint64(0, 0x7e000000n, true);
  v.setBigUint64(8, 0x2a000n, true);
  v.setBigUint64(24, BigInt(devicePath.length), true);
  return Uint8Array.from([...head, ...devicePath]);
}

const separator = new Uint8Array(4);
const blob = new Uint8Array(16);
new DataView(blob.buffer).setBigUint64(0, 0xffc00000n, true);
new DataView(blob.buffer).setBigUint64(8, 0x400000n, true);

export const SMALL_LOG: EventLogContents = {
  algorithms: ['sha256', 'sha384'],
  locality: 3,
  events: [
    { pcrIndex: 0, type: EV.EV_S_CRTM_VERSION, data: Uint8Array.from([...utf16('CCTE Firmware 1.0'), 0, 0]) },
    { pcrIndex: 0, type: EV.EV_EFI_PLATFORM_FIRMWARE_BLOB, data: blob },
    {
      pcrIndex: 7,
      type: EV.EV_EFI_VARIABLE_DRIVER_CONFIG,
      data: efiVariable('SecureBoot', Uint8Array.of(1)),
    },
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((pcrIndex) => ({ pcrIndex, type: EV.EV_SEPARATOR, data: separator })),
    { pcrIndex: 4, type: EV.EV_EFI_ACTION, data: utf8('Calling EFI Application from Boot Option') },
    {
      pcrIndex: 4,
      type: EV.EV_EFI_BOOT_SERVICES_APPLICATION,
      data: imageLoad('\\EFI\\BOOT\\BOOTX64.EFI'),
      // What firmware extends for an image is its Authenticode hash, not the hash of this event data.
      digests: {
        sha256: Uint8Array.from({ length: 32 }, (_, i) => i),
        sha384: Uint8Array.from({ length: 48 }, (_, i) => 0xff - i),
      },
    },
    { pcrIndex: 8, type: EV.EV_IPL, data: utf8('grub_cmd: linux /vmlinuz root=/dev/vda1\0') },
    { pcrIndex: 14, type: 0x1234abcd, data: Uint8Array.of(1, 2, 3) },
  ],
};
