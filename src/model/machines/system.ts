/**
 * The system: starts the system machine (system-machine.ts), which spawns the four trust-domain
 * machines; collects every fact they emit into the transcript (actor.on); and conducts one run of the
 * protocol by sending each child its events in order and reading their snapshots to branch, reporting
 * each phase to the parent. The actors step synchronously, so the run is synchronous and deterministic.
 */
import { createActor, type Snapshot } from 'xstate';
import { concatBytes, utf8 } from '../../core/crypto/bytes';
import { seededDrbg } from '../../core/crypto/drbg';
import { memoryCipher } from '../../core/crypto/memory-cipher';
import { containsBytes, GuestMemory, MemoryFault } from '../../core/memory/guest-memory';
import { unwrapSecret } from '../../core/broker/wrap';
import type { KeyPair } from '../../core/crypto/ecdsa';
import { PAGE_BYTES } from '../../core/crypto/memory-cipher';
import type {
  Attack,
  EvidenceInTransit,
  HostPowers,
  LaunchPlan,
  Observation,
  RelayPowers,
} from '../attacks/attack';
import { platformById } from '../platforms';
import type { RunInput, RunResult } from '../run-types';
import { Transcript, type EventKind } from '../transcript';
import { goodPlan, PlatformEffects } from '../world';
import { MACHINE_NAMES, type MachineName, type MachineStep } from '../explore-types';
import type { Fact } from './fact';
import { systemMachine } from './system-machine';

const SECRET_GPA = 0x1000n;
const SHARED_GPA = 0x3000n;
/** CPUID 0x8000001F as the hardware reports it: SME, SEV, SEV-ES, SNP bits set (EAX..EDX). */
const TRUE_CPUID = Uint8Array.of(0x1f, 0x00, 0x01, 0x00, ...new Uint8Array(12));

/** A state value as one name: 'idle', or 'attesting.waiting' for nested states. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (v && (typeof v !== 'object' || Object.keys(v).length) ? `${k}.${stateName(v)}` : k))
      .join(',');
  }
  return String(value);
}

export function createSystem(input: RunInput) {
  const platform = typeof input.platform === 'string' ? platformById(input.platform) : input.platform;
  const caps = platform.capabilities;
  const misconfig = input.misconfiguration ?? {};
  const root = seededDrbg(input.seed, `ccte/run/${platform.id}`);
  const effects = new PlatformEffects(platform, input.seed, root.fork('platform'));
  const transcript = new Transcript();
  // The system machine spawns the four domain machines and turns a child's error into its own
  // `failed` state; the conductor below talks to the children through the references it holds.
  const system = createActor(systemMachine, {
    input: {
      effects,
      attacks: input.attacks,
      misconfiguration: misconfig,
      guestDrbg: root.fork('guest'),
      ownerDrbg: root.fork('owner'),
    },
  });
  system.start();
  const actors = (({ platform, host, guest, owner }) => ({ platform, host, guest, owner }))(
    system.getSnapshot().context,
  );
  const failures = () => system.getSnapshot().context.failures;
  // Every state each machine enters, with the transcript position it entered it at, so a view can
  // show the machines as they were at any step of the run.
  const timeline: MachineStep[] = [];
  const lastState = new Map<MachineName, string>();
  const entered = (name: MachineName, snapshot: { value: unknown; status: string }) => {
    const state = stateName(snapshot.value);
    if (lastState.get(name) === `${state}/${snapshot.status}`) return;
    lastState.set(name, `${state}/${snapshot.status}`);
    timeline.push({ machine: name, at: transcript.events.length, state, status: snapshot.status });
  };
  // XState reports an error in a child's action to the parent (handled above) and also to the child's
  // observers; an error observer keeps it from being rethrown asynchronously as unhandled.
  const quiet = { error: () => undefined };
  actors.platform.subscribe({ next: (s) => entered('platform', s), ...quiet });
  actors.host.subscribe({ next: (s) => entered('host', s), ...quiet });
  actors.guest.subscribe({ next: (s) => entered('guest', s), ...quiet });
  actors.owner.subscribe({ next: (s) => entered('owner', s), ...quiet });
  for (const name of MACHINE_NAMES) {
    actors[name].on('FACT', (f: Fact) => transcript.add(f.event));
    entered(name, actors[name].getSnapshot());
  }
  let memory: GuestMemory | undefined;
  // A child that failed is stopped, and a failed system stops them all: stop conducting at once and
  // fail the run with the error, rather than sending events to stopped actors.
  const send = <E>(actor: { send: (event: E) => void }, event: E) => {
    actor.send(event);
    if (failures().length) throw failed();
  };
  const failed = () => {
    const f = failures();
    return new Error(
      `simulation of ${platform.id} failed in the ${f[0]}${f.length > 1 ? ` (+${f.length - 1} more)` : ''}`,
    );
  };

  /** The actors' snapshots (state value and context) for a UI. */
  const snapshots = (): Record<keyof typeof actors, Snapshot<unknown>> => ({
    platform: actors.platform.getSnapshot(),
    host: actors.host.getSnapshot(),
    guest: actors.guest.getSnapshot(),
    owner: actors.owner.getSnapshot(),
  });

  function runProtocol(): RunResult {
    const owner = () => actors.owner.getSnapshot();
    const good = goodPlan();
    const reference = effects.reference();
    send(actors.owner, { type: 'PREPARE', reference });
    send(actors.host, { type: 'BUILD', plan: good });
    const { plan: built = good, changedBy } = actors.host.getSnapshot().context;
    const secret = owner().context.secret;
    const result = (extra: Partial<RunResult>): RunResult => ({
      platform: platform.id,
      attacks: input.attacks.map((a) => a.id),
      seed: input.seed,
      transcript,
      secret,
      observations: {},
      released: false,
      // The host is the adversary of every confidential-computing threat model, also where (plain VM,
      // vTPM) the owner has no choice but to trust it: plaintext there is exactly what the explorer shows.
      trustedDomains: ['platform', 'guest', 'owner'],
      ...extra,
    });

    // Without evidence there is nothing to forge or replay; an attacker holding the vendor's root holds
    // the keys the image is sealed to instead (if the platform has such a root at all).
    const noEvidence = caps.evidence === 'none';
    let opensSealedImage: string | undefined;
    if (noEvidence) {
      for (const attack of input.attacks) {
        if (!attack.relay) continue;
        const used = probeRelay(attack);
        if (used === 'vendor' && caps.trustAnchor !== 'none') opensSealedImage = attack.id;
        else if (used === 'vendor')
          absentSurface(attack, 'No vendor root exists on this platform to compromise');
        else if (caps.secretDelivery === 'encrypted-image')
          absentSurface(
            attack,
            'There is no evidence: secrets travel sealed in an image only authorised hardware can open, so nothing is released on evidence',
          );
      }
    }

    system.send({ type: 'LAUNCHING' });
    send(actors.platform, { type: 'LAUNCH', plan: built, expected: reference, changedBy });
    if (actors.platform.getSnapshot().value === 'refused') {
      system.send({ type: 'LAUNCH_REFUSED' });
      const refusal = transcript.events.filter((e) => e.kind === 'refusal').at(-1);
      return result({ launchRefused: refusal?.title ?? 'the platform refused the launch' });
    }
    // What actually runs: the platform may have ignored parts of the host's plan (debug, firmware).
    const plan = actors.platform.getSnapshot().context.plan ?? built;
    send(actors.guest, { type: 'BOOT' });
    const early = misconfig.secretBeforeAttestation || plan.secretInImage || noEvidence;
    system.send({ type: early ? 'PROVISIONED_WITHOUT_ATTESTATION' : 'ATTESTING' });
    if (early) {
      // No attestation gates the secret: it travels with the image — sealed to the platform's key where
      // the platform opens encrypted images, otherwise in the clear through the host that builds it.
      const sealed = caps.secretDelivery === 'encrypted-image';
      send(actors.owner, {
        type: 'PROVISION_EARLY',
        ...(sealed ? { sealedTo: effects.imageKey } : {}),
      });
      const image = owner().context.wrapped;
      if (sealed && image && opensSealedImage) {
        transcript.add({
          kind: 'secret',
          from: 'host',
          to: 'host',
          title: 'Attacker opens the sealed image with the platform key its compromised root certified',
          bytes: unwrapSecret(effects.imageKey, image),
          plaintextTo: ['host'],
          attack: opensSealedImage,
          detail: { wrapped: false },
        });
      }
      send(actors.guest, { type: 'SECRET_RECEIVED', plaintext: secret });
    } else {
      send(actors.owner, { type: 'CHALLENGE' });
      const nonce = owner().context.nonce;
      send(actors.guest, { type: 'NONCE_RECEIVED', nonce });
      const teeKey = actors.guest.getSnapshot().context.teeKey;
      if (!teeKey) throw new Error('the challenged guest has no TEE key');
      const binding = effects.binding(nonce, teeKey);
      send(actors.platform, { type: 'EVIDENCE_REQUESTED', binding });
      const evidence = actors.platform.getSnapshot().context.evidence;
      // The KBS attestation request carries runtime data (the TEE public key) beside the evidence; the
      // host relays both, so forged evidence comes with the attacker's key.
      const teeKeyOf = new WeakMap<EvidenceInTransit, KeyPair>();
      const recordedNonce = root.fork('recorded').generate(32);
      let recorded: EvidenceInTransit | undefined;
      const attackerBinding = effects.binding(nonce, effects.attackerTeeKey);
      const forged = (signer: 'attacker' | 'vendor-compromised') => {
        const e = effects.evidence(reference, attackerBinding, good, signer);
        if (!e) return placeholder();
        teeKeyOf.set(e, effects.attackerTeeKey);
        return e;
      };
      const powersFor = (attack: Attack): RelayPowers => ({
        // Evidence of an earlier good boot (another launch session), honestly produced for a challenge
        // the host recorded then.
        get recorded() {
          recorded ??= effects.evidence(
            reference,
            effects.binding(recordedNonce, teeKey),
            good,
            'platform',
            'earlier',
          );
          return recorded;
        },
        forge: () => forged('attacker'),
        forgeAsVendor: () => {
          if (caps.trustAnchor === 'none') {
            absentSurface(attack, 'No vendor root anchors this evidence, so there is none to compromise');
            return evidence ?? placeholder();
          }
          return forged('vendor-compromised');
        },
      });
      send(actors.host, { type: 'RELAY', evidence, powersFor });
      const { relayed, relayedBy } = actors.host.getSnapshot().context;
      const relayedKey = (relayed && teeKeyOf.get(relayed)) ?? teeKey;
      send(actors.owner, { type: 'EVIDENCE_RECEIVED', evidence: relayed, binding, teeKey: relayedKey });
      const wrapped = owner().context.wrapped;
      if (wrapped && relayedKey === teeKey) send(actors.guest, { type: 'SECRET_RECEIVED', wrapped });
      else if (wrapped) {
        // The broker wrapped the secret to the key the forged evidence bound: the attacker's own.
        transcript.add({
          kind: 'secret',
          from: 'host',
          to: 'host',
          title: 'Host keeps the release wrapped to its own TEE key and unwraps the secret',
          bytes: unwrapSecret(effects.attackerTeeKey, wrapped),
          plaintextTo: ['host'],
          ...(relayedBy ? { attack: relayedBy } : {}),
          detail: { wrapped: false },
        });
      }
    }
    system.send({ type: 'RUNNING' });
    const stored = actors.guest.getSnapshot().context.secret;
    memory = new GuestMemory({
      protection: caps.memory,
      integrity: caps.integrity,
      dma: caps.dma,
      pages: 4,
      ...(caps.memory === 'ciphertext' ? { key: root.fork('memory-key').generate(32) } : {}),
    });
    if (stored) {
      memory.guestWrite(SECRET_GPA, stored);
      transcript.add({
        kind: 'page-write',
        from: 'guest',
        to: 'guest',
        title: `Guest stores the secret at GPA 0x${SECRET_GPA.toString(16)}`,
        plaintextTo: ['guest'],
      });
      if (changedBy.components) {
        // A changed kernel that received the secret does what it was changed for.
        transcript.add({
          kind: 'shared-io',
          from: 'guest',
          to: 'host',
          title: 'The backdoored kernel copies the secret out through a shared I/O buffer',
          bytes: stored,
          plaintextTo: ['guest', 'host'],
          attack: changedBy.components,
        });
      }
      if (plan.firmware === 'vulnerable') {
        // Old security firmware with a key-extraction flaw: the host takes the platform keys and
        // decrypts what the guest holds (Buhren et al., "Insecure Until Proven Updated").
        transcript.add({
          kind: 'page-read',
          from: 'guest',
          to: 'host',
          title: "Vulnerable security firmware leaks the platform keys; the host decrypts the guest's memory",
          bytes: memory.guestRead(SECRET_GPA, stored.length),
          plaintextTo: ['host'],
          ...(changedBy.firmware ? { attack: changedBy.firmware } : {}),
        });
      }
    }
    memory.share(SHARED_GPA);
    // The workload authenticates its requests with the secret and, by default, does not encrypt them.
    const io = concatBytes(
      utf8('POST /records HTTP/1.1\r\nAuthorization: Bearer '),
      stored ?? new Uint8Array(0),
      utf8('\r\n\r\n(workload I/O, not encrypted by the workload)'),
    );
    memory.guestWrite(SHARED_GPA, io);
    transcript.add({
      kind: 'shared-io',
      from: 'guest',
      to: 'guest',
      title: `Guest writes a request to the shared buffer at GPA 0x${SHARED_GPA.toString(16)} (host-readable)`,
      plaintextTo: ['guest'],
      detail: { bytes: io.length },
    });
    const observations: Record<string, Observation[]> = {};
    for (const attack of input.attacks) {
      if (!attack.act) continue;
      observations[attack.id] = attack.act(
        hostPowers(attack, plan, memory, stored ?? new Uint8Array(32), [io]),
      );
      for (const o of observations[attack.id]) record(attack, o, secret);
    }
    const verdict = owner().context.verdict;
    system.send({ type: 'FINISHED' });
    return result({
      observations,
      released: stored !== undefined && containsBytes(stored, secret),
      ...(verdict ? { verdict } : {}),
    });
  }

  function placeholder(): EvidenceInTransit {
    return { format: 'none', bytes: new Uint8Array(0), chain: [] };
  }

  /** Which relay power an attack reaches for when there is no evidence to relay. */
  function probeRelay(attack: Attack): 'recorded' | 'forge' | 'vendor' | undefined {
    let used: 'recorded' | 'forge' | 'vendor' | undefined;
    const nothing = placeholder();
    attack.relay?.(nothing, {
      get recorded() {
        used = 'recorded';
        return undefined;
      },
      forge: () => {
        used = 'forge';
        return nothing;
      },
      forgeAsVendor: () => {
        used = 'vendor';
        return nothing;
      },
    });
    return used;
  }

  function absentSurface(attack: Attack, title: string): void {
    transcript.add({
      kind: 'refusal',
      from: 'platform',
      to: 'host',
      title,
      plaintextTo: ['platform', 'host'],
      attack: attack.id,
      detail: { surface: 'absent' },
    });
  }

  function record(attack: Attack, o: Observation, secret: Uint8Array): void {
    const kinds: Partial<Record<string, EventKind>> = {
      registers: 'registers',
      cpuid: 'cpuid',
      dma: 'dma',
      sharedIo: 'shared-io',
      integrity: 'page-remap',
    };
    const leaks = o.bytes !== undefined && containsBytes(o.bytes, secret);
    transcript.add({
      kind: o.halted ? 'halt' : o.fault ? 'fault' : (kinds[attack.decidedBy] ?? 'page-read'),
      from: 'guest',
      to: 'host',
      title: o.fault ? `${o.what}: ${o.fault}` : o.what,
      ...(o.bytes ? { bytes: o.bytes } : {}),
      // Whether the host could read these bytes in the clear: it could when they hold the secret, or
      // when the attack says it read a plaintext page.
      plaintextTo: leaks || o.plaintext ? ['host', 'guest', 'owner'] : ['guest', 'owner'],
      attack: attack.id,
    });
  }

  function hostPowers(
    attack: Attack,
    plan: LaunchPlan,
    memory: GuestMemory,
    held: Uint8Array,
    io: Uint8Array[],
  ): HostPowers {
    const gpas = [0n, 1n, 2n, 3n].map((i) => i * 0x1000n);
    const frames = gpas.map((gpa) => memory.hpaOf(gpa));
    // A debuggable guest lets the host decrypt its private memory (DEBUG_DECRYPT, EDBGRD, a debugger on
    // the secure world); Nitro's debug mode only opens the console, and some platforms have no debug mode.
    const debugReads = plan.debug && (caps.debug === 'in-evidence' || caps.debug === 'not-attested');
    // The guest's private frames; the shared I/O page is hypervisor-owned and read through sharedIo().
    const privateFrames = frames.filter((_, i) => !memory.isShared(gpas[i]));
    return {
      guestFrames: () => privateFrames,
      readFrame: (hpa) => {
        const i = frames.indexOf(hpa);
        if (debugReads && i >= 0) {
          return { kind: 'plaintext', hpa, bytes: memory.guestRead(gpas[i], PAGE_BYTES) };
        }
        return memory.hostRead(hpa);
      },
      writeFrame: (hpa, bytes) => memory.hostWrite(hpa, bytes),
      storedFrame: (hpa) => memory.storedBytes(hpa),
      remap: (gpa, hpa) => memory.hostRemap(gpa, hpa),
      hpaOf: (gpa) => memory.hpaOf(gpa),
      registersAtExit: () => {
        // RAX, RCX (the guest's own choices for the exit), then RBX holding the workload key.
        const chosen = concatBytes(new Uint8Array(8), Uint8Array.of(0x1f, 0, 0, 0x80, 0, 0, 0, 0));
        const saveArea = new Uint8Array(256);
        saveArea.set(chosen);
        saveArea.set(held, 16);
        switch (caps.registers) {
          case 'plaintext':
            return saveArea;
          case 'encrypted':
            return memoryCipher(root.fork('vmsa-key').generate(32)).encrypt(0xfffff000n, saveArea);
          case 'guest-chosen-only':
            return chosen;
          case 'firmware-held':
            return new Uint8Array(0);
        }
      },
      dmaRead: (hpa) => memory.dmaRead(hpa),
      sharedIo: () => io,
      answerCpuid: (_leaf, value) => {
        switch (caps.cpuid) {
          case 'host-unchecked':
            return { used: value, checkedBy: 'nothing: the host answers CPUID' };
          case 'host-configured-in-evidence':
            return { used: value, checkedBy: 'the host-configured value is in the evidence' };
          case 'firmware-validated':
            return { used: TRUE_CPUID, checkedBy: 'the security processor validated the CPUID page' };
          case 'module-fixed':
            return { used: TRUE_CPUID, checkedBy: 'the TDX module answers CPUID itself' };
          case 'not-served':
            absentSurface(attack, 'The host serves no CPUID to this unit: there is no answer to lie in');
            return { used: new Uint8Array(0), checkedBy: 'no CPUID is served by the host to this unit' };
        }
      },
      resumeGuest: (gpa) => {
        try {
          const read = memory.guestRead(gpa, held.length);
          // While the guest runs, the host traces its secret-dependent accesses (page faults, cache
          // timing, single-stepping): the trace reveals the bytes the workload processed.
          transcript.add({
            kind: 'page-read',
            from: 'guest',
            to: 'host',
            title: `Host traces the guest's accesses while it uses GPA 0x${gpa.toString(16)} (faults, timing)`,
            bytes: read,
            plaintextTo: ['guest', 'host'],
            attack: attack.id,
          });
          return { read, silentlyWrong: !read.every((b, i) => b === held[i]) };
        } catch (e) {
          if (e instanceof MemoryFault) return { silentlyWrong: false, fault: e.message };
          throw e;
        }
      },
      secretGpa: () => SECRET_GPA,
      halt: () => send(actors.guest, { type: 'HALT' }),
    };
  }

  function run(): RunResult {
    let result: RunResult;
    try {
      result = runProtocol();
    } catch (e) {
      if (failures().length) throw failed();
      throw e;
    }
    if (failures().length) throw failed();
    return result;
  }

  return {
    /** The parent machine (phases of the run, failures) and its four children. */
    system,
    actors,
    transcript,
    snapshots,
    run,
    /** Each machine's states in order, with the transcript position at which it entered each. */
    timeline: (): readonly MachineStep[] => timeline,
    /** Guest memory as the run left it (undefined when the launch was refused). */
    memory: (): GuestMemory | undefined => memory,
  };
}
