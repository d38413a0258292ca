import { readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { platformById, PLATFORMS } from '../../../src/model/platforms';
import { CAPABILITY_VALUES, type CapabilityName, type Platform } from '../../../src/model/platforms/platform';

const FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/model/platforms');

const IDS = [
  'plain-vm',
  'vtpm',
  'sev',
  'sev-es',
  'sev-snp',
  'tdx',
  'sgx',
  'nitro',
  'trustzone',
  'cca',
  'ibm-se',
  'ibm-pef',
] as const;

/** The allowed values are data in platform.ts (the type derives from them), so a value smuggled past the
 * compiler with `as` is caught at run time below. */
const ALLOWED = CAPABILITY_VALUES;

const CAPABILITY_NAMES = Object.keys(ALLOWED) as CapabilityName[];

const byId = (id: (typeof IDS)[number]): Platform => platformById(id);

describe('platform registry', () => {
  it('lists exactly the twelve platforms, in order', () => {
    expect(PLATFORMS.map((p) => p.id)).toEqual(IDS);
  });

  it('registers every profile file in the folder, each exporting one profile whose id is its file name', async () => {
    const files = readdirSync(FOLDER).filter(
      (f) => f.endsWith('.ts') && f !== 'platform.ts' && f !== 'index.ts',
    );
    expect(files.map((f) => basename(f, '.ts')).sort()).toEqual([...IDS].sort());
    for (const file of files) {
      const exports = Object.values((await import(resolve(FOLDER, file))) as Record<string, unknown>);
      expect(exports, `${file} exports one profile`).toHaveLength(1);
      const profile = exports[0] as Platform;
      expect(profile.id, file).toBe(basename(file, '.ts'));
      expect(PLATFORMS, `${file} is in the registry`).toContain(profile);
    }
  });

  it('platformById finds each profile and names the known ids when it cannot', () => {
    for (const id of IDS) expect(platformById(id).id).toBe(id);
    expect(() => platformById('nope')).toThrow(RangeError);
    expect(() => platformById('nope')).toThrow(/'nope'/);
    for (const id of IDS) expect(() => platformById('nope')).toThrow(id);
  });
});

describe.each(PLATFORMS.map((p) => [p.id, p as Platform] as const))('profile %s', (id, p) => {
  it('is plain data (no functions, nothing JSON would lose)', () => {
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('has exactly the capabilities of the type, each with a value inside it', () => {
    expect(Object.keys(p.capabilities).sort()).toEqual([...CAPABILITY_NAMES].sort());
    for (const name of CAPABILITY_NAMES) {
      const value: unknown = p.capabilities[name];
      const allowed: readonly unknown[] = ALLOWED[name];
      if (Array.isArray(value)) {
        for (const v of value) expect(allowed, `${id}.${name}`).toContain(v);
        expect(new Set(value).size, `${id}.${name} has no duplicates`).toBe(value.length);
      } else {
        expect(allowed, `${id}.${name}`).toContain(value);
      }
    }
  });

  it('gives one sentence of mechanism for every capability, and nothing else', () => {
    expect(Object.keys(p.mechanisms).sort()).toEqual([...CAPABILITY_NAMES].sort());
    for (const name of CAPABILITY_NAMES) {
      const sentence = p.mechanisms[name];
      expect(sentence.trim(), `${id}.mechanisms.${name}`).not.toBe('');
      expect(sentence, `${id}.mechanisms.${name} ends with a period`).toMatch(/\.$/);
      expect(sentence, `${id}.mechanisms.${name} is one sentence`).not.toMatch(/[.!?]\s+[A-Z]/);
    }
  });

  it('says what is uncertain only about real capabilities', () => {
    for (const [name, note] of Object.entries(p.uncertain ?? {})) {
      expect(CAPABILITY_NAMES, `${id}.uncertain.${name}`).toContain(name);
      expect(note.trim(), `${id}.uncertain.${name}`).not.toBe('');
    }
  });

  it('names its sources and whom the owner must trust', () => {
    expect(p.sources.length).toBeGreaterThanOrEqual(1);
    expect(p.trusted.length).toBeGreaterThanOrEqual(1);
    for (const s of [...p.sources, ...p.trusted, p.name, p.vendor, p.summary]) expect(s.trim()).not.toBe('');
  });
});

describe('well-known facts', () => {
  it('a plain VM leaves memory in plaintext', () => {
    // DOMAIN §b1 "Plain VM": memory confidentiality none; Red Hat primer, memory-dump demo
    expect(byId('plain-vm').capabilities.memory).toBe('plaintext');
  });

  it('SEV leaves registers in plaintext at an exit, SEV-ES does not', () => {
    // DOMAIN §b1: SEV "VMCB plaintext"; SEV-ES "VMSA encrypted; GHCB holds only guest-copied regs" [SNPWP]
    expect(byId('sev').capabilities.registers).toBe('plaintext');
    expect(byId('sev-es').capabilities.registers).not.toBe('plaintext');
  });

  it('SNP and TDX fault on remapping; SEV does not notice', () => {
    // DOMAIN §b1: SNP RMP + PVALIDATE, TDX Secure EPT + PAGE.ACCEPT; SEV none (SEVered) [SNPWP][SEVERED][LTDX]
    expect(byId('sev-snp').capabilities.integrity).toBe('ownership-fault');
    expect(byId('tdx').capabilities.integrity).toBe('ownership-fault');
    expect(byId('sev').capabilities.integrity).toBe('none');
  });

  it('the host holds the vTPM keys', () => {
    // DOMAIN §a "Who must be trusted" and §b "VM + vTPM": the vTPM is a host process holding AK/EK [TPMV]
    expect(byId('vtpm').capabilities.evidenceKey).toBe('host-held');
  });

  it('Nitro debug mode changes the measurement', () => {
    // DOMAIN §b2 "Nitro Encl.": debug ⇒ zero PCRs [NSM]
    expect(byId('nitro').capabilities.debug).toBe('alters-measurement');
  });

  it('SNP reports its TCB, SEV does not', () => {
    // DOMAIN §b2: SNP "TCBs" in the report, TCB-bound VCEK [VCEK]; SEV "no TCB floor; old firmware leaked the CEK" [ICUP]
    expect(byId('sev-snp').capabilities.tcb).toBe('in-evidence');
    expect(byId('sev').capabilities.tcb).toBe('not-in-evidence');
  });
});
