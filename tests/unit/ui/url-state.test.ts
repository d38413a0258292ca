import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../../src/model/attacks';
import { PLATFORMS } from '../../../src/model/platforms';
import {
  DEFAULT_STATE,
  MISCONFIGURATIONS,
  parseFragment,
  toFragment,
  VIEWS,
  type ExplorerState,
} from '../../../src/ui/state/url-state';

const known = { platforms: PLATFORMS.map((p) => p.id), attacks: ATTACKS.map((a) => a.id) };

describe('URL fragment state', () => {
  it('round-trips every field', () => {
    const state: ExplorerState = {
      platform: 'tdx',
      attacks: ['tampered-boot', 'memory-dump'],
      misconfiguration: { noNonce: true, allowDebug: true },
      seed: 42,
      step: 7,
      view: 'boot',
      page: '0x1000',
      inspect: 3,
    };
    const fragment = toFragment(state);
    expect(fragment).toBe(
      'platform=tdx&attacks=tampered-boot,memory-dump&misconfig=noNonce,allowDebug&seed=42&step=7&view=boot&page=0x1000&inspect=3',
    );
    expect(parseFragment(`#${fragment}`, known)).toEqual({ state, problems: [] });
  });

  it('an empty fragment is the default state without complaint', () => {
    expect(parseFragment('', known)).toEqual({ state: DEFAULT_STATE, problems: [] });
    expect(parseFragment('#', known).problems).toEqual([]);
  });

  it('names every garbled part and keeps the rest', () => {
    const { state, problems } = parseFragment(
      '#platform=sev-snq&attacks=memory-dump,<script>,memory-dump&seed=-1&step=9&view=x&misconfig=yolo&evil=1',
      known,
    );
    expect(state).toMatchObject({
      platform: 'sev-snp',
      attacks: ['memory-dump'],
      seed: 1,
      step: 9,
      view: 'map',
    });
    expect(problems).toEqual([
      'unknown platform "sev-snq"; showing sev-snp',
      'unknown attack "<script>" ignored',
      'seed "-1" is not a whole number from 0 to 2147483647; using the default',
      'unknown view "x"; showing the map view',
      'unknown misconfiguration "yolo" ignored (known: noNonce, allowDebug, secretBeforeAttestation)',
      'unknown setting "evil" ignored',
    ]);
  });

  it('refuses an oversized fragment whole', () => {
    const { state, problems } = parseFragment(`#platform=tdx&x=${'a'.repeat(5000)}`, known);
    expect(state).toEqual(DEFAULT_STATE);
    expect(problems[0]).toMatch(/at most 2048/);
  });

  it('never throws and always yields a valid state, whatever the fragment', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const { state, problems } = parseFragment(s, known);
        expect(known.platforms).toContain(state.platform);
        for (const a of state.attacks) expect(known.attacks).toContain(a);
        expect(VIEWS).toContain(state.view);
        expect(Number.isSafeInteger(state.seed)).toBe(true);
        for (const m of Object.keys(state.misconfiguration)) expect(MISCONFIGURATIONS).toContain(m);
        for (const p of problems) expect(p.length).toBeLessThan(200);
      }),
      { numRuns: 2000 },
    );
  });
});
