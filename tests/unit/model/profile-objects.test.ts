import { describe, expect, it } from 'vitest';
import { attackById } from '../../../src/model/attacks';
import { judge } from '../../../src/model/outcome';
import { platformById } from '../../../src/model/platforms';
import type { Platform } from '../../../src/model/platforms/platform';
import { runScenario } from '../../../src/model/run';

const withCapability = <K extends keyof Platform['capabilities']>(
  p: Platform,
  k: K,
  v: Platform['capabilities'][K],
): Platform => ({
  ...p,
  capabilities: { ...p.capabilities, [k]: v },
});

describe('runs on profile objects', () => {
  it('a profile passed as an object is simulated from its own data (SEV with an encrypted VMSA behaves like SEV-ES)', () => {
    const sev = platformById('sev');
    const snoop = attackById('register-snoop');
    const asIs = runScenario({ platform: sev, attacks: [snoop], seed: 1 });
    expect(judge(asIs, snoop, sev).outcome).toBe('leaked');
    const flipped = withCapability(sev, 'registers', 'encrypted');
    const run = runScenario({ platform: flipped, attacks: [snoop], seed: 1 });
    expect(judge(run, snoop, flipped).outcome).toBe('prevented');
    expect(run.platform).toBe('sev');
  });

  it('an error inside a machine fails the run with the machine named, instead of judging a half-run', () => {
    // A TPM quote needs PCRs, which a platform that measures nothing does not have.
    const broken = withCapability(
      withCapability(platformById('vtpm'), 'measurement', 'none'),
      'evidence',
      'tpm-quote',
    );
    expect(() => runScenario({ platform: broken, attacks: [], seed: 1 })).toThrow(
      /simulation of vtpm failed|machine|PCR/,
    );
  });
});
