/**
 * The embed's URL (docs/embedding.md) and the links it makes. Pure.
 *
 *   embed.html?view=memory&platform=sev-snp&attacks=memory-dump&seed=1&step=5   one explorer view
 *   embed.html?scenario=tcb-rollback&s=2                                         one scenario step
 *   …&origin=https://example.org,https://example.com                            who may talk to it
 *
 * The view settings have the names, validation and messages of the explorer's fragment
 * (src/ui/state/url-state.ts, parseFragment); the query is user input like the fragment: parsing never
 * throws, and every part that is ignored is named in `problems` while a safe default takes its place.
 */
import { DEFAULT_STATE, parseFragment, toFragment, type ExplorerState } from '../state/url-state';
import { parseOrigins, shown, MAX_SCENARIO_STEP, type KnownIds, type OriginPolicy } from './protocol';

export type EmbedTarget =
  | { kind: 'view'; state: ExplorerState }
  /** `step` 1-based; null = the first step. */
  | { kind: 'scenario'; id: string; step: number | null };

export interface EmbedParams {
  target: EmbedTarget;
  origins: OriginPolicy;
  /** One sentence per part of the query that was ignored, saying what and why. */
  problems: string[];
}

const MAX_QUERY = 4096;
const SCENARIO_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** The explorer's settings, in the order its fragment writes them. */
const VIEW_KEYS = ['platform', 'attacks', 'misconfig', 'seed', 'step', 'view', 'page', 'inspect'] as const;

function defaultView(): EmbedTarget {
  return {
    kind: 'view',
    state: { ...DEFAULT_STATE, attacks: [...DEFAULT_STATE.attacks], misconfiguration: {} },
  };
}

/** Parses the embed page's query string (`location.search`, with or without '?'); never throws. */
export function parseEmbedQuery(search: string, known: KnownIds): EmbedParams {
  const raw = typeof search === 'string' ? (search.startsWith('?') ? search.slice(1) : search) : '';
  const problems: string[] = [];
  if (raw.length > MAX_QUERY) {
    problems.push(
      `the embed's address is ${raw.length} characters long (at most ${MAX_QUERY}); showing the default view`,
    );
    // Fail closed: an unreadable address must not widen who may talk to the embed.
    return { target: defaultView(), origins: { kind: 'list', origins: [] }, problems };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    problems.push("the embed's address could not be read; showing the default view");
    return { target: defaultView(), origins: { kind: 'list', origins: [] }, problems };
  }

  const origin = params.getAll('origin');
  if (origin.length > 1) problems.push('"origin" appears more than once; using its first value');
  const { policy, problems: originProblems } = parseOrigins(origin.length ? origin[0] : null);
  problems.push(...originProblems);

  const rest: [string, string][] = [...params].filter(([k]) => k !== 'origin');

  if (rest.some(([k]) => k === 'scenario')) {
    const id = rest.find(([k]) => k === 'scenario')?.[1] ?? '';
    let step: number | null = null;
    const seen = new Set<string>();
    for (const [key, value] of rest) {
      if (seen.has(key)) {
        problems.push(`${shown(key)} appears more than once; using its first value`);
        continue;
      }
      seen.add(key);
      // `lang` is read by the UI's language detection (src/ui/i18n) from the query, like the explorer's.
      if (key === 'scenario' || key === 'lang') continue;
      if (key === 's') {
        if (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_SCENARIO_STEP)
          step = Number(value);
        else
          problems.push(
            `step ${shown(value)} is not a step number from 1 to ${MAX_SCENARIO_STEP}; showing the first step`,
          );
      } else if ((VIEW_KEYS as readonly string[]).includes(key)) {
        problems.push(`${shown(key)} does not apply to a scenario step (the scenario sets it); ignored`);
      } else problems.push(`unknown setting ${shown(key)} ignored`);
    }
    if (!SCENARIO_ID.test(id) || !known.scenarios.includes(id)) {
      problems.push(`there is no workshop scenario ${shown(id)}; showing the default view`);
      return { target: defaultView(), origins: policy, problems };
    }
    return { target: { kind: 'scenario', id, step }, origins: policy, problems };
  }

  const fragment = new URLSearchParams(rest).toString();
  const parsed = parseFragment(fragment, { platforms: known.platforms, attacks: known.attacks });
  problems.push(...parsed.problems);
  return { target: { kind: 'view', state: parsed.state }, origins: policy, problems };
}

/** The explorer's fragment (without '#') showing the same as the embed. */
export function explorerFragment(target: EmbedTarget): string {
  if (target.kind === 'view') return toFragment(target.state);
  const q = new URLSearchParams();
  q.set('scenario', target.id);
  q.set('s', String(target.step ?? 1));
  return q.toString();
}

/** The link "Open in the full explorer": index.html next to embed.html, so any base path works. */
export function explorerHref(target: EmbedTarget): string {
  return `index.html#${explorerFragment(target)}`;
}

/**
 * The embed query for an explorer fragment (without '#'): the explorer's settings pass through
 * (the embed validates them as the explorer does; `inspect` is left out, the embed has no inspector),
 * a workshop fragment becomes its scenario and step. `problem` says when the state cannot be embedded.
 */
export function embedQuery(fragment: string): { query: string; problem: string | null } {
  const raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw.slice(0, MAX_QUERY));
  } catch {
    params = new URLSearchParams();
  }
  const out = new URLSearchParams();
  if (raw.startsWith('scenario')) {
    const id = params.get('scenario');
    if (id === null || !SCENARIO_ID.test(id))
      return { query: '', problem: 'the workshop index cannot be embedded: open a scenario first' };
    if (params.get('src') === 'file')
      return {
        query: '',
        problem: 'a scenario opened from a file lives only in this browser, so it cannot be embedded',
      };
    out.set('scenario', id);
    const s = params.get('s');
    if (s !== null && /^\d{1,5}$/.test(s)) out.set('s', s);
    return { query: out.toString(), problem: null };
  }
  for (const key of VIEW_KEYS) {
    if (key === 'inspect') continue;
    const value = params.get(key);
    if (value !== null) out.set(key, value);
  }
  return { query: out.toString().replace(/%2C/g, ','), problem: null };
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The iframe's title: what it shows, so a screen reader can tell embeds apart. */
export function embedTitle(
  query: string,
  names: { view?: (id: string) => string | undefined; platform?: (id: string) => string | undefined } = {},
): string {
  const p = new URLSearchParams(query);
  const base = 'Confidential Computing Threat Explorer';
  const scenario = p.get('scenario');
  if (scenario !== null) return `${base}: workshop scenario ${scenario}, step ${p.get('s') ?? '1'}`;
  const view = p.get('view') ?? 'map';
  const platform = p.get('platform') ?? 'sev-snp';
  const attacks = p.get('attacks');
  const parts = [names.view?.(view) ?? view, names.platform?.(platform) ?? platform];
  if (attacks && attacks !== 'none') parts.push(attacks.split(',').join(', '));
  return `${base}: ${parts.join(' · ')}`;
}

/**
 * The HTML to paste into another page: an iframe of embed.html resolved against `pageHref` (the
 * explorer's own address, so a site under a sub-path embeds from that sub-path), lazy, full width.
 */
export function embedSnippet(query: string, pageHref: string, title: string): string {
  const src = new URL(`embed.html${query ? `?${query}` : ''}`, pageHref).href;
  return `<iframe src="${attribute(src)}" title="${attribute(title)}" loading="lazy" style="width:100%;border:0" height="600"></iframe>`;
}
