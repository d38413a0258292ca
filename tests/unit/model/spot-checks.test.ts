/**
 * Spot checks of well-known facts, each asserted through a real simulation (runCell), each with its
 * source. References are the tags of ../shared/DOMAIN.md §h.
 */
import { describe, expect, it } from 'vitest';
import { attackById } from '../../../src/model/attacks';
import { runCell } from '../../../src/model/matrix';
import type { Outcome } from '../../../src/model/outcome';
import { platformById } from '../../../src/model/platforms';
import type { Misconfiguration } from '../../../src/model/run-types';

const cell = (platform: string, attack: string, misconfiguration: Misconfiguration = {}): Outcome =>
  runCell(platformById(platform), attackById(attack), 1, misconfiguration).outcome;

describe('spot checks (DOMAIN §b, §c)', () => {
  it('a memory dump of a plain VM yields the secret; on SEV the host reads only ciphertext', () => {
    // Red Hat confidential computing primer (memory dump demo); [QSEV] SEV encrypts guest pages.
    expect(cell('plain-vm', 'memory-dump')).toBe('leaked');
    expect(cell('sev', 'memory-dump')).toBe('prevented');
  });

  it('SEV leaks registers at a VM exit; SEV-ES does not', () => {
    // [SNPWP]: SEV-ES encrypts the VMSA and exposes only what the guest copies into the GHCB.
    expect(cell('sev', 'register-snoop')).toBe('leaked');
    expect(cell('sev-es', 'register-snoop')).toBe('prevented');
  });

  it('remapping or replaying pages works on SEV-ES but faults on SEV-SNP', () => {
    // [SEVERED] remapping attacks on SEV/SEV-ES; [SNPWP] the RMP and PVALIDATE stop them.
    expect(cell('sev-es', 'page-remap-replay')).toBe('leaked');
    expect(cell('sev-snp', 'page-remap-replay')).toBe('prevented');
  });

  it('a tampered kernel is detected by appraisal on SEV-SNP and TDX', () => {
    // [SNPM] launch digest; [RTMR] the kernel is measured into RTMR1; DOMAIN §c e.
    expect(cell('sev-snp', 'tampered-boot')).toBe('detected');
    expect(cell('tdx', 'tampered-boot')).toBe('detected');
  });

  it('forged evidence fails the VCEK chain on SEV-SNP; on a vTPM the host holds the AK', () => {
    // [VCEK] reports chain to AMD's ARK; [TPMV] the vTPM keys live in the host.
    expect(cell('sev-snp', 'forged-evidence')).toBe('detected');
    expect(cell('vtpm', 'forged-evidence')).toBe('leaked');
  });

  it('replayed evidence is caught by the nonce in REPORT_DATA, unless the owner sends none', () => {
    // [RFC9334] §10 freshness; [KBS] REPORT_DATA = hash(runtime data with the nonce).
    expect(cell('sev-snp', 'replayed-evidence')).toBe('detected');
    expect(cell('sev-snp', 'replayed-evidence', { noNonce: true })).toBe('leaked');
  });

  it('a debug launch is refused by a strict verifier on SEV-SNP, and leaks if debug is allowed', () => {
    // [SNPABI] POLICY.DEBUG is in the signed report; [ASPOL] Trustee requires debug off.
    expect(cell('sev-snp', 'debug-policy')).toBe('detected');
    expect(cell('sev-snp', 'debug-policy', { allowDebug: true })).toBe('leaked');
  });

  it('DMA into SEV-SNP memory is blocked', () => {
    // [SNPWP] the IOMMU consults the RMP.
    expect(cell('sev-snp', 'malicious-dma')).toBe('prevented');
  });

  it('plaintext shared I/O leaks on every platform', () => {
    // [LKTM] shared memory is host-visible; DOMAIN §c k baseline.
    for (const p of ['plain-vm', 'sev-snp', 'tdx', 'sgx', 'nitro', 'ibm-se']) {
      expect(cell(p, 'shared-io-snoop'), p).toBe('leaked');
    }
  });

  it('side channels, denial of service and vendor-root compromise are out of scope on SEV-SNP', () => {
    // [SNPWP] side channels and host DoS unmitigated; [LKTM] vendor-root compromise excluded.
    expect(cell('sev-snp', 'side-channel')).toBe('out-of-scope');
    expect(cell('sev-snp', 'denial-of-service')).toBe('out-of-scope');
    expect(cell('plain-vm', 'denial-of-service')).toBe('out-of-scope');
    expect(cell('sev-snp', 'vendor-root-compromise')).toBe('out-of-scope');
  });

  it('a secret baked into the image leaks on SEV-SNP but not from an IBM SE image', () => {
    // DOMAIN §c o; [S390PV] SE images are encrypted to host keys and checked by the Ultravisor.
    expect(cell('sev-snp', 'early-secret')).toBe('leaked');
    expect(cell('ibm-se', 'early-secret')).toBe('prevented');
  });
});
