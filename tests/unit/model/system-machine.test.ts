import { describe, expect, it } from 'vitest';
import { attackById } from '../../../src/model/attacks';
import type { Attack } from '../../../src/model/attacks/attack';
import { createSystem } from '../../../src/model/machines/system';

describe('the system machine', () => {
  it('spawns the four domain machines as its children', () => {
    const s = createSystem({ platform: 'sev-snp', attacks: [], seed: 1 });
    const children = s.system.getSnapshot().children;
    expect(Object.keys(children).sort()).toEqual(['guest', 'host', 'owner', 'platform']);
    for (const [id, child] of Object.entries(children)) {
      expect(child).toBe(s.actors[id as keyof typeof s.actors]);
      expect(s.system.system.get(id)).toBe(child);
    }
  });

  it('follows the run through its phases to the end', () => {
    const attested = createSystem({ platform: 'sev-snp', attacks: [], seed: 1 });
    expect(attested.system.getSnapshot().value).toBe('preparing');
    attested.run();
    expect(attested.system.getSnapshot().value).toBe('finished');

    const refused = createSystem({ platform: 'ibm-se', attacks: [attackById('tampered-boot')], seed: 1 });
    const r = refused.run();
    expect(r.launchRefused).toBeTruthy();
    expect(refused.system.getSnapshot().value).toBe('refused');
  });

  it("turns a child's error into a failed run that names the machine", () => {
    const broken: Attack = {
      ...attackById('tampered-boot'),
      id: 'broken',
      prepare: () => {
        throw new Error('the attack hook broke');
      },
    };
    const s = createSystem({ platform: 'sev-snp', attacks: [broken], seed: 1 });
    expect(() => s.run()).toThrow('simulation of sev-snp failed in the host machine: the attack hook broke');
    expect(s.system.getSnapshot().value).toBe('failed');
    expect(s.system.getSnapshot().context.failures).toEqual(['host machine: the attack hook broke']);
  });
});
