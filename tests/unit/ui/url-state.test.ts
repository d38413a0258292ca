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
import { zhCN } from '../../../src/ui/i18n/zh-CN';

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
      lang: 'zh-CN',
    };
    const fragment = toFragment(state);
    expect(fragment).toBe(
      'platform=tdx&attacks=tampered-boot,memory-dump&misconfig=noNonce,allowDebug&seed=42&step=7&view=boot&page=0x1000&inspect=3&lang=zh-CN',
    );
    expect(parseFragment(`#${fragment}`, known)).toEqual({ state, problems: [] });
  });

  it('a link without a language leaves it out, so the browser decides', () => {
    const { state, problems } = parseFragment('#platform=tdx&seed=2', known);
    expect(problems).toEqual([]);
    expect(state.lang).toBeUndefined();
    expect(toFragment(state)).not.toContain('lang');
    expect(toFragment({ ...state, lang: 'en' })).toMatch(/&lang=en$/);
  });

  it('reads the language: any Chinese tag is zh-CN, any English tag en, others are named', () => {
    expect(parseFragment('#lang=zh-CN', known).state.lang).toBe('zh-CN');
    expect(parseFragment('#lang=zh', known).state.lang).toBe('zh-CN');
    expect(parseFragment('#lang=zh-Hant-TW', known).state.lang).toBe('zh-CN');
    expect(parseFragment('#lang=en-GB', known).state.lang).toBe('en');
    const bad = parseFragment('#view=boot&lang=fr', known);
    expect(bad.state).toMatchObject({ view: 'boot' });
    expect(bad.state.lang).toBeUndefined();
    expect(bad.problems).toEqual(['unknown language "fr" ignored (known: en, zh-CN)']);
  });

  it('words its problems in the language it is given', () => {
    const { problems } = parseFragment('#platform=nope&view=x&lang=fr', known, zhCN.app.problems);
    expect(problems).toEqual([
      '未知平台 "nope"，改为显示 sev-snp',
      '未知视图 "x"，改为显示“信任域”视图',
      '已忽略未知语言 "fr"（可用：en, zh-CN）',
    ]);
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
        if (state.lang !== undefined) expect(['en', 'zh-CN']).toContain(state.lang);
        for (const p of problems) expect(p.length).toBeLessThan(200);
      }),
      { numRuns: 2000 },
    );
  });
});
