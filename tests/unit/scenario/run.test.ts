import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load';
import {
  checkScenario,
  checkScenarioText,
  createRunCache,
  runToPosition,
  stepStates,
} from '../../../src/scenario/run';
import type { Scenario } from '../../../src/scenario/types';
import type { TranscriptEvent } from '../../../src/model/transcript';

const cache = createRunCache();
const BAD = 'tests/fixtures/scenarios-bad';
const GOOD = 'tests/fixtures/scenarios-good';
const read = (file: string) => readFileSync(file, 'utf8');

const HEAD = `id: sample
title: Sample
summary: A sample.
level: beginner
duration: 5
topics: []
objectives: [Explain it]
sources: [{ title: A source }]
steps:
`;

/** `file:line:col: message` for each problem of a scenario whose steps are `steps` (YAML, indented). */
function check(steps: string): string[] {
  const r = checkScenarioText(HEAD + steps, 'sample.yaml', { cache });
  return r.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
}

function scenario(steps: Scenario['steps']): Scenario {
  return {
    id: 's',
    title: 'S',
    summary: 'S',
    level: 'beginner',
    duration: 1,
    topics: [],
    objectives: ['O'],
    sources: [{ title: 'S' }],
    steps,
  };
}

describe('stepStates: what the player opens for each step, without simulating', () => {
  it('carries setup forward from the defaults; attacks and misconfiguration replace as a whole', () => {
    const s = scenario([
      { title: 'a', view: 'map', narrative: 'n' },
      {
        title: 'b',
        view: 'memory',
        narrative: 'n',
        setup: {
          platform: 'tdx',
          attacks: ['memory-dump'],
          misconfiguration: { noNonce: true, allowDebug: false },
        },
        runTo: { after: 'verdict' },
        focus: { page: '0x1000' },
      },
      { title: 'c', view: 'boot', narrative: 'n', setup: { seed: 7 }, runTo: 3 },
      {
        title: 'd',
        view: 'matrix',
        narrative: 'n',
        setup: { attacks: [], misconfiguration: { allowDebug: true } },
      },
    ]);
    expect(stepStates(s)).toEqual([
      {
        platform: 'sev-snp',
        attacks: [],
        misconfiguration: {},
        seed: 1,
        runTo: 'end',
        view: 'map',
        focus: {},
      },
      {
        platform: 'tdx',
        attacks: ['memory-dump'],
        misconfiguration: { noNonce: true },
        seed: 1,
        runTo: { after: 'verdict' },
        view: 'memory',
        focus: { page: '0x1000' },
      },
      {
        platform: 'tdx',
        attacks: ['memory-dump'],
        misconfiguration: { noNonce: true },
        seed: 7,
        runTo: 3,
        view: 'boot',
        focus: {},
      },
      {
        platform: 'tdx',
        attacks: [],
        misconfiguration: { allowDebug: true },
        seed: 7,
        runTo: 'end',
        view: 'matrix',
        focus: {},
      },
    ]);
  });

  it('does not share arrays or objects with the scenario', () => {
    const s = scenario([
      {
        title: 'a',
        view: 'map',
        narrative: 'n',
        setup: { attacks: ['memory-dump'] },
        focus: { page: '0x0' },
      },
    ]);
    const [state] = stepStates(s);
    state.attacks.push('x');
    state.focus.page = '0x1';
    expect(s.steps[0].setup?.attacks).toEqual(['memory-dump']);
    expect(s.steps[0].focus?.page).toBe('0x0');
  });
});

describe('runToPosition', () => {
  const events = ['launch', 'measure', 'nonce', 'evidence', 'verdict'].map(
    (kind, seq) =>
      ({ seq, kind, from: 'host', to: 'guest', title: kind, plaintextTo: [] }) as TranscriptEvent,
  );
  it.each([
    ['end', 5],
    [0, 0],
    [5, 5],
    [6, null],
    [{ after: 'launch' }, 1],
    [{ after: 'verdict' }, 5],
    [{ after: 'secret' }, null],
  ] as const)('%j → %j', (runTo, position) => {
    expect(runToPosition(events, runTo)).toBe(position);
  });
});

describe('checkScenario', () => {
  it('failing-expectation.yaml: every failure names the step and both values, at its line:col', () => {
    const file = `${BAD}/failing-expectation.yaml`;
    const r = checkScenarioText(read(file), file, { cache });
    expect(r).toMatchObject({ ok: false, steps: 3, expectations: 7 });
    expect(r.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
      `${file}:26:15: steps[1].question.answer: the outcome of memory-dump on sev-snp is prevented, the scenario's answer is leaked (step 2 'The dump')`,
      `${file}:29:9: steps[1].expect[0]: outcome of memory-dump on sev-snp is prevented, the scenario expects leaked (step 2 'The dump')`,
      `${file}:30:9: steps[1].expect[1]: a 'secret' event by the step's point (6 of 12 events on sev-snp) is absent, the scenario expects present (step 2 'The dump')`,
      `${file}:31:9: steps[1].expect[2]: the host's view of page 0x1000 on sev-snp is ciphertext, the scenario expects plaintext (step 2 'The dump')`,
      `${file}:34:12: steps[2].runTo: position 99 is past the end of the transcript (12 events on sev-snp) (step 3 'The wrong attack')`,
      `${file}:38:9: steps[2].expect[0]: outcome of register-snoop: the attack is not among this step's attacks (memory-dump); add it to setup.attacks (step 3 'The wrong attack')`,
      `${file}:39:9: steps[2].expect[1]: boot register RTMR1: sev-snp has no such register (registers: launch digest) (step 3 'The wrong attack')`,
    ]);
  });

  it('the good fixture holds', () => {
    const file = `${GOOD}/minimal.yaml`;
    expect(checkScenarioText(read(file), file, { cache })).toEqual({
      file,
      ok: true,
      steps: 2,
      expectations: 11,
      problems: [],
      warnings: [],
    });
  });

  it('without positions, problems point at 1:1', () => {
    const loaded = loadScenario(read(`${BAD}/failing-expectation.yaml`), 'failing-expectation.yaml');
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const problems = checkScenario(loaded.scenario, 'failing-expectation.yaml', undefined, { cache });
    expect(problems).toHaveLength(7);
    expect(problems.every((p) => p.line === 1 && p.col === 1)).toBe(true);
  });

  it('checks verdicts, claims, checks, launch refusals and boot registers', () => {
    expect(
      check(`  - title: Tampered TDX
    setup: { platform: tdx, attacks: [tampered-boot] }
    view: boot
    focus: { register: RTMR1, field: MRTD }
    narrative: n
    expect:
      - verdict: { is: warning }
      - claim: { name: executables, is: 33 }
      - check: { name: measurement, ok: false }
      - boot: { register: RTMR1, matches: false }
      - boot: { register: MRTD, matches: true }
      - launchRefused: false
      - released: false
      - outcome: { attack: tampered-boot, is: detected }
  - title: Wrong about it
    view: boot
    narrative: n
    expect:
      - verdict: { is: affirming }
      - claim: { name: executables, is: 3 }
      - check: { name: measurement, ok: true }
      - boot: { register: RTMR1, matches: true }
      - launchRefused: true
      - released: true
`),
    ).toEqual([
      "sample.yaml:28:9: steps[1].expect[0]: verdict on tdx is warning, the scenario expects affirming (step 2 'Wrong about it')",
      "sample.yaml:29:9: steps[1].expect[1]: claim executables on tdx is 33, the scenario expects 3 (step 2 'Wrong about it')",
      "sample.yaml:30:9: steps[1].expect[2]: check measurement on tdx is failed, the scenario expects passed (step 2 'Wrong about it')",
      "sample.yaml:31:9: steps[1].expect[3]: boot register RTMR1 on tdx differs from its reference value, the scenario expects it to match (step 2 'Wrong about it')",
      "sample.yaml:32:9: steps[1].expect[4]: launchRefused on tdx is false, the scenario expects true (step 2 'Wrong about it')",
      "sample.yaml:33:9: steps[1].expect[5]: released on tdx is false, the scenario expects true (step 2 'Wrong about it')",
    ]);
  });

  it('a plain VM has no verdict: verdict none holds, claims and checks cannot', () => {
    expect(
      check(`  - title: Plain
    setup: { platform: plain-vm }
    view: map
    narrative: n
    expect:
      - verdict: { is: none }
      - verdict: { is: affirming }
      - claim: { name: hardware, is: 2 }
      - check: { name: signature, ok: true }
      - event: { kind: verdict, present: false }
`),
    ).toEqual([
      "sample.yaml:16:9: steps[0].expect[1]: verdict on plain-vm is none (nothing was appraised), the scenario expects affirming (step 1 'Plain')",
      "sample.yaml:17:9: steps[0].expect[2]: claim hardware on plain-vm: there is no verdict (nothing was appraised), the scenario expects 2 (step 1 'Plain')",
      "sample.yaml:18:9: steps[0].expect[3]: check signature on plain-vm: there is no verdict (nothing was appraised), the scenario expects passed (step 1 'Plain')",
    ]);
  });

  it('checks matrix cells, memory pages, predict questions, runTo and focus', () => {
    expect(
      check(`  - title: Cells and pages
    setup: { platform: sev, attacks: [memory-dump] }
    runTo: { after: secret }
    view: memory
    focus: { page: '0x5000', event: 40, register: PCR99 }
    narrative: n
    question:
      type: predict
      prompt: p
      attack: register-snoop
      answer: leaked
      explanation: e
    expect:
      - matrix: { platform: sev, attack: register-snoop, is: leaked }
      - matrix: { platform: sev, attack: memory-dump, is: leaked }
      - memory: { page: '0x1000', host: ciphertext, secretVisible: false }
      - memory: { page: '0x01000', host: plaintext, secretVisible: true }
      - memory: { page: '0x9000', host: fault }
      - event: { kind: evidence, present: true }
  - title: No such event
    setup: { platform: plain-vm }
    runTo: { after: verdict }
    view: map
    narrative: n
`),
    ).toEqual([
      "sample.yaml:14:20: steps[0].focus.page: no page 0x5000 in guest memory on sev (pages: 0x0, 0x1000, 0x2000, 0x3000) (step 1 'Cells and pages')",
      "sample.yaml:14:37: steps[0].focus.event: event 40 has not happened by the step's point (7 of 12 events on sev) (step 1 'Cells and pages')",
      "sample.yaml:14:51: steps[0].focus.register: no boot register PCR99 on sev (registers: launch digest) (step 1 'Cells and pages')",
      "sample.yaml:19:15: steps[0].question.attack: register-snoop is not among this step's attacks (memory-dump); add it to setup.attacks (step 1 'Cells and pages')",
      "sample.yaml:24:9: steps[0].expect[1]: matrix cell sev × memory-dump is prevented, the scenario expects leaked (step 1 'Cells and pages')",
      "sample.yaml:26:9: steps[0].expect[3]: the host's view of page 0x01000 on sev is ciphertext, the scenario expects plaintext; secretVisible in page 0x01000 on sev is false, the scenario expects true (step 1 'Cells and pages')",
      "sample.yaml:27:9: steps[0].expect[4]: memory on sev has no page 0x9000 (pages: 0x0, 0x1000, 0x2000, 0x3000) (step 1 'Cells and pages')",
      "sample.yaml:31:12: steps[1].runTo: no 'verdict' event in this run on plain-vm (events: launch, measure, secret, page-write, shared-io, page-read) (step 2 'No such event')",
    ]);
  });

  it('simulates each setup once per cache, and a cache can be shared across scenarios', () => {
    const local = createRunCache();
    checkScenarioText(read(`${GOOD}/minimal.yaml`), 'minimal.yaml', { cache: local });
    expect([...local.runs.keys()]).toEqual([
      JSON.stringify(['plain-vm', ['memory-dump'], [], 1]),
      JSON.stringify(['sev-snp', ['memory-dump'], [], 1]),
    ]);
    expect(local.cells.size).toBe(1);
    const before = local.runs.get(JSON.stringify(['sev-snp', ['memory-dump'], [], 1]));
    checkScenarioText(read(`${GOOD}/minimal.yaml`), 'minimal.yaml', { cache: local });
    expect(local.runs.get(JSON.stringify(['sev-snp', ['memory-dump'], [], 1]))).toBe(before);
  });

  it('reports the load problems of a file that does not load, with zero steps', () => {
    const file = `${BAD}/duplicate-key.yaml`;
    expect(checkScenarioText(read(file), file, { cache })).toMatchObject({
      ok: false,
      steps: 0,
      expectations: 0,
    });
  });
});
