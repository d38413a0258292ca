import { describe, expect, it } from 'vitest';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { attackById } from '../../../src/model/attacks';
import { toInspectable } from '../../../src/model/inspect';
import { inspectScenario } from '../../../src/model/run';

describe('inspecting the machines', () => {
  it('gives a JSON-safe view of all four machines after a run, with their final states', () => {
    const { views } = inspectScenario({ platform: 'sev-snp', attacks: [attackById('memory-dump')], seed: 1 });
    expect(Object.keys(views).sort()).toEqual(['guest', 'host', 'owner', 'platform']);
    const json = JSON.parse(JSON.stringify(views)) as typeof views;
    expect(json).toEqual(views);
    expect(views.owner.state).toBe('released');
    expect(views.guest.state).toBe('provisioned');
    expect(views.platform.state).toBe('running');
    // The platform's effects object (keys, caches) is named, not dumped.
    expect(JSON.stringify(views.platform.context)).toMatch(/\[PlatformEffects\]/);
  });

  it('turns bytes into hex, big integers into hex strings, class instances into their names', () => {
    expect(
      toInspectable({ a: Uint8Array.of(1, 255), b: 0x1000n, c: seededDrbg(1), d: [true, null] }),
    ).toEqual({
      a: '01ff',
      b: '0x1000',
      c: '[HmacDrbg]',
      d: [true, null],
    });
  });
});
