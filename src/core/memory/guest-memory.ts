/**
 * Guest memory as the hardware keeps it: physical frames holding what is really stored (plaintext,
 * or ciphertext from the memory cipher tweaked by the physical address), the host-controlled nested
 * page table (GPA → HPA), and, where the platform has one, an ownership table (RMP, EPCM, Secure EPT,
 * GPT) that says which guest owns each frame, at which GPA, and whether the guest validated it.
 *
 * The two views the explorer shows come from here: `guestRead` is what the guest sees through its
 * mappings; `hostRead` is what the host gets when it reads the frame itself. Nothing is decided by a
 * table of outcomes: the bytes are what the mechanism produces.
 */
import { assertBytes } from '../crypto/bytes';
import { memoryCipher, PAGE_BYTES, type MemoryCipher } from '../crypto/memory-cipher';

/** What a host read of a private frame returns on this platform. */
export type HostReadProtection = 'plaintext' | 'ciphertext' | 'abort-values' | 'fault';
/** Whether an ownership table checks the host's writes and the guest's accesses. */
export type IntegrityProtection = 'none' | 'ownership-fault';
/** What a device's DMA into private memory reaches. */
export type DmaProtection = 'plaintext' | 'ciphertext' | 'blocked';

export interface MemoryConfig {
  protection: HostReadProtection;
  integrity: IntegrityProtection;
  dma: DmaProtection;
  /** 32 or 64 bytes (AES-128/256-XTS) when protection is 'ciphertext'. */
  key?: Uint8Array;
  /** Number of 4 KiB guest pages, mapped GPA i·4K → HPA base + i·4K at start. */
  pages: number;
  /** First host physical address of the guest's frames. */
  hpaBase?: bigint;
}

export interface OwnershipEntry {
  hpa: bigint;
  /** The GPA the frame is assigned to, or undefined for host-owned (shared) frames. */
  gpa?: bigint;
  owner: 'guest' | 'host';
  /** The guest accepted the frame at this GPA (PVALIDATE, TDG.MEM.PAGE.ACCEPT). */
  validated: boolean;
}

/** A read or access the hardware refused; carries the check that refused it. */
export class MemoryFault extends Error {
  constructor(
    readonly kind: 'host-read' | 'host-write' | 'guest-access' | 'dma',
    readonly address: bigint,
    readonly check: string,
  ) {
    super(`${kind} at 0x${address.toString(16)} refused: ${check}`);
    this.name = 'MemoryFault';
  }
}

export type HostView =
  | { kind: 'plaintext' | 'ciphertext' | 'abort-values'; hpa: bigint; bytes: Uint8Array }
  | { kind: 'fault'; hpa: bigint; check: string };

/** SGX returns all-ones for reads of enclave memory from outside ("abort page semantics"). */
const ABORT_BYTE = 0xff;
const PAGE = BigInt(PAGE_BYTES);
/**
 * Stands for "the frame the guest started with": a zero page, stored as the memory cipher leaves it
 * at that address. Encrypting it is deterministic, so it is done only when someone looks at the stored
 * bytes (most frames are never looked at), and the guest reading it back gets the zeros that
 * decrypting them would give.
 */
const ZERO_PAGE: Uint8Array = new Uint8Array(0);

export class GuestMemory {
  readonly config: Readonly<MemoryConfig>;
  private readonly frames = new Map<bigint, Uint8Array>();
  /** Nested page table, owned by the host: GPA → HPA. */
  private readonly npt = new Map<bigint, bigint>();
  private readonly ownership = new Map<bigint, OwnershipEntry>();
  private readonly shared = new Set<bigint>();
  private readonly cipher?: MemoryCipher;

  constructor(config: MemoryConfig) {
    if (!Number.isInteger(config.pages) || config.pages < 1 || config.pages > 4096) {
      throw new RangeError(`pages: expected 1..4096 guest pages, got ${config.pages}`);
    }
    if (config.protection === 'ciphertext') {
      assertBytes(config.key, 'key');
      this.cipher = memoryCipher(config.key);
    }
    this.config = { ...config };
    const base = config.hpaBase ?? 0x1_0000_0000n;
    for (let i = 0; i < config.pages; i++) {
      const gpa = BigInt(i) * PAGE;
      const hpa = base + gpa;
      this.npt.set(gpa, hpa);
      this.frames.set(hpa, ZERO_PAGE);
      this.ownership.set(hpa, { hpa, gpa, owner: 'guest', validated: true });
    }
  }

  get pageCount(): number {
    return this.config.pages;
  }

  /** The frame a GPA maps to now (the host may have changed it). */
  hpaOf(gpa: bigint): bigint {
    const hpa = this.npt.get(pageOf(gpa));
    if (hpa === undefined) throw new RangeError(`gpa 0x${gpa.toString(16)} is not mapped`);
    return hpa + (gpa % PAGE);
  }

  // ---- the guest ----

  /** The guest writes through its mapping; private frames are stored encrypted where the platform encrypts. */
  guestWrite(gpa: bigint, data: Uint8Array): void {
    assertBytes(data, 'data');
    const page = pageOf(gpa);
    const offset = Number(gpa - page);
    if (offset + data.length > PAGE_BYTES) throw new RangeError('guestWrite: data crosses a page boundary');
    const hpa = this.checkGuestAccess(page);
    const plain = this.decryptFrame(hpa);
    plain.set(data, offset);
    this.frames.set(hpa, this.store(hpa, plain));
  }

  /** What the guest reads through its mapping: decrypted with its key, at whatever frame the GPA maps to now. */
  guestRead(gpa: bigint, length: number): Uint8Array {
    const page = pageOf(gpa);
    const offset = Number(gpa - page);
    if (offset + length > PAGE_BYTES) throw new RangeError('guestRead: range crosses a page boundary');
    const hpa = this.checkGuestAccess(page);
    return this.decryptFrame(hpa).slice(offset, offset + length);
  }

  /** Makes a page shared with the host (bounce buffer, GHCB): stored in plaintext, owned by the host. */
  share(gpa: bigint): void {
    const page = pageOf(gpa);
    const hpa = this.hpaOf(page);
    const plain = this.decryptFrame(hpa);
    this.shared.add(hpa);
    this.ownership.set(hpa, { hpa, owner: 'host', validated: false });
    this.frames.set(hpa, plain);
  }

  isShared(gpa: bigint): boolean {
    return this.shared.has(this.hpaOf(pageOf(gpa)));
  }

  // ---- the host ----

  /** The host reads a frame directly (a memory dump, /dev/mem, a crash dump). */
  hostRead(hpa: bigint): HostView {
    const frame = pageOf(hpa);
    const stored = this.stored(frame);
    if (!stored) return { kind: 'fault', hpa: frame, check: 'no such frame' };
    if (this.shared.has(frame)) return { kind: 'plaintext', hpa: frame, bytes: stored.slice() };
    switch (this.config.protection) {
      case 'plaintext':
        return { kind: 'plaintext', hpa: frame, bytes: stored.slice() };
      case 'ciphertext':
        return { kind: 'ciphertext', hpa: frame, bytes: stored.slice() };
      case 'abort-values':
        return { kind: 'abort-values', hpa: frame, bytes: new Uint8Array(PAGE_BYTES).fill(ABORT_BYTE) };
      case 'fault':
        return {
          kind: 'fault',
          hpa: frame,
          check: 'the frame belongs to the isolated guest; the host cannot map it',
        };
    }
  }

  /**
   * The host writes raw bytes into a frame (e.g. an older ciphertext, to replay it). With an ownership
   * table a write to a guest-owned frame faults (RMP, EPCM, GPT); without one it lands silently.
   */
  hostWrite(hpa: bigint, bytes: Uint8Array): void {
    assertBytes(bytes, 'bytes', PAGE_BYTES);
    const frame = pageOf(hpa);
    if (!this.frames.has(frame)) throw new RangeError(`hpa 0x${frame.toString(16)} is not a guest frame`);
    const entry = this.ownership.get(frame);
    if (this.config.integrity === 'ownership-fault' && entry?.owner === 'guest') {
      throw new MemoryFault('host-write', frame, 'the ownership table assigns this frame to the guest');
    }
    this.frames.set(frame, bytes.slice());
  }

  /**
   * The host changes the nested page table so `gpa` maps to another frame (swap, alias). It always
   * can: it owns the page table. What the guest then sees depends on the ownership table.
   */
  hostRemap(gpa: bigint, hpa: bigint): void {
    const page = pageOf(gpa);
    if (!this.npt.has(page)) throw new RangeError(`gpa 0x${page.toString(16)} is not mapped`);
    if (!this.frames.has(pageOf(hpa))) throw new RangeError(`hpa 0x${hpa.toString(16)} is not a guest frame`);
    this.npt.set(page, pageOf(hpa));
  }

  /** A device reads a frame by DMA. */
  dmaRead(hpa: bigint): HostView {
    const frame = pageOf(hpa);
    const stored = this.stored(frame);
    if (!stored) return { kind: 'fault', hpa: frame, check: 'no such frame' };
    if (this.shared.has(frame)) return { kind: 'plaintext', hpa: frame, bytes: stored.slice() };
    switch (this.config.dma) {
      case 'plaintext':
        // Without memory encryption the device reads what is stored; with it, the device bypasses
        // the CPU's memory controller key and still sees only what is stored.
        return {
          kind: this.config.protection === 'ciphertext' ? 'ciphertext' : 'plaintext',
          hpa: frame,
          bytes: stored.slice(),
        };
      case 'ciphertext':
        return { kind: 'ciphertext', hpa: frame, bytes: stored.slice() };
      case 'blocked':
        return {
          kind: 'fault',
          hpa: frame,
          check: 'the IOMMU/ownership checks block device access to private memory',
        };
    }
  }

  /** The ownership table as a UI shows it (empty when the platform has none). */
  ownershipTable(): OwnershipEntry[] {
    if (this.config.integrity === 'none') return [];
    return [...this.ownership.values()].map((e) => ({ ...e }));
  }

  /** What is physically stored in a frame, for views; equal to hostRead on unprotected platforms. */
  storedBytes(hpa: bigint): Uint8Array {
    const stored = this.stored(pageOf(hpa));
    if (!stored) throw new RangeError(`hpa 0x${hpa.toString(16)} is not a guest frame`);
    return stored.slice();
  }

  // ---- internals ----

  /**
   * The ownership check on a guest access (RMP nested-page check): the frame must be guest-owned,
   * assigned to this very GPA, and validated; otherwise the access faults into the guest (#VC/#VE),
   * which is how a remap is noticed instead of silently read.
   */
  private checkGuestAccess(page: bigint): bigint {
    const hpa = this.hpaOf(page);
    if (this.config.integrity === 'none' || this.shared.has(hpa)) return hpa;
    const e = this.ownership.get(hpa);
    if (!e || e.owner !== 'guest' || e.gpa !== page || !e.validated) {
      throw new MemoryFault(
        'guest-access',
        page,
        `ownership table: frame 0x${hpa.toString(16)} is ${e?.gpa === undefined ? 'not assigned to this guest' : `assigned to GPA 0x${e.gpa.toString(16)}`}, not to this GPA`,
      );
    }
    return hpa;
  }

  /** What a frame physically holds (encrypting a still-untouched zero page now). */
  private stored(hpa: bigint): Uint8Array | undefined {
    const stored = this.frames.get(hpa);
    if (stored !== ZERO_PAGE) return stored;
    const bytes = this.store(hpa, new Uint8Array(PAGE_BYTES));
    this.frames.set(hpa, bytes);
    return bytes;
  }

  private store(hpa: bigint, plain: Uint8Array): Uint8Array {
    if (this.cipher && !this.shared.has(hpa)) return this.cipher.encrypt(hpa, plain);
    return plain.slice();
  }

  private decryptFrame(hpa: bigint): Uint8Array {
    const stored = this.frames.get(hpa);
    if (!stored) throw new RangeError(`hpa 0x${hpa.toString(16)} is not a guest frame`);
    // An untouched frame holds the encryption of zeros at this address: it decrypts to zeros.
    if (stored === ZERO_PAGE) return new Uint8Array(PAGE_BYTES);
    if (this.cipher && !this.shared.has(hpa)) return this.cipher.decrypt(hpa, stored);
    return stored.slice();
  }
}

function pageOf(address: bigint): bigint {
  return address - (address % PAGE);
}

/** Does `haystack` contain `needle` anywhere? (Used to judge whether an observation holds a secret.) */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
