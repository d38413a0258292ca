/**
 * The explorer's whole state in the URL fragment, so any view can be shared as a link:
 *
 *   #platform=sev-snp&attacks=memory-dump,register-snoop&misconfig=noNonce&seed=7&step=5&view=memory&page=0x1000
 *
 * The fragment never reaches a server. It is user input all the same (a link can be garbled or
 * hostile), so parsing never throws: every part that is unknown, malformed or out of range is
 * replaced by its default and named in `problems`, which the page shows as a message.
 */
import type { Misconfiguration } from '../../model/run-types';

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

function integer(value: string, name: string, max: number, problems: string[]): number | null {
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) {
    problems.push(`${name} ${shown(value)} is not a whole number from 0 to ${max}; using the default`);
    return null;
  }
  return Number(value);
}

/** Parses a fragment (with or without the leading '#'); never throws. */
export function parseFragment(fragment: string, known: Known): ParsedState {
  const state: ExplorerState = {
    ...DEFAULT_STATE,
    attacks: [...DEFAULT_STATE.attacks],
    misconfiguration: {},
  };
  const problems: string[] = [];
  let raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (raw === '') return { state, problems };
  if (raw.length > MAX_FRAGMENT) {
    problems.push(`the link's state is ${raw.length} characters long (at most ${MAX_FRAGMENT}); ignoring it`);
    return { state, problems };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    problems.push('the link’s state could not be read; using the defaults');
    return { state, problems };
  }
  raw = '';
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (seen.has(key)) {
      problems.push(`${shown(key)} appears more than once; using its first value`);
      continue;
    }
    seen.add(key);
    switch (key) {
      case 'platform':
        if (known.platforms.includes(value)) state.platform = value;
        else problems.push(`unknown platform ${shown(value)}; showing ${DEFAULT_STATE.platform}`);
        break;
      case 'attacks': {
        const ids = value === '' || value === 'none' ? [] : value.split(',');
        const good: string[] = [];
        for (const id of ids) {
          if (!ID.test(id) || !known.attacks.includes(id))
            problems.push(`unknown attack ${shown(id)} ignored`);
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
            problems.push(
              `unknown misconfiguration ${shown(id)} ignored (known: ${MISCONFIGURATIONS.join(', ')})`,
            );
          }
        }
        break;
      }
      case 'seed': {
        const n = integer(value, 'seed', MAX_SEED, problems);
        if (n !== null) state.seed = n;
        break;
      }
      case 'step': {
        if (value === 'end') break;
        const n = integer(value, 'step', MAX_STEP, problems);
        if (n !== null) state.step = n;
        break;
      }
      case 'view':
        if ((VIEWS as readonly string[]).includes(value)) state.view = value as ViewId;
        else problems.push(`unknown view ${shown(value)}; showing the ${DEFAULT_STATE.view} view`);
        break;
      case 'page':
        if (/^0x[0-9a-f]{1,12}$/.test(value)) state.page = value;
        else problems.push(`page ${shown(value)} is not a guest address like 0x1000; ignored`);
        break;
      case 'inspect': {
        const n = integer(value, 'inspect', MAX_STEP, problems);
        if (n !== null) state.inspect = n;
        break;
      }
      default:
        problems.push(`unknown setting ${shown(key)} ignored`);
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
  // Commas are safe in a fragment and keep lists readable.
  return p.toString().replace(/%2C/g, ',');
}
