import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/core/crypto/bytes';
import { containsBytes } from '../../../src/core/memory/guest-memory';
import { withBackdooredKernel } from '../../../src/model/attacks/_plan';
import type { Attack, HostPowers } from '../../../src/model/attacks/attack';
import { PLATFORMS } from '../../../src/model/platforms';
import { runScenario } from '../../../src/model/run';

const json = (platform: string, seed: number) =>
  JSON.stringify(runScenario({ platform, attacks: [], seed }).transcript);

/** A probe attack: records what one host power returned. */
function probe(
  use: (h: HostPowers) => { bytes?: Uint8Array; fault?: string; silentlyWrong?: boolean },
): Attack {
  return {
    id: 'probe',
    title: 'probe',
    attacker: 'host',
    phase: 'runtime',
    stride: 'information-disclosure',
    goal: 'secret',
    summary: 'test probe',
    sources: [],
    decidedBy: 'memory',
    act: (h) => {
      const r = use(h);
      return [{ what: 'probe', ...r, guestActedOnTamperedState: r.silentlyWrong }];
    },
  };
}

// Platforms whose evidence format the simulation models end to end in this slice.
const MODELLED = new Set(['vtpm', 'sev', 'sev-es', 'sev-snp', 'tdx', 'sgx', 'nitro', 'trustzone', 'cca']);
const attested = PLATFORMS.filter((p) => p.capabilities.secretDelivery === 'attested-release');

describe('runScenario without attack', () => {
  for (const p of attested) {
    const run = MODELLED.has(p.id) ? it : it.todo;
    run(`${p.id}: a correct owner releases the secret after nonce → evidence → verdict`, () => {
      const r = runScenario({ platform: p.id, attacks: [], seed: 1 });
      expect(r.released).toBe(true);
      const kinds = r.transcript.events.map((e) => e.kind);
      const order = ['nonce', 'evidence', 'verdict', 'secret'].map((k) => kinds.indexOf(k as never));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });
  }
});

describe('determinism', () => {
  it('same seed gives a byte-identical transcript; another seed differs', () => {
    expect(json('sev-snp', 7)).toBe(json('sev-snp', 7));
    expect(json('sev-snp', 7)).not.toBe(json('sev-snp', 8));
    const a = runScenario({ platform: 'tdx', attacks: [], seed: 1 });
    const b = runScenario({ platform: 'tdx', attacks: [], seed: 2 });
    expect(a.secret).not.toEqual(b.secret);
    const nonce = (r: typeof a) => r.transcript.events.find((e) => e.kind === 'nonce')?.bytes;
    expect(nonce(a)).not.toBe(nonce(b));
  });
});

describe('host powers follow the capabilities', () => {
  const readSecretFrame = probe((h) => {
    const v = h.readFrame(h.hpaOf(h.secretGpa()));
    return v.kind === 'fault' ? { fault: v.check } : { bytes: v.bytes };
  });
  it('plain VM: the secret frame reads in plaintext', () => {
    const r = runScenario({ platform: 'plain-vm', attacks: [readSecretFrame], seed: 1 });
    expect(containsBytes(r.observations.probe[0].bytes ?? new Uint8Array(0), r.secret)).toBe(true);
  });
  it('SEV: the secret frame reads as ciphertext', () => {
    const r = runScenario({ platform: 'sev', attacks: [readSecretFrame], seed: 1 });
    expect(r.released).toBe(true);
    const bytes = r.observations.probe[0].bytes ?? new Uint8Array(0);
    expect(bytes.length).toBe(4096);
    expect(containsBytes(bytes, r.secret)).toBe(false);
  });
  const remap = probe((h) => {
    const other = h.guestFrames().find((f) => f !== h.hpaOf(h.secretGpa()));
    if (other === undefined) throw new Error('no other frame');
    h.remap(h.secretGpa(), other);
    return h.resumeGuest(h.secretGpa());
  });
  it('SEV-SNP: a remap makes the guest fault', () => {
    const r = runScenario({ platform: 'sev-snp', attacks: [remap], seed: 1 });
    expect(r.observations.probe[0].fault).toMatch(/ownership table/);
  });
  it('SEV: a remap is silent', () => {
    const r = runScenario({ platform: 'sev', attacks: [remap], seed: 1 });
    expect(r.observations.probe[0].fault).toBeUndefined();
    expect(r.observations.probe[0].guestActedOnTamperedState).toBe(true);
  });
});

describe('tampered kernel on SEV-SNP', () => {
  it('changes MEASUREMENT and the strict verifier refuses; no secret event', () => {
    const tamper: Attack = {
      id: 'tamper',
      title: 't',
      attacker: 'host',
      phase: 'launch',
      stride: 'tampering',
      goal: 'secret',
      summary: 't',
      sources: [],
      decidedBy: 'measurement',
      prepare: withBackdooredKernel,
    };
    const good = runScenario({ platform: 'sev-snp', attacks: [], seed: 1 });
    const bad = runScenario({ platform: 'sev-snp', attacks: [tamper], seed: 1 });
    const m = (r: typeof good) => r.transcript.events.find((e) => e.kind === 'measure')?.bytes ?? '';
    expect(m(good)).not.toBe(m(bad));
    const ev = bad.transcript.events.find((e) => e.kind === 'evidence')?.bytes ?? '';
    // MEASUREMENT at 0x90..0xc0 of the signed report is the launch digest the platform computed.
    expect(fromHex(ev).slice(0x90, 0xc0)).toEqual(fromHex(m(bad)));
    expect(bad.verdict?.status).not.toBe('affirming');
    expect(bad.released).toBe(false);
    expect(bad.transcript.events.some((e) => e.kind === 'secret')).toBe(false);
  });
});
