/**
 * One run as the explorer's views read it (explore-types.ts): the live simulation is run once, and
 * its transcript, the machines' state timeline, the measured-boot chain, guest memory, the evidence
 * and the verdict are copied out as JSON-safe data. Nothing is decided here: outcomes come from
 * outcome.ts, verdicts from the real verifier, memory views from GuestMemory.
 */
import { toHex } from '../core/crypto/bytes';
import { PAGE_BYTES } from '../core/crypto/memory-cipher';
import { evidenceFields } from '../core/evidence/fields';
import { MemoryFault, type GuestMemory } from '../core/memory/guest-memory';
import type { AttestationResult } from '../core/verify/ear';
import { attackById } from './attacks';
import type {
  BootChain,
  BootRegister,
  EvidenceView,
  ExploreInput,
  ExplorerRun,
  MemoryPage,
  MemoryView,
  VerdictView,
} from './explore-types';
import { createSystem } from './machines/system';
import { judge } from './outcome';
import { platformById } from './platforms';
import type { Platform } from './platforms/platform';
import type { Measurement } from './world';

/** The guest-physical pages the simulated guest has (the secret at 0x1000, shared I/O at 0x3000). */
const GPAS = [0x0n, 0x1000n, 0x2000n, 0x3000n];
const PAGE_LABELS = ['workload code', 'secret', 'heap', 'shared I/O buffer'];

const HEADLINE: Record<string, string> = {
  'snp-launch-digest': 'MEASUREMENT (launch digest)',
  'mrtd-rtmr': 'MRTD',
  'pcr-event-log': 'PCR digest (PCR0–9)',
  'nitro-pcrs': 'PCR0',
  'sev-launch-digest': 'launch digest',
  mrenclave: 'MRENCLAVE',
};

function hashOf(value: Uint8Array): string {
  return value.length === 32
    ? 'sha256'
    : value.length === 48
      ? 'sha384'
      : value.length === 64
        ? 'sha512'
        : 'sha';
}

/** Steps grouped by register, each marked changed where its input differs from the reference's. */
export function bootChain(measured: Measurement, reference: Measurement): BootChain | null {
  if (measured.scheme === 'none' || measured.chain.length === 0) return null;
  const byRegister = (m: Measurement) => {
    const out = new Map<string, Measurement['chain']>();
    for (const s of m.chain) out.set(s.register, [...(out.get(s.register) ?? []), s]);
    return out;
  };
  const mine = byRegister(measured);
  const theirs = byRegister(reference);
  const registers: BootRegister[] = [...mine].map(([name, steps]) => {
    const ref = theirs.get(name) ?? [];
    return {
      name,
      steps: steps.map((s, i) => ({
        component: s.component,
        input: toHex(s.input),
        value: toHex(s.value),
        changed: ref[i] === undefined || toHex(ref[i].input) !== toHex(s.input),
      })),
      value: toHex(steps[steps.length - 1].value),
      reference: ref.length ? toHex(ref[ref.length - 1].value) : '',
    };
  });
  return {
    scheme: measured.scheme,
    hash: hashOf(measured.chain[0].value),
    registers,
    headline: {
      name: HEADLINE[measured.scheme] ?? measured.scheme,
      value: toHex(measured.value),
      reference: toHex(reference.value),
    },
  };
}

function memoryView(platform: Platform, memory: GuestMemory | undefined, secretLength: number): MemoryView {
  const caps = platform.capabilities;
  const view: MemoryView = {
    protection: caps.memory,
    ownershipTable:
      caps.integrity === 'ownership-fault' ? (platform.ownershipTable ?? 'ownership table') : null,
    pages: [],
    secret: memory ? { gpa: `0x${GPAS[1].toString(16)}`, length: secretLength } : null,
  };
  if (!memory) return view;
  const table = memory.ownershipTable();
  view.pages = GPAS.map((gpa, i): MemoryPage => {
    const hpa = memory.hpaOf(gpa);
    let guestView = '';
    try {
      guestView = toHex(memory.guestRead(gpa, PAGE_BYTES));
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
    }
    const host = memory.hostRead(hpa);
    const entry = table.find((t) => t.hpa === hpa);
    return {
      gpa: `0x${gpa.toString(16)}`,
      hpa: `0x${hpa.toString(16)}`,
      kind: memory.isShared(gpa) ? 'shared' : 'private',
      guestView,
      hostView: host.kind === 'fault' ? '' : toHex(host.bytes),
      hostViewKind: host.kind,
      ...(host.kind === 'fault' ? { fault: host.check } : {}),
      ...(entry
        ? {
            ownership: {
              owner: entry.owner,
              validated: entry.validated,
              ...(entry.gpa !== undefined ? { gpa: `0x${entry.gpa.toString(16)}` } : {}),
            },
          }
        : {}),
      label: PAGE_LABELS[i],
    };
  });
  return view;
}

/** The verifier's result as views show it (JSON-safe); `seq` is the transcript event that carried it. */
export function verdictView(verdict: AttestationResult, seq: number | null = null): VerdictView {
  return {
    status: verdict.status,
    claims: verdict.claims.map((c) => ({
      name: c.claim,
      value: c.value,
      status: c.status,
      reason: c.reason,
      ...(c.range ? { range: [c.range[0], c.range[1]] as [number, number] } : {}),
      ...(c.field ? { field: c.field } : {}),
    })),
    checks: verdict.checks.map((c) => ({
      check: c.check,
      ok: c.ok,
      reason: c.reason,
      ...(c.range ? { range: [c.range[0], c.range[1]] as [number, number] } : {}),
      ...(c.field ? { field: c.field } : {}),
    })),
    seq,
  };
}

/** Runs the simulation for `input` and returns everything the views show. Throws for unknown ids. */
export function explore(input: ExploreInput): ExplorerRun {
  const platform = platformById(input.platform);
  const attacks = input.attacks.map((id) => attackById(id));
  const system = createSystem({
    platform,
    attacks,
    seed: input.seed,
    misconfiguration: input.misconfiguration,
  });
  const result = system.run();
  const events = result.transcript.toJSON();
  const lastOf = (kind: string) => events.filter((e) => e.kind === kind).at(-1)?.seq ?? null;

  const platformContext = system.actors.platform.getSnapshot().context;
  const measured = platformContext.measurement;
  const boot = measured ? bootChain(measured, platformContext.effects.reference()) : null;

  const relayed = system.actors.host.getSnapshot().context.relayed ?? platformContext.evidence;
  const evidence: EvidenceView | null =
    relayed && relayed.format !== 'none' && relayed.bytes.length
      ? {
          format: relayed.format,
          bytes: toHex(relayed.bytes),
          fields: evidenceFields(relayed.format, relayed.bytes),
          seq: lastOf('evidence'),
        }
      : null;
  const verdict = result.verdict ? verdictView(result.verdict, lastOf('verdict')) : null;

  return {
    input: {
      platform: platform.id,
      attacks: attacks.map((a) => a.id),
      misconfiguration: { ...input.misconfiguration },
      seed: input.seed,
    },
    platform: {
      id: platform.id,
      name: platform.name,
      vendor: platform.vendor,
      sources: [...platform.sources],
    },
    events,
    machines: [...system.timeline()],
    boot,
    memory: memoryView(platform, system.memory(), result.secret.length),
    evidence,
    verdict,
    outcomes: attacks.map((attack) => {
      const j = judge(result, attack, platform);
      return {
        attack: attack.id,
        outcome: j.outcome,
        explanation: j.explanation,
        decisiveEvents: j.decisiveEvents,
        sources: [...new Set([...attack.sources, ...platform.sources])],
      };
    }),
    secret: toHex(result.secret),
    released: result.released,
    launchRefused: result.launchRefused ?? null,
    trustedDomains: [...result.trustedDomains],
  };
}
