import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../../src/model/attacks';
import { acceptable } from '../../../src/model/machines/owner';
import { PLATFORMS } from '../../../src/model/platforms';
import { runScenario } from '../../../src/model/run';

/**
 * Exhaustive walk instead of @xstate/graph (not installed): every platform × attack × misconfiguration
 * path the system can take. Invariant: a wrapped secret event is only ever preceded by an acceptable
 * verdict; without one, only the explicit pre-attestation provisioning releases anything.
 */
describe('invariant: no secret released without an accepted appraisal', () => {
  const misconfigs = [{}, { noNonce: true }, { allowDebug: true }];
  for (const p of PLATFORMS) {
    it(p.id, () => {
      for (const a of [undefined, ...ATTACKS]) {
        for (const m of misconfigs) {
          const r = runScenario({ platform: p.id, attacks: a ? [a] : [], seed: 3, misconfiguration: m });
          const events = r.transcript.events;
          for (const e of events.filter((x) => x.kind === 'secret' && x.detail?.wrapped === true)) {
            const verdict = events
              .slice(0, e.seq)
              .filter((x) => x.kind === 'verdict')
              .at(-1);
            expect(verdict?.detail?.accepted, `${p.id} × ${a?.id ?? 'none'}`).toBe(true);
          }
          if (r.verdict && !acceptable(r.verdict, m)) expect(r.released).toBe(false);
        }
      }
    });
  }
});
