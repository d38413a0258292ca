import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectLocale,
  langParam,
  localeFromBrowser,
  localeFromUrl,
  matchLocale,
  urlWithLocale,
} from '../../../src/ui/i18n/detect';
import { en } from '../../../src/ui/i18n/en';
import { formatNumber, formatSize } from '../../../src/ui/i18n/format';
import { attackTitle, CATALOGUES, locale, messages, setLocale } from '../../../src/ui/i18n/index.svelte';
import { ATTACKS } from '../../../src/model/attacks';
import { fitUnits, textUnits, unwiden, widen, wrapUnits } from '../../../src/ui/i18n/width';
import { zhCN } from '../../../src/ui/i18n/zh-CN';

type Leaf = { path: string; value: unknown };

/** Every leaf (string or function) of a catalogue, with its dotted path. */
function leaves(node: unknown, path = ''): Leaf[] {
  if (typeof node === 'string' || typeof node === 'function') return [{ path, value: node }];
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  throw new Error(`${path}: a catalogue holds only strings, functions and sections, not ${typeof node}`);
}

function at(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], root);
}

/** Strings that are the same in every language: technical names and signs, not words to translate. */
const SAME_IN_EVERY_LANGUAGE = new Set(['CPU', '–']);

/** Functions whose output may equal the English for the samples: numbers and ids only, no words. */
const LANGUAGE_NEUTRAL_FUNCTIONS = new Set([
  'timeline.speedOption',
  'timeline.position',
  'trustDomainMap.stepLabel',
  'memoryInspector.gpaHpa',
  'evidenceDrop.size',
]);

const node = { label: 'Firmware', short: '9f3a…c1d2', index: 2, component: 'OVMF firmware volume' };
const arrow = { seq: 4, from: 'host', to: 'guest', self: false, attack: 'memory-dump' };
const flowLabel = {
  seq: 3,
  implied: false,
  kind: 'Evidence',
  atHost: true,
  status: 'affirming',
  refused: true,
  via: true,
  attack: 'replay',
  title: 'SNP report',
};
const flowDescription = {
  seq: 3,
  implied: false,
  kind: 'Evidence',
  from: 'Attester',
  to: 'Verifier',
  via: true,
  accepted: false,
  title: 'SNP report',
  attack: 'replay',
  inspectable: true,
};

/** Arguments to call each catalogue function with; a new function needs an entry here. */
const SAMPLES: Record<string, unknown[][]> = {
  'app.attackOutcome': [['Host administrator dumps guest memory']],
  'app.problems.tooLong': [[5000, 2048]],
  'app.problems.repeated': [['"seed"']],
  'app.problems.platform': [['"x"', 'sev-snp']],
  'app.problems.attack': [['"x"']],
  'app.problems.misconfig': [['"x"', 'noNonce, allowDebug']],
  'app.problems.notInteger': [['seed', '"-1"', 2147483647]],
  'app.problems.view': [['"x"', 'map']],
  'app.problems.page': [['"x"']],
  'app.problems.lang': [['"fr"', 'en, zh-CN']],
  'app.problems.setting': [['"evil"']],
  'app.inspectorHeading': [[5, 'SNP attestation report']],
  'timeline.speedOption': [[0.5], [2]],
  'timeline.valueText': [
    [3, 20, 'Owner sends a nonce'],
    [0, 20, null],
  ],
  'timeline.position': [[3, 20]],
  'timeline.attack': [['memory-dump']],
  'trustDomainMap.label': [['AMD SEV-SNP', 3, 20]],
  'trustDomainMap.nodeInReach': [['Device']],
  'trustDomainMap.attack': [['memory-dump']],
  'trustDomainMap.arrow': [
    [arrow, 'Host dumps a guest frame', true],
    [{ ...arrow, self: true, attack: undefined }, 'Guest stores the secret', false],
  ],
  'trustDomainMap.stepLabel': [[4, 'Host dumps a guest frame']],
  'trustDomainMap.alarm': [['Host', 4, 'Host dumps a guest frame']],
  'bootChain.steps': [[1], [12]],
  'bootChain.hash': [['sha384']],
  'bootChain.step': [[3]],
  'bootChain.valueAction': [['copy', 'RTMR1', 'final']],
  'bootChain.nodeLabel': [[node, 'RTMR1', 5, '✗ changed input']],
  'attestationFlow.short': [[flowLabel], [{ ...flowLabel, implied: true, status: null, title: null }]],
  'attestationFlow.describe': [[flowDescription], [{ ...flowDescription, accepted: null, attack: null }]],
  'attestationFlow.shown': [[2, 9]],
  'payloadInspector.region': [['SNP attestation report']],
  'payloadInspector.bytes': [[1], [1184]],
  'payloadInspector.byteAt': [['0x04a']],
  'payloadInspector.select': [['MEASUREMENT']],
  'payloadInspector.range': [
    ['0x0090', '0x00bf', 48],
    ['0x0000', '0x0000', 1],
  ],
  'payloadInspector.highlighted': [['0x090–0x0bf (48 bytes)']],
  'payloadInspector.showBytes': [['0x090–0x0bf', 'MEASUREMENT'], ['0x090–0x0bf']],
  'payloadInspector.value': [['33']],
  'memoryInspector.notYet': [[12]],
  'memoryInspector.gpaHpa': [['0x1000', '0x7f000']],
  'memoryInspector.owner': [
    ['guest', true, '0x1000'],
    ['hypervisor', false, null],
  ],
  'memoryInspector.marked': [['0x040', 32]],
  'memoryInspector.alsoAt': [
    [['0x100', '0x200'], true],
    [['0x100'], false],
  ],
  'memoryInspector.foundAt': [[['0x040']]],
  'memoryInspector.uniform': [['0xff']],
  'memoryInspector.rows': [[8, 256]],
  'memoryInspector.showAll': [[256]],
  'memoryInspector.showFirst': [[8]],
  'memoryInspector.event': [[14, 'memory-dump', 'dump', 4096]],
  'memoryInspector.hexLabel': [['As the host sees it']],
  'threatMatrix.exportAs': [['CSV']],
  'threatMatrix.computing': [[12, 180]],
  'threatMatrix.failed': [['worker crashed']],
  'threatMatrix.noMatch': [['xyz']],
  'threatMatrix.cell': [['AMD SEV-SNP', 'Memory dump', 'prevented']],
  'threatMatrix.exportCaption': [
    [7, 'noNonce'],
    [1, ''],
  ],
  'statechart.chart': [['Host']],
  'statechart.since': [[0], [5]],
  'statechart.stateLabel': [
    [{ id: 'running', any: false, initial: true, final: false }, ['EXIT'], true, 'done'],
    [{ id: '*', any: true, initial: false, final: true }, [], false, undefined],
  ],
  'statechart.edgeLabel': [['launching', 'running', ['LAUNCHED', 'RESUMED'], true]],
  'evidenceDrop.notesHeading': [[3]],
  'evidenceDrop.done': [
    [1, 0],
    [4, 2],
  ],
  'evidenceDrop.size': [[512], [2048], [3 * 1024 * 1024]],
  'evidenceDrop.tooLarge': [['16.0 MiB']],
  'evidenceDrop.failed': [['out of memory']],
  'workshops.minutes': [[1], [45]],
  'workshops.problems.repeated': [['"s"']],
  'workshops.problems.tooLong': [[3000, 2048]],
  'workshops.problems.noValue': [['"scenarios"']],
  'workshops.problems.topic': [['"<b>"']],
  'workshops.problems.level': [['"expert"', 'beginner, intermediate, advanced']],
  'workshops.problems.setting': [['"x"']],
  'workshops.problems.notId': [['"<script>"']],
  'workshops.problems.step': [['"0"']],
  'workshops.problems.mode': [['"boss"', 'presenter, audience']],
  'workshops.problems.source': [['"http"']],
  'workshops.problems.fileGone': [['"my-lab"', 'Open a scenario file…']],
  'workshops.problems.unknownScenario': [['"gone"']],
  'scenarioIndex.count': [
    [17, 17],
    [1, 1],
    [3, 17],
  ],
  'scenarioIndex.objectives': [[1], [4]],
  'scenarioIndex.steps': [[1], [6]],
  'scenarioIndex.progress': [
    [2, 6, 0, 0],
    [6, 6, 2, 3],
  ],
  'scenarioIndex.fileProblems': [
    ['lab.yaml', 1],
    ['lab.yaml', 3],
  ],
  'scenarioIndex.fileWarnings': [
    ['lab.yaml', 1],
    ['lab.yaml', 2],
  ],
  'scenarioIndex.tooLarge': [[300000, 262144]],
  'player.fromFile': [['lab.yaml']],
  'player.stepOf': [[3, 7]],
  'player.system': [
    ['AMD SEV-SNP', ['Memory dump', 'Replayed evidence']],
    ['Intel TDX', []],
  ],
  'player.position': [
    [0, 20, null],
    [5, 20, '#5 Owner sends a nonce'],
    [5, 20, null],
  ],
  'player.missing': [['measure']],
  'player.notInRun': [['Memory dump']],
  'player.score': [
    [1, 2, 3],
    [0, 0, 1],
  ],
  'player.of': [[45]],
  'embed.notShown': [['there is no workshop scenario "gone"']],
};

/** Chinese characters or full-width (Chinese) punctuation. */
const HAN = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the zh-CN catalogue translates every English UI string', () => {
  const english = leaves(en);
  const chinese = leaves(zhCN);

  it('has exactly the same keys', () => {
    expect(chinese.map((l) => l.path)).toEqual(english.map((l) => l.path));
  });

  it('has the same kind of value at every key, and functions take the same parameters', () => {
    for (const { path, value } of english) {
      const zh = at(zhCN, path);
      expect(typeof zh, path).toBe(typeof value);
      if (typeof value === 'function') expect((zh as () => string).length, path).toBe(value.length);
    }
  });

  it('leaves no string in English (technical names and signs excepted)', () => {
    for (const { path, value } of english) {
      if (typeof value !== 'string') continue;
      const zh = at(zhCN, path) as string;
      expect(zh.trim(), path).not.toBe('');
      if (SAME_IN_EVERY_LANGUAGE.has(value)) continue;
      expect(zh, `${path} is still English`).not.toBe(value);
      expect(zh, `${path} has no Chinese`).toMatch(HAN);
      expect(placeholders(zh), `${path} placeholders`).toEqual(placeholders(value));
    }
  });

  it('has no Chinese in the English catalogue', () => {
    for (const { path, value } of english) {
      if (typeof value === 'string') expect(value, path).not.toMatch(HAN);
    }
  });

  it('has sample arguments for every function, and no sample for a function that is gone', () => {
    const functions = english.filter((l) => typeof l.value === 'function').map((l) => l.path);
    expect(Object.keys(SAMPLES).sort()).toEqual([...functions].sort());
  });

  it('functions in both catalogues return non-empty strings, in their own language', () => {
    for (const [path, calls] of Object.entries(SAMPLES)) {
      const enFn = at(en, path) as (...args: unknown[]) => unknown;
      const zhFn = at(zhCN, path) as (...args: unknown[]) => unknown;
      for (const args of calls) {
        const a = enFn(...args);
        const b = zhFn(...args);
        expect(typeof a, `${path} (en)`).toBe('string');
        expect(typeof b, `${path} (zh-CN)`).toBe('string');
        expect((a as string).trim(), `${path} (en)`).not.toBe('');
        expect((b as string).trim(), `${path} (zh-CN)`).not.toBe('');
        expect(a as string, `${path} (en)`).not.toMatch(HAN);
        if (LANGUAGE_NEUTRAL_FUNCTIONS.has(path)) continue;
        expect(b, `${path} (zh-CN) is still English`).not.toBe(a);
        expect(b as string, `${path} (zh-CN) has no Chinese`).toMatch(HAN);
      }
    }
  });

  it('keeps outcome words consistent and distinct', () => {
    expect(zhCN.outcomes).toEqual({
      leaked: '泄露',
      detected: '检测到',
      prevented: '已阻止',
      'out-of-scope': '不在威胁模型内',
      'not-applicable': '不适用',
    });
    for (const catalogue of [en, zhCN]) {
      expect(new Set(Object.values(catalogue.outcomes)).size).toBe(5);
      expect(new Set(Object.values(catalogue.outcomeLetters)).size).toBe(5);
    }
  });

  it('the components keep no strings of their own (they read the catalogue)', () => {
    const dir = new URL('../../../src/ui/', import.meta.url);
    const svelteIn = (folder: string) =>
      readdirSync(new URL(`${folder}/`, dir))
        .filter((f) => f.endsWith('.svelte'))
        .map((f) => `${folder}/${f}`);
    const files = [
      'App.svelte',
      'Root.svelte',
      ...svelteIn('views'),
      ...svelteIn('player'),
      ...svelteIn('embed'),
    ];
    expect(files.length).toBeGreaterThanOrEqual(18);
    for (const f of files) {
      const source = readFileSync(new URL(f, dir), 'utf8');
      expect(source, f).not.toMatch(/const text = \{/);
      expect(source, f).toMatch(/messages\(\)/);
    }
  });
});

describe('attack titles', () => {
  it('in English are the attack files’ own titles, for every attack and no other id', () => {
    expect(Object.keys(en.attackTitles)).toEqual(ATTACKS.map((a) => a.id));
    for (const a of ATTACKS) expect(en.attackTitles[a.id as keyof typeof en.attackTitles]).toBe(a.title);
  });

  it('attackTitle() follows the language, and gives an unknown id back as it is', () => {
    setLocale('zh-CN');
    expect(attackTitle('memory-dump')).toBe('主机管理员转储客户机内存');
    expect(attackTitle('rowhammer')).toBe('rowhammer');
    expect(attackTitle('__proto__')).toBe('__proto__');
    setLocale('en');
    expect(attackTitle('memory-dump')).toBe('Host administrator dumps guest memory');
  });
});

describe('the current language', () => {
  it('switches the catalogue that messages() returns', () => {
    expect(CATALOGUES.en).toBe(en);
    const before = locale();
    setLocale('zh-CN');
    expect(messages().app.title).toBe('机密计算威胁探索器');
    setLocale('en');
    expect(messages().app.title).toBe('Confidential Computing Threat Explorer');
    setLocale(before);
  });
});

describe('language detection: the URL, then the browser, then English', () => {
  it('maps tags to the catalogues: any Chinese to zh-CN, any English to en', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-cn', 'zh-Hans', 'zh-Hans-CN', 'zh-TW', 'zh-Hant-HK', 'zh_SG'])
      expect(matchLocale(tag), tag).toBe('zh-CN');
    for (const tag of ['en', 'en-US', 'en-GB', 'EN']) expect(matchLocale(tag), tag).toBe('en');
    for (const tag of ['fr', 'ja', '', 'zhx', null, undefined]) expect(matchLocale(tag)).toBeNull();
  });

  it('reads lang from a query string or a fragment', () => {
    expect(langParam('?lang=zh-CN')).toBe('zh-CN');
    expect(langParam('#platform=tdx&lang=en&view=boot')).toBe('en');
    expect(langParam('#platform=tdx')).toBeNull();
    expect(langParam('')).toBeNull();
    expect(localeFromUrl('?lang=zh', '')).toBe('zh-CN');
    expect(localeFromUrl('?lang=en', '#view=map&lang=zh-CN')).toBe('zh-CN');
    expect(localeFromUrl('?lang=zh-CN', '#view=map&lang=xx')).toBe('zh-CN');
    expect(localeFromUrl('', '#view=map')).toBeNull();
  });

  it('takes the first of the browser’s languages that the UI has', () => {
    expect(localeFromBrowser(['fr-FR', 'zh-TW', 'en'])).toBe('zh-CN');
    expect(localeFromBrowser(['en-GB', 'zh-CN'])).toBe('en');
    expect(localeFromBrowser(['fr', 'de'])).toBeNull();
    expect(localeFromBrowser([])).toBeNull();
    expect(localeFromBrowser(undefined)).toBeNull();
  });

  it('prefers the URL over the browser, and the browser over the default', () => {
    expect(detectLocale({ search: '?lang=en', hash: '', languages: ['zh-CN'] })).toEqual({
      locale: 'en',
      source: 'url',
    });
    expect(detectLocale({ search: '', hash: '#seed=1&lang=zh-CN', languages: ['en-US'] })).toEqual({
      locale: 'zh-CN',
      source: 'url',
    });
    expect(detectLocale({ search: '?lang=klingon', hash: '', languages: ['zh-SG'] })).toEqual({
      locale: 'zh-CN',
      source: 'browser',
    });
    expect(detectLocale({ search: '', hash: '', languages: ['fr', 'de'] })).toEqual({
      locale: 'en',
      source: 'default',
    });
  });

  it('writes the chosen language into the URL, the fragment’s lang first, else the query', () => {
    const base = 'http://127.0.0.1:4173/';
    expect(urlWithLocale(`${base}#platform=tdx&lang=zh-CN&view=boot`, 'en')).toBe(
      `${base}#platform=tdx&lang=en&view=boot`,
    );
    expect(urlWithLocale(`${base}#platform=tdx&view=boot`, 'zh-CN')).toBe(
      `${base}?lang=zh-CN#platform=tdx&view=boot`,
    );
    expect(urlWithLocale(`${base}?lang=en#lang=en`, 'zh-CN')).toBe(`${base}?lang=zh-CN#lang=zh-CN`);
    expect(urlWithLocale(`${base}?x=1`, 'zh-CN')).toBe(`${base}?x=1&lang=zh-CN`);
    expect(urlWithLocale(`${base}#scenarios`, 'en')).toBe(`${base}?lang=en#scenarios`);
  });
});

describe('numbers and text widths', () => {
  it('formats numbers in each locale', () => {
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
    expect(formatNumber('zh-CN', 1234567)).toBe('1,234,567');
    expect(formatSize('en', 1536)).toBe('1.5 KiB');
    expect(formatSize('zh-CN', 512)).toBe('512 B');
    expect(en.payloadInspector.bytes(12345)).toBe('12,345 bytes');
    expect(zhCN.payloadInspector.bytes(12345)).toBe('12,345 字节');
  });

  it('counts CJK glyphs as wide, and agrees with the character count for ASCII', () => {
    expect(textUnits('Host admin')).toBe(10);
    expect(textUnits('主机')).toBeCloseTo(3.5);
    expect(fitUnits('Security processor', 10)).toBe('Security…');
    expect(fitUnits('Short', 10)).toBe('Short');
    const cut = fitUnits('虚拟机监控器', 6);
    expect(cut.endsWith('…')).toBe(true);
    expect(textUnits(cut)).toBeLessThanOrEqual(6);
    expect(wrapUnits('one two three four', 9, 3)).toEqual(['one two', 'three', 'four']);
    const lines = wrapUnits('尚未发生任何事件：前进一步即可看到第一条消息。', 20, 3);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(textUnits(l)).toBeLessThanOrEqual(20);
  });

  it('widens CJK text for layouts that count characters, invisibly and reversibly', () => {
    expect(widen('#4 Evidence · via host')).toBe('#4 Evidence · via host');
    const wide = widen('#4 证据 · 经由主机');
    expect(wide.length).toBe('#4 证据 · 经由主机'.length + 6);
    expect(unwiden(wide)).toBe('#4 证据 · 经由主机');
  });
});
