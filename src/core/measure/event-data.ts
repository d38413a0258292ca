/**
 * Decodes what the common TCG event data say (UEFI variables, image loads, separators, action strings,
 * GPT headers, firmware blobs, StartupLocality). Decoding is best effort and never fails the log: real
 * firmware writes odd data (shim's extra byte, empty SecureBoot variables), so an event whose data do not
 * decode cleanly keeps its raw bytes and gets a note saying what is odd and where.
 */
import { Reader } from '../binary';
import { FormatError } from '../errors';
import { EV } from './event-types';

export interface UefiVariable {
  kind: 'uefi-variable';
  variableGuid: string;
  /** Well-known owner of the GUID (EFI global variables, image security database, shim), if any. */
  variableGuidName?: string;
  variableName: string;
  /** The variable's value (VariableData), a view into the event data. */
  variableData: Uint8Array;
}

export interface UefiImageLoad {
  kind: 'uefi-image-load';
  imageLocationInMemory: bigint;
  imageLengthInMemory: bigint;
  imageLinkTimeAddress: bigint;
  /** The device path in UEFI's text notation, e.g. `PciRoot(0x0)/Pci(0x3,0x0)/…/\EFI\BOOT\BOOTX64.EFI`. */
  devicePath: string;
}

export interface GptPartition {
  partitionTypeGuid: string;
  uniquePartitionGuid: string;
  startingLba: bigint;
  endingLba: bigint;
  name: string;
}

export type EventData =
  | { kind: 'separator'; value: number; error: boolean }
  | { kind: 'text'; text: string; encoding: 'ascii' | 'utf-16le' }
  | UefiVariable
  | UefiImageLoad
  | { kind: 'firmware-blob'; base: bigint; length: bigint; description?: string }
  | { kind: 'gpt'; diskGuid: string; partitions: GptPartition[] }
  | { kind: 'startup-locality'; locality: number }
  | { kind: 'no-action'; signature: string };

export interface DecodedEventData {
  decoded?: EventData;
  /** What is odd about the data, with the byte offset in the log where that can be said. */
  note?: string;
}

const FORMAT = 'event-data';

export const EFI_GLOBAL_VARIABLE = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
export const EFI_IMAGE_SECURITY_DATABASE = 'd719b2cb-3d3a-4596-a3bc-dad00e67656f';
const GUID_NAMES: Record<string, string> = {
  [EFI_GLOBAL_VARIABLE]: 'EFI_GLOBAL_VARIABLE',
  [EFI_IMAGE_SECURITY_DATABASE]: 'EFI_IMAGE_SECURITY_DATABASE',
  '605dab50-e046-4300-abb6-3dd810dd8b23': 'SHIM_LOCK',
};

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** EFI_GUID text: the first three fields are little-endian, the last eight bytes in order. */
export function formatGuid(b: Uint8Array, at = 0): string {
  const h = (...indices: number[]) => indices.map((i) => HEX[b[at + i]]).join('');
  return `${h(3, 2, 1, 0)}-${h(5, 4)}-${h(7, 6)}-${h(8, 9)}-${h(10, 11, 12, 13, 14, 15)}`;
}

const utf16 = new TextDecoder('utf-16le');
const latin1 = new TextDecoder('latin1');

function stripNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return s.slice(0, end);
}

/** Printable text, tabs and line breaks allowed. */
function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || (c >= 0x80 && c < 0xa0)) return false;
  }
  return true;
}

export interface DecodedText {
  text: string;
  encoding: 'ascii' | 'utf-16le';
  /** UTF-16 text of odd length: the last byte belongs to no character (seen from systemd-boot). */
  strayLastByte?: boolean;
}

/** Printable ASCII (tabs and line breaks allowed) up to trailing NULs, or undefined. */
function asciiText(data: Uint8Array): string | undefined {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  if (end === 0) return undefined;
  for (let i = 0; i < end; i++) {
    const c = data[i];
    if (c >= 0x7f || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) return undefined;
  }
  return latin1.decode(data.subarray(0, end));
}

/**
 * Text in either of the encodings firmware and boot loaders use: ASCII (GRUB, EFI actions) or UTF-16LE
 * (systemd-boot's command lines, some CRTM versions). Undefined when the bytes are not printable text.
 */
export function decodeText(data: Uint8Array): DecodedText | undefined {
  const even = data.length & ~1;
  let oddZeros = 0;
  for (let i = 1; i < even; i += 2) if (data[i] === 0) oddZeros++;
  // Mostly-zero high bytes mean UTF-16; a single zero byte (a NUL terminator) does not.
  if (even >= 4 && oddZeros * 4 >= even) {
    const text = stripNuls(utf16.decode(data.subarray(0, even)));
    if (text.length > 0 && isPrintable(text)) {
      return even === data.length
        ? { text, encoding: 'utf-16le' }
        : { text, encoding: 'utf-16le', strayLastByte: true };
    }
  }
  const text = asciiText(data);
  return text === undefined ? undefined : { text, encoding: 'ascii' };
}

function textData(data: Uint8Array, notes: string[]): EventData | undefined {
  const decoded = decodeText(data);
  if (!decoded) return undefined;
  if (decoded.strayLastByte) notes.push('UTF-16 text of odd length: the last byte belongs to no character');
  return { kind: 'text', text: decoded.text, encoding: decoded.encoding };
}

/** UEFI_VARIABLE_DATA: GUID, name length (characters), data length, UTF-16 name, data. */
function decodeVariable(r: Reader, data: Uint8Array, notes: string[]): UefiVariable {
  const guidBytes = r.take('VariableName GUID', 16);
  const nameLength = r.u64('UnicodeNameLength');
  const dataLength = r.u64('VariableDataLength');
  if (nameLength * 2n > BigInt(r.remaining)) {
    throw r.error('UnicodeNameLength', `${nameLength} characters do not fit in ${r.remaining} bytes`, 16);
  }
  const nameAt = r.offset;
  r.skip('UnicodeName', Number(nameLength) * 2);
  if (dataLength > BigInt(r.remaining)) {
    throw r.error('VariableDataLength', `${dataLength} bytes but only ${r.remaining} left`, 24);
  }
  const dataAt = r.offset;
  r.skip('VariableData', Number(dataLength));
  if (r.remaining > 0) notes.push(`${r.remaining} bytes after VariableData`);
  const variableGuid = formatGuid(guidBytes);
  const variable: UefiVariable = {
    kind: 'uefi-variable',
    variableGuid,
    variableName: utf16.decode(data.subarray(nameAt, nameAt + Number(nameLength) * 2)),
    variableData: data.subarray(dataAt, dataAt + Number(dataLength)),
  };
  if (GUID_NAMES[variableGuid]) variable.variableGuidName = GUID_NAMES[variableGuid];
  return variable;
}

const PNP0A03 = 0x0a0341d0; // EISA ID of a PCI root bridge
const PNP0A08 = 0x0a0841d0; // and of a PCI Express root bridge

function hexBytes(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x];
  return s;
}

/** One device path node in UEFI text notation; unknown nodes keep their numbers and bytes. */
function devicePathNode(type: number, subType: number, body: Uint8Array): string {
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const hex = (n: number | bigint) => `0x${n.toString(16)}`;
  const has = (n: number) => body.length >= n;
  if (type === 0x01 && subType === 0x01 && has(2)) return `Pci(${hex(body[1])},${hex(body[0])})`;
  if (type === 0x01 && subType === 0x04 && has(16)) return `VenHw(${formatGuid(body)})`;
  if (type === 0x02 && subType === 0x01 && has(8)) {
    const hid = v.getUint32(0, true);
    const uid = v.getUint32(4, true);
    if (hid === PNP0A03 || hid === PNP0A08) return `PciRoot(${hex(uid)})`;
    return `Acpi(${hex(hid)},${hex(uid)})`;
  }
  if (type === 0x03 && subType === 0x02 && has(4)) {
    return `Scsi(${hex(v.getUint16(0, true))},${hex(v.getUint16(2, true))})`;
  }
  if (type === 0x03 && subType === 0x05 && has(2)) return `USB(${hex(body[0])},${hex(body[1])})`;
  if (type === 0x03 && subType === 0x12 && has(6)) {
    return `Sata(${hex(v.getUint16(0, true))},${hex(v.getUint16(2, true))},${hex(v.getUint16(4, true))})`;
  }
  if (type === 0x03 && subType === 0x17 && has(12)) {
    return `NVMe(${hex(v.getUint32(0, true))},${hexBytes(body.subarray(4, 12))})`;
  }
  if (type === 0x03 && subType === 0x0a && has(16)) return `VenMsg(${formatGuid(body)})`;
  if (type === 0x04 && subType === 0x01 && has(38)) {
    const n = v.getUint32(0, true);
    const start = v.getBigUint64(4, true);
    const size = v.getBigUint64(12, true);
    const format = body[36];
    const signature = format === 2 ? formatGuid(body, 20) : hex(v.getUint32(20, true));
    return `HD(${n},${format === 2 ? 'GPT' : 'MBR'},${signature},${hex(start)},${hex(size)})`;
  }
  if (type === 0x04 && subType === 0x03 && has(16)) return `VenMedia(${formatGuid(body)})`;
  if (type === 0x04 && subType === 0x04) return stripNuls(utf16.decode(body.subarray(0, body.length & ~1)));
  if (type === 0x04 && subType === 0x06 && has(16)) return `FvFile(${formatGuid(body)})`;
  if (type === 0x04 && subType === 0x07 && has(16)) return `Fv(${formatGuid(body)})`;
  if (type === 0x04 && subType === 0x08 && has(20)) {
    return `Offset(${hex(v.getBigUint64(4, true))},${hex(v.getBigUint64(12, true))})`;
  }
  return `Path(${type},${subType},${hexBytes(body)})`;
}

/** EFI_DEVICE_PATH_PROTOCOL nodes up to the end node, as UEFI text; throws FormatError on a bad node. */
export function devicePathToText(path: Uint8Array): string {
  const r = new Reader(path, 'device-path', 'le');
  const instances: string[][] = [[]];
  while (r.remaining > 0) {
    const at = r.offset;
    const type = r.u8('node type');
    const subType = r.u8('node subtype');
    const length = r.u16('node length');
    if (length < 4) throw r.error('node length', `${length} is shorter than the 4-byte node header`, at + 2);
    const body = path.subarray(at + 4, at + length);
    r.skip('node data', length - 4);
    if (type === 0x7f && subType === 0xff) return instances.map((nodes) => nodes.join('/')).join(',');
    if (type === 0x7f)
      instances.push([]); // end of one instance, another follows
    else instances[instances.length - 1].push(devicePathNode(type, subType, body));
  }
  throw r.error('end node', 'device path has no end node');
}

/** UEFI_IMAGE_LOAD_EVENT: where the PE image was loaded and the device path it came from. */
function decodeImageLoad(r: Reader, data: Uint8Array, notes: string[]): UefiImageLoad {
  const imageLocationInMemory = r.u64('ImageLocationInMemory');
  const imageLengthInMemory = r.u64('ImageLengthInMemory');
  const imageLinkTimeAddress = r.u64('ImageLinkTimeAddress');
  const pathLength = r.u64('LengthOfDevicePath');
  if (pathLength > BigInt(r.remaining)) {
    throw r.error('LengthOfDevicePath', `${pathLength} bytes but only ${r.remaining} left`, 24);
  }
  const at = r.offset;
  r.skip('DevicePath', Number(pathLength));
  if (r.remaining > 0) notes.push(`${r.remaining} bytes after the device path`);
  let devicePath = '';
  try {
    // Images loaded from memory (shim's second stage) have no device path at all.
    if (pathLength > 0n) devicePath = devicePathToText(data.subarray(at, at + Number(pathLength)));
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    notes.push(`device path ${e.field} at event data offset 0x${(at + e.offset).toString(16)}: ${e.detail}`);
  }
  return {
    kind: 'uefi-image-load',
    imageLocationInMemory,
    imageLengthInMemory,
    imageLinkTimeAddress,
    devicePath,
  };
}

/** UEFI_GPT_DATA: the partition table header, then NumberOfPartitions entries of the header's size. */
function decodeGpt(r: Reader, data: Uint8Array): EventData {
  const signature = r.take('Signature', 8);
  if (latin1.decode(signature) !== 'EFI PART') throw r.error('Signature', 'not "EFI PART"', 0);
  r.skip(
    'Revision, HeaderSize, HeaderCRC32, Reserved, MyLBA, AlternateLBA, FirstUsableLBA, LastUsableLBA',
    48,
  );
  const diskGuid = formatGuid(r.take('DiskGUID', 16));
  r.skip('PartitionEntryLBA, NumberOfPartitionEntries', 12);
  const entrySize = r.u32('SizeOfPartitionEntry');
  r.skip('PartitionEntryArrayCRC32', 4);
  const count = r.u64('NumberOfPartitions');
  if (entrySize < 128) throw r.error('SizeOfPartitionEntry', `${entrySize} is smaller than 128`, 84);
  if (count * BigInt(entrySize) !== BigInt(r.remaining)) {
    throw r.error(
      'NumberOfPartitions',
      `${count} × ${entrySize} bytes do not fill the ${r.remaining} left`,
      92,
    );
  }
  const partitions: GptPartition[] = [];
  for (let i = 0n; i < count; i++) {
    const at = r.offset;
    const entry = new Reader(data.subarray(at, at + entrySize), FORMAT, 'le');
    const partitionTypeGuid = formatGuid(entry.take('PartitionTypeGUID', 16));
    const uniquePartitionGuid = formatGuid(entry.take('UniquePartitionGUID', 16));
    const startingLba = entry.u64('StartingLBA');
    const endingLba = entry.u64('EndingLBA');
    entry.skip('Attributes', 8);
    const name = stripNuls(utf16.decode(entry.take('PartitionName', 72)));
    partitions.push({ partitionTypeGuid, uniquePartitionGuid, startingLba, endingLba, name });
    r.skip('partition entry', entrySize);
  }
  return { kind: 'gpt', diskGuid, partitions };
}

function decodeSeparator(data: Uint8Array, notes: string[]): EventData | undefined {
  if (data.length !== 4) {
    notes.push(`separator data are ${data.length} bytes, expected 4`);
    return undefined;
  }
  const value = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  const error = value === 0xffffffff;
  if (error) notes.push('separator value 0xffffffff: firmware signalled an error before handing over');
  else if (value !== 0) notes.push(`unusual separator value 0x${value.toString(16)} (expected 0)`);
  return { kind: 'separator', value, error };
}

function decodeNoAction(data: Uint8Array, notes: string[]): EventData | undefined {
  const signatureBytes = data.subarray(0, Math.min(16, data.length));
  const signature = stripNuls(latin1.decode(signatureBytes));
  if (signature === 'StartupLocality' && data.length === 17 && data[15] === 0) {
    const locality = data[16];
    if (locality > 4) {
      notes.push(`StartupLocality ${locality} is not a TPM locality (0–4); ignored`);
      return undefined;
    }
    return { kind: 'startup-locality', locality };
  }
  return signature.length > 0 && isPrintable(signature) ? { kind: 'no-action', signature } : undefined;
}

function decodeStructured(type: number, data: Uint8Array, notes: string[]): EventData | undefined {
  const r = new Reader(data, FORMAT, 'le');
  switch (type) {
    case EV.EV_EFI_VARIABLE_DRIVER_CONFIG:
    case EV.EV_EFI_VARIABLE_BOOT:
    case EV.EV_EFI_VARIABLE_BOOT2:
    case EV.EV_EFI_VARIABLE_AUTHORITY: {
      const v = decodeVariable(r, data, notes);
      if (
        type === EV.EV_EFI_VARIABLE_DRIVER_CONFIG &&
        v.variableName === 'SecureBoot' &&
        v.variableGuid === EFI_GLOBAL_VARIABLE &&
        v.variableData.length !== 1
      ) {
        notes.push(`SecureBoot variable has ${v.variableData.length} bytes of data, expected 1`);
      }
      return v;
    }
    case EV.EV_EFI_BOOT_SERVICES_APPLICATION:
    case EV.EV_EFI_BOOT_SERVICES_DRIVER:
    case EV.EV_EFI_RUNTIME_SERVICES_DRIVER:
      return decodeImageLoad(r, data, notes);
    case EV.EV_EFI_GPT_EVENT:
    case EV.EV_EFI_GPT_EVENT2:
      return decodeGpt(r, data);
    case EV.EV_EFI_PLATFORM_FIRMWARE_BLOB: {
      const base = r.u64('BlobBase');
      const length = r.u64('BlobLength');
      r.finish();
      return { kind: 'firmware-blob', base, length };
    }
    case EV.EV_EFI_PLATFORM_FIRMWARE_BLOB2: {
      const size = r.u8('BlobDescriptionSize');
      const description = stripNuls(latin1.decode(r.take('BlobDescription', size)));
      const base = r.u64('BlobBase');
      const length = r.u64('BlobLength');
      r.finish();
      return { kind: 'firmware-blob', base, length, description };
    }
    default:
      return undefined;
  }
}

/** Decodes the data of an event of type `type`; `dataOffset` (in the log) places the notes. */
export function decodeEventData(type: number, data: Uint8Array, dataOffset: number): DecodedEventData {
  const notes: string[] = [];
  let decoded: EventData | undefined;
  switch (type) {
    case EV.EV_SEPARATOR:
      decoded = decodeSeparator(data, notes);
      break;
    case EV.EV_NO_ACTION:
      decoded = decodeNoAction(data, notes);
      break;
    case EV.EV_EFI_ACTION:
    case EV.EV_ACTION:
    case EV.EV_IPL:
      decoded = textData(data, notes);
      if (!decoded && data.length > 0) notes.push('event data are not text');
      break;
    case EV.EV_S_CRTM_VERSION:
    case EV.EV_COMPACT_HASH:
    case EV.EV_EVENT_TAG:
      // Often a string, sometimes a GUID or a number: decode text when it is text, stay quiet otherwise.
      decoded = textData(data, notes);
      break;
    case EV.EV_POST_CODE: {
      // Either a UEFI_PLATFORM_FIRMWARE_BLOB (base, length) or a string such as "ACPI DATA".
      decoded = data.length === 16 ? undefined : textData(data, notes);
      if (!decoded && data.length === 16)
        decoded = decodeStructured(EV.EV_EFI_PLATFORM_FIRMWARE_BLOB, data, notes);
      break;
    }
    default:
      try {
        decoded = decodeStructured(type, data, notes);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        notes.push(`${e.field} at offset 0x${(dataOffset + e.offset).toString(16)}: ${e.detail}`);
      }
  }
  const result: DecodedEventData = {};
  if (decoded) result.decoded = decoded;
  if (notes.length) result.note = notes.join('; ');
  return result;
}
