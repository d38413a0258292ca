import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../../src/model/attacks';
import { PLATFORMS } from '../../../src/model/platforms';
import {
  embedQuery,
  embedSnippet,
  embedTitle,
  explorerFragment,
  explorerHref,
  parseEmbedQuery,
} from '../../../src/ui/embed/embed-url';
import {
  COMMAND_TYPES,
  EMBED_SOURCE,
  acceptMessage,
  copyState,
  normaliseOrigin,
  outgoingProblem,
  parseCommand,
  parseOrigins,
  postTargets,
  readyMessage,
  resizeMessage,
  stateMessage,
  stateProblem,
  type EmbedState,
  type KnownIds,
  type OriginPolicy,
} from '../../../src/ui/embed/protocol';
import { DEFAULT_STATE, parseFragment, toFragment } from '../../../src/ui/state/url-state';

const known: KnownIds = {
  platforms: PLATFORMS.map((p) => p.id),
  attacks: ATTACKS.map((a) => a.id),
  scenarios: readdirSync(new URL('../../../scenarios/', import.meta.url))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort(),
};

const T = { target: 'ccte-embed' } as const;

function reason(data: unknown): string {
  const r = parseCommand(data, known);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(data)}`);
  return r.reason;
}

function command(data: unknown) {
  const r = parseCommand(data, known);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

const viewState: EmbedState = {
  mode: 'view',
  view: 'memory',
  platform: 'sev-snp',
  attacks: ['memory-dump'],
  misconfig: [],
  seed: 1,
  step: 12,
  total: 12,
  playing: false,
  scenario: null,
};

const scenarioState: EmbedState = {
  ...viewState,
  mode: 'scenario',
  platform: 'plain-vm',
  step: 8,
  total: 8,
  scenario: { id: 'memory-dump-plain-vs-confidential', step: 2, steps: 7 },
};

describe('embed protocol: commands from the host page', () => {
  it('the scenario ids the tests use exist', () => {
    expect(known.scenarios).toContain('memory-dump-plain-vs-confidential');
    expect(known.scenarios).toContain('tcb-rollback');
  });

  it('accepts play and pause, with or without version 1', () => {
    expect(command({ ...T, type: 'play' })).toEqual({ type: 'play' });
    expect(command({ ...T, type: 'pause' })).toEqual({ type: 'pause' });
    expect(command({ ...T, type: 'play', version: 1 })).toEqual({ type: 'play' });
  });

  it('refuses play and pause with extra keys or another version', () => {
    expect(reason({ ...T, type: 'play', speed: 4 })).toBe(
      'a play message has an unexpected key "speed" (allowed: target, type, version)',
    );
    expect(reason({ ...T, type: 'pause', version: 2 })).toBe(
      'version 2 is not supported (this embed speaks version 1)',
    );
  });

  it('accepts step with to, with delta ±1, and with neither (forward)', () => {
    expect(command({ ...T, type: 'step', to: 0 })).toEqual({ type: 'step', to: 0 });
    expect(command({ ...T, type: 'step', to: 100_000 })).toEqual({ type: 'step', to: 100_000 });
    expect(command({ ...T, type: 'step', delta: 1 })).toEqual({ type: 'step', delta: 1 });
    expect(command({ ...T, type: 'step', delta: -1 })).toEqual({ type: 'step', delta: -1 });
    expect(command({ ...T, type: 'step' })).toEqual({ type: 'step', delta: 1 });
  });

  it('refuses step values out of range or of the wrong type', () => {
    expect(reason({ ...T, type: 'step', to: -1 })).toBe(
      'step "to" -1 is not a whole number from 0 to 100000',
    );
    expect(reason({ ...T, type: 'step', to: 100_001 })).toMatch(/not a whole number/);
    expect(reason({ ...T, type: 'step', to: 2.5 })).toMatch(/not a whole number/);
    expect(reason({ ...T, type: 'step', to: '3' })).toBe(
      'step "to" "3" is not a whole number from 0 to 100000',
    );
    expect(reason({ ...T, type: 'step', to: Number.NaN })).toMatch(/not a whole number/);
    expect(reason({ ...T, type: 'step', to: Infinity })).toMatch(/not a whole number/);
    expect(reason({ ...T, type: 'step', delta: 2 })).toBe('step "delta" 2 is not 1 or -1');
    expect(reason({ ...T, type: 'step', delta: '1' })).toBe('step "delta" "1" is not 1 or -1');
    expect(reason({ ...T, type: 'step', to: 1, delta: 1 })).toBe(
      'a step message has either "to" or "delta", not both',
    );
  });

  it('accepts setPlatform with every known platform, refuses anything else', () => {
    for (const p of known.platforms)
      expect(command({ ...T, type: 'setPlatform', platform: p })).toEqual({
        type: 'setPlatform',
        platform: p,
      });
    expect(reason({ ...T, type: 'setPlatform', platform: 'sev-snq' })).toMatch(
      /^unknown platform "sev-snq" \(known: plain-vm, /,
    );
    expect(reason({ ...T, type: 'setPlatform', platform: 'SEV-SNP' })).toMatch(/^unknown platform/);
    expect(reason({ ...T, type: 'setPlatform' })).toMatch(/^unknown platform nothing/);
    expect(reason({ ...T, type: 'setPlatform', platform: ['sev'] })).toMatch(/^unknown platform a list/);
    expect(reason({ ...T, type: 'setPlatform', platform: 'toString' })).toMatch(/^unknown platform/);
  });

  it('accepts injectAttack on and off (on by default), refuses unknown attacks and non-boolean on', () => {
    for (const a of known.attacks) {
      expect(command({ ...T, type: 'injectAttack', attack: a })).toEqual({
        type: 'injectAttack',
        attack: a,
        on: true,
      });
    }
    expect(command({ ...T, type: 'injectAttack', attack: 'register-snoop', on: false })).toEqual({
      type: 'injectAttack',
      attack: 'register-snoop',
      on: false,
    });
    expect(reason({ ...T, type: 'injectAttack', attack: 'rowhammer' })).toMatch(
      /^unknown attack "rowhammer"/,
    );
    expect(reason({ ...T, type: 'injectAttack', attack: 'memory-dump', on: 'yes' })).toBe(
      'injectAttack "on" "yes" is not true or false',
    );
    expect(reason({ ...T, type: 'injectAttack', attack: 'memory-dump', platform: 'tdx' })).toMatch(
      /unexpected key "platform"/,
    );
  });

  it('accepts loadScenario with a known scenario and an optional step in range', () => {
    expect(command({ ...T, type: 'loadScenario', scenario: 'tcb-rollback' })).toEqual({
      type: 'loadScenario',
      scenario: 'tcb-rollback',
      step: null,
    });
    expect(command({ ...T, type: 'loadScenario', scenario: 'tcb-rollback', step: 3 })).toEqual({
      type: 'loadScenario',
      scenario: 'tcb-rollback',
      step: 3,
    });
    expect(reason({ ...T, type: 'loadScenario', scenario: 'no-such-scenario' })).toMatch(
      /^unknown scenario "no-such-scenario"/,
    );
    expect(reason({ ...T, type: 'loadScenario', scenario: '../secrets' })).toMatch(/^unknown scenario/);
    expect(reason({ ...T, type: 'loadScenario', scenario: 'tcb-rollback', step: 0 })).toBe(
      'scenario step 0 is not a whole number from 1 to 10000',
    );
    expect(reason({ ...T, type: 'loadScenario', scenario: 'tcb-rollback', step: 10_001 })).toMatch(
      /not a whole number from 1 to 10000/,
    );
    expect(reason({ ...T, type: 'loadScenario', scenario: 'tcb-rollback', step: null })).toMatch(
      /scenario step null/,
    );
  });

  it('refuses anything that is not a command object for the embed', () => {
    expect(reason(null)).toBe('the message is null, not an object');
    expect(reason('play')).toBe('the message is "play", not an object');
    expect(reason([T])).toBe('the message is a list, not an object');
    expect(reason(42)).toBe('the message is 42, not an object');
    expect(reason({ type: 'play' })).toBe(
      'the message is not addressed to the embed (its target is nothing, not "ccte-embed")',
    );
    expect(reason({ target: 'other-widget', type: 'play' })).toMatch(/its target is "other-widget"/);
    expect(reason({ ...T, type: 'eval' })).toBe(
      'unknown message type "eval" (known: play, pause, step, setPlatform, injectAttack, loadScenario)',
    );
    expect(reason({ ...T })).toMatch(/^unknown message type nothing/);
    expect(reason({ ...T, type: 'play', a: 1, b: 2, c: 3, d: 4 })).toMatch(/has 6 keys \(at most 3\)/);
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (data) => {
        const r = parseCommand(data, known);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.reason.length).toBeLessThan(600);
      }),
      { seed: 7, numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            target: fc.constant('ccte-embed'),
            type: fc.constantFrom(...COMMAND_TYPES),
            to: fc.anything(),
            delta: fc.anything(),
            platform: fc.anything(),
            attack: fc.anything(),
            on: fc.anything(),
            scenario: fc.anything(),
            step: fc.anything(),
          },
          { requiredKeys: ['target', 'type'] },
        ),
        (data) => {
          expect(() => parseCommand(data, known)).not.toThrow();
        },
      ),
      { seed: 8, numRuns: 2000 },
    );
  });

  it('does not read inherited properties as keys', () => {
    const data = Object.create({ platform: 'tdx' }) as Record<string, unknown>;
    data.target = 'ccte-embed';
    data.type = 'setPlatform';
    expect(reason(data)).toMatch(/^unknown platform nothing/);
  });
});

describe('embed protocol: origins', () => {
  it('normalises origins and refuses anything that is not one', () => {
    expect(normaliseOrigin('https://example.org')).toBe('https://example.org');
    expect(normaliseOrigin('https://example.org/')).toBe('https://example.org');
    expect(normaliseOrigin(' https://Example.ORG ')).toBe('https://example.org');
    expect(normaliseOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normaliseOrigin('https://example.org:443')).toBe('https://example.org');
    for (const bad of [
      '',
      '*',
      'example.org',
      'https://example.org/path',
      'https://example.org?x=1',
      'https://example.org#x',
      'https://user@example.org',
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'null',
    ]) {
      expect(normaliseOrigin(bad), bad).toBeNull();
    }
  });

  it('parses origin= into a policy, naming every ignored part and failing closed', () => {
    expect(parseOrigins(null)).toEqual({ policy: { kind: 'any' }, problems: [] });
    expect(parseOrigins('https://a.example,https://b.example')).toEqual({
      policy: { kind: 'list', origins: ['https://a.example', 'https://b.example'] },
      problems: [],
    });
    const some = parseOrigins('https://a.example,*,https://a.example/');
    expect(some.policy).toEqual({ kind: 'list', origins: ['https://a.example'] });
    expect(some.problems).toEqual([
      'origin "*" is not an origin like https://example.org (scheme, host and port only); ignored',
    ]);
    const none = parseOrigins('nonsense');
    expect(none.policy).toEqual({ kind: 'list', origins: [] });
    expect(none.problems).toHaveLength(2);
    expect(none.problems[1]).toBe(
      'no valid origin is allowed, so this embed accepts no messages and sends none',
    );
    expect(parseOrigins('').policy).toEqual({ kind: 'list', origins: [] });
    const many = parseOrigins(Array.from({ length: 20 }, (_, i) => `https://h${i}.example`).join(','));
    expect(many.policy.kind === 'list' && many.policy.origins.length).toBe(16);
    expect(many.problems[0]).toMatch(/names 20 origins; only the first 16/);
  });

  const play = { ...T, type: 'play' };
  const list: OriginPolicy = { kind: 'list', origins: ['https://a.example'] };

  it('accepts messages from the parent only, from any origin by default', () => {
    expect(
      acceptMessage(play, { origin: 'https://anything.example', fromParent: true }, { kind: 'any' }, known),
    ).toEqual({ ok: true, value: { type: 'play' } });
    expect(acceptMessage(play, { origin: 'null', fromParent: true }, { kind: 'any' }, known).ok).toBe(true);
    expect(
      acceptMessage(play, { origin: 'https://a.example', fromParent: false }, { kind: 'any' }, known),
    ).toEqual({
      ok: false,
      reason: 'the message does not come from the page that embeds this one (window.parent)',
    });
  });

  it('with origin= accepts only the listed origins, compared exactly', () => {
    expect(acceptMessage(play, { origin: 'https://a.example', fromParent: true }, list, known).ok).toBe(true);
    for (const origin of [
      'https://b.example',
      'http://a.example',
      'https://a.example:8443',
      'https://a.example.evil',
      'null',
    ]) {
      const r = acceptMessage(play, { origin, fromParent: true }, list, known);
      expect(r.ok, origin).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/are not accepted \(origin= allows https:\/\/a\.example\)$/);
    }
    const closed = acceptMessage(
      play,
      { origin: 'https://a.example', fromParent: true },
      { kind: 'list', origins: [] },
      known,
    );
    expect(closed).toEqual({
      ok: false,
      reason: 'messages from "https://a.example" are not accepted (origin= names no valid origin)',
    });
  });

  it('checks the sender before the content', () => {
    const r = acceptMessage(
      { nonsense: true },
      { origin: 'https://b.example', fromParent: true },
      list,
      known,
    );
    expect(r.ok === false && r.reason).toMatch(/are not accepted/);
  });

  it("posts with '*' by default, and only messages made of known ids and numbers", () => {
    expect(postTargets(readyMessage(viewState), { kind: 'any' }, known)).toEqual(['*']);
    expect(postTargets(stateMessage(scenarioState), { kind: 'any' }, known)).toEqual(['*']);
    expect(postTargets(resizeMessage(640), { kind: 'any' }, known)).toEqual(['*']);
    // Anything else (free text, unknown ids) never leaves with '*' — nor at all.
    const leaky = { ...stateMessage(viewState), state: { ...viewState, platform: 'my secret notes' } };
    expect(postTargets(leaky, { kind: 'any' }, known)).toEqual([]);
    const extra = { ...stateMessage(viewState), state: { ...viewState, note: 'typed by the user' } } as never;
    expect(postTargets(extra, { kind: 'any' }, known)).toEqual([]);
    expect(postTargets(extra, list, known, 'https://a.example')).toEqual([]);
  });

  it('with origin= posts to the parent when it is known and listed, else to the listed origins', () => {
    const two: OriginPolicy = { kind: 'list', origins: ['https://a.example', 'https://b.example'] };
    const m = stateMessage(viewState);
    expect(postTargets(m, two, known, 'https://b.example')).toEqual(['https://b.example']);
    expect(postTargets(m, two, known, 'https://evil.example')).toEqual([]);
    expect(postTargets(m, two, known, null)).toEqual(['https://a.example', 'https://b.example']);
    expect(postTargets(m, { kind: 'list', origins: [] }, known, null)).toEqual([]);
    expect(postTargets(m, { kind: 'list', origins: [] }, known, 'https://a.example')).toEqual([]);
  });
});

describe('embed protocol: messages from the embed', () => {
  it('ready, state and resize have the documented shape', () => {
    expect(readyMessage(viewState)).toEqual({
      source: 'ccte-embed',
      type: 'ready',
      version: 1,
      state: viewState,
    });
    expect(stateMessage(scenarioState)).toEqual({
      source: 'ccte-embed',
      type: 'state',
      version: 1,
      state: scenarioState,
    });
    expect(resizeMessage(640.2)).toEqual({ source: 'ccte-embed', type: 'resize', version: 1, height: 641 });
    expect(resizeMessage(-5).height).toBe(0);
    expect(Object.keys(readyMessage(viewState).state).sort()).toEqual(
      [
        'attacks',
        'misconfig',
        'mode',
        'platform',
        'playing',
        'scenario',
        'seed',
        'step',
        'total',
        'view',
      ].sort(),
    );
    for (const m of [readyMessage(viewState), stateMessage(scenarioState), resizeMessage(10)]) {
      expect(m.source).toBe(EMBED_SOURCE);
      expect(outgoingProblem(m, known)).toBeNull();
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    }
  });

  it('copies the state, dropping anything that is not part of it', () => {
    const extra = { ...viewState, secret: 'x' } as EmbedState;
    const copy = copyState(extra);
    expect(copy).toEqual(viewState);
    expect(copy.attacks).not.toBe(viewState.attacks);
    expect(readyMessage(extra).state).toEqual(viewState);
  });

  it('stateProblem names what is wrong', () => {
    expect(stateProblem(viewState, known)).toBeNull();
    expect(stateProblem(scenarioState, known)).toBeNull();
    expect(stateProblem({ ...viewState, step: 13 }, known)).toBe('step 13 is not from 0 to the total (12)');
    expect(stateProblem({ ...viewState, view: 'hex' }, known)).toBe('view "hex" is not a known view');
    expect(stateProblem({ ...viewState, attacks: ['memory-dump', 'x'] }, known)).toBe(
      'attacks is not a list of known attack ids',
    );
    expect(stateProblem({ ...viewState, misconfig: ['yolo'] }, known)).toBe(
      'misconfig is not a list of known misconfigurations',
    );
    expect(stateProblem({ ...viewState, playing: 'no' }, known)).toBe('playing "no" is not true or false');
    expect(stateProblem({ ...viewState, mode: 'scenario' }, known)).toBe('scenario mode without a scenario');
    expect(stateProblem({ ...scenarioState, mode: 'view' }, known)).toBe('a scenario outside scenario mode');
    expect(stateProblem({ ...scenarioState, scenario: { id: 'nope', step: 1, steps: 1 } }, known)).toBe(
      'scenario "nope" is not a known scenario',
    );
    expect(
      stateProblem({ ...scenarioState, scenario: { id: 'tcb-rollback', step: 3, steps: 2 } }, known),
    ).toBe("the scenario's step 3 is not from 1 to 2");
    const { seed: _seed, ...noSeed } = viewState;
    expect(stateProblem(noSeed, known)).toBe('the state lacks the key "seed"');
  });

  it('outgoingProblem refuses other messages', () => {
    expect(outgoingProblem({ source: 'other', type: 'resize', version: 1, height: 1 }, known)).toBe(
      'not an embed message',
    );
    expect(outgoingProblem({ source: 'ccte-embed', type: 'hello', version: 1 }, known)).toBe(
      'unknown type "hello"',
    );
    expect(outgoingProblem({ source: 'ccte-embed', type: 'resize', version: 1, height: -1 }, known)).toBe(
      'height -1 is out of range',
    );
  });
});

describe('embed URL', () => {
  it('reads a view embed with the explorer fragment names', () => {
    const p = parseEmbedQuery('?view=memory&platform=sev-snp&attacks=memory-dump&seed=3&step=4', known);
    expect(p.problems).toEqual([]);
    expect(p.origins).toEqual({ kind: 'any' });
    expect(p.target).toEqual({
      kind: 'view',
      state: {
        ...DEFAULT_STATE,
        view: 'memory',
        platform: 'sev-snp',
        attacks: ['memory-dump'],
        seed: 3,
        step: 4,
      },
    });
  });

  it('round-trips every explorer fragment through the embed query', () => {
    const fragments = [
      'platform=tdx&attacks=tampered-boot,memory-dump&misconfig=noNonce,allowDebug&seed=42&step=7&view=boot&page=0x1000',
      'platform=sev&attacks=none&seed=1&view=matrix',
      toFragment(DEFAULT_STATE),
    ];
    for (const f of fragments) {
      const { query, problem } = embedQuery(f);
      expect(problem).toBeNull();
      const parsed = parseEmbedQuery(query, known);
      expect(parsed.problems).toEqual([]);
      expect(parsed.target).toEqual({ kind: 'view', state: parseFragment(f, known).state });
    }
    expect(embedQuery('#platform=tdx&attacks=none&seed=1&view=map&inspect=3').query).toBe(
      'platform=tdx&attacks=none&seed=1&view=map',
    );
  });

  it('names garbled and hostile parts and uses safe defaults', () => {
    const p = parseEmbedQuery(
      'view=<script>&platform=sev-snq&attacks=memory-dump,javascript:alert(1)&seed=-1&evil=1',
      known,
    );
    expect(p.target).toEqual({ kind: 'view', state: { ...DEFAULT_STATE, attacks: ['memory-dump'] } });
    expect(p.problems).toEqual([
      'unknown view "<script>"; showing the map view',
      'unknown platform "sev-snq"; showing sev-snp',
      'unknown attack "javascript:alert(1)" ignored',
      'seed "-1" is not a whole number from 0 to 2147483647; using the default',
      'unknown setting "evil" ignored',
    ]);
    const long = parseEmbedQuery(`view=map&x=${'a'.repeat(5000)}`, known);
    expect(long.target).toEqual({ kind: 'view', state: DEFAULT_STATE });
    expect(long.origins).toEqual({ kind: 'list', origins: [] });
    expect(long.problems[0]).toMatch(/characters long/);
  });

  it('reads a scenario embed, and falls back to the default view for an unknown scenario', () => {
    expect(parseEmbedQuery('scenario=tcb-rollback&s=2', known)).toEqual({
      target: { kind: 'scenario', id: 'tcb-rollback', step: 2 },
      origins: { kind: 'any' },
      problems: [],
    });
    expect(parseEmbedQuery('scenario=tcb-rollback', known).target).toEqual({
      kind: 'scenario',
      id: 'tcb-rollback',
      step: null,
    });
    const bad = parseEmbedQuery('scenario=tcb-rollback&s=0&platform=tdx&x=1&s=3', known);
    expect(bad.target).toEqual({ kind: 'scenario', id: 'tcb-rollback', step: null });
    expect(bad.problems).toEqual([
      'step "0" is not a step number from 1 to 10000; showing the first step',
      '"platform" does not apply to a scenario step (the scenario sets it); ignored',
      'unknown setting "x" ignored',
      '"s" appears more than once; using its first value',
    ]);
    const unknown = parseEmbedQuery('scenario=../../etc/passwd', known);
    expect(unknown.target).toEqual({ kind: 'view', state: DEFAULT_STATE });
    expect(unknown.problems).toEqual([
      'there is no workshop scenario "../../etc/passwd"; showing the default view',
    ]);
  });

  it('reads origin= next to either kind of embed', () => {
    const p = parseEmbedQuery('view=map&origin=https://a.example,https://b.example', known);
    expect(p.origins).toEqual({ kind: 'list', origins: ['https://a.example', 'https://b.example'] });
    expect(p.problems).toEqual([]);
    const s = parseEmbedQuery(
      'scenario=tcb-rollback&origin=https://a.example&origin=https://b.example',
      known,
    );
    expect(s.origins).toEqual({ kind: 'list', origins: ['https://a.example'] });
    expect(s.problems).toEqual(['"origin" appears more than once; using its first value']);
    expect(parseEmbedQuery('view=map&origin=evil', known).origins).toEqual({ kind: 'list', origins: [] });
  });

  it('links to the explorer in the same state', () => {
    const view = parseEmbedQuery('view=memory&platform=sev&attacks=register-snoop&step=3', known).target;
    expect(explorerHref(view)).toBe(
      'index.html#platform=sev&attacks=register-snoop&seed=1&step=3&view=memory',
    );
    expect(explorerHref({ kind: 'scenario', id: 'tcb-rollback', step: 2 })).toBe(
      'index.html#scenario=tcb-rollback&s=2',
    );
    expect(explorerFragment({ kind: 'scenario', id: 'tcb-rollback', step: null })).toBe(
      'scenario=tcb-rollback&s=1',
    );
  });

  it('embeds workshop fragments as their scenario step, and refuses what cannot be embedded', () => {
    expect(embedQuery('scenario=tcb-rollback&s=3&mode=presenter')).toEqual({
      query: 'scenario=tcb-rollback&s=3',
      problem: null,
    });
    expect(embedQuery('scenario=my-file&s=1&src=file').problem).toMatch(/opened from a file/);
    expect(embedQuery('scenarios&topic=attestation').problem).toMatch(/workshop index/);
  });

  it('writes an iframe snippet resolved against the page, escaped', () => {
    const query = embedQuery('platform=sev-snp&attacks=memory-dump,register-snoop&seed=1&view=memory').query;
    const title = embedTitle(query, { view: (v) => (v === 'memory' ? 'Memory' : undefined) });
    expect(title).toBe(
      'Confidential Computing Threat Explorer: Memory · sev-snp · memory-dump, register-snoop',
    );
    const snippet = embedSnippet(query, 'https://example.org/some/sub/path/index.html#platform=tdx', title);
    expect(snippet).toBe(
      '<iframe src="https://example.org/some/sub/path/embed.html?platform=sev-snp&amp;attacks=memory-dump,register-snoop&amp;seed=1&amp;view=memory" ' +
        'title="Confidential Computing Threat Explorer: Memory · sev-snp · memory-dump, register-snoop" loading="lazy" style="width:100%;border:0" height="600"></iframe>',
    );
    expect(embedSnippet('', 'https://example.org/ccte/', 'a "quoted" <title>')).toBe(
      '<iframe src="https://example.org/ccte/embed.html" title="a &quot;quoted&quot; &lt;title&gt;" loading="lazy" style="width:100%;border:0" height="600"></iframe>',
    );
    expect(embedTitle('scenario=tcb-rollback&s=2')).toBe(
      'Confidential Computing Threat Explorer: workshop scenario tcb-rollback, step 2',
    );
  });
});
