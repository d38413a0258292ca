/**
 * The embed's postMessage API (docs/embedding.md): what an embedded explorer (embed.html in an
 * iframe) tells the page around it, what that page may ask of it, and which origins may talk to it.
 * Pure: no DOM, no window; Embed.svelte does the posting and listening.
 *
 * Every incoming message is user input from another site: it is checked for shape, known ids and
 * value ranges, and the result says in one sentence why a message was refused. Nothing is ever
 * evaluated; data is only compared against fixed lists and numbers.
 */
import { MISCONFIGURATIONS, VIEWS, type MisconfigurationId, type ViewId } from '../state/url-state';

/** `source` of every message the embed posts. */
export const EMBED_SOURCE = 'ccte-embed';
/** `target` every message to the embed must carry. */
export const EMBED_TARGET = 'ccte-embed';
/** Bumped when a message changes incompatibly. */
export const PROTOCOL_VERSION = 1;

/** Largest transcript position a message may name (as the explorer's URL). */
export const MAX_STEP = 100_000;
/** Largest scenario step number (1-based) a message may name. */
export const MAX_SCENARIO_STEP = 10_000;
/** At most this many origins in `origin=`. */
export const MAX_ORIGINS = 16;
const MAX_SEED = 2 ** 31 - 1;
const MAX_HEIGHT = 1_000_000;
const SCENARIO_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The ids a message may name. */
export interface KnownIds {
  platforms: readonly string[];
  attacks: readonly string[];
  scenarios: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// Embed → host

/** What the embed shows, as it reports it. Only ids from fixed lists, and numbers. */
export interface EmbedState {
  /** 'view': one explorer view; 'scenario': one step of a workshop scenario. */
  mode: 'view' | 'scenario';
  view: ViewId;
  platform: string;
  /** Injected attack ids, in injection order. */
  attacks: string[];
  /** Owner misconfigurations switched on. */
  misconfig: MisconfigurationId[];
  seed: number;
  /** Transcript position shown: how many events have happened (0 … total). */
  step: number;
  /** Events in the run. */
  total: number;
  playing: boolean;
  /** In scenario mode: the scenario, its step shown (1-based) and its number of steps. */
  scenario: { id: string; step: number; steps: number } | null;
}

interface Envelope {
  source: typeof EMBED_SOURCE;
  version: typeof PROTOCOL_VERSION;
}
export type ReadyMessage = Envelope & { type: 'ready'; state: EmbedState };
export type StateMessage = Envelope & { type: 'state'; state: EmbedState };
export type ResizeMessage = Envelope & { type: 'resize'; height: number };
export type OutgoingMessage = ReadyMessage | StateMessage | ResizeMessage;

/** A copy of `s` with exactly the documented fields (nothing else can ride along). */
export function copyState(s: EmbedState): EmbedState {
  return {
    mode: s.mode,
    view: s.view,
    platform: s.platform,
    attacks: [...s.attacks],
    misconfig: [...s.misconfig],
    seed: s.seed,
    step: s.step,
    total: s.total,
    playing: s.playing,
    scenario: s.scenario ? { id: s.scenario.id, step: s.scenario.step, steps: s.scenario.steps } : null,
  };
}

export function readyMessage(state: EmbedState): ReadyMessage {
  return { source: EMBED_SOURCE, type: 'ready', version: PROTOCOL_VERSION, state: copyState(state) };
}

export function stateMessage(state: EmbedState): StateMessage {
  return { source: EMBED_SOURCE, type: 'state', version: PROTOCOL_VERSION, state: copyState(state) };
}

export function resizeMessage(height: number): ResizeMessage {
  return {
    source: EMBED_SOURCE,
    type: 'resize',
    version: PROTOCOL_VERSION,
    height: Math.max(0, Math.min(MAX_HEIGHT, Math.ceil(height))),
  };
}

// ---------------------------------------------------------------------------------------------------
// Checking values

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A value from a message, for a warning: shortened, without control characters. */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Own enumerable properties only: nothing inherited (a prototype's `platform`) is ever read. */
function ownFields(x: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, Object.fromEntries(Object.entries(x)));
}

function isInt(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Why `keys` of `obj` are not exactly within `allowed` and include `required`, or null. */
function keyProblem(
  obj: Record<string, unknown>,
  what: string,
  allowed: readonly string[],
  required: readonly string[] = [],
): string | null {
  const keys = Object.keys(obj);
  if (keys.length > allowed.length) return `${what} has ${keys.length} keys (at most ${allowed.length})`;
  for (const k of keys) {
    if (!allowed.includes(k))
      return `${what} has an unexpected key ${shown(k)} (allowed: ${allowed.join(', ')})`;
  }
  for (const k of required) if (!has(obj, k)) return `${what} lacks the key "${k}"`;
  return null;
}

/** Why `x` is not a well-formed EmbedState naming only known ids, or null when it is one. */
export function stateProblem(value: unknown, known: KnownIds): string | null {
  if (!isRecord(value)) return `the state is ${shown(value)}, not an object`;
  const x = ownFields(value);
  const fields = [
    'mode',
    'view',
    'platform',
    'attacks',
    'misconfig',
    'seed',
    'step',
    'total',
    'playing',
    'scenario',
  ];
  const keys = keyProblem(x, 'the state', fields, fields);
  if (keys) return keys;
  if (x.mode !== 'view' && x.mode !== 'scenario') return `mode ${shown(x.mode)} is not view or scenario`;
  if (!(VIEWS as readonly unknown[]).includes(x.view)) return `view ${shown(x.view)} is not a known view`;
  if (typeof x.platform !== 'string' || !known.platforms.includes(x.platform))
    return `platform ${shown(x.platform)} is not a known platform`;
  if (!Array.isArray(x.attacks) || x.attacks.some((a) => typeof a !== 'string' || !known.attacks.includes(a)))
    return 'attacks is not a list of known attack ids';
  if (
    !Array.isArray(x.misconfig) ||
    x.misconfig.some((m) => !(MISCONFIGURATIONS as readonly unknown[]).includes(m))
  )
    return 'misconfig is not a list of known misconfigurations';
  if (!isInt(x.seed, 0, MAX_SEED)) return `seed ${shown(x.seed)} is out of range`;
  if (!isInt(x.total, 0, MAX_STEP)) return `total ${shown(x.total)} is out of range`;
  if (!isInt(x.step, 0, x.total)) return `step ${shown(x.step)} is not from 0 to the total (${x.total})`;
  if (typeof x.playing !== 'boolean') return `playing ${shown(x.playing)} is not true or false`;
  if (x.scenario === null) return x.mode === 'scenario' ? 'scenario mode without a scenario' : null;
  if (x.mode !== 'scenario') return 'a scenario outside scenario mode';
  if (!isRecord(x.scenario)) return `scenario ${shown(x.scenario)} is not an object`;
  const s = ownFields(x.scenario);
  const sk = keyProblem(s, 'the scenario', ['id', 'step', 'steps'], ['id', 'step', 'steps']);
  if (sk) return sk;
  if (typeof s.id !== 'string' || !SCENARIO_ID.test(s.id) || !known.scenarios.includes(s.id))
    return `scenario ${shown(s.id)} is not a known scenario`;
  if (!isInt(s.steps, 1, MAX_SCENARIO_STEP)) return `the scenario's steps ${shown(s.steps)} is out of range`;
  if (!isInt(s.step, 1, s.steps)) return `the scenario's step ${shown(s.step)} is not from 1 to ${s.steps}`;
  return null;
}

/**
 * Why `m` is not a message the embed may post, or null. Only messages built from fixed lists and
 * numbers pass: this is what makes posting them to any origin ('*') acceptable (docs/embedding.md).
 */
export function outgoingProblem(message: unknown, known: KnownIds): string | null {
  if (!isRecord(message)) return 'not an object';
  const m = ownFields(message);
  if (m.source !== EMBED_SOURCE || m.version !== PROTOCOL_VERSION) return 'not an embed message';
  if (m.type === 'resize') {
    return (
      keyProblem(m, 'a resize message', ['source', 'type', 'version', 'height'], ['height']) ??
      (isInt(m.height, 0, MAX_HEIGHT) ? null : `height ${shown(m.height)} is out of range`)
    );
  }
  if (m.type === 'ready' || m.type === 'state') {
    return (
      keyProblem(m, `a ${m.type} message`, ['source', 'type', 'version', 'state'], ['state']) ??
      stateProblem(m.state, known)
    );
  }
  return `unknown type ${shown(m.type)}`;
}

// ---------------------------------------------------------------------------------------------------
// Host → embed

export type Command =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; to: number }
  | { type: 'step'; delta: 1 | -1 }
  | { type: 'setPlatform'; platform: string }
  | { type: 'injectAttack'; attack: string; on: boolean }
  | { type: 'loadScenario'; scenario: string; step: number | null };

export const COMMAND_TYPES = [
  'play',
  'pause',
  'step',
  'setPlatform',
  'injectAttack',
  'loadScenario',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

const COMMON_KEYS = ['target', 'type', 'version'];
const KEYS: Record<CommandType, readonly string[]> = {
  play: COMMON_KEYS,
  pause: COMMON_KEYS,
  step: [...COMMON_KEYS, 'to', 'delta'],
  setPlatform: [...COMMON_KEYS, 'platform'],
  injectAttack: [...COMMON_KEYS, 'attack', 'on'],
  loadScenario: [...COMMON_KEYS, 'scenario', 'step'],
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * A message from the host page as a Command, or why it is not one. Checks the shape (an object with
 * `target: 'ccte-embed'`, a known `type`, only that type's keys, `version` 1 when given), the ids
 * (known platforms, attacks, scenarios) and the ranges (`to` 0 … 100000, `delta` ±1, a scenario
 * `step` 1 … 10000). A `step` message with neither `to` nor `delta` steps forward by one.
 */
export function parseCommand(message: unknown, known: KnownIds): Parsed<Command> {
  if (!isRecord(message)) return refuse(`the message is ${shown(message)}, not an object`);
  const data = ownFields(message);
  if (data.target !== EMBED_TARGET)
    return refuse(
      `the message is not addressed to the embed (its target is ${shown(data.target)}, not "${EMBED_TARGET}")`,
    );
  const type = data.type;
  if (typeof type !== 'string' || !(COMMAND_TYPES as readonly string[]).includes(type))
    return refuse(`unknown message type ${shown(type)} (known: ${COMMAND_TYPES.join(', ')})`);
  const t = type as CommandType;
  const keys = keyProblem(data, `a ${t} message`, KEYS[t]);
  if (keys) return refuse(keys);
  if (has(data, 'version') && data.version !== PROTOCOL_VERSION)
    return refuse(
      `version ${shown(data.version)} is not supported (this embed speaks version ${PROTOCOL_VERSION})`,
    );
  switch (t) {
    case 'play':
    case 'pause':
      return { ok: true, value: { type: t } };
    case 'step': {
      const hasTo = has(data, 'to');
      const hasDelta = has(data, 'delta');
      if (hasTo && hasDelta) return refuse('a step message has either "to" or "delta", not both');
      if (hasTo) {
        if (!isInt(data.to, 0, MAX_STEP))
          return refuse(`step "to" ${shown(data.to)} is not a whole number from 0 to ${MAX_STEP}`);
        return { ok: true, value: { type: 'step', to: data.to } };
      }
      if (hasDelta) {
        if (data.delta !== 1 && data.delta !== -1)
          return refuse(`step "delta" ${shown(data.delta)} is not 1 or -1`);
        return { ok: true, value: { type: 'step', delta: data.delta } };
      }
      return { ok: true, value: { type: 'step', delta: 1 } };
    }
    case 'setPlatform': {
      const p = data.platform;
      if (typeof p !== 'string' || !known.platforms.includes(p))
        return refuse(`unknown platform ${shown(p)} (known: ${known.platforms.join(', ')})`);
      return { ok: true, value: { type: 'setPlatform', platform: p } };
    }
    case 'injectAttack': {
      const a = data.attack;
      if (typeof a !== 'string' || !known.attacks.includes(a))
        return refuse(`unknown attack ${shown(a)} (known: ${known.attacks.join(', ')})`);
      if (has(data, 'on') && typeof data.on !== 'boolean')
        return refuse(`injectAttack "on" ${shown(data.on)} is not true or false`);
      return { ok: true, value: { type: 'injectAttack', attack: a, on: data.on !== false } };
    }
    case 'loadScenario': {
      const s = data.scenario;
      if (typeof s !== 'string' || !known.scenarios.includes(s))
        return refuse(`unknown scenario ${shown(s)} (known: ${known.scenarios.join(', ')})`);
      if (has(data, 'step') && !isInt(data.step, 1, MAX_SCENARIO_STEP))
        return refuse(
          `scenario step ${shown(data.step)} is not a whole number from 1 to ${MAX_SCENARIO_STEP}`,
        );
      return {
        ok: true,
        value: { type: 'loadScenario', scenario: s, step: has(data, 'step') ? (data.step as number) : null },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Origins

/**
 * Who may talk to the embed: 'any' (no `origin=` in its URL) or the listed origins only. A list may be
 * empty when `origin=` was given but named no valid origin: then the embed accepts and posts nothing.
 */
export type OriginPolicy = { kind: 'any' } | { kind: 'list'; origins: string[] };

/** An origin as written in `origin=` ("https://example.org", "http://127.0.0.1:8080"), or null. */
export function normaliseOrigin(value: string): string | null {
  const v = value.trim();
  if (v === '' || v.length > 200) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return null;
  // An origin has no path: "https://example.org" or "https://example.org/" only.
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(v)) return null;
  return url.origin;
}

/** `origin=` from the embed's URL (null when absent): the policy, and one sentence per ignored part. */
export function parseOrigins(value: string | null): { policy: OriginPolicy; problems: string[] } {
  if (value === null) return { policy: { kind: 'any' }, problems: [] };
  const problems: string[] = [];
  const origins: string[] = [];
  const parts = value.split(',');
  if (parts.length > MAX_ORIGINS)
    problems.push(`origin names ${parts.length} origins; only the first ${MAX_ORIGINS} are used`);
  for (const part of parts.slice(0, MAX_ORIGINS)) {
    const o = normaliseOrigin(part);
    if (o === null) {
      problems.push(
        `origin ${shown(part)} is not an origin like https://example.org (scheme, host and port only); ignored`,
      );
    } else if (!origins.includes(o)) origins.push(o);
  }
  if (origins.length === 0) {
    problems.push('no valid origin is allowed, so this embed accepts no messages and sends none');
  }
  return { policy: { kind: 'list', origins }, problems };
}

/** The sender of an incoming message, as the embed sees it. */
export interface Sender {
  /** MessageEvent.origin. */
  origin: string;
  /** True when MessageEvent.source is the embedding page (window.parent, and not the embed itself). */
  fromParent: boolean;
}

/** Why a message from `sender` is not accepted under `policy`, or null when it is. */
export function senderProblem(sender: Sender, policy: OriginPolicy): string | null {
  if (!sender.fromParent)
    return 'the message does not come from the page that embeds this one (window.parent)';
  if (policy.kind === 'any') return null;
  if (policy.origins.includes(sender.origin)) return null;
  return policy.origins.length
    ? `messages from ${shown(sender.origin)} are not accepted (origin= allows ${policy.origins.join(', ')})`
    : `messages from ${shown(sender.origin)} are not accepted (origin= names no valid origin)`;
}

/** An incoming message checked from end to end: sender, then content. */
export function acceptMessage(
  data: unknown,
  sender: Sender,
  policy: OriginPolicy,
  known: KnownIds,
): Parsed<Command> {
  const problem = senderProblem(sender, policy);
  return problem ? refuse(problem) : parseCommand(data, known);
}

/**
 * The targetOrigin(s) to post `message` to the embedding page with:
 * - 'any' policy: '*' — only for messages made of known ids and numbers (outgoingProblem), none else;
 * - a list: the parent's origin when it is known (`parentOrigin`, e.g. location.ancestorOrigins[0])
 *   and listed, nothing when it is known and not listed, and every listed origin when it is unknown
 *   (the browser delivers only to the one that matches).
 */
export function postTargets(
  message: OutgoingMessage,
  policy: OriginPolicy,
  known: KnownIds,
  parentOrigin: string | null = null,
): string[] {
  if (outgoingProblem(message, known) !== null) return [];
  if (policy.kind === 'any') return ['*'];
  if (parentOrigin !== null) return policy.origins.includes(parentOrigin) ? [parentOrigin] : [];
  return [...policy.origins];
}
