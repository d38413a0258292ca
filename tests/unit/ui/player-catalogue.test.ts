import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  buildCatalogue,
  displayName,
  keepOpened,
  OPENED_KEY,
  problemLine,
  restoreOpened,
  safeLoad,
  shipped,
} from '../../../src/ui/player/catalogue';

const good = readFileSync(new URL('../../fixtures/scenarios-good/minimal.yaml', import.meta.url), 'utf8');
const bad = readFileSync(
  new URL('../../fixtures/scenarios-bad/script-in-narrative.yaml', import.meta.url),
  'utf8',
);

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('the scenario catalogue', () => {
  it('loads valid files and lists invalid ones with their problems', () => {
    const c = buildCatalogue({
      '../../../scenarios/minimal.yaml': good,
      '../../../scenarios/script-in-narrative.yaml': bad,
      '../../../scenarios/again.yaml': good,
    });
    expect(c.scenarios.map((s) => s.id)).toEqual(['minimal']);
    expect(c.files.get('minimal')).toBe('scenarios/minimal.yaml');
    expect(c.broken.map((b) => b.file)).toEqual([
      'scenarios/again.yaml',
      'scenarios/script-in-narrative.yaml',
    ]);
    expect(c.broken[0].problems.map(problemLine)).toEqual([
      "scenarios/again.yaml:2:5: id: id 'minimal' does not match the file name 'again.yaml' (expected id: again)",
    ]);
    const lines = c.broken[1].problems.map(problemLine);
    expect(lines[0]).toMatch(
      /^scenarios\/script-in-narrative\.yaml:\d+:\d+: steps\[0\]\.narrative: raw HTML/,
    );
  });

  it('refuses a second scenario with the same id', () => {
    const minimal = safeLoad(good, 'minimal.yaml');
    if (!minimal.ok) throw new Error('minimal.yaml should load');
    const c = buildCatalogue({ 'scenarios/b.yaml': 'x', 'scenarios/a.yaml': 'x' }, () => minimal);
    expect(c.scenarios.length).toBe(1);
    expect(c.files.get('minimal')).toBe('scenarios/a.yaml');
    expect(c.broken).toEqual([
      {
        file: 'scenarios/b.yaml',
        problems: [
          {
            file: 'scenarios/b.yaml',
            line: 1,
            col: 1,
            message: "id 'minimal' is already used by scenarios/a.yaml",
          },
        ],
      },
    ]);
  });

  it('turns a loader that throws into a problem', () => {
    const result = safeLoad('x', 'f.yaml', () => {
      throw new Error('boom');
    });
    expect(result).toEqual({
      ok: false,
      problems: [{ file: 'f.yaml', line: 1, col: 1, message: 'the file could not be loaded: boom' }],
    });
  });

  it('ships only valid scenarios, ordered by level', () => {
    const c = shipped();
    expect(c.scenarios.length).toBeGreaterThan(0);
    expect(c.broken).toEqual([]);
    const levels = c.scenarios.map((s) => ['beginner', 'intermediate', 'advanced'].indexOf(s.level));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(displayName('../../../scenarios/x.yaml')).toBe('scenarios/x.yaml');
  });

  it('keeps an opened file for the session, and forgets a corrupt one', () => {
    const session = new MemoryStorage();
    expect(restoreOpened(session)).toBeNull();
    expect(keepOpened(session, 'minimal.yaml', good)).toBe(true);
    expect(restoreOpened(session)?.scenario.id).toBe('minimal');
    expect(keepOpened(session, 'big.yaml', 'x'.repeat(600 * 1024))).toBe(false);
    for (const raw of ['{', '[]', '{"file":1,"text":2}', 'null']) {
      session.setItem(OPENED_KEY, raw);
      expect(restoreOpened(session)).toBeNull();
      expect(session.getItem(OPENED_KEY)).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(4);
    // A kept file that no longer loads is simply not offered.
    session.setItem(OPENED_KEY, JSON.stringify({ file: 'bad.yaml', text: bad }));
    expect(restoreOpened(session)).toBeNull();
    expect(restoreOpened(null)).toBeNull();
  });
});
