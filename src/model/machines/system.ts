/**
 * The system: creates the four trust-domain actors, collects every fact they emit into the
 * transcript (actor.on), and conducts one run of the protocol by sending each actor its events in
 * order and reading their snapshots to branch. It is a plain conductor, not a parent machine: the
 * actors step synchronously, so the run is synchronous and deterministic.
 */
import { createActor, type Snapshot } from 'xstate';
import { concatBytes, utf8 } from '../../core/crypto/bytes';
import { seededDrbg } from '../../core/crypto/drbg';
import { memoryCipher } from '../../core/crypto/memory-cipher';
import { containsBytes, GuestMemory, MemoryFault } from '../../core/memory/guest-memory';
import type { Attack, HostPowers, Observation, RelayPowers } from '../attacks/attack';
import { platformById } from '../platforms';
import type { RunInput, RunResult } from '../run-types';
import { Transcript, type EventKind } from '../transcript';
import { goodPlan, PlatformEffects } from '../world';
import type { Fact } from './fact';
import { guestMachine } from './guest';
import { hostMachine } from './host';
import { ownerMachine } from './owner';
import { platformMachine } from './platform';

const SECRET_GPA = 0x1000n;
const SHARED_GPA = 0x3000n;
/** CPUID 0x8000001F as the hardware reports it: SME, SEV, SEV-ES, SNP bits set (EAX..EDX). */
const TRUE_CPUID = Uint8Array.of(0x1f, 0x00, 0x01, 0x00, ...new Uint8Array(12));

export function createSystem(input: RunInput) {
  const platform = platformById(input.platform);
  const caps = platform.capabilities;
  const misconfig = input.misconfiguration ?? {};
  const root = seededDrbg(input.seed, `ccte/run/${platform.id}`);
  const effects = new PlatformEffects(platform, input.seed, root.fork('platform'));
  const transcript = new Transcript();
  const actors = {
    platform: createActor(platformMachine, { input: { effects } }),
    host: createActor(hostMachine, { input: { attacks: input.attacks } }),
    guest: createActor(guestMachine, { input: { drbg: root.fork('guest') } }),
    owner: createActor(ownerMachine, {
      input: { effects, drbg: root.fork('owner'), misconfiguration: misconfig },
    }),
  };
  for (const a of Object.values(actors)) {
    a.on('FACT', (f: Fact) => transcript.add(f.event));
    a.start();
  }

  /** The actors' snapshots (state value and context) for a UI. */
  const snapshots = (): Record<keyof typeof actors, Snapshot<unknown>> => ({
    platform: actors.platform.getSnapshot(),
    host: actors.host.getSnapshot(),
    guest: actors.guest.getSnapshot(),
    owner: actors.owner.getSnapshot(),
  });

  function run(): RunResult {
    const owner = () => actors.owner.getSnapshot();
    const good = goodPlan();
    const reference = effects.measure(good);
    actors.owner.send({ type: 'PREPARE', reference });
    actors.host.send({ type: 'BUILD', plan: good });
    const plan = actors.host.getSnapshot().context.plan ?? good;
    actors.platform.send({ type: 'LAUNCH', plan, expected: reference });
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
    if (actors.platform.getSnapshot().value === 'refused') {
      return result({ launchRefused: `${caps.preLaunchCheck}: the measured image differs from the owner's` });
    }
    actors.guest.send({ type: 'BOOT' });
    const early =
      misconfig.secretBeforeAttestation || plan.secretInImage || caps.secretDelivery !== 'attested-release';
    if (early) {
      // No attestation gates the secret: it travels with the image or a channel the host carries.
      // (IBM SE / PEF encrypt the image to the platform's key; that path is not modelled separately yet.)
      actors.owner.send({ type: 'PROVISION_EARLY' });
      actors.guest.send({ type: 'SECRET_RECEIVED', plaintext: secret });
    } else {
      actors.owner.send({ type: 'CHALLENGE' });
      const nonce = owner().context.nonce;
      actors.guest.send({ type: 'NONCE_RECEIVED', nonce });
      const teeKey = actors.guest.getSnapshot().context.teeKey;
      if (!teeKey) throw new Error('guest booted without a TEE key');
      const binding = effects.binding(nonce, teeKey);
      actors.platform.send({ type: 'EVIDENCE_REQUESTED', binding });
      const evidence = actors.platform.getSnapshot().context.evidence;
      const goodMeasurement = reference;
      const powers: RelayPowers = {
        // Evidence of an earlier good boot, honestly produced for a challenge the host recorded then.
        recorded: effects.evidence(
          goodMeasurement,
          effects.binding(root.fork('recorded').generate(32), teeKey),
          good,
          'platform',
        ),
        forge: () =>
          effects.evidence(goodMeasurement, binding, good, 'attacker') ?? {
            format: 'none',
            bytes: new Uint8Array(0),
            chain: [],
          },
        forgeAsVendor: () =>
          effects.evidence(goodMeasurement, binding, good, 'vendor-compromised') ?? {
            format: 'none',
            bytes: new Uint8Array(0),
            chain: [],
          },
      };
      actors.host.send({ type: 'RELAY', evidence, powers });
      actors.owner.send({
        type: 'EVIDENCE_RECEIVED',
        evidence: actors.host.getSnapshot().context.relayed,
        binding,
        teeKey,
      });
      const wrapped = owner().context.wrapped;
      if (wrapped) actors.guest.send({ type: 'SECRET_RECEIVED', wrapped });
    }
    const stored = actors.guest.getSnapshot().context.secret;
    const memory = new GuestMemory({
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
    }
    memory.share(SHARED_GPA);
    const io = utf8('GET /records?page=1 (workload I/O, not encrypted by the workload)');
    memory.guestWrite(SHARED_GPA, io);
    transcript.add({
      kind: 'shared-io',
      from: 'guest',
      to: 'host',
      title: 'Guest sends workload data through shared I/O',
      bytes: io,
      plaintextTo: ['guest', 'host'],
    });
    const observations: Record<string, Observation[]> = {};
    for (const attack of input.attacks) {
      if (!attack.act) continue;
      observations[attack.id] = attack.act(hostPowers(memory, stored ?? new Uint8Array(32), [io]));
      for (const o of observations[attack.id]) record(attack, o, secret);
    }
    const verdict = owner().context.verdict;
    return result({
      observations,
      released: stored !== undefined && containsBytes(stored, secret),
      ...(verdict ? { verdict } : {}),
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
      // Whether the host could read these bytes in the clear: it could when they hold the secret.
      plaintextTo: leaks ? ['host', 'guest', 'owner'] : ['guest', 'owner'],
      attack: attack.id,
    });
  }

  function hostPowers(memory: GuestMemory, held: Uint8Array, io: Uint8Array[]): HostPowers {
    const frames = [0n, 1n, 2n, 3n].map((i) => memory.hpaOf(i * 0x1000n));
    return {
      guestFrames: () => frames,
      readFrame: (hpa) => memory.hostRead(hpa),
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
            return { used: new Uint8Array(0), checkedBy: 'no CPUID is served by the host to this unit' };
        }
      },
      resumeGuest: (gpa) => {
        try {
          const read = memory.guestRead(gpa, held.length);
          return { read, silentlyWrong: !read.every((b, i) => b === held[i]) };
        } catch (e) {
          if (e instanceof MemoryFault) return { silentlyWrong: false, fault: e.message };
          throw e;
        }
      },
      secretGpa: () => SECRET_GPA,
      halt: () => actors.guest.send({ type: 'HALT' }),
    };
  }

  return { actors, transcript, snapshots, run };
}
