import { describe, expect, it } from 'vitest';
import { ccte } from './run-cli';

describe('ccte matrix and ccte run', () => {
  it('matrix --json keeps its contract: 12 platforms, 15 attacks, 180 judged cells', () => {
    const r = ccte(['matrix', '--json']);
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout) as {
      platforms: { id: string; name: string }[];
      attacks: { id: string; name: string }[];
      cells: Record<string, unknown>[];
    };
    expect(Object.keys(m)).toEqual(['platforms', 'attacks', 'cells']);
    expect(m.platforms).toHaveLength(12);
    expect(m.attacks).toHaveLength(15);
    expect(m.cells).toHaveLength(180);
    for (const c of m.cells) {
      expect(Object.keys(c)).toEqual([
        'platform',
        'attack',
        'outcome',
        'explanation',
        'decisiveEvents',
        'sources',
      ]);
      expect(['leaked', 'detected', 'prevented', 'out-of-scope', 'not-applicable']).toContain(c.outcome);
      expect(String(c.explanation).length).toBeGreaterThan(20);
    }
    const dump = (p: string) => m.cells.find((c) => c.platform === p && c.attack === 'memory-dump')?.outcome;
    expect(dump('plain-vm')).toBe('leaked');
    expect(dump('sev')).toBe('prevented');
  });

  it('run --json prints one transcript, byte-identical for the same seed', () => {
    const args = ['run', '--platform', 'sev-snp', '--attack', 'memory-dump', '--seed', '5', '--json'];
    const a = ccte(args);
    const b = ccte(args);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const run = JSON.parse(a.stdout) as {
      platform: string;
      attack: string;
      outcome: string;
      transcript: { seq: number; kind: string }[];
    };
    expect(run).toMatchObject({ platform: 'sev-snp', attack: 'memory-dump', outcome: 'prevented' });
    expect(run.transcript.map((e) => e.seq)).toEqual(run.transcript.map((_, i) => i));
    expect(run.transcript.some((e) => e.kind === 'verdict')).toBe(true);
    const other = ccte(['run', '--platform', 'sev-snp', '--attack', 'memory-dump', '--seed', '6', '--json']);
    expect(other.stdout).not.toBe(a.stdout);
  });

  it.each([
    [['run', '--attack', 'none'], /--platform is required/],
    [['run', '--platform', 'vax', '--attack', 'none'], /unknown platform 'vax'/],
    [['run', '--platform', 'tdx', '--attack', 'rowhammer'], /unknown attack 'rowhammer'/],
    [['matrix', '--seed', 'x'], /--seed needs a whole number/],
  ])('%j is a usage error with a one-line reason', (args, reason) => {
    const r = ccte(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(reason);
  });
});
