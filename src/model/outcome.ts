/**
 * Judges what one attack achieved in one run, the same way for every attack, from what was observed:
 * the bytes the attacker holds, the transcript (who could read which bytes in plaintext), the verdict
 * the owner's verifier reached, and whether the hardware refused. The platform's declared threat
 * model is consulted only to say "out of scope" for an attack that worked.
 */
import { fromHex } from '../core/crypto/bytes';
import { containsBytes } from '../core/memory/guest-memory';
import type { Attack, Observation } from './attacks/attack';
import type { Platform } from './platforms/platform';
import type { RunResult } from './run-types';
import type { TranscriptEvent } from './transcript';

export type Outcome = 'leaked' | 'detected' | 'prevented' | 'out-of-scope' | 'not-applicable';

export interface Judgement {
  outcome: Outcome;
  /** One or two sentences: the mechanism and what was observed. */
  explanation: string;
  /** Sequence numbers of the transcript events that decided it. */
  decisiveEvents: number[];
}

function holdsSecret(o: Observation, secret: Uint8Array): boolean {
  return o.bytes !== undefined && containsBytes(o.bytes, secret);
}

/** Events in which an untrusted actor could read the secret in plaintext. */
function secretExposures(run: RunResult): TranscriptEvent[] {
  const trusted = new Set(run.trustedDomains);
  return run.transcript.events.filter(
    (e) =>
      e.bytes !== undefined &&
      e.plaintextTo.some((a) => !trusted.has(a)) &&
      containsBytes(fromHex(e.bytes), run.secret),
  );
}

export function judge(run: RunResult, attack: Attack, platform: Platform): Judgement {
  const events = run.transcript.events;
  const mine = events.filter((e) => e.attack === attack.id);
  const observations = run.observations[attack.id] ?? [];
  const exclusion = attack.exclusion;
  const excluded = exclusion !== undefined && platform.capabilities.excludes.includes(exclusion);
  const mechanism = platform.mechanisms[attack.decidedBy];
  const seqs = (list: readonly TranscriptEvent[]) => list.map((e) => e.seq);

  const noSurface = mine.find((e) => e.kind === 'refusal' && e.detail?.surface === 'absent');
  if (noSurface) {
    return { outcome: 'not-applicable', explanation: noSurface.title, decisiveEvents: [noSurface.seq] };
  }
  const providerManaged = mine.find((e) => e.kind === 'refusal' && e.detail?.surface === 'provider-managed');
  if (providerManaged) {
    return {
      outcome: 'out-of-scope',
      explanation: `${providerManaged.title} The provider, not the owner or the host, manages this firmware, so the owner must trust the provider for it.`,
      decisiveEvents: [providerManaged.seq],
    };
  }
  if (run.launchRefused) {
    const refusal = events.filter((e) => e.kind === 'refusal');
    return {
      outcome: 'prevented',
      explanation: `The platform refused to start the changed guest: ${run.launchRefused}.`,
      decisiveEvents: seqs(refusal),
    };
  }

  const exposed = secretExposures(run);
  const stolen = observations.filter((o) => holdsSecret(o, run.secret));
  const tampered = observations.filter((o) => o.guestActedOnTamperedState);
  const halted = observations.filter((o) => o.halted);

  if (halted.length > 0) {
    return {
      outcome: 'out-of-scope',
      explanation:
        'The host stopped the guest; availability is not a confidential-computing property, so no platform promises to prevent this.',
      decisiveEvents: seqs(mine),
    };
  }
  if (stolen.length > 0 || exposed.length > 0 || tampered.length > 0) {
    const what =
      stolen.length > 0
        ? `the attacker obtained the secret in plaintext (${stolen[0].what})`
        : exposed.length > 0
          ? `the secret crossed to an untrusted domain in plaintext (${exposed[0].title})`
          : `the guest acted on tampered state without noticing (${tampered[0].what})`;
    if (excluded) {
      return {
        outcome: 'out-of-scope',
        explanation: `It works — ${what} — but ${platform.name}'s declared threat model excludes ${exclusion}.`,
        decisiveEvents: seqs([...mine, ...exposed]),
      };
    }
    return {
      outcome: 'leaked',
      explanation: `${capitalise(what)}, and the owner did not notice. ${mechanism}`.trim(),
      decisiveEvents: seqs([...mine, ...exposed]),
    };
  }

  const verdict = events.filter((e) => e.kind === 'verdict');
  const refusedVerdict = verdict.find((e) => e.detail?.accepted === false);
  if (refusedVerdict && !run.released) {
    return {
      outcome: 'detected',
      explanation: `The change showed in the evidence and the verifier refused it (${refusedVerdict.title}), so no secret left the broker.`,
      decisiveEvents: [refusedVerdict.seq, ...seqs(mine)],
    };
  }
  if (excluded) {
    return {
      outcome: 'out-of-scope',
      explanation: `${platform.name}'s declared threat model excludes ${exclusion}; the simulation shows what the attacker could observe, not a defence.`,
      decisiveEvents: seqs(mine),
    };
  }
  const faults = observations.filter((o) => o.fault);
  return {
    outcome: 'prevented',
    explanation:
      faults.length > 0
        ? `The hardware refused: ${faults[0].fault}.`
        : `The attacker obtained only ciphertext or nothing useful. ${mechanism}`.trim(),
    decisiveEvents: seqs(mine),
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
