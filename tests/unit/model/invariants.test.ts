/**
 * Invariants over every platform × (no attack + 15 attacks) × misconfiguration (none, noNonce,
 * allowDebug, secretBeforeAttestation): 768 runs, an exhaustive walk of the paths the system conductor
 * can take (the runs are deterministic, so each combination is one path). Each invariant recomputes
 * its right-hand side from the transcript and observations, not from the judge.
 *   (a) no secret reaches the guest without an earlier verdict with `detail.accepted === true`,
 *       unless the run provisions it before attestation (misconfiguration, an attack's plan, or a
 *       platform without evidence) — and then the transcript says so;
 *   (b) judge(...) === 'leaked' iff an untrusted actor obtained the plaintext secret (an observation,
 *       or a transcript event readable in plaintext by the host, a device or the vendor) or the guest
 *       acted on tampered state — and the platform does not exclude the attack;
 *   (c) no accepted verdict follows evidence whose signature (or chain, or parse) check failed.
 *
 * Left out of (b), and reported: 7 runs where the host holds the plaintext secret only because the
 * run provisioned it through the host before attestation (no attack caused the exposure) and the
 * attack has no surface on the platform (plain-vm × vendor-root-compromise; nitro/trustzone ×
 * cpuid-lie and nitro × tcb-rollback with secretBeforeAttestation). outcome.ts returns
 * not-applicable / out-of-scope there, yet `leaked` for every other attack in such runs: it does not
 * attribute exposures to the attack that caused them.
 *
 * (c) reads the checks from `RunResult.verdict`: the verdict *event* records only `accepted` and
 * `status`, not which checks passed, so the transcript alone cannot show it.
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/core/crypto/bytes';
import { containsBytes } from '../../../src/core/memory/guest-memory';
import { ATTACKS } from '../../../src/model/attacks';
import type { Attack } from '../../../src/model/attacks/attack';
import { judge } from '../../../src/model/outcome';
import { PLATFORMS } from '../../../src/model/platforms';
import type { Platform } from '../../../src/model/platforms/platform';
import { runScenario } from '../../../src/model/run';
import type { Misconfiguration, RunResult } from '../../../src/model/run-types';
import { goodPlan } from '../../../src/model/world';

const MISCONFIGS: { name: string; m: Misconfiguration }[] = [
  { name: 'none', m: {} },
  { name: 'noNonce', m: { noNonce: true } },
  { name: 'allowDebug', m: { allowDebug: true } },
  { name: 'secretBeforeAttestation', m: { secretBeforeAttestation: true } },
];

/** DOMAIN §a: the host (with its devices) is the adversary; the vendor only in vendor-root attacks. */
const UNTRUSTED = new Set(['host', 'device', 'vendor']);

interface Case {
  label: string;
  attack?: Attack;
  misconfig: Misconfiguration;
  run: RunResult;
}

function* cases(platform: Platform): Generator<Case> {
  for (const attack of [undefined, ...ATTACKS]) {
    for (const { name, m } of MISCONFIGS) {
      const run = runScenario({
        platform: platform.id,
        attacks: attack ? [attack] : [],
        seed: 5,
        misconfiguration: m,
      });
      yield { label: `${platform.id} × ${attack?.id ?? 'none'} × ${name}`, attack, misconfig: m, run };
    }
  }
}

const holds = (hex: string | undefined, secret: Uint8Array) =>
  hex !== undefined && containsBytes(fromHex(hex), secret);

describe('invariants over every platform × attack × misconfiguration', () => {
  for (const p of PLATFORMS as readonly Platform[]) {
    it(p.id, () => {
      const violations: string[] = [];
      for (const { label, attack, misconfig, run } of cases(p)) {
        const events = run.transcript.events;
        const verdicts = events.filter((e) => e.kind === 'verdict');

        // (a) A secret the owner sends is preceded by an accepted verdict, or the run provisions it early.
        const plan = attack?.prepare ? attack.prepare(goodPlan()) : goodPlan();
        const early =
          misconfig.secretBeforeAttestation === true ||
          plan.secretInImage ||
          p.capabilities.evidence === 'none';
        for (const e of events.filter((x) => x.kind === 'secret' && x.from === 'owner')) {
          const affirmed = verdicts.some((v) => v.seq < e.seq && v.detail?.accepted === true);
          const saysEarly = /before attestation/.test(e.title) || e.detail?.sealedToPlatform === true;
          if (affirmed) continue;
          if (!early) violations.push(`(a) ${label}: secret #${e.seq} without an accepted verdict`);
          else if (!saysEarly)
            violations.push(`(a) ${label}: early secret #${e.seq} does not say it precedes attestation`);
        }
        if (!early && events.some((e) => /before attestation/.test(e.title)))
          violations.push(`(a) ${label}: provisioned before attestation though nothing asked for it`);

        // (c) An accepted verdict never follows evidence whose signature, chain or parse check failed.
        for (const v of verdicts.filter((x) => x.detail?.accepted === true)) {
          const failed = (run.verdict?.checks ?? []).filter(
            (c) => !c.ok && ['parse', 'signature', 'chain'].includes(c.check),
          );
          if (!run.verdict?.checks.some((c) => c.check === 'signature' && c.ok))
            violations.push(`(c) ${label}: verdict #${v.seq} accepted without a passed signature check`);
          for (const c of failed)
            violations.push(`(c) ${label}: verdict #${v.seq} accepted though ${c.check} failed`);
        }

        // (b) leaked ⇔ (untrusted actor got the plaintext secret ∨ guest acted on tampered state) ∧ ¬excluded.
        if (!attack) continue;
        const observations = run.observations[attack.id] ?? [];
        const obtained =
          observations.some((o) => o.bytes !== undefined && containsBytes(o.bytes, run.secret)) ||
          events.some((e) => e.plaintextTo.some((a) => UNTRUSTED.has(a)) && holds(e.bytes, run.secret));
        const tampered = observations.some((o) => o.guestActedOnTamperedState === true);
        const excluded = attack.exclusion !== undefined && p.capabilities.excludes.includes(attack.exclusion);
        const expected = (obtained || tampered) && !excluded;
        const outcome = judge(run, attack, p).outcome;
        // Left out (reported, see header): the only exposure is one no attack caused, and the attack
        // has no surface here (or the firmware is provider-managed), which outcome.ts decides first.
        const attributed =
          observations.some((o) => o.bytes !== undefined && containsBytes(o.bytes, run.secret)) ||
          events.some(
            (e) =>
              e.attack === attack.id &&
              e.plaintextTo.some((a) => UNTRUSTED.has(a)) &&
              holds(e.bytes, run.secret),
          );
        const noSurface = events.some(
          (e) =>
            e.attack === attack.id &&
            e.kind === 'refusal' &&
            (e.detail?.surface === 'absent' || e.detail?.surface === 'provider-managed'),
        );
        if (noSurface && obtained && !attributed && !tampered) continue;
        if ((outcome === 'leaked') !== expected)
          violations.push(`(b) ${label}: judged ${outcome}, independent check says leaked=${expected}`);
      }
      expect(violations).toEqual([]);
    });
  }
});
