/// <reference types="vite/client" />
/**
 * The workshop scenarios the site ships (scenarios/*.yaml, bundled as text at build time and loaded
 * with the same loader as `ccte scenario check`), and the one scenario file a trainer may open from
 * disk to preview it. Invalid files are listed with their problems instead of breaking the page.
 *
 * An opened file is read locally and never uploaded; its text is kept in sessionStorage only, so it
 * survives a reload and reaches an audience window opened from the presenter's, and is gone with the
 * browser session.
 */
import { loadScenario } from '../../scenario/load';
import { LEVELS, type LoadResult, type Scenario, type ScenarioProblem } from '../../scenario/types';
import type { ProgressStorage } from './progress';
import { textOf } from './text';

export interface BrokenFile {
  file: string;
  problems: ScenarioProblem[];
}

export interface Catalogue {
  /** Valid scenarios, beginners' first, then by title. */
  scenarios: Scenario[];
  /** The file each valid scenario came from, by id. */
  files: Map<string, string>;
  broken: BrokenFile[];
}

export type Loader = (text: string, file: string) => LoadResult;

/** "scenarios/x.yaml" for a glob key like "../../../scenarios/x.yaml". */
export function displayName(path: string): string {
  const at = path.lastIndexOf('scenarios/');
  return at >= 0 ? path.slice(at) : path;
}

/** Loads with `load`, turning a loader that throws (it should not) into a problem. */
export function safeLoad(text: string, file: string, load: Loader = loadScenario): LoadResult {
  try {
    return load(text, file);
  } catch (e) {
    return {
      ok: false,
      problems: [{ file, line: 1, col: 1, message: `the file could not be loaded: ${(e as Error).message}` }],
    };
  }
}

export function buildCatalogue(sources: Record<string, string>, load: Loader = loadScenario): Catalogue {
  const scenarios: Scenario[] = [];
  const files = new Map<string, string>();
  const broken: BrokenFile[] = [];
  for (const path of Object.keys(sources).sort()) {
    const file = displayName(path);
    const result = safeLoad(sources[path], file, load);
    if (!result.ok) {
      broken.push({ file, problems: result.problems });
      continue;
    }
    const id = result.scenario.id;
    const other = files.get(id);
    if (other !== undefined) {
      broken.push({
        file,
        problems: [{ file, line: 1, col: 1, message: `id '${id}' is already used by ${other}` }],
      });
      continue;
    }
    files.set(id, file);
    scenarios.push(result.scenario);
  }
  scenarios.sort(
    (a, b) =>
      LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) ||
      textOf(a.title).localeCompare(textOf(b.title), 'en'),
  );
  return { scenarios, files, broken };
}

/** "file:line:col: message", as the command line prints it. */
export function problemLine(p: ScenarioProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

let shippedCatalogue: Catalogue | null = null;

/** The scenarios shipped with the site (loaded once, on first use). */
export function shipped(): Catalogue {
  if (!shippedCatalogue) {
    const sources = import.meta.glob('../../../scenarios/*.yaml', {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    shippedCatalogue = buildCatalogue(sources);
  }
  return shippedCatalogue;
}

/** A scenario file opened by the user. */
export interface OpenedFile {
  file: string;
  scenario: Scenario;
}

export const OPENED_KEY = 'ccte.opened-scenario.v1';
/** Larger files are still played, but not kept for a reload. */
export const MAX_KEPT_CHARS = 512 * 1024;
/** Files larger than this are not read at all. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Remembers an opened file's text for the session; false when it was not kept. */
export function keepOpened(storage: ProgressStorage | null, file: string, text: string): boolean {
  if (!storage || text.length > MAX_KEPT_CHARS) return false;
  try {
    storage.setItem(OPENED_KEY, JSON.stringify({ file, text }));
    return true;
  } catch {
    return false;
  }
}

/** The file opened earlier this session, if it is still there and still valid. */
export function restoreOpened(
  storage: ProgressStorage | null,
  load: Loader = loadScenario,
): OpenedFile | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(OPENED_KEY);
    if (raw === null) return null;
    const data: unknown = JSON.parse(raw);
    if (typeof data !== 'object' || data === null) throw new Error('not an object');
    const { file, text } = data as Record<string, unknown>;
    if (typeof file !== 'string' || typeof text !== 'string') throw new Error('no file and text');
    const result = safeLoad(text, file, load);
    return result.ok ? { file, scenario: result.scenario } : null;
  } catch {
    console.warn(`The scenario file kept for this session (${OPENED_KEY}) could not be read; forgetting it`);
    try {
      storage.removeItem(OPENED_KEY);
    } catch {
      // nothing more to do
    }
    return null;
  }
}
