/**
 * Loads a scenario file: YAML with positions → the value, checked against the JSON Schema
 * (schema.ts, with @cfworker/json-schema, which needs no eval) → the checks a schema cannot express.
 * Every problem names the line and column it is about and says, in plain words, what is wrong and
 * what was expected. Never throws: anything unexpected becomes a problem too.
 *
 * Paths in messages and in the position map are written as in the format doc: `steps[1].expect[0]`,
 * `title.zh-CN`, '' for the whole document.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { findUnsafeMarkdown } from './markdown';
import { SCENARIO_SCHEMA } from './schema';
import type { LoadResult, Position, Scenario, ScenarioProblem, Text } from './types';
import { EVENT_KINDS } from './vocabulary';

export { EVENT_KINDS };

/** Where things are written in the file, by path ('' the document, 'steps[1].expect[0]', 'title.en'). */
export interface ScenarioPositions {
  /** Where each value starts (for an empty value, where its key is). */
  values: Map<string, Position>;
  /** Where the key of each map entry is written. */
  keys: Map<string, Position>;
}

export type LoadResultWithPositions = LoadResult & { positions: ScenarioPositions };

// ---------------------------------------------------------------------------------------------------
// Paths

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const LAST_SEGMENT = /(?:\.?[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

/** The path of a child: `steps` + 0 → `steps[0]`, `steps[0]` + 'view' → `steps[0].view`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (PLAIN_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The path of the parent ('' for a top-level key; '' stays ''). */
export function parentPath(path: string): string {
  const m = LAST_SEGMENT.exec(path);
  return m && m.index < path.length ? path.slice(0, m.index) : '';
}

/** The position of `path`, or of its nearest ancestor that has one; 1:1 without any. */
export function positionOf(positions: ScenarioPositions | undefined, path: string): Position {
  if (!positions) return { line: 1, col: 1 };
  let p = path;
  for (;;) {
    const found = positions.values.get(p);
    if (found) return found;
    if (p === '') return { line: 1, col: 1 };
    p = parentPath(p);
  }
}

// ---------------------------------------------------------------------------------------------------
// YAML → value, with positions

interface Context {
  file: string;
  text: string;
  lc: LineCounter;
  positions: ScenarioPositions;
  /** Source offsets [start, end) of each value. */
  ranges: Map<string, [number, number]>;
  problems: ScenarioProblem[];
  warnings: ScenarioProblem[];
  /** Paths already reported while reading the YAML; the schema need not complain about them again. */
  reported: Set<string>;
}

function posAt(lc: LineCounter, offset: number): Position {
  const p = lc.linePos(offset);
  return { line: Math.max(1, p.line), col: Math.max(1, p.col) };
}

function problem(ctx: Context, at: Position, path: string, message: string): void {
  ctx.problems.push({
    file: ctx.file,
    line: at.line,
    col: at.col,
    message: path === '' ? message : `${path}: ${message}`,
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function scalarValue(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

interface NodeLike {
  range?: [number, number, number] | null;
}

/** Values that are prose for people (titles, narratives, questions…), in either language. */
const PROSE_PATH =
  /(?:^|\.)(?:(?:title|summary|narrative|notes|prompt|explanation)|(?:objectives|choices)\[\d+\])(?:\.en|\.zh-CN)?$/;

/**
 * In YAML, ` #` ends a plain (unquoted) value and starts a comment, so `answer: it raises #UD` reads
 * as "it raises". Where the comment follows prose on the same line, the author most likely meant the
 * text: say so (a warning; the file still loads), and how to keep it.
 */
function warnIfCutByComment(ctx: Context, path: string, valueEnd: number): void {
  const lineEnd = ctx.text.indexOf('\n', valueEnd);
  const rest = ctx.text.slice(valueEnd, lineEnd < 0 ? undefined : lineEnd);
  const m = /^([ \t]+)#([^\r]*)\r?$/.exec(rest);
  if (!m) return;
  const at = posAt(ctx.lc, valueEnd + m[1].length);
  const cut = m[2].trimEnd();
  ctx.warnings.push({
    file: ctx.file,
    line: at.line,
    col: at.col,
    message: `${path}: the text stops before '#${cut.length > 24 ? `${cut.slice(0, 24)}…` : cut}', which YAML reads as a comment; quote the whole text (or write '#' without a space before it) to keep it`,
  });
}

/**
 * For a value that came out empty ("got nothing") on a line like `narrative: # Heading`: YAML read
 * everything from ' #' on as a comment. Say so, since the line looks full to its author.
 */
function commentHint(ctx: Context, message: string, line: number): string {
  if (!message.endsWith('got nothing')) return '';
  const text = ctx.text.split('\n')[line - 1] ?? '';
  return /:[ \t]+#/.test(text)
    ? " (YAML reads everything from ' #' on as a comment: quote the text, or start a block with |)"
    : '';
}

function convert(node: unknown, path: string, ctx: Context, keyAt?: Position): Json {
  if (node === null || node === undefined) {
    if (keyAt) ctx.positions.values.set(path, keyAt);
    return null;
  }
  const range = (node as NodeLike).range;
  if (range) {
    const empty = isScalar(node) && node.value === null && range[0] === range[1];
    ctx.positions.values.set(path, empty && keyAt ? keyAt : posAt(ctx.lc, range[0]));
    ctx.ranges.set(path, [range[0], range[1]]);
  } else if (keyAt) {
    ctx.positions.values.set(path, keyAt);
  }
  if (isAlias(node)) {
    ctx.reported.add(path);
    problem(
      ctx,
      positionOf(ctx.positions, path),
      path,
      `aliases (*${node.source}) are not supported; write the value out`,
    );
    return null;
  }
  if (isScalar(node)) {
    if (node.type === 'PLAIN' && range && PROSE_PATH.test(path)) warnIfCutByComment(ctx, path, range[1]);
    return scalarValue(node.value);
  }
  if (isSeq(node)) return node.items.map((item, i) => convert(item, childPath(path, i), ctx));
  if (isMap(node)) {
    const out: { [key: string]: Json } = {};
    for (const pair of node.items) {
      const keyNode = pair.key as unknown;
      const keyRange = (keyNode as NodeLike | null)?.range;
      const at = keyRange ? posAt(ctx.lc, keyRange[0]) : positionOf(ctx.positions, path);
      if (!isScalar(keyNode) && keyNode !== null) {
        problem(ctx, at, path, 'keys must be plain words, not lists, maps or aliases');
        continue;
      }
      const key = isScalar(keyNode) ? String(keyNode.value ?? '') : '';
      const child = childPath(path, key);
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        const first = ctx.positions.keys.get(child);
        problem(
          ctx,
          at,
          child,
          `duplicate key '${key}'${first ? ` (first set on line ${first.line})` : ''}; each key may appear once`,
        );
        continue;
      }
      ctx.positions.keys.set(child, at);
      // defineProperty, so that a key like "__proto__" is an ordinary (and unknown) key.
      Object.defineProperty(out, key, {
        value: convert(pair.value, child, ctx, at),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Schema errors → plain words

let validator: Validator | undefined;

function schemaValidator(): Validator {
  validator ??= new Validator(SCENARIO_SCHEMA, '2020-12', false);
  return validator;
}

const DEFS = SCENARIO_SCHEMA.$defs as Record<string, Schema>;

const RUN_TO_EXPECTED = 'end, a transcript position (a whole number ≥ 0) or { after: <event kind> }';
const TEXT_EXPECTED = 'text (a string, or { en: …, zh-CN: … })';
const PATTERN_EXPECTED: Record<string, string> = {
  Id: 'a lowercase id (letters and digits in words joined by single hyphens, e.g. snp-memory-dump)',
  PageAddress: "a guest page address in lowercase hex, e.g. '0x1000'",
};

function decodeSegment(s: string): string {
  let d = s;
  try {
    d = decodeURIComponent(s);
  } catch {
    // keep it as written
  }
  return d.replace(/~1/g, '/').replace(/~0/g, '~');
}

function pointerSegments(pointer: string): string[] {
  return pointer.replace(/^#/, '').split('/').slice(1).map(decodeSegment);
}

/** The schema object a keyword belongs to (following $refs), and the last $defs entry passed through. */
function schemaAt(keywordLocation: string): { schema: Schema; def: string | null } {
  const segs = pointerSegments(keywordLocation).slice(0, -1);
  let node: unknown = SCENARIO_SCHEMA;
  let def: string | null = null;
  for (const seg of segs) {
    if (node === null || typeof node !== 'object') break;
    if (seg === '$ref') {
      const target = String((node as Schema).$ref ?? '');
      def = target.replace('#/$defs/', '');
      node = DEFS[def];
    } else {
      node = (node as Record<string, unknown>)[seg];
    }
  }
  return { schema: (node && typeof node === 'object' ? node : {}) as Schema, def };
}

function locate(root: Json, segs: string[]): { path: string; value: Json | undefined } {
  let path = '';
  let value: Json | undefined = root;
  for (const seg of segs) {
    if (Array.isArray(value)) {
      const i = Number(seg);
      path = childPath(path, i);
      value = value[i];
    } else if (value !== null && typeof value === 'object') {
      path = childPath(path, seg);
      value = Object.prototype.hasOwnProperty.call(value, seg) ? value[seg] : undefined;
    } else {
      path = childPath(path, seg);
      value = undefined;
    }
  }
  return { path, value };
}

function shorten(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** A value as a message shows it: 'sev-snq', 42, true, a list, a map, nothing. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${shorten(v)}'`;
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

function typeWords(schema: Schema): string {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((t) => {
      switch (t) {
        case 'string':
          return 'a string';
        case 'integer':
          return 'a whole number';
        case 'number':
          return 'a number';
        case 'boolean':
          return 'true or false';
        case 'array':
          return 'a list';
        case 'object': {
          const keys = Object.keys((schema.properties as object | undefined) ?? {});
          return keys.length ? `a map (${keys.join(', ')})` : 'a map';
        }
        default:
          return String(t);
      }
    })
    .join(' or ');
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

interface Located {
  path: string;
  at: Position;
  message: string;
  /** Type mismatches make every other complaint about the same value redundant. */
  isType: boolean;
}

function schemaProblems(errors: OutputUnit[], root: Json, ctx: Context): Located[] {
  const out: Located[] = [];
  const add = (path: string, message: string, isType = false, at?: Position) =>
    out.push({ path, message, isType, at: at ?? positionOf(ctx.positions, path) });
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    const { path, value } = locate(root, pointerSegments(e.instanceLocation));
    const { schema, def } =
      e.keyword === 'false' ? { schema: {} as Schema, def: null } : schemaAt(e.keywordLocation);
    switch (e.keyword) {
      case 'type':
        if (def === 'RunTo') add(path, `expected ${RUN_TO_EXPECTED}, got ${describeValue(value)}`, true);
        else if (def === 'Text') add(path, `expected ${TEXT_EXPECTED}, got ${describeValue(value)}`, true);
        else add(path, `expected ${typeWords(schema)}, got ${describeValue(value)}`, true);
        break;
      case 'const':
        if (def === 'RunTo') add(path, `expected ${RUN_TO_EXPECTED}, got ${describeValue(value)}`);
        else add(path, `expected ${describeValue(schema.const)}, got ${describeValue(value)}`);
        break;
      case 'enum':
        add(
          path,
          `unknown ${String(schema.title ?? 'value')} ${describeValue(value)} (expected one of ${(schema.enum as unknown[]).map(String).join(', ')})`,
        );
        break;
      case 'required': {
        const key = /required property "(.*)"\.$/.exec(e.error)?.[1] ?? '';
        add(path, `missing required key '${key}'`);
        break;
      }
      case 'additionalProperties': {
        const next = errors[i + 1];
        const keySegs = pointerSegments(
          next?.keyword === 'false' ? next.instanceLocation : e.instanceLocation,
        );
        const key = keySegs.at(-1) ?? '';
        if (next?.keyword === 'false') i++;
        const child = childPath(path, key);
        const allowed = Object.keys((schema.properties as object | undefined) ?? {});
        const noun = schema.title === 'expectation' ? 'expectation' : 'key';
        const guess = closest(key, allowed);
        add(
          child,
          guess
            ? `unknown ${noun} '${key}' (did you mean '${guess}'?)`
            : `unknown ${noun} '${key}' (expected one of ${allowed.join(', ')})`,
          false,
          ctx.positions.keys.get(child),
        );
        break;
      }
      case 'false':
        add(
          path,
          `unknown key '${pointerSegments(e.instanceLocation).at(-1) ?? ''}'`,
          false,
          ctx.positions.keys.get(path),
        );
        break;
      case 'minItems': {
        const n = Array.isArray(value) ? value.length : 0;
        add(
          path,
          `expected at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, got ${n === 0 ? 'none' : n}`,
        );
        break;
      }
      case 'maxItems':
        add(
          path,
          `expected at most ${schema.maxItems} items, got ${Array.isArray(value) ? value.length : 0}`,
        );
        break;
      case 'minProperties':
      case 'maxProperties': {
        const keys = value && typeof value === 'object' ? Object.keys(value) : [];
        const allowed = Object.keys((schema.properties as object | undefined) ?? {});
        if (schema.title === 'expectation') {
          add(
            path,
            `an expectation has exactly one key (one of ${allowed.join(', ')}), got ${keys.length === 0 ? 'none' : `${keys.length}: ${keys.join(', ')}`}`,
          );
        } else {
          add(
            path,
            `expected ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(schema[e.keyword])} keys, got ${keys.length}`,
          );
        }
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (def === 'RunTo') add(path, `expected ${RUN_TO_EXPECTED}, got ${describeValue(value)}`);
        else if (schema.minimum !== undefined && schema.maximum !== undefined)
          add(
            path,
            `expected a whole number from ${schema.minimum} to ${schema.maximum}, got ${describeValue(value)}`,
          );
        else if (schema.minimum !== undefined)
          add(path, `expected at least ${schema.minimum}, got ${describeValue(value)}`);
        else add(path, `expected at most ${String(schema.maximum)}, got ${describeValue(value)}`);
        break;
      case 'pattern': {
        const expected =
          (def && PATTERN_EXPECTED[def]) ??
          (schema.title === 'URL' ? 'an http:// or https:// URL' : `text matching ${String(schema.pattern)}`);
        add(path, `expected ${expected}, got ${describeValue(value)}`);
        break;
      }
      case 'minLength':
        add(path, 'must not be empty');
        break;
      case 'maxLength':
        add(
          path,
          `is too long (${typeof value === 'string' ? value.length : 0} characters; at most ${String(schema.maxLength)})`,
        );
        break;
      case 'uniqueItems': {
        const items = Array.isArray(value) ? value.map((v) => JSON.stringify(v)) : [];
        const k = items.findIndex((v, idx) => items.indexOf(v) !== idx);
        const j = k >= 0 ? items.indexOf(items[k]) : 0;
        const item = childPath(path, k >= 0 ? k : 0);
        add(
          item,
          `${describeValue(Array.isArray(value) ? value[k] : value)} is listed twice (also at ${childPath(path, j)})`,
        );
        break;
      }
      case 'properties':
      case 'items':
      case 'prefixItems':
      case '$ref':
      case 'if':
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        break; // wrappers: the errors that follow say what is wrong
      default:
        add(path, e.error);
    }
  }
  // One complaint per problem; a wrong type says it all about its value.
  const typed = new Set(out.filter((p) => p.isType).map((p) => p.path));
  const seen = new Set<string>();
  return out.filter((p) => {
    if (!p.isType && typed.has(p.path)) return false;
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------
// What the schema cannot say

function textEntries(text: Text, path: string): [string, string][] {
  if (typeof text === 'string') return [[path, text]];
  return Object.entries(text)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([lang, s]) => [childPath(path, lang), s]);
}

/** The positions of successive occurrences of snippets in one value's source, for exact line:col. */
function snippetFinder(ctx: Context, path: string): (snippet: string) => Position {
  const range = ctx.ranges.get(path);
  const fallback = positionOf(ctx.positions, path);
  let cursor = range ? range[0] : 0;
  return (snippet) => {
    if (!range || snippet === '') return fallback;
    const source = ctx.text.slice(0, range[1]);
    let found = source.indexOf(snippet, cursor);
    if (found < 0) found = source.indexOf(snippet, range[0]);
    if (found < 0) return fallback;
    cursor = found + snippet.length;
    return posAt(ctx.lc, found);
  };
}

function checkMarkdown(ctx: Context, text: Text | undefined, path: string, field: string): void {
  if (text === undefined) return;
  for (const [p, md] of textEntries(text, path)) {
    const at = snippetFinder(ctx, p);
    for (const issue of findUnsafeMarkdown(md)) {
      if (issue.kind === 'html') {
        problem(
          ctx,
          at(issue.snippet),
          p,
          `raw HTML is not allowed in ${field} (found ${issue.tag}); write Markdown`,
        );
      } else {
        problem(
          ctx,
          at(issue.snippet),
          p,
          `${issue.image ? 'image' : 'link to'} '${shorten(issue.url, 80)}' is not allowed in ${field} (links must be http:, https:, mailto: or a #anchor)`,
        );
      }
    }
  }
}

function semanticProblems(s: Scenario, ctx: Context): void {
  const base = /(?:^|[\\/])([^\\/]+)\.yaml$/.exec(ctx.file)?.[1];
  if (base !== undefined && s.id !== base) {
    problem(
      ctx,
      positionOf(ctx.positions, 'id'),
      'id',
      `id '${s.id}' does not match the file name '${base}.yaml' (expected id: ${base})`,
    );
  }
  const ids = new Map<string, number>();
  s.steps.forEach((step, i) => {
    const path = childPath('steps', i);
    const id = step.id ?? String(i + 1);
    const first = ids.get(id);
    if (first !== undefined) {
      const where = step.id !== undefined ? childPath(path, 'id') : path;
      problem(
        ctx,
        positionOf(ctx.positions, where),
        where,
        `step id '${id}'${step.id === undefined ? " (the step's number, its default id)" : ''} is already used by ${childPath('steps', first)}`,
      );
    } else {
      ids.set(id, i);
    }
    checkMarkdown(ctx, step.narrative, childPath(path, 'narrative'), 'narrative');
    checkMarkdown(ctx, step.notes, childPath(path, 'notes'), 'notes');
    const q = step.question;
    if (q) {
      const qPath = childPath(path, 'question');
      checkMarkdown(ctx, q.prompt, childPath(qPath, 'prompt'), 'prompt');
      if (q.type === 'choice' && q.answer >= q.choices.length) {
        const aPath = childPath(qPath, 'answer');
        problem(
          ctx,
          positionOf(ctx.positions, aPath),
          aPath,
          `answer ${q.answer} is not one of the choices (expected 0 to ${q.choices.length - 1}, an index into choices)`,
        );
      }
      checkMarkdown(ctx, q.explanation, childPath(qPath, 'explanation'), 'explanation');
    }
    // The schema knows the event kinds too; this keeps the rule even for values built in code.
    const after = typeof step.runTo === 'object' ? step.runTo.after : undefined;
    if (after !== undefined && !(EVENT_KINDS as string[]).includes(after)) {
      const p = childPath(childPath(path, 'runTo'), 'after');
      problem(
        ctx,
        positionOf(ctx.positions, p),
        p,
        `unknown event kind '${after}' (expected one of ${EVENT_KINDS.join(', ')})`,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------------

/** Limits far beyond any scenario, which keep hostile input from exhausting the parser's stack. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
const MAX_FLOW_DEPTH = 64;
const MAX_BLOCK_DEPTH = 256;

/**
 * The offset where `text` nests deeper than any scenario could (flow brackets, or indentation plus
 * compact "- " indicators), or -1. A cheap scan before parsing: the YAML parser recurses per level, and
 * very deep input can exhaust the stack in ways that cannot be caught.
 */
function tooDeepAt(text: string): number {
  let flow = 0;
  let quote = '';
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') {
      lineStart = true;
      indent = 0;
      // A quote is taken to end with its line: a multi-line string may be over-counted, but a stray
      // quote (in a block scalar, say) can never hide deep nesting from the scan.
      quote = '';
      continue;
    }
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (lineStart) {
      if (ch === ' ' || ((ch === '-' || ch === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t'))) {
        indent++;
        if (indent > MAX_BLOCK_DEPTH) return i;
        continue;
      }
      lineStart = false;
    }
    const prev = i > 0 ? text[i - 1] : ' ';
    if (ch === '#' && (prev === ' ' || prev === '\t')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if ((ch === '"' || ch === "'") && /[\s[{,:]/.test(prev)) {
      quote = ch;
    } else if (ch === '[' || ch === '{') {
      if (++flow > MAX_FLOW_DEPTH) return i;
    } else if ((ch === ']' || ch === '}') && flow > 0) {
      flow--;
    }
  }
  return -1;
}

export function byPosition(a: ScenarioProblem, b: ScenarioProblem): number {
  return a.line - b.line || a.col - b.col;
}

/**
 * Loads and checks one scenario file's text, keeping where every value is written (for checkScenario's
 * messages). `file` names the file in messages; when it ends in .yaml, the id must equal its base name.
 */
export function loadScenarioWithPositions(text: string, file: string): LoadResultWithPositions {
  const lc = new LineCounter();
  const ctx: Context = {
    file,
    text: typeof text === 'string' ? text : '',
    lc,
    positions: { values: new Map(), keys: new Map() },
    ranges: new Map(),
    problems: [],
    warnings: [],
    reported: new Set(),
  };
  const fail = (): LoadResultWithPositions => ({
    ok: false,
    problems: [...ctx.problems].sort(byPosition),
    positions: ctx.positions,
  });
  try {
    if (typeof text !== 'string') {
      problem(ctx, { line: 1, col: 1 }, '', `expected the text of a YAML file, got ${describeValue(text)}`);
      return fail();
    }
    if (text.length > MAX_SCENARIO_BYTES) {
      problem(
        ctx,
        { line: 1, col: 1 },
        '',
        `the file is too large (${text.length} characters; a scenario has at most ${MAX_SCENARIO_BYTES})`,
      );
      return fail();
    }
    const deep = tooDeepAt(text);
    if (deep >= 0) {
      const before = text.slice(0, deep);
      problem(
        ctx,
        { line: before.split('\n').length, col: deep - before.lastIndexOf('\n') },
        '',
        `nested too deeply (more than ${MAX_FLOW_DEPTH} brackets or ${MAX_BLOCK_DEPTH} levels of indentation); a scenario needs far fewer`,
      );
      return fail();
    }
    const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      problem(ctx, posAt(lc, e.pos[0]), '', `invalid YAML: ${e.message.split('\n')[0]}`);
      return fail();
    }
    for (const w of doc.warnings)
      problem(ctx, posAt(lc, w.pos[0]), '', `invalid YAML: ${w.message.split('\n')[0]}`);
    const value = convert(doc.contents, '', ctx);
    if (value === null && doc.contents === null) {
      problem(
        ctx,
        { line: 1, col: 1 },
        '',
        'the file is empty; a scenario is a map with id, title, summary, level, duration, topics, objectives, sources and steps',
      );
      return fail();
    }
    const result = schemaValidator().validate(value);
    if (!result.valid) {
      const reported = [...ctx.reported];
      const alreadySaid = (path: string) =>
        reported.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
      for (const p of schemaProblems(result.errors, value, ctx)) {
        if (alreadySaid(p.path)) continue;
        ctx.problems.push({
          file,
          line: p.at.line,
          col: p.at.col,
          message: `${p.path === '' ? 'top level' : p.path}: ${p.message}${commentHint(ctx, p.message, p.at.line)}`,
        });
      }
      if (ctx.problems.length > 0) return fail();
    }
    if (ctx.problems.length > 0) return fail();
    const scenario = value as unknown as Scenario;
    semanticProblems(scenario, ctx);
    if (ctx.problems.length > 0) return fail();
    return { ok: true, scenario, positions: ctx.positions, warnings: [...ctx.warnings].sort(byPosition) };
  } catch (e) {
    problem(
      ctx,
      { line: 1, col: 1 },
      '',
      `internal error while loading: ${(e as Error)?.message ?? String(e)}`,
    );
    return fail();
  }
}

/** Loads one scenario (see loadScenarioWithPositions); never throws. */
export function loadScenario(text: string, file: string): LoadResult {
  const r = loadScenarioWithPositions(text, file);
  return r.ok
    ? { ok: true, scenario: r.scenario, warnings: r.warnings }
    : { ok: false, problems: r.problems };
}
