import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTACKS, attackById } from '../../../src/model/attacks';

const ISSUE_IDS = [
  'memory-dump',
  'register-snoop',
  'page-remap-replay',
  'cpuid-lie',
  'tampered-boot',
  'forged-evidence',
  'replayed-evidence',
  'tcb-rollback',
  'debug-policy',
  'malicious-dma',
  'shared-io-snoop',
  'side-channel',
  'denial-of-service',
  'vendor-root-compromise',
  'early-secret',
];

describe('attack registry', () => {
  it('lists exactly the fifteen stable ids of issue 5, in catalogue order', () => {
    expect(ATTACKS.map((a) => a.id)).toEqual(ISSUE_IDS);
  });

  it('has one file per attack, named by its id, and no file left out', () => {
    const files = readdirSync(new URL('../../../src/model/attacks/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'attack.ts' && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual([...ISSUE_IDS].sort());
  });

  it('every attack acts through at least one hook, names its attacker and cites sources', () => {
    for (const a of ATTACKS) {
      expect(a.prepare ?? a.relay ?? a.act, a.id).toBeTypeOf('function');
      expect(a.summary.length, a.id).toBeGreaterThan(40);
      expect(a.sources.length, a.id).toBeGreaterThan(0);
      expect(['host', 'device', 'vendor', 'owner', 'guest', 'platform']).toContain(a.attacker);
    }
  });

  it('a tampered boot changes only the kernel of the plan; rollback and debug change only their fields', () => {
    const plan = {
      components: [
        { name: 'firmware', bytes: Uint8Array.of(1) },
        { name: 'kernel', bytes: Uint8Array.of(2) },
      ],
      debug: false,
      firmware: 'current' as const,
      secretInImage: false,
    };
    const t = attackById('tampered-boot').prepare?.(plan);
    expect(t?.components[0]).toEqual(plan.components[0]);
    expect(t?.components[1].bytes.length).toBeGreaterThan(1);
    expect(attackById('tcb-rollback').prepare?.(plan)).toEqual({ ...plan, firmware: 'vulnerable' });
    expect(attackById('debug-policy').prepare?.(plan)).toEqual({ ...plan, debug: true });
    expect(attackById('early-secret').prepare?.(plan)).toEqual({ ...plan, secretInImage: true });
    expect(() => attackById('rowhammer')).toThrow(/unknown attack 'rowhammer' \(known: memory-dump/);
  });
});
