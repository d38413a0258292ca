/**
 * The explorer's whole state in the URL fragment, so any view can be shared as a link:
 *
 *   #platform=sev-snp&attacks=memory-dump,register-snoop&misconfig=noNonce&seed=7&step=5&view=memory&page=0x1000&lang=zh-CN
 *
 * The fragment never reaches a server. It is user input all the same (a link can be garbled or
 * hostile), so parsing never throws: every part that is unknown, malformed or out of range is
 * replaced by its default and named in `problems`, which the page shows as a message (in the
 * page's language: the caller passes the words, English by default).
 */
import type { Misconfiguration } from '../../model/run-types';
import { LOCALES, matchLocale, type Locale } from '../i18n/detect';
import { en } from '../i18n/en';

export const VIEWS = ['map', 'boot', 'attestation', 'memory', 'matrix', 'statechart'] as const;
export type ViewId = (typeof VIEWS)[number];

export const MISCONFIGURATIONS = ['noNonce', 'allowDebug', 'secretBeforeAttestation'] as const;
export type MisconfigurationId = (typeof MISCONFIGURATIONS)[number];

export interface ExplorerState {
  platform: string;
  attacks: string[];
  misconfiguration: Misconfiguration;
  seed: number;
  /** Transcript position shown; null = the end of the run. */
  step: number | null;
  view: ViewId;
  /** The memory view's selected page (a GPA in hex), when one is chosen. */
  page: string | null;
  /** The transcript event opened in the payload inspector, when one is. */
  inspect: number | null;
  /** The UI language the link asks for; absent when it names none (the browser's then decides). */
  lang?: Locale;
}

export const DEFAULT_STATE: ExplorerState = {
  platform: 'sev-snp',
  attacks: ['memory-dump'],
  misconfiguration: {},
  seed: 1,
  step: null,
  view: 'map',
  page: null,
  inspect: null,
};

export interface Known {
  platforms: readonly string[];
  attacks: readonly string[];
}

export interface ParsedState {
  state: ExplorerState;
  /** One sentence per part of the fragment that was ignored, saying what and why. */
  problems: string[];
}

/**
 * The sentences naming what a link got wrong. Values arrive quoted and cleaned; the catalogues
 * (src/ui/i18n) have one set per language, `en.app.problems` is the default.
 */
export interface ProblemWords {
  tooLong: (length: number, max: number) => string;
  unreadable: string;
  repeated: (key: string) => string;
  platform: (value: string, fallback: string) => string;
  attack: (value: string) => string;
  misconfig: (value: string, known: string) => string;
  notInteger: (name: string, value: string, max: number) => string;
  view: (value: string, fallback: string) => string;
  page: (value: string) => string;
  lang: (value: string, known: string) => string;
  setting: (key: string) => string;
}

const MAX_FRAGMENT = 2048;
const MAX_SEED = 2 ** 31 - 1;
const MAX_STEP = 100_000;
const ID = /^[a-z0-9-]{1,40}$/;

/** Quotes a value from the URL for a message, shortened and without control characters. */
function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
}

function integer(
  value: string,
  name: string,
  max: number,
  problems: string[],
  say: ProblemWords,
): number | null {
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) {
    problems.push(say.notInteger(name, shown(value), max));
    return null;
  }
  return Number(value);
}

/** Parses a fragment (with or without the leading '#'); never throws. `say` words the problems. */
export function parseFragment(
  fragment: string,
  known: Known,
  say: ProblemWords = en.app.problems,
): ParsedState {
  const state: ExplorerState = {
    ...DEFAULT_STATE,
    attacks: [...DEFAULT_STATE.attacks],
    misconfiguration: {},
  };
  const problems: string[] = [];
  let raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (raw === '') return { state, problems };
  if (raw.length > MAX_FRAGMENT) {
    problems.push(say.tooLong(raw.length, MAX_FRAGMENT));
    return { state, problems };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    problems.push(say.unreadable);
    return { state, problems };
  }
  raw = '';
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (seen.has(key)) {
      problems.push(say.repeated(shown(key)));
      continue;
    }
    seen.add(key);
    switch (key) {
      case 'platform':
        if (known.platforms.includes(value)) state.platform = value;
        else problems.push(say.platform(shown(value), DEFAULT_STATE.platform));
        break;
      case 'attacks': {
        const ids = value === '' || value === 'none' ? [] : value.split(',');
        const good: string[] = [];
        for (const id of ids) {
          if (!ID.test(id) || !known.attacks.includes(id)) problems.push(say.attack(shown(id)));
          else if (!good.includes(id)) good.push(id);
        }
        state.attacks = good;
        break;
      }
      case 'misconfig': {
        for (const id of value === '' ? [] : value.split(',')) {
          if ((MISCONFIGURATIONS as readonly string[]).includes(id)) {
            state.misconfiguration[id as MisconfigurationId] = true;
          } else {
            problems.push(say.misconfig(shown(id), MISCONFIGURATIONS.join(', ')));
          }
        }
        break;
      }
      case 'seed': {
        const n = integer(value, 'seed', MAX_SEED, problems, say);
        if (n !== null) state.seed = n;
        break;
      }
      case 'step': {
        if (value === 'end') break;
        const n = integer(value, 'step', MAX_STEP, problems, say);
        if (n !== null) state.step = n;
        break;
      }
      case 'view':
        if ((VIEWS as readonly string[]).includes(value)) state.view = value as ViewId;
        else problems.push(say.view(shown(value), DEFAULT_STATE.view));
        break;
      case 'page':
        if (/^0x[0-9a-f]{1,12}$/.test(value)) state.page = value;
        else problems.push(say.page(shown(value)));
        break;
      case 'inspect': {
        const n = integer(value, 'inspect', MAX_STEP, problems, say);
        if (n !== null) state.inspect = n;
        break;
      }
      case 'lang': {
        // Any Chinese tag means the Simplified Chinese catalogue, any English tag English.
        const l = matchLocale(value);
        if (l) state.lang = l;
        else problems.push(say.lang(shown(value), LOCALES.join(', ')));
        break;
      }
      default:
        problems.push(say.setting(shown(key)));
    }
  }
  return { state, problems };
}

/** The fragment for `state` (without '#'); defaults are left out so links stay short. */
export function toFragment(state: ExplorerState): string {
  const p = new URLSearchParams();
  p.set('platform', state.platform);
  p.set('attacks', state.attacks.length ? state.attacks.join(',') : 'none');
  const mis = MISCONFIGURATIONS.filter((m) => state.misconfiguration[m]);
  if (mis.length) p.set('misconfig', mis.join(','));
  p.set('seed', String(state.seed));
  if (state.step !== null) p.set('step', String(state.step));
  p.set('view', state.view);
  if (state.page !== null) p.set('page', state.page);
  if (state.inspect !== null) p.set('inspect', String(state.inspect));
  if (state.lang !== undefined) p.set('lang', state.lang);
  // Commas are safe in a fragment and keep lists readable.
  return p.toString().replace(/%2C/g, ',');
}
