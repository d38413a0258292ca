/**
 * Runs a scenario headlessly, as `ccte scenario check` and the shipped-scenario test do: carries each
 * step's setup forward, simulates each distinct setup once (explore.ts, the same run the explorer
 * shows), moves to the step's runTo point, and verifies every expectation and every predict answer
 * against the simulation. A problem names the step (number and title), what the simulation shows and
 * what the scenario expects, at the line:col of the expectation in the file.
 *
 * `stepStates` is the cheap part the player uses to open each step in the explorer: no simulation.
 */
import { attackById } from '../model/attacks';
import type { ExplorerRun } from '../model/explore-types';
import { explore } from '../model/explore';
import { runCell, type MatrixCell } from '../model/matrix';
import { platformById } from '../model/platforms';
import type { Misconfiguration } from '../model/run-types';
import type { EventKind, TranscriptEvent } from '../model/transcript';
import { byPosition, childPath, loadScenarioWithPositions, positionOf, type ScenarioPositions } from './load';
import type { Expectation, Focus, RunTo, Scenario, ScenarioProblem, ScenarioView, Text } from './types';
import { MISCONFIGURATION_KEYS } from './vocabulary';

/** The first step's setup where the file says nothing (docs/scenario-format.md). */
export const DEFAULT_SETUP = {
  platform: 'sev-snp',
  attacks: [] as readonly string[],
  misconfiguration: {},
  seed: 1,
} as const;

/** Everything needed to open one step in the explorer. */
export interface StepState {
  platform: string;
  attacks: string[];
  /** Only the mistakes that are switched on (`{ noNonce: false }` is `{}`). */
  misconfiguration: Misconfiguration;
  seed: number;
  runTo: RunTo;
  view: ScenarioView;
  /** `{}` when the step points at nothing in particular. */
  focus: Focus;
}

function normaliseMisconfiguration(m: Misconfiguration | undefined): Misconfiguration {
  const out: Misconfiguration = {};
  for (const key of MISCONFIGURATION_KEYS) if (m?.[key] === true) out[key] = true;
  return out;
}

/**
 * The resolved state of every step: each setup key a step leaves out keeps the previous step's value
 * (the first step starts from DEFAULT_SETUP); `attacks` and `misconfiguration`, when given, replace the
 * previous value as a whole. runTo defaults to 'end' and focus to {} for each step on its own. Pure.
 */
export function stepStates(s: Scenario): StepState[] {
  let platform: string = DEFAULT_SETUP.platform;
  let attacks: string[] = [];
  let misconfiguration: Misconfiguration = {};
  let seed: number = DEFAULT_SETUP.seed;
  return s.steps.map((step) => {
    const setup = step.setup ?? {};
    if (setup.platform !== undefined) platform = setup.platform;
    if (setup.attacks !== undefined) attacks = [...setup.attacks];
    if (setup.misconfiguration !== undefined)
      misconfiguration = normaliseMisconfiguration(setup.misconfiguration);
    if (setup.seed !== undefined) seed = setup.seed;
    return {
      platform,
      attacks: [...attacks],
      misconfiguration: { ...misconfiguration },
      seed,
      runTo: step.runTo ?? 'end',
      view: step.view,
      focus: step.focus?.cell ? { ...step.focus, cell: { ...step.focus.cell } } : { ...(step.focus ?? {}) },
    };
  });
}

/**
 * The transcript position a runTo stands for in `events` (how many events have happened), or null when
 * the run cannot get there (a position past the end, or no event of that kind).
 */
export function runToPosition(events: readonly TranscriptEvent[], runTo: RunTo): number | null {
  if (runTo === 'end') return events.length;
  if (typeof runTo === 'number')
    return Number.isInteger(runTo) && runTo >= 0 && runTo <= events.length ? runTo : null;
  const i = events.findIndex((e) => e.kind === runTo.after);
  return i < 0 ? null : i + 1;
}

/** Simulations already run, by setup; share one across scenarios to run each setup once. */
export interface RunCache {
  runs: Map<string, ExplorerRun>;
  cells: Map<string, MatrixCell>;
}

export function createRunCache(): RunCache {
  return { runs: new Map(), cells: new Map() };
}

/** A stable key for one simulated setup. */
export function setupKey(
  state: Pick<StepState, 'platform' | 'attacks' | 'misconfiguration' | 'seed'>,
): string {
  const mis = MISCONFIGURATION_KEYS.filter((k) => state.misconfiguration[k] === true);
  return JSON.stringify([state.platform, state.attacks, mis, state.seed]);
}

export interface CheckOptions {
  /** Reuse simulations across calls (and scenarios); a fresh cache per call otherwise. */
  cache?: RunCache;
}

function plain(text: Text): string {
  return typeof text === 'string' ? text : text.en;
}

function stepLabel(s: Scenario, i: number): string {
  const title = plain(s.steps[i].title).replace(/\s+/g, ' ').trim();
  return `(step ${i + 1} '${title.length > 60 ? `${title.slice(0, 60)}…` : title}')`;
}

const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'none');

function hexContainsAligned(haystack: string, needle: string): boolean {
  if (needle === '') return false;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    if (i % 2 === 0) return true;
  }
  return false;
}

function samePage(a: string, b: string): boolean {
  try {
    return BigInt(a) === BigInt(b);
  } catch {
    return a === b;
  }
}

interface StepContext {
  state: StepState;
  run: ExplorerRun;
  /** Events that have happened by the step's runTo point. */
  position: number;
  cell: (platform: string, attack: string) => MatrixCell;
}

/** What is wrong with one expectation, or null when it holds. */
function checkExpectation(x: Expectation, c: StepContext): string | null {
  const { run, state } = c;
  const on = state.platform;
  const mismatch = (what: string, actual: string, expected: string) =>
    actual === expected ? null : `${what} is ${actual}, the scenario expects ${expected}`;
  if ('outcome' in x) {
    const { attack, is } = x.outcome;
    const o = run.outcomes.find((r) => r.attack === attack);
    if (!o) {
      return `outcome of ${attack}: the attack is not among this step's attacks (${list(state.attacks)}); add it to setup.attacks`;
    }
    return mismatch(`outcome of ${attack} on ${on}`, o.outcome, is);
  }
  if ('verdict' in x) {
    const actual = run.verdict?.status ?? 'none';
    if (actual === x.verdict.is) return null;
    const note = run.verdict ? '' : ' (nothing was appraised)';
    return `verdict on ${on} is ${actual}${note}, the scenario expects ${x.verdict.is}`;
  }
  if ('claim' in x) {
    const { name, is } = x.claim;
    if (!run.verdict)
      return `claim ${name} on ${on}: there is no verdict (nothing was appraised), the scenario expects ${is}`;
    const claim = run.verdict.claims.find((cl) => cl.name === name);
    if (!claim) {
      return `claim ${name} on ${on} is absent from the verdict (claims: ${list(run.verdict.claims.map((cl) => cl.name))}), the scenario expects ${is}`;
    }
    return mismatch(`claim ${name} on ${on}`, String(claim.value), String(is));
  }
  if ('check' in x) {
    const { name, ok } = x.check;
    const word = (b: boolean) => (b ? 'passed' : 'failed');
    if (!run.verdict)
      return `check ${name} on ${on}: there is no verdict (nothing was appraised), the scenario expects ${word(ok)}`;
    const check = run.verdict.checks.find((ch) => ch.check === name);
    if (!check) {
      return `check ${name} on ${on} was not run (checks: ${list(run.verdict.checks.map((ch) => ch.check))}), the scenario expects ${word(ok)}`;
    }
    return mismatch(`check ${name} on ${on}`, word(check.ok), word(ok));
  }
  if ('released' in x) return mismatch(`released on ${on}`, String(run.released), String(x.released));
  if ('launchRefused' in x)
    return mismatch(`launchRefused on ${on}`, String(run.launchRefused !== null), String(x.launchRefused));
  if ('memory' in x) {
    const { page, host, secretVisible } = x.memory;
    const p = run.memory.pages.find((pg) => samePage(pg.gpa, page));
    if (!p)
      return `memory on ${on} has no page ${page} (pages: ${list(run.memory.pages.map((pg) => pg.gpa))})`;
    const problems = [mismatch(`the host's view of page ${page} on ${on}`, p.hostViewKind, host)];
    if (secretVisible !== undefined) {
      const visible = hexContainsAligned(p.hostView, run.secret);
      problems.push(
        mismatch(`secretVisible in page ${page} on ${on}`, String(visible), String(secretVisible)),
      );
    }
    const wrong = problems.filter((m): m is string => m !== null);
    return wrong.length ? wrong.join('; ') : null;
  }
  if ('boot' in x) {
    const { register, matches } = x.boot;
    if (!run.boot) return `boot register ${register}: ${on} has no measured boot`;
    const r = run.boot.registers.find((reg) => reg.name === register);
    if (!r)
      return `boot register ${register}: ${on} has no such register (registers: ${list(run.boot.registers.map((reg) => reg.name))})`;
    const actual = r.value === r.reference;
    if (actual === matches) return null;
    return actual
      ? `boot register ${register} on ${on} matches its reference value, the scenario expects it to differ`
      : `boot register ${register} on ${on} differs from its reference value, the scenario expects it to match`;
  }
  if ('event' in x) {
    const { kind, present } = x.event;
    const found = run.events.slice(0, c.position).some((e) => e.kind === (kind as EventKind));
    const word = (b: boolean) => (b ? 'present' : 'absent');
    return mismatch(
      `a '${kind}' event by the step's point (${c.position} of ${run.events.length} events on ${on})`,
      word(found),
      word(present),
    );
  }
  if ('matrix' in x) {
    const { platform, attack, is } = x.matrix;
    return mismatch(`matrix cell ${platform} × ${attack}`, c.cell(platform, attack).outcome, is);
  }
  return 'unknown expectation';
}

function focusProblems(focus: Focus, c: StepContext): [string, string][] {
  const out: [string, string][] = [];
  const { run, state } = c;
  if (
    focus.page !== undefined &&
    run.memory.pages.length > 0 &&
    !run.memory.pages.some((p) => samePage(p.gpa, focus.page ?? ''))
  ) {
    out.push([
      'page',
      `no page ${focus.page} in guest memory on ${state.platform} (pages: ${list(run.memory.pages.map((p) => p.gpa))})`,
    ]);
  }
  if (focus.event !== undefined && focus.event >= c.position) {
    out.push([
      'event',
      `event ${focus.event} has not happened by the step's point (${c.position} of ${run.events.length} events on ${state.platform})`,
    ]);
  }
  if (focus.register !== undefined) {
    const names = run.boot?.registers.map((r) => r.name) ?? [];
    if (!names.includes(focus.register)) {
      out.push([
        'register',
        `no boot register ${focus.register} on ${state.platform} (registers: ${list(names)})`,
      ]);
    }
  }
  if (focus.field !== undefined) {
    const names = run.evidence?.fields.map((f) => f.name) ?? [];
    if (!run.evidence) out.push(['field', `no evidence on ${state.platform}, so no field ${focus.field}`]);
    else if (names.length > 0 && !names.includes(focus.field)) {
      out.push([
        'field',
        `no field ${focus.field} in the ${run.evidence.format} evidence (fields: ${list(names)})`,
      ]);
    }
  }
  return out;
}

/**
 * Runs every step of `s` and returns what does not hold, sorted by position. `positions` (from
 * loadScenarioWithPositions) gives problems their line:col; without it they point at 1:1.
 */
export function checkScenario(
  s: Scenario,
  file: string,
  positions?: ScenarioPositions,
  options: CheckOptions = {},
): ScenarioProblem[] {
  const cache = options.cache ?? createRunCache();
  const problems: ScenarioProblem[] = [];
  const report = (path: string, message: string) => {
    const at = positionOf(positions, path);
    problems.push({ file, line: at.line, col: at.col, message: `${path}: ${message}` });
  };
  const cell = (state: StepState) => (platform: string, attack: string) => {
    const key = JSON.stringify([platform, attack, setupKey(state)]);
    let c = cache.cells.get(key);
    if (!c) {
      c = runCell(platformById(platform), attackById(attack), state.seed, state.misconfiguration);
      cache.cells.set(key, c);
    }
    return c;
  };

  stepStates(s).forEach((state, i) => {
    const step = s.steps[i];
    const path = childPath('steps', i);
    const label = stepLabel(s, i);
    const key = setupKey(state);
    let run = cache.runs.get(key);
    if (!run) {
      try {
        run = explore({
          platform: state.platform,
          attacks: state.attacks,
          misconfiguration: state.misconfiguration,
          seed: state.seed,
        });
      } catch (e) {
        report(path, `the simulation failed: ${(e as Error)?.message ?? String(e)} ${label}`);
        return;
      }
      cache.runs.set(key, run);
    }
    let position = runToPosition(run.events, state.runTo);
    if (position === null) {
      const runTo = state.runTo;
      report(
        childPath(path, 'runTo'),
        typeof runTo === 'object'
          ? `no '${runTo.after}' event in this run on ${state.platform} (events: ${list([...new Set(run.events.map((e) => e.kind))])}) ${label}`
          : `position ${String(runTo)} is past the end of the transcript (${run.events.length} events on ${state.platform}) ${label}`,
      );
      position = run.events.length;
    }
    const c: StepContext = { state, run, position, cell: cell(state) };
    for (const [field, message] of focusProblems(step.focus ?? {}, c)) {
      report(childPath(childPath(path, 'focus'), field), `${message} ${label}`);
    }
    const q = step.question;
    if (q?.type === 'predict') {
      const qPath = childPath(path, 'question');
      const o = run.outcomes.find((r) => r.attack === q.attack);
      if (!o) {
        report(
          childPath(qPath, 'attack'),
          `${q.attack} is not among this step's attacks (${list(state.attacks)}); add it to setup.attacks ${label}`,
        );
      } else if (o.outcome !== q.answer) {
        report(
          childPath(qPath, 'answer'),
          `the outcome of ${q.attack} on ${state.platform} is ${o.outcome}, the scenario's answer is ${q.answer} ${label}`,
        );
      }
    }
    (step.expect ?? []).forEach((x, j) => {
      let message: string | null;
      try {
        message = checkExpectation(x, c);
      } catch (e) {
        message = `could not be checked: ${(e as Error)?.message ?? String(e)}`;
      }
      if (message !== null) report(childPath(childPath(path, 'expect'), j), `${message} ${label}`);
    });
  });
  return problems.sort(byPosition);
}

/** One file's result, as `ccte scenario check --json` prints it. */
export interface ScenarioReport {
  file: string;
  ok: boolean;
  /** Steps run (0 when the file did not load). */
  steps: number;
  /** Expectations and predict answers checked (0 when the file did not load). */
  expectations: number;
  problems: ScenarioProblem[];
  /** What loads but is most likely not what the author meant; never fails the check. */
  warnings: ScenarioProblem[];
}

/** The number of things checkScenario verifies: every expectation, and every predict question's answer. */
export function countExpectations(s: Scenario): number {
  return s.steps.reduce(
    (n, step) => n + (step.expect?.length ?? 0) + (step.question?.type === 'predict' ? 1 : 0),
    0,
  );
}

/** Loads and checks one file's text: the whole of `ccte scenario check` for one file. Never throws. */
export function checkScenarioText(text: string, file: string, options: CheckOptions = {}): ScenarioReport {
  const loaded = loadScenarioWithPositions(text, file);
  if (!loaded.ok)
    return { file, ok: false, steps: 0, expectations: 0, problems: loaded.problems, warnings: [] };
  let problems: ScenarioProblem[];
  try {
    problems = checkScenario(loaded.scenario, file, loaded.positions, options);
  } catch (e) {
    problems = [
      {
        file,
        line: 1,
        col: 1,
        message: `internal error while checking: ${(e as Error)?.message ?? String(e)}`,
      },
    ];
  }
  return {
    file,
    ok: problems.length === 0,
    steps: loaded.scenario.steps.length,
    expectations: countExpectations(loaded.scenario),
    problems,
    warnings: loaded.warnings,
  };
}
