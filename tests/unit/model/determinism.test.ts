/**
 * Determinism (issue 5 "Tests"): the same seed gives a byte-identical transcript (JSON) for every
 * platform × (no attack + 15 attacks); seeds 1 and 2 give different nonces, evidence bytes and
 * secrets, but the same outcome in every cell of the full matrix.
 */
import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../../src/model/attacks';
import { runMatrix } from '../../../src/model/matrix';
import { PLATFORMS } from '../../../src/model/platforms';
import { runScenario } from '../../../src/model/run';

describe('determinism', () => {
  for (const p of PLATFORMS) {
    it(`${p.id}: same seed, byte-identical transcript for every attack`, () => {
      for (const a of [undefined, ...ATTACKS]) {
        const json = () =>
          JSON.stringify(runScenario({ platform: p.id, attacks: a ? [a] : [], seed: 1 }).transcript);
        expect(json(), `${p.id} × ${a?.id ?? 'none'}`).toBe(json());
      }
    });
  }

  it('seeds 1 and 2 draw different nonces, evidence bytes and secrets on every platform', () => {
    for (const p of PLATFORMS) {
      const [one, two] = [1, 2].map((seed) => runScenario({ platform: p.id, attacks: [], seed }));
      expect(one.secret, p.id).not.toEqual(two.secret);
      for (const kind of ['nonce', 'evidence'] as const) {
        const bytes = (r: typeof one) =>
          r.transcript.events.filter((e) => e.kind === kind).map((e) => e.bytes);
        const [a, b] = [bytes(one), bytes(two)];
        // Same protocol, so the same events; each carries other bytes under the other seed.
        expect(a.length, `${p.id} ${kind} events`).toBe(b.length);
        a.forEach((x, i) => {
          expect(x, `${p.id} ${kind} #${i} has bytes`).toBeDefined();
          expect(x, `${p.id} ${kind} #${i}`).not.toBe(b[i]);
        });
      }
    }
  });

  it('seeds 1 and 2 give the same outcome in every cell of the full matrix', () => {
    const outcomes = (seed: number) =>
      runMatrix({ seed }).cells.map((c) => `${c.platform} × ${c.attack}: ${c.outcome}`);
    const [one, two] = [outcomes(1), outcomes(2)];
    expect(one).toHaveLength(PLATFORMS.length * ATTACKS.length);
    expect(two).toEqual(one);
  });
});
