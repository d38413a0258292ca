/**
 * The SEV-SNP launch digest (the report's MEASUREMENT): the AMD-SP chains one 0x70-byte PAGE_INFO per
 * page given to SNP_LAUNCH_UPDATE, `LD = SHA-384(PAGE_INFO)` from 48 zero bytes (SNP ABI 56860, §8.17).
 *
 * PAGE_INFO: DIGEST_CUR[48] ‖ CONTENTS[48] ‖ LENGTH u16 = 0x70 ‖ PAGE_TYPE u8 ‖ IMI_PAGE u8 ‖ 4 bytes of
 * VMPL permissions ‖ GPA u64. CONTENTS is SHA-384 of the page for normal and VMSA pages, zero for the
 * others. VMSA pages are recorded at GPA 0xFFFFFFFFF000 whatever their real address (the RMP keeps -1,
 * page-aligned, bits above 51 cleared).
 *
 * Checked against virtee/sev-snp-measure (gctx.py), virtee/sev (measurement/gctx.rs) and
 * coconut-svsm's igvmmeasure. The order of the four permission bytes differs between them:
 * sev-snp-measure writes VMPL3, VMPL2, VMPL1, 0; coconut-svsm writes 0, VMPL1, VMPL2, VMPL3, which is
 * also the byte order of the SNP_LAUNCH_UPDATE command (rsvd:8, vmpl1:8, vmpl2:8, vmpl3:8 in Linux's
 * sev_data_snp_launch_update). We follow the latter. Every QEMU/KVM launch uses zero permissions,
 * for which both orders give the same bytes, so published launch digests do not depend on it.
 */
import { Writer } from '../binary';
import { digest } from '../crypto/hash';

export const SNP_PAGE_SIZE = 4096;
export const SNP_LD_SIZE = 48;
export const PAGE_INFO_SIZE = 0x70;
export const SNP_VMSA_GPA = 0xfffffffff000n;

/** PAGE_TYPE values of SNP_LAUNCH_UPDATE. */
export const SNP_PAGE_TYPE = { normal: 1, vmsa: 2, zero: 3, unmeasured: 4, secrets: 5, cpuid: 6 } as const;
export type SnpPageType = keyof typeof SNP_PAGE_TYPE;

export interface SnpPage {
  type: SnpPageType;
  /** Guest physical address; ignored for VMSA pages, which are always measured at SNP_VMSA_GPA. */
  gpa?: bigint;
  /** The 4 KiB page for `normal` and `vmsa` pages; the other types are measured without contents. */
  contents?: Uint8Array;
  /** Part of an incoming migration image. */
  imi?: boolean;
  vmpl1Perms?: number;
  vmpl2Perms?: number;
  vmpl3Perms?: number;
}

/** One link of the chain: the PAGE_INFO that was hashed, and the digest before and after. */
export interface SnpPageUpdate {
  type: SnpPageType;
  gpa: bigint;
  contentsDigest: Uint8Array;
  pageInfo: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
}

function perm(value: number | undefined, name: string): number {
  const v = value ?? 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new RangeError(`${name}: ${v} is not a permission byte`);
  return v;
}

/** The PAGE_INFO structure for one page, given the digest so far and the page's contents digest. */
export function encodePageInfo(
  launchDigest: Uint8Array,
  contentsDigest: Uint8Array,
  page: Omit<SnpPage, 'contents'>,
): Uint8Array {
  if (launchDigest.length !== SNP_LD_SIZE)
    throw new RangeError(`launchDigest: expected ${SNP_LD_SIZE} bytes`);
  if (contentsDigest.length !== SNP_LD_SIZE)
    throw new RangeError(`contentsDigest: expected ${SNP_LD_SIZE} bytes`);
  const gpa = page.type === 'vmsa' ? SNP_VMSA_GPA : (page.gpa ?? -1n);
  if (gpa < 0n || gpa >= 1n << 64n || gpa % BigInt(SNP_PAGE_SIZE) !== 0n) {
    throw new RangeError(`gpa: ${page.gpa} is not a page-aligned 64-bit guest physical address`);
  }
  return new Writer('le')
    .bytes(launchDigest)
    .bytes(contentsDigest)
    .u16(PAGE_INFO_SIZE)
    .u8(SNP_PAGE_TYPE[page.type])
    .u8(page.imi ? 1 : 0)
    .u8(0) // reserved
    .u8(perm(page.vmpl1Perms, 'vmpl1Perms'))
    .u8(perm(page.vmpl2Perms, 'vmpl2Perms'))
    .u8(perm(page.vmpl3Perms, 'vmpl3Perms'))
    .u64(gpa)
    .finish();
}

/** The launch digest as the AMD-SP accumulates it, page by page, keeping every PAGE_INFO. */
export class SnpLaunchDigest {
  private ld: Uint8Array;
  private readonly chain: SnpPageUpdate[] = [];

  /** Starts from 48 zero bytes, or from a digest computed earlier (e.g. over OVMF's pages). */
  constructor(initial: Uint8Array = new Uint8Array(SNP_LD_SIZE)) {
    if (!(initial instanceof Uint8Array) || initial.length !== SNP_LD_SIZE) {
      throw new RangeError(`initial: expected ${SNP_LD_SIZE} bytes`);
    }
    this.ld = Uint8Array.from(initial);
  }

  get digest(): Uint8Array {
    return Uint8Array.from(this.ld);
  }

  get updates(): readonly SnpPageUpdate[] {
    return this.chain;
  }

  /** SNP_LAUNCH_UPDATE of one page. */
  update(page: SnpPage): Uint8Array {
    if (!(page.type in SNP_PAGE_TYPE))
      throw new RangeError(`type: unknown SNP page type ${String(page.type)}`);
    const hasContents = page.type === 'normal' || page.type === 'vmsa';
    if (hasContents !== (page.contents !== undefined)) {
      throw new RangeError(`contents: ${page.type} pages ${hasContents ? 'need' : 'take no'} contents`);
    }
    if (page.contents && page.contents.length !== SNP_PAGE_SIZE) {
      throw new RangeError(`contents: expected ${SNP_PAGE_SIZE} bytes, got ${page.contents.length}`);
    }
    const contentsDigest = page.contents ? digest('sha384', page.contents) : new Uint8Array(SNP_LD_SIZE);
    const pageInfo = encodePageInfo(this.ld, contentsDigest, page);
    const before = this.ld;
    this.ld = digest('sha384', pageInfo);
    const gpa = page.type === 'vmsa' ? SNP_VMSA_GPA : (page.gpa as bigint);
    this.chain.push({ type: page.type, gpa, contentsDigest, pageInfo, before, after: this.ld });
    return this.digest;
  }

  /** Normal pages for a region of 4 KiB multiples starting at `gpa` (firmware, kernel hashes). */
  updateNormalPages(gpa: bigint, bytes: Uint8Array): Uint8Array {
    if (bytes.length % SNP_PAGE_SIZE !== 0) throw new RangeError('bytes: not a multiple of 4 KiB');
    for (let off = 0; off < bytes.length; off += SNP_PAGE_SIZE) {
      this.update({
        type: 'normal',
        gpa: gpa + BigInt(off),
        contents: bytes.subarray(off, off + SNP_PAGE_SIZE),
      });
    }
    return this.digest;
  }

  /** Zero pages for `length` bytes (a multiple of 4 KiB) from `gpa`. */
  updateZeroPages(gpa: bigint, length: number): Uint8Array {
    if (length % SNP_PAGE_SIZE !== 0) throw new RangeError('length: not a multiple of 4 KiB');
    for (let off = 0; off < length; off += SNP_PAGE_SIZE)
      this.update({ type: 'zero', gpa: gpa + BigInt(off) });
    return this.digest;
  }
}

/** The launch digest of `pages` in launch order, with the chain of PAGE_INFOs that produced it. */
export function snpLaunchDigest(
  pages: readonly SnpPage[],
  initial?: Uint8Array,
): { launchDigest: Uint8Array; updates: readonly SnpPageUpdate[] } {
  const ld = new SnpLaunchDigest(initial);
  for (const page of pages) ld.update(page);
  return { launchDigest: ld.digest, updates: ld.updates };
}
