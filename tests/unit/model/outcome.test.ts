/**
 * The judge on hand-built runs: the same rules for every attack, decided by observed bytes, the
 * transcript's plaintext visibility, the verdict and refusals. (End-to-end runs: run.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/core/crypto/bytes';
import { attackById } from '../../../src/model/attacks';
import type { Observation } from '../../../src/model/attacks/attack';
import { judge } from '../../../src/model/outcome';
import type { CapabilityName, Platform } from '../../../src/model/platforms/platform';
import type { RunResult } from '../../../src/model/run-types';
import { Transcript, type NewEvent } from '../../../src/model/transcript';

const secret = utf8('the-workload-secret-0123456789ab');
const mechanisms = new Proxy({} as Record<CapabilityName, string>, {
  get: (_, k) => `Mechanism of ${String(k)}.`,
});
const platform = (excludes: Platform['capabilities']['excludes'] = []): Platform =>
  ({ id: 'test', name: 'Test TEE', mechanisms, capabilities: { excludes } }) as unknown as Platform;

function run(
  attack: string,
  opts: { events?: NewEvent[]; observations?: Observation[]; released?: boolean; launchRefused?: string },
): RunResult {
  const transcript = new Transcript();
  for (const e of opts.events ?? []) transcript.add(e);
  return {
    platform: 'test',
    attacks: [attack],
    seed: 1,
    transcript,
    secret,
    observations: { [attack]: opts.observations ?? [] },
    released: opts.released ?? true,
    ...(opts.launchRefused ? { launchRefused: opts.launchRefused } : {}),
    trustedDomains: ['guest', 'owner', 'platform'],
  };
}

describe('outcome.judge', () => {
  it('leaked: the attacker holds the secret bytes in plaintext', () => {
    const j = judge(
      run('memory-dump', {
        observations: [{ what: 'frame 0x1000 (plaintext)', bytes: Uint8Array.of(1, ...secret, 2) }],
      }),
      attackById('memory-dump'),
      platform(),
    );
    expect(j.outcome).toBe('leaked');
    expect(j.explanation).toMatch(/obtained the secret in plaintext \(frame 0x1000/);
  });

  it('prevented: only ciphertext or faults', () => {
    const ct = judge(
      run('memory-dump', { observations: [{ what: 'frame', bytes: new Uint8Array(4096).fill(7) }] }),
      attackById('memory-dump'),
      platform(),
    );
    expect(ct.outcome).toBe('prevented');
    const fault = judge(
      run('malicious-dma', { observations: [{ what: 'DMA', fault: 'IOMMU blocks' }] }),
      attackById('malicious-dma'),
      platform(),
    );
    expect(fault).toMatchObject({ outcome: 'prevented', explanation: 'The hardware refused: IOMMU blocks.' });
  });

  it('leaked: the secret crossed to the host in plaintext on the transcript (no observation needed)', () => {
    const j = judge(
      run('early-secret', {
        events: [
          {
            kind: 'secret',
            from: 'owner',
            to: 'guest',
            title: 'secret inside the image the host stores',
            bytes: secret,
            plaintextTo: ['owner', 'host', 'guest'],
          },
        ],
      }),
      attackById('early-secret'),
      platform(),
    );
    expect(j.outcome).toBe('leaked');
    expect(j.decisiveEvents).toEqual([0]);
  });

  it('the same secret seen only by trusted domains is not a leak', () => {
    const j = judge(
      run('early-secret', {
        events: [
          {
            kind: 'secret',
            from: 'owner',
            to: 'guest',
            title: 'wrapped secret',
            bytes: secret,
            plaintextTo: ['owner', 'guest'],
          },
        ],
      }),
      attackById('early-secret'),
      platform(),
    );
    expect(j.outcome).toBe('prevented');
  });

  it('leaked: integrity broken when the guest acted on tampered state', () => {
    const j = judge(
      run('page-remap-replay', {
        observations: [{ what: 'guest read after the remap', guestActedOnTamperedState: true }],
      }),
      attackById('page-remap-replay'),
      platform(),
    );
    expect(j.outcome).toBe('leaked');
    expect(j.explanation).toMatch(/Mechanism of integrity/);
  });

  it('detected: the verifier refused and nothing was released', () => {
    const j = judge(
      run('tampered-boot', {
        released: false,
        events: [
          {
            kind: 'verdict',
            from: 'owner',
            to: 'owner',
            title: 'contraindicated: measurement',
            plaintextTo: ['owner'],
            detail: { accepted: false },
          },
        ],
      }),
      attackById('tampered-boot'),
      platform(),
    );
    expect(j.outcome).toBe('detected');
    expect(j.decisiveEvents).toContain(0);
  });

  it('out-of-scope: it works, but the declared threat model excludes it; and denial of service always', () => {
    const sc = run('side-channel', { observations: [{ what: 'trace', bytes: secret }] });
    expect(judge(sc, attackById('side-channel'), platform(['side-channels'])).outcome).toBe('out-of-scope');
    expect(judge(sc, attackById('side-channel'), platform([])).outcome).toBe('leaked');
    const dos = run('denial-of-service', { observations: [{ what: 'halted', halted: true }] });
    expect(judge(dos, attackById('denial-of-service'), platform()).outcome).toBe('out-of-scope');
  });

  it('prevented when the launch was refused; not-applicable when the attack found no surface', () => {
    expect(
      judge(
        run('tampered-boot', { launchRefused: 'the image tag does not match' }),
        attackById('tampered-boot'),
        platform(),
      ).outcome,
    ).toBe('prevented');
    const na = run('cpuid-lie', {
      events: [
        {
          kind: 'refusal',
          from: 'host',
          to: 'guest',
          title: 'this platform serves no CPUID to the guest',
          plaintextTo: ['host'],
          attack: 'cpuid-lie',
          detail: { surface: 'absent' },
        },
      ],
    });
    expect(judge(na, attackById('cpuid-lie'), platform()).outcome).toBe('not-applicable');
  });
});
