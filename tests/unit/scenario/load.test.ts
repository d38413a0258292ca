import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childPath, loadScenario, loadScenarioWithPositions, parentPath } from '../../../src/scenario/load';
import type { ScenarioProblem } from '../../../src/scenario/types';

const BAD = 'tests/fixtures/scenarios-bad';
const GOOD = 'tests/fixtures/scenarios-good';

const read = (file: string) => readFileSync(file, 'utf8');
const lines = (problems: ScenarioProblem[]) =>
  problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);

function problemsOf(file: string): string[] {
  const r = loadScenario(read(file), file);
  return r.ok ? [] : lines(r.problems);
}

/** A valid scenario to break one thing at a time. */
const VALID = `id: sample
title: Sample
summary: A sample.
level: beginner
duration: 5
topics: [memory-encryption]
objectives: [Explain it]
sources:
  - title: A source
    url: https://example.org/spec
steps:
  - title: One
    view: memory
    narrative: Text.
`;

function load(text: string, file = 'sample.yaml') {
  const r = loadScenario(text, file);
  return r.ok ? [] : lines(r.problems);
}

describe('loadScenario: prose cut short by a YAML comment', () => {
  const warnings = (text: string) => {
    const r = loadScenario(text, 'sample.yaml');
    if (!r.ok) throw new Error(lines(r.problems).join('\n'));
    return lines(r.warnings);
  };

  it('warns where " #" ends a plain narrative, objective or translated title, naming the cut text', () => {
    const text = VALID.replace('narrative: Text.', 'narrative: The CPU raises #UD, and the guest stops')
      .replace(
        'objectives: [Explain it]',
        'objectives:\n  - Explain it   # before the break\n  - Quoted "# is fine"',
      )
      .replace(
        '  - title: One',
        '  - title:\n      en: One\n      zh-CN: 一 #一个很长很长很长很长很长很长很长很长的注释',
      );
    expect(warnings(text)).toEqual([
      "sample.yaml:8:18: objectives[0]: the text stops before '# before the break', which YAML reads as a comment; quote the whole text (or write '#' without a space before it) to keep it",
      "sample.yaml:16:16: steps[0].title.zh-CN: the text stops before '#一个很长很长很长很长很长很长很长很长的注释', which YAML reads as a comment; quote the whole text (or write '#' without a space before it) to keep it",
      "sample.yaml:18:31: steps[0].narrative: the text stops before '#UD, and the guest stops', which YAML reads as a comment; quote the whole text (or write '#' without a space before it) to keep it",
    ]);
  });

  it('an empty value whose line holds " #" says that YAML read the rest as a comment', () => {
    const text = VALID.replace('narrative: Text.', 'narrative: # Heading').replace(
      'summary: A sample.',
      'summary:',
    );
    expect(load(text)).toEqual([
      'sample.yaml:3:1: summary: expected text (a string, or { en: …, zh-CN: … }), got nothing',
      "sample.yaml:14:5: steps[0].narrative: expected text (a string, or { en: …, zh-CN: … }), got nothing (YAML reads everything from ' #' on as a comment: quote the text, or start a block with |)",
    ]);
  });

  it('warns the same in a file with CRLF line ends', () => {
    const text = VALID.replace('narrative: Text.', 'narrative: The CPU raises #UD').replace(/\n/g, '\r\n');
    expect(warnings(text)).toEqual([
      "sample.yaml:14:31: steps[0].narrative: the text stops before '#UD', which YAML reads as a comment; quote the whole text (or write '#' without a space before it) to keep it",
    ]);
  });

  it('does not warn for quoted or block text, "#" inside a word, or a comment after a non-prose value', () => {
    const text = VALID.replace('narrative: Text.', "narrative: 'The CPU raises #UD'")
      .replace('summary: A sample.', 'summary: C# and F# samples')
      .replace('level: beginner', 'level: beginner  # for now')
      .replace('title: Sample', 'title: |\n  Sample # with a hash');
    expect(warnings(text)).toEqual([]);
  });
});

describe('loadScenario: the malformed fixtures, exact messages', () => {
  it('bad-yaml.yaml: the parser error with line:col', () => {
    expect(problemsOf(`${BAD}/bad-yaml.yaml`)).toEqual([
      `${BAD}/bad-yaml.yaml:14:5: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it('unknown-platform.yaml: unknown platform and attack ids, with the known ones', () => {
    expect(problemsOf(`${BAD}/unknown-platform.yaml`)).toEqual([
      `${BAD}/unknown-platform.yaml:13:17: steps[0].setup.platform: unknown platform 'sev-snq' (expected one of plain-vm, vtpm, sev, sev-es, sev-snp, tdx, sgx, nitro, trustzone, cca, ibm-se, ibm-pef)`,
      `${BAD}/unknown-platform.yaml:14:30: steps[0].setup.attacks[1]: unknown attack 'rowhammer' (expected one of memory-dump, register-snoop, page-remap-replay, cpuid-lie, tampered-boot, forged-evidence, replayed-evidence, tcb-rollback, debug-policy, malicious-dma, shared-io-snoop, side-channel, denial-of-service, vendor-root-compromise, early-secret)`,
    ]);
  });

  it('unknown-view.yaml: every schema problem, in plain words, sorted by position', () => {
    expect(problemsOf(`${BAD}/unknown-view.yaml`)).toEqual([
      `${BAD}/unknown-view.yaml:4:8: level: unknown level 'expert' (expected one of beginner, intermediate, advanced)`,
      `${BAD}/unknown-view.yaml:5:11: duration: expected a whole number from 1 to 240, got 0`,
      `${BAD}/unknown-view.yaml:11:5: steps[0]: missing required key 'narrative'`,
      `${BAD}/unknown-view.yaml:12:11: steps[0].view: unknown view 'mem' (expected one of map, boot, attestation, memory, matrix, statechart)`,
      `${BAD}/unknown-view.yaml:13:5: steps[0].narativ: unknown key 'narativ' (did you mean 'narrative'?)`,
      `${BAD}/unknown-view.yaml:15:12: steps[1].runTo: expected end, a transcript position (a whole number ≥ 0) or { after: <event kind> }, got 'start'`,
      `${BAD}/unknown-view.yaml:19:9: steps[1].expect[0].outcom: unknown expectation 'outcom' (did you mean 'outcome'?)`,
      `${BAD}/unknown-view.yaml:20:9: steps[1].expect[1]: an expectation has exactly one key (one of outcome, verdict, claim, check, released, launchRefused, memory, boot, event, matrix), got 2: released, launchRefused`,
    ]);
  });

  it('script-in-narrative.yaml: raw HTML and a javascript: link, each at its own line:col', () => {
    expect(problemsOf(`${BAD}/script-in-narrative.yaml`)).toEqual([
      `${BAD}/script-in-narrative.yaml:16:7: steps[0].narrative: raw HTML is not allowed in narrative (found <script>); write Markdown`,
      `${BAD}/script-in-narrative.yaml:18:29: steps[0].narrative: raw HTML is not allowed in narrative (found <img>); write Markdown`,
      `${BAD}/script-in-narrative.yaml:19:19: steps[0].narrative: link to 'javascript:alert(1)' is not allowed in narrative (links must be http:, https:, mailto: or a #anchor)`,
    ]);
  });

  it('duplicate-key.yaml: the second key, pointing back at the first', () => {
    expect(problemsOf(`${BAD}/duplicate-key.yaml`)).toEqual([
      `${BAD}/duplicate-key.yaml:14:5: steps[0].view: duplicate key 'view' (first set on line 12); each key may appear once`,
    ]);
  });

  it('failing-expectation.yaml loads (it is wrong only about the simulation)', () => {
    expect(problemsOf(`${BAD}/failing-expectation.yaml`)).toEqual([]);
  });

  it('the good fixture loads, with every optional part', () => {
    const r = loadScenario(read(`${GOOD}/minimal.yaml`), `${GOOD}/minimal.yaml`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.id).toBe('minimal');
    expect(r.scenario.steps).toHaveLength(2);
    expect(r.scenario.steps[1].title).toEqual({
      en: 'The same dump on SEV-SNP',
      'zh-CN': '在 SEV-SNP 上进行同样的转储',
    });
    expect(r.scenario.steps[1].runTo).toEqual({ after: 'verdict' });
    expect(r.scenario.steps[0].expect?.[1]).toEqual({
      memory: { page: '0x1000', host: 'plaintext', secretVisible: true },
    });
  });
});

describe('loadScenario: one problem at a time', () => {
  it('accepts the sample', () => {
    expect(load(VALID)).toEqual([]);
  });

  it.each([
    [
      'title: Sample',
      'title: [a, b]',
      'sample.yaml:2:8: title: expected text (a string, or { en: …, zh-CN: … }), got a list',
    ],
    [
      'title: Sample',
      'title:',
      'sample.yaml:2:1: title: expected text (a string, or { en: …, zh-CN: … }), got nothing',
    ],
    ['title: Sample', 'title: { zh-CN: 样例 }', "sample.yaml:2:8: title: missing required key 'en'"],
    [
      'title: Sample',
      'title: { en: Sample, fr: Exemple }',
      "sample.yaml:2:22: title.fr: unknown key 'fr' (expected one of en, zh-CN)",
    ],
    ['title: Sample', "title: ''", 'sample.yaml:2:8: title: must not be empty'],
    ['duration: 5', 'duration: 2.5', 'sample.yaml:5:11: duration: expected a whole number, got 2.5'],
    ['duration: 5', 'duration: "5"', "sample.yaml:5:11: duration: expected a whole number, got '5'"],
    [
      'topics: [memory-encryption]',
      'topics: [Memory_Encryption]',
      "sample.yaml:6:10: topics[0]: expected a lowercase id (letters and digits in words joined by single hyphens, e.g. snp-memory-dump), got 'Memory_Encryption'",
    ],
    [
      'topics: [memory-encryption]',
      'topics: [a, b, a]',
      "sample.yaml:6:16: topics[2]: 'a' is listed twice (also at topics[0])",
    ],
    [
      'objectives: [Explain it]',
      'objectives: []',
      'sample.yaml:7:13: objectives: expected at least 1 item, got none',
    ],
    [
      '    url: https://example.org/spec',
      '    url: ftp://example.org/spec',
      "sample.yaml:10:10: sources[0].url: expected an http:// or https:// URL, got 'ftp://example.org/spec'",
    ],
    [
      'id: sample',
      'id: other',
      "sample.yaml:1:5: id: id 'other' does not match the file name 'sample.yaml' (expected id: sample)",
    ],
    ['    view: memory', '    view: 3', 'sample.yaml:13:11: steps[0].view: expected a string, got 3'],
    [
      '    view: memory',
      '    view: memory\n    setup: [plain-vm]',
      'sample.yaml:14:12: steps[0].setup: expected a map (platform, attacks, misconfiguration, seed), got a list',
    ],
    [
      '    view: memory',
      '    view: memory\n    setup: { seed: -1 }',
      'sample.yaml:14:20: steps[0].setup.seed: expected a whole number from 0 to 9007199254740991, got -1',
    ],
    [
      '    view: memory',
      '    view: memory\n    setup: { misconfiguration: { noNonce: yes } }',
      "sample.yaml:14:43: steps[0].setup.misconfiguration.noNonce: expected true or false, got 'yes'",
    ],
    [
      '    view: memory',
      '    view: memory\n    setup: { attacks: [memory-dump, memory-dump] }',
      "sample.yaml:14:37: steps[0].setup.attacks[1]: 'memory-dump' is listed twice (also at steps[0].setup.attacks[0])",
    ],
    [
      '    view: memory',
      '    view: memory\n    runTo: -1',
      'sample.yaml:14:12: steps[0].runTo: expected end, a transcript position (a whole number ≥ 0) or { after: <event kind> }, got -1',
    ],
    [
      '    view: memory',
      '    view: memory\n    runTo: { after: verdit }',
      "sample.yaml:14:21: steps[0].runTo.after: unknown event kind 'verdit' (expected one of launch, measure, page-write, page-read, page-remap, page-replay, registers, cpuid, dma, shared-io, nonce, evidence, verdict, token, secret, fault, refusal, halt)",
    ],
    [
      '    view: memory',
      '    view: memory\n    focus: { page: 4096 }',
      'sample.yaml:14:20: steps[0].focus.page: expected a string, got 4096',
    ],
    [
      '    view: memory',
      "    view: memory\n    focus: { page: '0X1000' }",
      "sample.yaml:14:20: steps[0].focus.page: expected a guest page address in lowercase hex, e.g. '0x1000', got '0X1000'",
    ],
    [
      '    view: memory',
      '    view: memory\n    expect: [{}]',
      'sample.yaml:14:14: steps[0].expect[0]: an expectation has exactly one key (one of outcome, verdict, claim, check, released, launchRefused, memory, boot, event, matrix), got none',
    ],
    [
      '    view: memory',
      '    view: memory\n    expect: [{ verdict: { is: good } }]',
      "sample.yaml:14:31: steps[0].expect[0].verdict.is: unknown verdict status 'good' (expected one of affirming, warning, contraindicated, none)",
    ],
    [
      '    view: memory',
      '    view: memory\n    expect: [{ claim: { name: executables, is: 200 } }]',
      'sample.yaml:14:48: steps[0].expect[0].claim.is: expected a whole number from -128 to 127, got 200',
    ],
    [
      '    view: memory',
      '    view: memory\n    expect: [{ memory: { page: "0x1000" } }]',
      "sample.yaml:14:24: steps[0].expect[0].memory: missing required key 'host'",
    ],
    [
      '    view: memory',
      '    view: memory\n    question: { type: quiz }',
      "sample.yaml:14:23: steps[0].question.type: unknown question type 'quiz' (expected one of choice, predict)",
    ],
    [
      '    view: memory',
      '    view: memory\n    question: { type: choice, prompt: P, choices: [a, b], answer: 2, explanation: E }',
      'sample.yaml:14:67: steps[0].question.answer: answer 2 is not one of the choices (expected 0 to 1, an index into choices)',
    ],
    [
      '    view: memory',
      '    view: memory\n    question: { type: predict, prompt: P, attack: memory-dump, answer: leaked, explanation: E, choices: [a] }',
      "sample.yaml:14:96: steps[0].question.choices: unknown key 'choices' (expected one of type, prompt, attack, answer, explanation)",
    ],
    [
      '    view: memory',
      '    view: memory\n    notes: "[x](data:text/html,hi)"',
      "sample.yaml:14:17: steps[0].notes: link to 'data:text/html,hi' is not allowed in notes (links must be http:, https:, mailto: or a #anchor)",
    ],
    [
      '    narrative: Text.\n',
      '    narrative: Text.\n  - id: "1"\n    title: Two\n    view: map\n    narrative: N\n',
      "sample.yaml:15:9: steps[1].id: step id '1' is already used by steps[0]",
    ],
    [
      '    view: memory',
      '    view: memory\n    <<: { view: map }',
      `sample.yaml:14:5: steps[0]["<<"]: unknown key '<<' (expected one of id, title, setup, runTo, view, focus, narrative, notes, question, expect)`,
    ],
  ])('%s → %s', (from, to, message) => {
    expect(VALID).toContain(from);
    expect(load(VALID.replace(from, to))).toEqual([message]);
  });

  it('refuses aliases, naming them', () => {
    const text = VALID.replace('title: Sample', 'title: &t Sample').replace(
      'summary: A sample.',
      'summary: *t',
    );
    expect(load(text)).toEqual([
      'sample.yaml:3:10: summary: aliases (*t) are not supported; write the value out',
    ]);
  });

  it('says what a scenario is when the file is empty, a list, or not YAML text at all', () => {
    expect(load('')).toEqual([
      'sample.yaml:1:1: the file is empty; a scenario is a map with id, title, summary, level, duration, topics, objectives, sources and steps',
    ]);
    expect(load('- a\n- b\n')).toEqual([
      'sample.yaml:1:1: top level: expected a map (id, title, summary, level, duration, topics, objectives, sources, steps), got a list',
    ]);
    expect(load('id: x\n', 'x')).toEqual(
      ['title', 'summary', 'level', 'duration', 'topics', 'objectives', 'sources', 'steps'].map(
        (k) => `x:1:1: top level: missing required key '${k}'`,
      ),
    );
    expect(load(42 as unknown as string)).toEqual([
      'sample.yaml:1:1: expected the text of a YAML file, got 42',
    ]);
  });

  it('checks the id against the file name only for a .yaml path', () => {
    expect(load(VALID.replace('id: sample', 'id: other'), 'inline')).toEqual([]);
    expect(load(VALID, 'scenarios/sample.yaml')).toEqual([]);
    expect(load(VALID, 'C:\\scenarios\\sample.yaml')).toEqual([]);
  });

  it('keeps positions for checkScenario, and paths that walk back to their parents', () => {
    const r = loadScenarioWithPositions(read(`${GOOD}/minimal.yaml`), 'minimal.yaml');
    expect(r.ok).toBe(true);
    expect(r.positions.values.get('steps[1].expect[0]')).toEqual({ line: 50, col: 9 });
    expect(r.positions.values.get('steps[0].setup.platform')).toEqual({ line: 17, col: 17 });
    expect(r.positions.keys.get('steps[0].setup.platform')).toEqual({ line: 17, col: 7 });
    expect(childPath('', 'steps')).toBe('steps');
    expect(childPath('steps', 3)).toBe('steps[3]');
    expect(childPath('title', 'zh-CN')).toBe('title.zh-CN');
    expect(childPath('steps[0]', 'a b')).toBe('steps[0]["a b"]');
    expect(parentPath('steps[0]["a b"]')).toBe('steps[0]');
    expect(parentPath('steps[0].setup.platform')).toBe('steps[0].setup');
    expect(parentPath('steps[0]')).toBe('steps');
    expect(parentPath('steps')).toBe('');
    expect(parentPath('')).toBe('');
  });
});

describe('loadScenario never throws', () => {
  it('refuses nesting no scenario needs before the parser recurses into it (deep input can crash V8)', () => {
    const deep = [
      'a: ' + '['.repeat(3000) + ']'.repeat(3000),
      'a: ' + '{a: '.repeat(2000) + '1' + '}'.repeat(2000),
      '- '.repeat(3000) + 'x',
    ];
    for (let round = 0; round < 3; round++) {
      for (const text of deep) {
        const r = loadScenario(text, 'deep.yaml');
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problems[0].message).toMatch(/^nested too deeply \(more than 64 brackets/);
      }
    }
    expect(load('id: x\ntitle:\n  a: ' + '['.repeat(70))).toEqual([
      'sample.yaml:3:70: nested too deeply (more than 64 brackets or 256 levels of indentation); a scenario needs far fewer',
    ]);
    expect(load('x'.repeat(1024 * 1024 + 1))).toEqual([
      'sample.yaml:1:1: the file is too large (1048577 characters; a scenario has at most 1048576)',
    ]);
  });

  const yamlish = fc
    .array(
      fc.constantFrom(
        'id: ',
        'steps:',
        '\n',
        '  ',
        '- ',
        ': ',
        '[',
        ']',
        '{',
        '}',
        ',',
        '"',
        "'",
        '&a ',
        '*a',
        '!!',
        '#',
        '|',
        '>',
        '?',
        'title',
        'view: map',
        'narrative: ',
        '<script>',
        '](javascript:x)',
        '---',
        '\t',
        'x',
        '0',
        '__proto__: 1',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('on garbled YAML-like text', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const r = loadScenario(text, 'fuzz.yaml');
        return (
          r.ok ||
          (r.problems.length > 0 && r.problems.every((p) => p.line >= 1 && p.col >= 1 && p.message !== ''))
        );
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('on random strings and on a valid scenario cut or garbled anywhere', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = loadScenario(text, 'fuzz.yaml');
        return typeof r.ok === 'boolean';
      }),
      { seed: 8, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(VALID.length), fc.nat(VALID.length), fc.string({ maxLength: 4 }), (at, to, junk) => {
        const text = VALID.slice(0, Math.min(at, to)) + junk + VALID.slice(Math.max(at, to));
        const r = loadScenario(text, 'sample.yaml');
        return r.ok || r.problems.length > 0;
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});
