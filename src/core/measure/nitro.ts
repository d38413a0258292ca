/**
 * AWS Nitro Enclaves measurements of an enclave image file (EIF), as `nitro-cli build-enclave` and
 * `describe-eif` report them and the NSM puts into the attestation document:
 *   PCR0  the enclave image: kernel, command line and every ramdisk
 *   PCR1  the Linux kernel and bootstrap: kernel, command line and the first ramdisk
 *   PCR2  the application: the remaining ramdisks
 *   PCR8  the signing certificate (only for signed images): its DER encoding
 * Each is one SHA-384 extend from 48 zero bytes: `PCR = SHA-384(0^48 ‖ SHA-384(section payloads))`
 * (aws-nitro-enclaves-image-format, `EifReader::from_eif` and `EifHasher::tpm_extend_finalize_reset`).
 *
 * Simplified: we take the sections as given instead of reading an EIF file. In an EIF they are hashed
 * in file order (kernel, cmdline, ramdisks); section headers, the EIF header and CRC, the metadata
 * section and the signature section itself are not measured, and PCR8 hashes the certificate that the
 * signature section carries in PEM, converted to DER.
 */
import { concatBytes, utf8 } from '../crypto/bytes';
import { createHash, digest } from '../crypto/hash';

export const NITRO_PCR_SIZE = 48;

export interface EnclaveImage {
  kernel: Uint8Array;
  /** The kernel command line exactly as stored in the EIF's cmdline section. */
  cmdline: Uint8Array | string;
  /** First the bootstrap ramdisk (init, NSM driver), then the application's. */
  ramdisks: readonly Uint8Array[];
  /** DER of the signing certificate, for signed images. */
  signingCertificate?: Uint8Array;
}

export type NitroPcrIndex = 0 | 1 | 2 | 8;

/** What went into one PCR, for a view of the chain: the parts in order, their hash, the PCR. */
export interface NitroMeasurement {
  pcr: NitroPcrIndex;
  parts: { name: string; length: number }[];
  contentDigest: Uint8Array;
  value: Uint8Array;
}

/** `SHA-384(0^48 ‖ SHA-384(parts…))`: one TPM-style extend of the hash of the concatenated parts. */
export function nitroPcr(parts: readonly Uint8Array[]): { contentDigest: Uint8Array; value: Uint8Array } {
  const h = createHash('sha384');
  for (const p of parts) h.update(p);
  const contentDigest = h.digest();
  return {
    contentDigest,
    value: digest('sha384', concatBytes(new Uint8Array(NITRO_PCR_SIZE), contentDigest)),
  };
}

export function nitroPcrs(image: EnclaveImage): {
  pcrs: Partial<Record<NitroPcrIndex, Uint8Array>>;
  measurements: NitroMeasurement[];
} {
  const cmdline = typeof image.cmdline === 'string' ? utf8(image.cmdline) : image.cmdline;
  const named = (name: string, bytes: Uint8Array) => ({ name, bytes });
  const ramdisks = image.ramdisks.map((r, i) => named(`ramdisk ${i}`, r));
  const groups: [NitroPcrIndex, { name: string; bytes: Uint8Array }[]][] = [
    [0, [named('kernel', image.kernel), named('cmdline', cmdline), ...ramdisks]],
    [1, [named('kernel', image.kernel), named('cmdline', cmdline), ...ramdisks.slice(0, 1)]],
    [2, ramdisks.slice(1)],
  ];
  if (image.signingCertificate) groups.push([8, [named('signing certificate', image.signingCertificate)]]);
  const pcrs: Partial<Record<NitroPcrIndex, Uint8Array>> = {};
  const measurements: NitroMeasurement[] = [];
  for (const [pcr, parts] of groups) {
    const { contentDigest, value } = nitroPcr(parts.map((p) => p.bytes));
    pcrs[pcr] = value;
    measurements.push({
      pcr,
      parts: parts.map((p) => ({ name: p.name, length: p.bytes.length })),
      contentDigest,
      value,
    });
  }
  return { pcrs, measurements };
}
