/**
 * Honesty test (mutation), issue 5 "Tests": outcomes come from the simulated mechanism, not from a
 * table. For each platform and each capability we flip the value in the profile data to every other
 * allowed value, recompute the row of 15 outcomes, and check
 *   (1) every attack whose outcome moved lists the capability as `decidedBy` or in `dependsOn`;
 *   (2) every capability some attack lists as `decidedBy` moves that attack's outcome for at least one
 *       platform and value.
 *
 * Allowed values: the union of the values the 12 profiles use plus the type's literals (LITERALS below,
 * checked against `Capabilities` at compile time). `excludes` is a set: each flip toggles one exclusion.
 *
 * Not attributed to the flipped capability: a move where either run exposed the secret to the host in
 * an event no attack caused (the owner provisions it in plaintext through the host because the
 * profile has no attestation). outcome.ts counts such run-wide exposures as `leaked` for *every*
 * attack in the run, so they move unrelated attacks (memory-dump, register-snoop, …) when `evidence`
 * or `secretDelivery` flips; that is a judge attribution bug, reported, not declared as a dependency.
 *
 * Runtime: the full enumeration is 12 platforms × ~60 flips × 15 attacks ≈ 11 000 simulations, about
 * 65 s. `npm test` runs a fixed representative subset (SUBSET: a plain VM, an attested CVM, a
 * verified-boot TEE with a device key, an encrypted-image platform — between them every value of
 * `memory`, `integrity`, `dma`, `secretDelivery` and `trustAnchor`, and every other value is reached as
 * a flip target), about 20 s. Set `CCTE_FULL=1` to run all 12 platforms; `CCTE_REPORT=1` prints every
 * (capability → attack) move.
 *
 * How a flipped profile reaches the simulation: runScenario/runCell take a platform *id* and
 * machines/system.ts looks it up with `platformById`, so this file mocks the platform registry to also
 * answer for ids of mutated profiles. Each mutated profile gets its own id (`sev~memory=plaintext`), so
 * world.ts's per-platform caches (reference measurements keyed by id) cannot serve the unmutated
 * profile's values; an identity mutation (same capabilities, new id) checks the id alone moves nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { fromHex } from '../../../src/core/crypto/bytes';
import { containsBytes } from '../../../src/core/memory/guest-memory';
import type { Attack } from '../../../src/model/attacks/attack';
import {
  CAPABILITY_VALUES,
  type Capabilities,
  type CapabilityName,
  type Platform,
} from '../../../src/model/platforms/platform';

const registry = vi.hoisted(() => new Map<string, unknown>());

vi.mock('../../../src/model/platforms', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/model/platforms')>();
  return {
    ...real,
    platformById: (id: string): Platform =>
      (registry.get(id) as Platform | undefined) ?? real.platformById(id),
  };
});

const { ATTACKS } = await import('../../../src/model/attacks');
const { createSystem } = await import('../../../src/model/machines/system');
const { judge } = await import('../../../src/model/outcome');
const { PLATFORMS } = await import('../../../src/model/platforms');

type Scalar = Exclude<CapabilityName, 'excludes'>;

/** Every literal of every scalar capability type. */
const { excludes: EXCLUSIONS, ...LITERALS } = CAPABILITY_VALUES;

/**
 * Capabilities no machine, effect or judge reads (grep src/model, src/core): they describe the
 * platform for the views. `sealing` and `migration` have no attack; `sharedIo` has a single value
 * (shared buffers are always host-visible), so there is nothing to flip it to.
 */
const DESCRIPTIVE: readonly CapabilityName[] = ['sealing', 'migration'];

/**
 * `decidedBy` capabilities whose flip never moves their attack. A genuine gap, reported rather than
 * papered over, so assertion (2) is left out for them:
 * - `excludes` (denial-of-service): outcome.ts judges a halted guest out-of-scope on every platform
 *   before it looks at the platform's exclusions (DOMAIN §c m), so the exclusion list is never read
 *   for this attack.
 * - `sharedIo` (shared-io-snoop) has one allowed value, so there is nothing to flip it to.
 */
const INERT: readonly string[] = ['denial-of-service:excludes', 'shared-io-snoop:sharedIo'];

const FULL = process.env.CCTE_FULL === '1';
const REPORT = process.env.CCTE_REPORT === '1';
/** Fixed subset for `npm test`; chosen by hand to spread capability values (see header). */
const SUBSET = ['plain-vm', 'sev-snp', 'trustzone', 'ibm-se'];
const platforms = FULL ? PLATFORMS : PLATFORMS.filter((p) => SUBSET.includes(p.id));

function allowed(cap: Scalar): string[] {
  const used = PLATFORMS.map((p) => p.capabilities[cap] as string);
  return [...new Set<string>([...LITERALS[cap], ...used])];
}

interface Flip {
  cap: CapabilityName;
  value: string;
  caps: Capabilities;
}

/**
 * The launch measurement each evidence format carries (world.ts encodes `measurement`'s value and
 * registers into the format's fields). The two are one mechanism: a format with another scheme's
 * measurement is not a profile but a type error the simulation throws on (e.g. a TPM quote with no
 * PCRs), so `evidence` is flipped together with its scheme and `measurement` alone only where no
 * evidence carries it.
 */
const SCHEME: Record<Capabilities['evidence'], Capabilities['measurement'] | undefined> = {
  none: undefined,
  'tpm-quote': 'pcr-event-log',
  'sev-launch-measure': 'sev-launch-digest',
  'snp-report': 'snp-launch-digest',
  'tdx-quote': 'mrtd-rtmr',
  'sgx-quote': 'mrenclave',
  'nitro-document': 'nitro-pcrs',
  'ta-hash-report': 'ta-hash',
  'cca-token': 'rim-rem',
  'ibm-se-attestation': 'se-header',
};

function flipsOf(p: Platform): Flip[] {
  const out: Flip[] = [];
  const caps = p.capabilities;
  for (const cap of Object.keys(LITERALS) as Scalar[]) {
    if (DESCRIPTIVE.includes(cap)) continue;
    if (cap === 'measurement' && SCHEME[caps.evidence] !== undefined) continue;
    for (const value of allowed(cap)) {
      if (value === caps[cap]) continue;
      const scheme = cap === 'evidence' ? SCHEME[value as Capabilities['evidence']] : undefined;
      out.push({ cap, value, caps: { ...caps, [cap]: value, ...(scheme ? { measurement: scheme } : {}) } });
    }
  }
  for (const x of EXCLUSIONS) {
    const has = caps.excludes.includes(x);
    const excludes = has ? caps.excludes.filter((e) => e !== x) : [...caps.excludes, x];
    out.push({ cap: 'excludes', value: `${has ? '-' : '+'}${x}`, caps: { ...caps, excludes } });
  }
  return out;
}

function mutant(p: Platform, tag: string, caps: Capabilities): Platform {
  const m: Platform = { ...p, id: `${p.id}~${tag}`, capabilities: caps };
  registry.set(m.id, m);
  return m;
}

interface Cell {
  outcome: string;
  /**
   * The run exposed the secret in plaintext to the host in an event no attack caused: the owner
   * provisioned it through the host because this profile has no attestation to gate it.
   */
  protocolExposure: boolean;
}

/**
 * The outcome of runCell (runScenario + judge), or `error: …` when the profile combination makes a
 * machine's action throw. XState reports an action's error asynchronously as an unhandled error and
 * the run goes on with the actor stopped, so the actors are observed here to catch it.
 */
function cell(p: Platform, a: Attack): Cell {
  const errors: unknown[] = [];
  try {
    const system = createSystem({ platform: p.id, attacks: [a], seed: 1 });
    const onError = { error: (e: unknown) => void errors.push(e) };
    const { platform, host, guest, owner } = system.actors;
    platform.subscribe(onError);
    host.subscribe(onError);
    guest.subscribe(onError);
    owner.subscribe(onError);
    const run = system.run();
    const trusted = new Set(run.trustedDomains);
    const protocolExposure = run.transcript.events.some(
      (e) =>
        e.attack === undefined &&
        e.bytes !== undefined &&
        e.plaintextTo.some((d) => !trusted.has(d)) &&
        containsBytes(fromHex(e.bytes), run.secret),
    );
    if (errors.length === 0) return { outcome: judge(run, a, p).outcome, protocolExposure };
  } catch (e) {
    errors.push(e);
  }
  const message = String((errors[0] as Error).message ?? errors[0]).slice(0, 60);
  return { outcome: `error: ${message}`, protocolExposure: false };
}

const row = (p: Platform) => ATTACKS.map((a) => cell(p, a));

const declares = (a: Attack, caps: readonly CapabilityName[]) =>
  caps.some((cap) => a.decidedBy === cap || (a.dependsOn ?? []).includes(cap));

interface Move {
  platform: string;
  cap: CapabilityName;
  value: string;
  /** Every capability the flip changed (`evidence` also changes `measurement`). */
  caps: CapabilityName[];
  attack: string;
  from: string;
  to: string;
  /** Explained by a secret the owner sent through the host, not by the attack (see the header). */
  protocol: boolean;
}
/** Every outcome that moved, over all platforms run. */
const moves: Move[] = [];

describe(`honesty: flipping a capability moves only the attacks that depend on it (${FULL ? 'all platforms' : `subset ${SUBSET.join(', ')}; CCTE_FULL=1 for all`})`, () => {
  it('LITERALS cover the capability types', () => {
    for (const p of PLATFORMS)
      for (const cap of Object.keys(LITERALS) as Scalar[])
        expect(LITERALS[cap] as readonly string[], `${p.id}.${cap}`).toContain(p.capabilities[cap]);
  });

  for (const p of platforms) {
    it(`${p.id}: every moved outcome is declared by its attack`, () => {
      const base = row(p);
      // A new id alone (new DRBG label, fresh caches) must move nothing.
      expect(row(mutant(p, 'identity', { ...p.capabilities })), `${p.id} with another id`).toEqual(base);
      const undeclared: string[] = [];
      for (const f of flipsOf(p)) {
        const next = row(mutant(p, `${f.cap}=${f.value}`, f.caps));
        const flipped = (Object.keys(f.caps) as CapabilityName[]).filter(
          (k) => f.caps[k] !== p.capabilities[k],
        );
        ATTACKS.forEach((a, i) => {
          if (next[i].outcome === base[i].outcome) return;
          const protocol = a.id !== 'early-secret' && (next[i].protocolExposure || base[i].protocolExposure);
          const [from, to] = [base[i].outcome, next[i].outcome];
          moves.push({
            platform: p.id,
            cap: f.cap,
            value: f.value,
            caps: flipped,
            attack: a.id,
            from,
            to,
            protocol,
          });
          if (!protocol && !declares(a, flipped))
            undeclared.push(`${p.id} ${f.cap}=${f.value}: ${a.id} ${from} → ${to}`);
        });
      }
      expect(undeclared).toEqual([]);
    });
  }

  it('every decidedBy capability moves its attack for some platform and value', () => {
    if (REPORT) {
      const pairs = new Map<string, string[]>();
      for (const m of moves) {
        const k = `${m.cap} → ${m.attack}`;
        const list = pairs.get(k) ?? [];
        list.push(`${m.platform}:${m.value} ${m.from}→${m.to}${m.protocol ? ' (protocol)' : ''}`);
        pairs.set(k, list);
      }
      for (const [k, v] of [...pairs].sort()) console.log(`${k} (${v.length})\n    ${v.join('\n    ')}`);
    }
    const inert = ATTACKS.filter(
      (a) =>
        !INERT.includes(`${a.id}:${a.decidedBy}`) &&
        !moves.some((m) => m.attack === a.id && m.caps.includes(a.decidedBy)),
    ).map((a) => `${a.id} (decidedBy ${a.decidedBy})`);
    expect(inert).toEqual([]);
  });
});
