import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/model/explore';
import type { ExplorerRun } from '../../../src/model/explore-types';
import type { TranscriptEvent } from '../../../src/model/transcript';
import {
  attackerReach,
  containsHex,
  contains,
  labelBox,
  layoutTrustMap,
  overlaps,
  plaintextSeen,
  separate,
  wrapText,
  type Rect,
  type TrustMapLayout,
} from '../../../src/ui/lib/layout/trust-map';

const run = (platform: string, attacks: string[] = []): ExplorerRun =>
  explore({ platform, attacks, misconfiguration: {}, seed: 1 });

const snp = run('sev-snp', ['memory-dump']);
const plain = run('plain-vm', ['memory-dump']);
const WIDTHS = [280, 320, 360, 414, 560, 768, 1024, 1280, 1920];

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing ${what}`);
  return value;
}

function rectOf(layout: TrustMapLayout, id: string): Rect {
  return must(layout.regions.find((r) => r.id === id) ?? layout.nodes.find((n) => n.id === id), id);
}

const inBounds = (layout: TrustMapLayout, r: Rect) =>
  r.x >= 0 && r.y >= 0 && r.x + r.width <= layout.width && r.y + r.height <= layout.height;

const numbers = (path: string) => (path.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

describe('trust map layout', () => {
  for (const [name, r] of [
    ['sev-snp + memory-dump', snp],
    ['plain-vm + memory-dump', plain],
  ] as const) {
    for (const width of WIDTHS) {
      it(`${name} at ${width} px: regions inside the width, apart, arrows end in the right regions`, () => {
        const layout = layoutTrustMap({ width, events: r.events });
        expect(layout.width).toBe(Math.max(280, width));
        expect(layout.regions.map((g) => g.id).sort()).toEqual(['guest', 'host', 'owner', 'platform']);
        const boxes = [...layout.regions, ...layout.nodes];
        for (const b of boxes) expect(inBounds(layout, b), `${JSON.stringify(b)} in bounds`).toBe(true);
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i], boxes[j])).toBe(false);
        for (const g of layout.regions)
          for (const c of g.components) {
            expect(contains(g, c)).toBe(true);
            expect(c.x + c.width).toBeLessThanOrEqual(g.x + g.width);
          }
        expect(layout.arrows).toHaveLength(r.events.length);
        for (const a of layout.arrows) {
          const e = r.events[a.seq];
          expect(a.from).toBe(e.from);
          expect(a.to).toBe(e.to);
          expect(contains(rectOf(layout, e.from), a.start), `#${a.seq} starts in ${e.from}`).toBe(true);
          expect(contains(rectOf(layout, e.to), a.end), `#${a.seq} ends in ${e.to}`).toBe(true);
          expect(a.self).toBe(e.from === e.to);
          for (const path of [a.path, a.head]) {
            const xs = numbers(path).filter((_, k) => k % 2 === 0);
            const ys = numbers(path).filter((_, k) => k % 2 === 1);
            expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
            expect(Math.max(...xs)).toBeLessThanOrEqual(layout.width);
            expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
            expect(Math.max(...ys)).toBeLessThanOrEqual(layout.height);
          }
          expect(a.path).not.toMatch(/NaN|Infinity/);
          expect(a.head).toMatch(/^M[\d.,-]+L[\d.,-]+L[\d.,-]+Z$/);
          if (e.attack) expect(a.attack).toBe(e.attack);
        }
      });
    }
  }

  it('at 360 px the regions stack as a 2 × 2 grid (two columns, two rows) within the width', () => {
    const layout = layoutTrustMap({ width: 360, events: snp.events });
    expect(layout.compact).toBe(true);
    const xs = new Set(layout.regions.map((r) => r.x));
    const ys = new Set(layout.regions.map((r) => r.y));
    expect(xs.size).toBe(2);
    expect(ys.size).toBe(2);
    for (const r of layout.regions) expect(r.width).toBeGreaterThanOrEqual(150);
    // Components stack in a column in narrow regions, and sit in a row in wide ones.
    const host = must(
      layout.regions.find((r) => r.id === 'host'),
      'host',
    );
    expect(new Set(host.components.map((c) => c.x)).size).toBe(1);
    const wide = must(
      layoutTrustMap({ width: 1280, events: snp.events }).regions.find((r) => r.id === 'host'),
      'host',
    );
    expect(new Set(wide.components.map((c) => c.y)).size).toBe(1);
  });

  it('keeps each arrow where it is as the run goes on (layout does not depend on the step)', () => {
    const a = layoutTrustMap({ width: 800, events: snp.events });
    const b = layoutTrustMap({ width: 800, events: snp.events });
    expect(a).toEqual(b);
  });

  it('spreads parallel arrows between the same two domains, and gives each self-event its own loop', () => {
    const layout = layoutTrustMap({ width: 1024, events: plain.events });
    const dumps = layout.arrows.filter((a) => a.attack === 'memory-dump');
    expect(dumps.length).toBeGreaterThan(1);
    expect(new Set(dumps.map((a) => a.path)).size).toBe(dumps.length);
    const guestLoops = layout.arrows.filter((a) => a.self && a.from === 'guest');
    expect(new Set(guestLoops.map((a) => a.start.x)).size).toBe(guestLoops.length);
  });

  it('places device and vendor events on their nodes', () => {
    const events: TranscriptEvent[] = [
      { seq: 0, kind: 'dma', from: 'device', to: 'guest', title: 'DMA', plaintextTo: ['device'] },
      { seq: 1, kind: 'evidence', from: 'vendor', to: 'owner', title: 'certs', plaintextTo: [] },
      { seq: 2, kind: 'evidence', from: 'vendor', to: 'vendor', title: 'self', plaintextTo: [] },
    ];
    for (const width of [360, 1280]) {
      const layout = layoutTrustMap({ width, events });
      for (const a of layout.arrows) {
        expect(contains(rectOf(layout, a.from), a.start)).toBe(true);
        expect(contains(rectOf(layout, a.to), a.end)).toBe(true);
      }
    }
  });

  it('gives compact maps a caption band for the latest title, inside the map', () => {
    const compact = layoutTrustMap({ width: 360, events: snp.events });
    const band = must(compact.caption, 'caption');
    expect(inBounds(compact, band)).toBe(true);
    for (const b of [...compact.regions, ...compact.nodes]) expect(overlaps(b, band)).toBe(false);
    expect(layoutTrustMap({ width: 1280, events: snp.events }).caption).toBeNull();
  });

  it('wraps titles at spaces into at most the lines given', () => {
    const title =
      'Owner provisions the secret before attestation (in the image / command line, via the host)';
    const lines = wrapText(title, 30, 2);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
    expect(lines[0]).toBe('Owner provisions the secret');
    expect(lines[1].endsWith('…')).toBe(true);
    expect(wrapText('short', 30, 3)).toEqual(['short']);
    expect(wrapText(title, 40, 5).join(' ')).toBe(title);
  });

  it('keeps label boxes inside the map and apart', () => {
    const bounds = { width: 360, height: 500 };
    const left = labelBox({ x: 2, y: 2 }, 80, 2, bounds);
    expect(left.x).toBeGreaterThanOrEqual(0);
    expect(left.y).toBeGreaterThanOrEqual(0);
    expect(left.x + left.width).toBeLessThanOrEqual(360);
    expect(left.chars).toBeLessThan(80);
    const right = labelBox({ x: 358, y: 498 }, 10, 1, bounds);
    expect(right.x + right.width).toBeLessThanOrEqual(360);
    const placed = separate([right, { ...right }, { ...right }], bounds.height);
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i], placed[j])).toBe(false);
  });
});

describe('what each domain saw in plaintext', () => {
  const host = (r: ExplorerRun, step: number) =>
    must(
      plaintextSeen(r, step).find((d) => d.domain === 'host'),
      'host',
    );

  it('plain VM + memory dump: the host saw the secret in plaintext, and the map raises the alarm', () => {
    const final = host(plain, plain.events.length);
    expect(final.trusted).toBe(false);
    expect(final.secretSeq).not.toBeNull();
    expect(final.alarm).toBe(true);
    const first = must(final.secretSeq, 'secretSeq');
    expect(plain.events[first].plaintextTo).toContain('host');
    expect(containsHex(must(plain.events[first].bytes, 'bytes'), plain.secret)).toBe(true);
    // Not before that event happened; from the step it happened on.
    expect(host(plain, first).alarm).toBe(false);
    expect(host(plain, first + 1).alarm).toBe(true);
    // The memory dump's secret page is among what the host read in the clear.
    expect(final.items.some((i) => i.secret && i.attack === 'memory-dump')).toBe(true);
  });

  it('SEV-SNP + memory dump: the host never saw the secret; the guest did not "leak" to an untrusted domain', () => {
    const sights = plaintextSeen(snp, snp.events.length);
    const h = must(
      sights.find((d) => d.domain === 'host'),
      'host',
    );
    expect(h.secretSeq).toBeNull();
    expect(h.alarm).toBe(false);
    expect(h.items.every((i) => !i.secret)).toBe(true);
    // The host still read things in the clear (the nonce, the evidence it relays).
    expect(h.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['nonce', 'evidence']));
    // Nothing untrusted raised the alarm.
    expect(sights.filter((d) => d.alarm)).toEqual([]);
  });

  it('lists only events that carried bytes, that the domain could read, up to the step', () => {
    for (const r of [snp, plain]) {
      for (let step = 0; step <= r.events.length; step++) {
        for (const d of plaintextSeen(r, step)) {
          for (const i of d.items) {
            const e = r.events[i.seq];
            expect(i.seq).toBeLessThan(step);
            expect(e.bytes && e.bytes.length > 0).toBe(true);
            expect(e.plaintextTo).toContain(d.domain);
          }
        }
      }
    }
    expect(plaintextSeen(snp, 0).every((d) => d.items.length === 0)).toBe(true);
  });

  it('matches the secret at byte boundaries only', () => {
    expect(containsHex('00abcd', 'abcd')).toBe(true);
    expect(containsHex('0abcd0', 'abcd')).toBe(false);
    expect(containsHex('0abcdabcd0', 'abcd')).toBe(false);
    expect(containsHex('0abcd0abcd', 'abcd')).toBe(true);
    expect(containsHex('abcd', '')).toBe(false);
  });

  it("names the attacker's reach: the host for any attack, plus a device or the vendor", () => {
    expect([...attackerReach([])]).toEqual([]);
    expect([...attackerReach(['memory-dump'])]).toEqual(['host']);
    expect(attackerReach(['malicious-dma']).has('device')).toBe(true);
    expect(attackerReach(['vendor-root-compromise']).has('vendor')).toBe(true);
    expect([...attackerReach(['no-such-attack'])]).toEqual(['host']);
  });
});
