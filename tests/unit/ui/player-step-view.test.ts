import { describe, expect, it } from 'vitest';
import type { ExplorerRun } from '../../../src/model/explore-types';
import { parseFragment } from '../../../src/ui/state/url-state';
import {
  explorerHref,
  explorerState,
  fieldRange,
  focusedEvent,
  inputKey,
  positionOf,
  type ResolvedStep,
} from '../../../src/ui/player/step-view';

const events = ['launch', 'measure', 'nonce', 'evidence', 'verdict', 'secret', 'page-read'].map(
  (kind, seq) => ({
    seq,
    kind,
    bytes: kind === 'evidence' ? 'aabbccdd' : undefined,
  }),
);

/** Only what these helpers read of a run. */
const run = {
  events,
  evidence: {
    format: 'snp-report',
    bytes: 'aabbccdd',
    seq: 3,
    fields: [
      { name: 'VERSION', offset: 0, length: 1, description: '' },
      { name: 'MEASUREMENT', offset: 1, length: 2, description: '' },
    ],
  },
} as unknown as ExplorerRun;

const base: ResolvedStep = {
  platform: 'sev-snp',
  attacks: ['memory-dump'],
  misconfiguration: {},
  seed: 1,
  runTo: 'end',
  view: 'map',
};

describe('what a step shows', () => {
  it('resolves runTo to a transcript position', () => {
    expect(positionOf('end', events)).toEqual({ position: 7, missing: null });
    expect(positionOf(0, events)).toEqual({ position: 0, missing: null });
    expect(positionOf(3, events)).toEqual({ position: 3, missing: null });
    expect(positionOf(99, events)).toEqual({ position: 7, missing: null });
    expect(positionOf({ after: 'nonce' }, events)).toEqual({ position: 3, missing: null });
    expect(positionOf({ after: 'launch' }, events)).toEqual({ position: 1, missing: null });
    expect(positionOf({ after: 'refusal' }, events)).toEqual({ position: 7, missing: 'refusal' });
  });

  it('opens the focused event, or the evidence for a field, and highlights the field', () => {
    expect(focusedEvent(undefined, run)).toBeNull();
    expect(focusedEvent({ event: 4 }, run)).toBe(4);
    expect(focusedEvent({ event: 40 }, run)).toBeNull();
    expect(focusedEvent({ field: 'MEASUREMENT' }, run)).toBe(3);
    expect(fieldRange(run, 'MEASUREMENT')).toEqual([1, 3]);
    expect(fieldRange(run, 'NOPE')).toBeNull();
    expect(fieldRange(run, undefined)).toBeNull();
  });

  it('keys the simulation by its inputs only', () => {
    expect(inputKey(base)).toBe(
      inputKey({ ...base, view: 'memory', runTo: 3, misconfiguration: { noNonce: false } }),
    );
    expect(inputKey(base)).not.toBe(inputKey({ ...base, misconfiguration: { noNonce: true } }));
  });

  it('links to the explorer in exactly the same state', () => {
    const s: ResolvedStep = {
      ...base,
      platform: 'tdx',
      attacks: ['tampered-boot'],
      misconfiguration: { allowDebug: true, noNonce: false },
      seed: 7,
      runTo: { after: 'verdict' },
      view: 'attestation',
      focus: { field: 'MEASUREMENT', page: '0x1000' },
    };
    expect(explorerState(s, run)).toEqual({
      platform: 'tdx',
      attacks: ['tampered-boot'],
      misconfiguration: { allowDebug: true },
      seed: 7,
      step: 5,
      view: 'attestation',
      page: '0x1000',
      inspect: 3,
    });
    const href = explorerHref(s, run);
    expect(href).toBe(
      '#platform=tdx&attacks=tampered-boot&misconfig=allowDebug&seed=7&step=5&view=attestation&page=0x1000&inspect=3',
    );
    const known = { platforms: ['tdx'], attacks: ['tampered-boot'] };
    expect(parseFragment(href, known)).toEqual({ state: explorerState(s, run), problems: [] });
    // The end of the run is the explorer's default position.
    expect(explorerState(base, run).step).toBeNull();
    expect(explorerState({ ...base, runTo: 99 }, run).step).toBeNull();
    expect(explorerState({ ...base, runTo: 2 }, null).step).toBe(2);
  });
});
