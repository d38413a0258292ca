import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/core/crypto/bytes';
import { containsBytes } from '../../../src/core/memory/guest-memory';
import { explore } from '../../../src/model/explore';
import { MACHINE_NAMES, type ExploreInput } from '../../../src/model/explore-types';
import { createSystem, stateName } from '../../../src/model/machines/system';
import { platformById } from '../../../src/model/platforms';
import { defined } from '../defined';

const input = (platform: string, attacks: string[] = [], seed = 1): ExploreInput => ({
  platform,
  attacks,
  misconfiguration: {},
  seed,
});

const secretPage = (run: ReturnType<typeof explore>) =>
  defined(
    run.memory.pages.find((p) => p.label === 'secret'),
    'the secret page',
  );

describe('explore: memory as the guest and as the host see it', () => {
  it('SEV-SNP: the guest reads its secret, the host gets ciphertext without it', () => {
    const run = explore(input('sev-snp', ['memory-dump']));
    const secret = fromHex(run.secret);
    const page = secretPage(run);
    expect(containsBytes(fromHex(page.guestView), secret)).toBe(true);
    expect(page.hostViewKind).toBe('ciphertext');
    expect(page.hostView).toHaveLength(8192);
    expect(containsBytes(fromHex(page.hostView), secret)).toBe(false);
    expect(page.ownership).toMatchObject({ owner: 'guest', validated: true });
    expect(run.memory.ownershipTable).toMatch(/RMP/);
    expect(run.outcomes[0]).toMatchObject({ attack: 'memory-dump', outcome: 'prevented' });
  });

  it('plain VM: the host view of the secret page holds the secret in the clear', () => {
    const run = explore(input('plain-vm', ['memory-dump']));
    const page = secretPage(run);
    expect(page.hostViewKind).toBe('plaintext');
    expect(containsBytes(fromHex(page.hostView), fromHex(run.secret))).toBe(true);
    expect(run.memory.ownershipTable).toBeNull();
    expect(run.outcomes[0].outcome).toBe('leaked');
  });

  it('the shared I/O page is host-readable on every confidential platform', () => {
    const run = explore(input('tdx'));
    const shared = defined(run.memory.pages.find((p) => p.kind === 'shared'));
    expect(shared.hostViewKind).toBe('plaintext');
    expect(shared.hostView).toBe(shared.guestView);
  });
});

describe('explore: the measured-boot chain', () => {
  it('without an attack every register ends at its reference value and nothing is marked changed', () => {
    for (const id of ['vtpm', 'sev', 'sev-snp', 'tdx', 'nitro', 'sgx']) {
      const boot = defined(explore(input(id)).boot, `${id} boot chain`);
      expect(boot, id).not.toBeNull();
      for (const r of boot.registers) {
        expect(r.value, `${id} ${r.name}`).toBe(r.reference);
        expect(r.steps.every((s) => !s.changed)).toBe(true);
        expect(r.steps.at(-1)?.value).toBe(r.value);
      }
      expect(boot.headline.value).toBe(boot.headline.reference);
    }
  });

  it('the vTPM chain replays to the PCR values the platform measured', () => {
    const system = createSystem({ platform: 'vtpm', attacks: [], seed: 3 });
    system.run();
    const measured = defined(system.actors.platform.getSnapshot().context.measurement);
    const boot = defined(explore(input('vtpm', [], 3)).boot);
    for (const r of boot.registers) {
      const index = Number(r.name.replace('PCR', ''));
      expect(r.value).toBe(Buffer.from(measured.registers[`pcr${index}`]).toString('hex'));
    }
  });

  it('a tampered kernel changes its link and every later value, and the verifier names executables', () => {
    const run = explore(input('tdx', ['tampered-boot']));
    const rtmr1 = defined(run.boot?.registers.find((r) => r.name === 'RTMR1'));
    expect(rtmr1.steps.map((s) => s.changed)).toEqual([true]);
    expect(rtmr1.value).not.toBe(rtmr1.reference);
    expect(run.verdict?.claims.find((c) => c.name === 'executables')).toMatchObject({ value: 33 });
    expect(run.released).toBe(false);
    expect(run.outcomes[0].outcome).toBe('detected');
  });

  it('plain VM measures nothing', () => {
    expect(explore(input('plain-vm')).boot).toBeNull();
  });
});

describe('explore: evidence, verdict and machines', () => {
  it('carries the real evidence bytes the verifier appraised, and its verdict', () => {
    const run = explore(input('sev-snp'));
    expect(run.evidence).toMatchObject({ format: 'snp-report' });
    expect(defined(run.evidence).bytes.length / 2).toBe(0x4a0);
    const verdict = defined(run.verdict);
    expect(verdict.status).toBe('affirming');
    expect(verdict.checks.map((c) => c.check)[0]).toBe('parse');
    expect(run.events[defined(verdict.seq)].kind).toBe('verdict');
    expect(run.released).toBe(true);
  });

  it("records each machine's states in order, ending where the live actors ended", () => {
    const system = createSystem({ platform: platformById('sev-es'), attacks: [], seed: 1 });
    system.run();
    const run = explore(input('sev-es'));
    for (const name of MACHINE_NAMES) {
      const steps = run.machines.filter((m) => m.machine === name);
      expect(steps[0].at).toBe(0);
      expect(steps.map((s) => s.at)).toEqual([...steps.map((s) => s.at)].sort((a, b) => a - b));
      expect(steps.at(-1)?.state).toBe(stateName(system.actors[name].getSnapshot().value));
    }
  });

  it('is deterministic and JSON-safe; another seed changes bytes, not outcomes', () => {
    const a = explore(input('sev-snp', ['forged-evidence'], 5));
    const b = explore(input('sev-snp', ['forged-evidence'], 5));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    const c = explore(input('sev-snp', ['forged-evidence'], 6));
    expect(c.evidence?.bytes).not.toBe(a.evidence?.bytes);
    expect(c.outcomes).toEqual(
      a.outcomes.map((o) => ({ ...o, decisiveEvents: c.outcomes[0].decisiveEvents })),
    );
  });

  it('refuses unknown ids with the list of known ones', () => {
    expect(() => explore(input('sev-snq'))).toThrow(/unknown platform 'sev-snq'.*sev-snp/);
    expect(() => explore(input('sev-snp', ['teleport']))).toThrow(/unknown attack 'teleport'/);
  });
});
