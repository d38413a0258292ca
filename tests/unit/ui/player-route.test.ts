import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locale, setLocale } from '../../../src/ui/i18n/index.svelte';
import {
  clampStep,
  indexFragment,
  isWorkshopFragment,
  parseRoute,
  playerFragment,
  resolvePlayer,
  type PlayerRoute,
} from '../../../src/ui/player/route';

describe('player routes', () => {
  it('leaves every other fragment to the explorer', () => {
    for (const f of [
      '',
      '#',
      '#platform=sev-snp&attacks=memory-dump&seed=1&view=map',
      '#view=memory',
      'seed=1',
    ]) {
      expect(parseRoute(f)).toEqual({ route: { kind: 'explorer' }, problems: [] });
      expect(isWorkshopFragment(f)).toBe(false);
    }
    expect(isWorkshopFragment('#scenarios')).toBe(true);
    expect(isWorkshopFragment('scenario=x')).toBe(true);
  });

  it('reads the index and its filters', () => {
    expect(parseRoute('#scenarios')).toEqual({
      route: { kind: 'index', topic: null, level: null },
      problems: [],
    });
    expect(parseRoute('#scenarios&topic=memory-encryption&level=beginner')).toEqual({
      route: { kind: 'index', topic: 'memory-encryption', level: 'beginner' },
      problems: [],
    });
  });

  it('drops bad filters with a message', () => {
    const { route, problems } = parseRoute('#scenarios&topic=%3Cb%3E&level=expert&x=1');
    expect(route).toEqual({ kind: 'index', topic: null, level: null });
    expect(problems).toEqual([
      'topic "<b>" is not a topic id; showing every topic',
      'unknown level "expert" (known: beginner, intermediate, advanced); showing every level',
      'unknown setting "x" ignored',
    ]);
  });

  it('reads a player link', () => {
    expect(parseRoute('#scenario=memory-dump-plain-vs-confidential&s=3&mode=presenter')).toEqual({
      route: {
        kind: 'player',
        id: 'memory-dump-plain-vs-confidential',
        step: 3,
        mode: 'presenter',
        source: 'shipped',
      },
      problems: [],
    });
    expect(parseRoute('scenario=a&mode=audience&src=file').route).toEqual({
      kind: 'player',
      id: 'a',
      step: null,
      mode: 'audience',
      source: 'file',
    });
  });

  it('keeps what it can of a bad player link', () => {
    const { route, problems } = parseRoute('#scenario=a&s=0&mode=boss&s=2&src=http');
    expect(route).toEqual({ kind: 'player', id: 'a', step: null, mode: 'normal', source: 'shipped' });
    expect(problems).toEqual([
      '"s" appears more than once; using its first value',
      'step "0" is not a step number from 1; resuming instead',
      'unknown mode "boss" (known: presenter, audience) ignored',
      'unknown source "http" ignored',
    ]);
    expect(parseRoute('#scenario=a&s=1e3').route).toMatchObject({ step: null });
    expect(parseRoute('#scenario=a&s=99999999').route).toMatchObject({ step: null });
  });

  it('turns a bad id into the index with a message', () => {
    for (const f of [
      '#scenario=%3Cscript%3E',
      '#scenario=',
      '#scenario=A_B',
      '#scenarioX',
      '#scenario=../x',
    ]) {
      const { route, problems } = parseRoute(f);
      expect(route).toEqual({ kind: 'index', topic: null, level: null });
      expect(problems.length).toBe(1);
    }
    expect(parseRoute(`#scenario=${'a'.repeat(3000)}`).problems[0]).toMatch(/characters long/);
  });

  it('serialises and parses back', () => {
    expect(indexFragment()).toBe('scenarios');
    expect(indexFragment({ topic: 'attestation', level: 'advanced' })).toBe(
      'scenarios&topic=attestation&level=advanced',
    );
    expect(indexFragment({ topic: 'Not An Id' })).toBe('scenarios');
    expect(playerFragment({ id: 'x-1', step: 2 })).toBe('scenario=x-1&s=2');
    expect(playerFragment({ id: 'x-1', step: null, mode: 'audience', source: 'file' })).toBe(
      'scenario=x-1&mode=audience&src=file',
    );
    const routes = fc.record({
      id: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/),
      step: fc.option(fc.integer({ min: 1, max: 10_000 })),
      mode: fc.constantFrom('normal' as const, 'presenter' as const, 'audience' as const),
      source: fc.constantFrom('shipped' as const, 'file' as const),
    });
    fc.assert(
      fc.property(routes, (r) => {
        const parsed = parseRoute(`#${playerFragment(r)}`);
        expect(parsed.problems).toEqual([]);
        expect(parsed.route).toEqual({ kind: 'player', ...r });
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const f of [s, `#scenario${s}`, `#scenarios&${s}`, `#scenario=a&${s}`]) {
          const { route, problems } = parseRoute(f);
          expect(['explorer', 'index', 'player']).toContain(route.kind);
          expect(Array.isArray(problems)).toBe(true);
        }
      }),
      { seed: 11, numRuns: 500 },
    );
    expect(parseRoute('#scenario=a&%E0%A4%A=1').route.kind).toBe('player');
    expect(parseRoute(undefined as unknown as string).route.kind).toBe('explorer');
  });

  it('sends an unknown scenario to the index with a clear message', () => {
    const known = (id: string) => id === 'here';
    const route: PlayerRoute = { kind: 'player', id: 'gone', step: 2, mode: 'normal', source: 'shipped' };
    expect(resolvePlayer({ ...route, id: 'here' }, known)).toEqual({
      route: { ...route, id: 'here' },
      problem: null,
    });
    const out = resolvePlayer(route, known);
    expect(out.route).toEqual({ kind: 'index', topic: null, level: null });
    expect(out.problem).toBe('there is no workshop scenario "gone"; here are the ones there are');
    expect(resolvePlayer({ ...route, source: 'file' }, known).problem).toMatch(/open it again/);
  });

  it('clamps step numbers', () => {
    expect(clampStep(0, 5)).toBe(1);
    expect(clampStep(9, 5)).toBe(5);
    expect(clampStep(3.7, 5)).toBe(3);
    expect(clampStep(Number.NaN, 5)).toBe(1);
    expect(clampStep(2, 0)).toBe(1);
  });
});

describe('the language in a workshop link', () => {
  it('is the UI’s, not a setting of the route', () => {
    expect(parseRoute('#scenarios&lang=zh-CN')).toEqual({
      route: { kind: 'index', topic: null, level: null },
      problems: [],
    });
    expect(parseRoute('#scenario=a&s=2&lang=en')).toEqual({
      route: { kind: 'player', id: 'a', step: 2, mode: 'normal', source: 'shipped' },
      problems: [],
    });
  });

  it('words the problems in the current language', () => {
    const before = locale();
    setLocale('zh-CN');
    try {
      expect(parseRoute('#scenarios&x=1').problems).toEqual(['已忽略未知设置 "x"']);
      expect(
        resolvePlayer({ kind: 'player', id: 'gone', step: null, mode: 'normal', source: 'file' }, () => false)
          .problem,
      ).toMatch(/请用“打开场景文件…”重新打开/);
    } finally {
      setLocale(before);
    }
  });
});
