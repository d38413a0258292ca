/**
 * Which page the URL fragment asks for, and the fragments of the workshop pages:
 *
 *   #scenarios                                   the scenario index
 *   #scenarios&topic=attestation&level=beginner  the index, filtered
 *   #scenario=<id>                               a scenario, resuming where the user left it
 *   #scenario=<id>&s=3                           a scenario at step 3 (1-based)
 *   #scenario=<id>&s=3&mode=presenter            the presenter's view (mode=audience: the projected one)
 *   #scenario=<id>&s=3&src=file                  a scenario file the user opened this session
 *
 * Anything not starting with "scenario" belongs to the explorer, which reads and writes its own
 * fragment (src/ui/state/url-state.ts). The fragment is user input: parsing never throws, and every
 * part that is unknown or malformed is dropped and named in `problems`, in the current language.
 * `lang` is the UI's (src/ui/i18n), not the route's: it is skipped here, and Root moves it to the query.
 */
import { LEVELS, type Level } from '../../scenario/types';
import { messages } from '../i18n/index.svelte';

/** The problem messages, in the current language (read when a link is parsed, never at load). */
const words = () => messages().workshops.problems;

export type Mode = 'normal' | 'presenter' | 'audience';
export const MODES: readonly Mode[] = ['normal', 'presenter', 'audience'];

/** Where the scenario comes from: shipped with the site, or a file the user opened. */
export type Source = 'shipped' | 'file';

export interface IndexRoute {
  kind: 'index';
  topic: string | null;
  level: Level | null;
}

export interface PlayerRoute {
  kind: 'player';
  id: string;
  /** 1-based; null = resume at the saved step (or the first). */
  step: number | null;
  mode: Mode;
  source: Source;
}

export type Route = { kind: 'explorer' } | IndexRoute | PlayerRoute;

export interface ParsedRoute {
  route: Route;
  /** One sentence per part of the fragment that was ignored. */
  problems: string[];
}

export const MAX_FRAGMENT = 2048;
export const MAX_STEP = 10_000;
/** Scenario ids and topics: lowercase words joined by hyphens (docs/scenario-format.md). */
export const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_ID = 80;

/** True when the fragment is the workshops' (starts with "scenario"), not the explorer's. */
export function isWorkshopFragment(fragment: string): boolean {
  return (fragment.startsWith('#') ? fragment.slice(1) : fragment).startsWith('scenario');
}

export function isId(value: string): boolean {
  return value.length <= MAX_ID && ID.test(value);
}

/** Quotes a value from the URL for a message: shortened, without control characters. */
export function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
}

function params(raw: string, problems: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let list: URLSearchParams;
  try {
    list = new URLSearchParams(raw);
  } catch {
    problems.push(words().unreadable);
    return out;
  }
  for (const [key, value] of list) {
    if (out.has(key)) problems.push(words().repeated(shown(key)));
    else out.set(key, value);
  }
  return out;
}

const EMPTY_INDEX: IndexRoute = { kind: 'index', topic: null, level: null };

/** Parses a fragment (with or without '#'); never throws. */
export function parseRoute(fragment: string): ParsedRoute {
  const problems: string[] = [];
  const raw = typeof fragment === 'string' ? (fragment.startsWith('#') ? fragment.slice(1) : fragment) : '';
  if (!raw.startsWith('scenario')) return { route: { kind: 'explorer' }, problems };
  if (raw.length > MAX_FRAGMENT) {
    problems.push(words().tooLong(raw.length, MAX_FRAGMENT));
    return { route: { ...EMPTY_INDEX }, problems };
  }
  const map = params(raw, problems);

  if (map.has('scenarios') && !map.has('scenario')) {
    const route: IndexRoute = { ...EMPTY_INDEX };
    if (map.get('scenarios') !== '') problems.push(words().noValue(shown('scenarios')));
    for (const [key, value] of map) {
      if (key === 'scenarios' || key === 'lang') continue;
      if (key === 'topic') {
        if (isId(value)) route.topic = value;
        else problems.push(words().topic(shown(value)));
      } else if (key === 'level') {
        if ((LEVELS as readonly string[]).includes(value)) route.level = value as Level;
        else problems.push(words().level(shown(value), LEVELS.join(', ')));
      } else problems.push(words().setting(shown(key)));
    }
    return { route, problems };
  }

  const id = map.get('scenario');
  if (id === undefined) {
    problems.push(words().noScenario);
    return { route: { ...EMPTY_INDEX }, problems };
  }
  if (!isId(id)) {
    problems.push(words().notId(shown(id)));
    return { route: { ...EMPTY_INDEX }, problems };
  }
  const route: PlayerRoute = { kind: 'player', id, step: null, mode: 'normal', source: 'shipped' };
  for (const [key, value] of map) {
    switch (key) {
      case 'scenario':
      case 'lang':
        break;
      case 's':
        if (/^\d{1,6}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_STEP)
          route.step = Number(value);
        else problems.push(words().step(shown(value)));
        break;
      case 'mode':
        if (value === 'presenter' || value === 'audience') route.mode = value;
        else problems.push(words().mode(shown(value), 'presenter, audience'));
        break;
      case 'src':
        if (value === 'file') route.source = 'file';
        else problems.push(words().source(shown(value)));
        break;
      default:
        problems.push(words().setting(shown(key)));
    }
  }
  return { route, problems };
}

/** The index's fragment (without '#'). */
export function indexFragment(filter: { topic?: string | null; level?: Level | null } = {}): string {
  let out = 'scenarios';
  if (filter.topic && isId(filter.topic)) out += `&topic=${filter.topic}`;
  if (filter.level && (LEVELS as readonly string[]).includes(filter.level)) out += `&level=${filter.level}`;
  return out;
}

/** A player fragment (without '#'); `step` null leaves the step to the saved progress. */
export function playerFragment(p: {
  id: string;
  step?: number | null;
  mode?: Mode;
  source?: Source;
}): string {
  const q = new URLSearchParams();
  q.set('scenario', p.id);
  if (p.step !== null && p.step !== undefined) q.set('s', String(p.step));
  if (p.mode && p.mode !== 'normal') q.set('mode', p.mode);
  if (p.source === 'file') q.set('src', 'file');
  return q.toString();
}

/**
 * A player route checked against the scenarios there are: an unknown id becomes the index with a
 * message saying so.
 */
export function resolvePlayer(
  route: PlayerRoute,
  has: (id: string, source: Source) => boolean,
): { route: PlayerRoute | IndexRoute; problem: string | null } {
  if (has(route.id, route.source)) return { route, problem: null };
  const problem =
    route.source === 'file'
      ? words().fileGone(shown(route.id), messages().scenarioIndex.openFile)
      : words().unknownScenario(shown(route.id));
  return { route: { ...EMPTY_INDEX }, problem };
}

/** A 1-based step number kept within 1 … count. */
export function clampStep(step: number, count: number): number {
  if (!Number.isFinite(step) || count < 1) return 1;
  return Math.min(Math.max(1, Math.trunc(step)), count);
}
