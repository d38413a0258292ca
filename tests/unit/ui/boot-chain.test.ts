import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/model/explore';
import {
  compare,
  firstChangedStep,
  fitText,
  layoutBootChain,
  NARROW,
} from '../../../src/ui/lib/layout/boot-chain';

const tdxTampered = explore({ platform: 'tdx', attacks: ['tampered-boot'], misconfiguration: {}, seed: 1 });
const snp = explore({ platform: 'sev-snp', attacks: [], misconfiguration: {}, seed: 1 });
const vtpm = explore({ platform: 'vtpm', attacks: [], misconfiguration: {}, seed: 1 });
const snpReplay = explore({
  platform: 'sev-snp',
  attacks: ['replayed-evidence'],
  misconfiguration: { noNonce: true },
  seed: 1,
});

describe('boot-chain layout', () => {
  it('marks RTMR1 of the tampered TDX boot red from its changed step on, and says it differs', () => {
    if (!tdxTampered.boot) throw new Error('tdx measures its boot');
    const layout = layoutBootChain(tdxTampered.boot, 1280);
    const rtmr1 = layout.registers.find((r) => r.name === 'RTMR1');
    if (!rtmr1) throw new Error('no RTMR1');
    const changedAt = rtmr1.nodes.findIndex((n) => n.changed);
    expect(changedAt).toBeGreaterThanOrEqual(0);
    expect(rtmr1.firstChanged).toBe(changedAt);
    for (const n of rtmr1.nodes) expect(n.tainted).toBe(n.index >= changedAt);
    for (const l of rtmr1.links) expect(l.tainted).toBe(l.to >= changedAt);
    expect(rtmr1.comparison).toBe('differs');
    expect(rtmr1.value).not.toBe(rtmr1.reference);
    // The other registers are as the owner built them.
    for (const r of layout.registers.filter((r) => r.name !== 'RTMR1')) {
      expect(r.comparison).toBe('matches');
      expect(r.nodes.some((n) => n.tainted)).toBe(false);
    }
    expect(layout.anyChanged).toBe(true);
    // MRTD (the headline) covers only the firmware, which the attack left alone.
    expect(layout.headline.name).toBe('MRTD');
    expect(layout.headline.comparison).toBe('matches');
  });

  it('carries the real running values and input digests of every step', () => {
    if (!snp.boot) throw new Error('snp measures its boot');
    const layout = layoutBootChain(snp.boot, 1280);
    const reg = layout.registers[0];
    expect(reg.nodes).toHaveLength(snp.boot.registers[0].steps.length);
    reg.nodes.forEach((n, i) => {
      const step = snp.boot?.registers[0].steps[i];
      expect(n.value).toBe(step?.value);
      expect(n.input).toBe(step?.input);
      expect(n.value).toMatch(/^[0-9a-f]{96}$/);
      expect(n.short.length).toBeLessThan(n.value.length);
    });
    expect(reg.nodes.at(-1)?.value).toBe(reg.value);
    expect(reg.comparison).toBe('matches');
    expect(layout.headline.comparison).toBe('matches');
  });

  it('taints the SNP launch digest from the backdoored kernel page on, headline and all', () => {
    if (!snpReplay.boot) throw new Error('snp measures its boot');
    const layout = layoutBootChain(snpReplay.boot, 1280);
    const reg = layout.registers[0];
    const first = reg.firstChanged;
    expect(first).not.toBeNull();
    expect(reg.nodes[first ?? 0].component).toMatch(/kernel/);
    expect(reg.nodes.filter((n) => n.tainted)).toHaveLength(reg.nodes.length - (first ?? 0));
    expect(reg.comparison).toBe('differs');
    expect(layout.headline.comparison).toBe('differs');
  });

  it('wraps wide chains into lines and turns into a column below 480 px', () => {
    if (!snp.boot || !vtpm.boot) throw new Error('boot chains expected');
    const wide = layoutBootChain(snp.boot, 1280);
    expect(wide.vertical).toBe(false);
    expect(wide.perLine).toBeGreaterThan(1);
    const reg = wide.registers[0];
    for (const n of reg.nodes) expect(n.x + n.width).toBeLessThanOrEqual(1280);
    expect(reg.width).toBeLessThanOrEqual(1280);
    // Nodes on the same line share a y; the node after a wrap starts a new line below.
    const lines = new Set(reg.nodes.map((n) => n.y));
    expect(lines.size).toBe(Math.ceil(reg.nodes.length / wide.perLine));

    const narrow = layoutBootChain(snp.boot, 360);
    expect(narrow.vertical).toBe(true);
    expect(narrow.perLine).toBe(1);
    const col = narrow.registers[0];
    expect(new Set(col.nodes.map((n) => n.x)).size).toBe(1);
    for (let i = 1; i < col.nodes.length; i++) expect(col.nodes[i].y).toBeGreaterThan(col.nodes[i - 1].y);
    for (const n of col.nodes) expect(n.x + n.width).toBeLessThanOrEqual(360);
    expect(layoutBootChain(vtpm.boot, NARROW - 1).vertical).toBe(true);
    expect(layoutBootChain(vtpm.boot, NARROW).vertical).toBe(false);
  });

  it('draws one link into every node, starting from the reset value', () => {
    if (!vtpm.boot) throw new Error('vtpm measures its boot');
    const layout = layoutBootChain(vtpm.boot, 900);
    expect(layout.registers.map((r) => r.name)).toEqual(vtpm.boot.registers.map((r) => r.name));
    for (const r of layout.registers) {
      expect(r.links.map((l) => l.to)).toEqual(r.nodes.map((n) => n.index));
      for (const l of r.links) expect(l.path).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    }
  });

  it('compares case-insensitively and knows when there is no reference', () => {
    expect(compare('AB', 'ab')).toBe('matches');
    expect(compare('ab', 'cd')).toBe('differs');
    expect(compare('ab', '')).toBe('no-reference');
    expect(firstChangedStep([])).toBeNull();
    expect(fitText('EV_EFI_PLATFORM_FIRMWARE_BLOB', 68, 6.8)).toBe('EV_EFI_PL…');
    expect(fitText('kernel', 100)).toBe('kernel');
  });
});
