import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { memoryCipher, PAGE_BYTES } from '../../../src/core/crypto/memory-cipher';
import {
  containsBytes,
  GuestMemory,
  MemoryFault,
  type MemoryConfig,
} from '../../../src/core/memory/guest-memory';

const key = seededDrbg('guest-memory').generate(32);
const secret = utf8('TOP-SECRET: database master key 5f2c');
const mem = (over: Partial<MemoryConfig>) =>
  new GuestMemory({ protection: 'plaintext', integrity: 'none', dma: 'plaintext', pages: 4, ...over });

describe('guest memory: what the guest sees and what the host gets', () => {
  it('plain VM: the host reads the guest page and finds the secret in plaintext', () => {
    const m = mem({});
    m.guestWrite(0x1010n, secret);
    const view = m.hostRead(m.hpaOf(0x1000n));
    expect(view.kind).toBe('plaintext');
    expect(view.kind !== 'fault' && containsBytes(view.bytes, secret)).toBe(true);
  });

  it('encrypted memory: the host reads real AES-XTS ciphertext that OpenSSL decrypts with the key at that address', () => {
    const m = mem({ protection: 'ciphertext', key });
    m.guestWrite(0x1010n, secret);
    expect(m.guestRead(0x1010n, secret.length)).toEqual(secret);
    const hpa = m.hpaOf(0x1000n);
    const view = m.hostRead(hpa);
    expect(view.kind).toBe('ciphertext');
    if (view.kind === 'fault') throw new Error('unexpected fault');
    expect(containsBytes(view.bytes, secret)).toBe(false);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64LE(hpa >> 12n);
    const d = createDecipheriv('aes-128-xts', key, iv);
    const plain = Buffer.concat([d.update(view.bytes), d.final()]);
    expect(containsBytes(plain, secret)).toBe(true);
  });

  it('abort values and faults: an enclave reads as all-ones, an isolated guest faults', () => {
    const sgx = mem({ protection: 'abort-values', integrity: 'ownership-fault' });
    sgx.guestWrite(0n, secret);
    const v = sgx.hostRead(sgx.hpaOf(0n));
    expect(v.kind === 'abort-values' && v.bytes.every((b) => b === 0xff)).toBe(true);
    const isolated = mem({ protection: 'fault', integrity: 'ownership-fault' });
    expect(isolated.hostRead(isolated.hpaOf(0n)).kind).toBe('fault');
  });

  it('shared pages are host-visible plaintext on every platform (bounce buffers)', () => {
    const m = mem({ protection: 'ciphertext', key, integrity: 'ownership-fault' });
    m.share(0x2000n);
    m.guestWrite(0x2000n, secret);
    const v = m.hostRead(m.hpaOf(0x2000n));
    expect(v.kind === 'plaintext' && containsBytes(v.bytes, secret)).toBe(true);
  });

  it('no integrity (SEV): a remapped page is read silently — the guest gets another page’s data', () => {
    const m = mem({ protection: 'ciphertext', key });
    m.guestWrite(0x0n, utf8('balance=100'));
    m.guestWrite(0x1000n, utf8('balance=999'));
    m.hostRemap(0x0n, m.hpaOf(0x1000n));
    expect(new TextDecoder().decode(m.guestRead(0x0n, 11))).toBe('balance=999');
  });

  it('no integrity (SEV): a replayed old ciphertext decrypts silently to the old value', () => {
    const m = mem({ protection: 'ciphertext', key });
    m.guestWrite(0x0n, utf8('counter=1'));
    const old = m.storedBytes(m.hpaOf(0n));
    m.guestWrite(0x0n, utf8('counter=2'));
    m.hostWrite(m.hpaOf(0n), old);
    expect(new TextDecoder().decode(m.guestRead(0n, 9))).toBe('counter=1');
  });

  it('ownership table (SNP RMP): host writes fault, and a remapped GPA faults on the guest’s next access', () => {
    const m = mem({ protection: 'ciphertext', key, integrity: 'ownership-fault' });
    m.guestWrite(0x0n, utf8('counter=1'));
    expect(() => m.hostWrite(m.hpaOf(0n), new Uint8Array(PAGE_BYTES))).toThrow(MemoryFault);
    m.hostRemap(0x0n, m.hpaOf(0x1000n));
    expect(() => m.guestRead(0n, 4)).toThrow(/ownership table: frame .* assigned to GPA 0x1000/);
    expect(m.ownershipTable()).toHaveLength(4);
    expect(mem({}).ownershipTable()).toEqual([]);
  });

  it('a one-bit flip in stored ciphertext garbles one 16-byte block of what the guest reads, with no error', () => {
    const m = mem({ protection: 'ciphertext', key });
    m.guestWrite(0x0n, new Uint8Array(64).fill(0x41));
    const stored = m.storedBytes(m.hpaOf(0n));
    stored[20] ^= 0x04;
    m.hostWrite(m.hpaOf(0n), stored);
    const seen = m.guestRead(0n, 64);
    expect(seen.subarray(0, 16).every((b) => b === 0x41)).toBe(true);
    expect(seen.subarray(16, 32).every((b) => b === 0x41)).toBe(false);
    expect(seen.subarray(32, 64).every((b) => b === 0x41)).toBe(true);
  });

  it('untouched frames (encrypted only when looked at) hold the zero page’s ciphertext at their address', () => {
    const zeros = new Uint8Array(PAGE_BYTES);
    const cipher = memoryCipher(key);
    const m = mem({ protection: 'ciphertext', key, dma: 'ciphertext' });
    const hpa = (gpa: bigint) => m.hpaOf(gpa);
    // The guest reads zeros; the host, a device and the views see the encryption of zeros there.
    expect(m.guestRead(0x2000n, 64)).toEqual(new Uint8Array(64));
    const host = m.hostRead(hpa(0x1000n));
    expect(host.kind === 'ciphertext' && host.bytes).toEqual(cipher.encrypt(hpa(0x1000n), zeros));
    const dma = m.dmaRead(hpa(0x3000n));
    expect(dma.kind === 'ciphertext' && dma.bytes).toEqual(cipher.encrypt(hpa(0x3000n), zeros));
    expect(m.storedBytes(hpa(0x2000n))).toEqual(cipher.encrypt(hpa(0x2000n), zeros));
    // Looking twice gives the same bytes, and the guest still reads zeros afterwards.
    expect(m.storedBytes(hpa(0x1000n))).toEqual(cipher.encrypt(hpa(0x1000n), zeros));
    expect(m.guestRead(0x1000n, 32)).toEqual(new Uint8Array(32));
    // A write into an untouched frame: the rest of the page stays zero.
    m.guestWrite(0x2010n, secret);
    const page = new Uint8Array(PAGE_BYTES);
    page.set(secret, 0x10);
    expect(m.storedBytes(hpa(0x2000n))).toEqual(cipher.encrypt(hpa(0x2000n), page));
    // Sharing an untouched page exposes its (zero) plaintext; a host write replaces it.
    m.share(0x3000n);
    const shared = m.hostRead(hpa(0x3000n));
    expect(shared.kind === 'plaintext' && shared.bytes).toEqual(zeros);
    const old = mem({ protection: 'ciphertext', key });
    old.hostWrite(old.hpaOf(0n), new Uint8Array(PAGE_BYTES).fill(7));
    expect(old.storedBytes(old.hpaOf(0n))).toEqual(new Uint8Array(PAGE_BYTES).fill(7));
    // Without a cipher, untouched frames are plain zeros.
    const plainHost = mem({}).hostRead(0x1_0000_0000n);
    expect(plainHost.kind === 'plaintext' && plainHost.bytes).toEqual(zeros);
  });

  it('DMA: plaintext, ciphertext or blocked by the platform', () => {
    const plain = mem({});
    plain.guestWrite(0n, secret);
    const p = plain.dmaRead(plain.hpaOf(0n));
    expect(p.kind === 'plaintext' && containsBytes(p.bytes, secret)).toBe(true);
    const sev = mem({ protection: 'ciphertext', key, dma: 'ciphertext' });
    sev.guestWrite(0n, secret);
    const c = sev.dmaRead(sev.hpaOf(0n));
    expect(c.kind === 'ciphertext' && !containsBytes(c.bytes, secret)).toBe(true);
    expect(mem({ dma: 'blocked' }).dmaRead(0x1_0000_0000n).kind).toBe('fault');
  });
});
