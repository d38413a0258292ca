import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Scenario, Step } from '../../../src/scenario/types';
import {
  answerFor,
  clearProgress,
  emptyProgress,
  loadProgress,
  PROGRESS_KEY,
  quizScore,
  readAll,
  saveProgress,
  stepId,
  type Progress,
  type ProgressStorage,
} from '../../../src/ui/player/progress';

/** A tiny in-memory Web Storage. */
class MemoryStorage implements ProgressStorage {
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

/** Storage that refuses everything, as a full quota or a privacy mode does. */
const refusing: ProgressStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

const step = (extra: Partial<Step> = {}): Step => ({ title: 't', view: 'map', narrative: 'n', ...extra });

const scenario: Scenario = {
  id: 'demo',
  title: 'Demo',
  summary: 's',
  level: 'beginner',
  duration: 10,
  topics: ['x'],
  objectives: ['o'],
  sources: [{ title: 'src' }],
  steps: [
    step({ id: 'intro' }),
    step({
      id: 'guess',
      question: { type: 'choice', prompt: 'p', choices: ['a', 'b', 'c'], answer: 1, explanation: 'e' },
    }),
    step({
      question: {
        type: 'predict',
        prompt: 'p',
        attack: 'memory-dump',
        answer: 'prevented',
        explanation: 'e',
      },
    }),
    step({
      id: 'last',
      question: { type: 'choice', prompt: 'p', choices: ['a', 'b'], answer: 0, explanation: 'e' },
    }),
  ],
};

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('saved progress', () => {
  it('round-trips, keeping other scenarios', () => {
    const storage = new MemoryStorage();
    const p: Progress = { step: 3, furthest: 4, answers: { guess: 1, '3': 'leaked' }, completed: false };
    expect(saveProgress(storage, 'demo', p)).toBe(true);
    expect(saveProgress(storage, 'other', emptyProgress())).toBe(true);
    expect(loadProgress(storage, 'demo')).toEqual(p);
    expect(loadProgress(storage, 'other')).toEqual(emptyProgress());
    expect(JSON.parse(storage.getItem(PROGRESS_KEY) ?? '')).toEqual({
      demo: { step: 3, furthest: 4, answers: { guess: 1, '3': 'leaked' }, completed: false },
      other: { step: 1, furthest: 1, answers: {}, completed: false },
    });
    expect(clearProgress(storage, 'demo')).toBe(true);
    expect(loadProgress(storage, 'demo')).toBeNull();
    expect(loadProgress(storage, 'other')).not.toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it('resets the whole key when it is not a JSON object, with a warning', () => {
    for (const raw of ['not json', '[1,2]', '"text"', 'null', '42', '{"demo": ']) {
      const storage = new MemoryStorage();
      storage.setItem(PROGRESS_KEY, raw);
      expect(loadProgress(storage, 'demo')).toBeNull();
      expect(storage.getItem(PROGRESS_KEY)).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(6);
  });

  it('resets only the corrupt entries, with a warning', () => {
    const storage = new MemoryStorage();
    const good = { step: 2, furthest: 2, answers: { guess: 0 }, completed: false };
    storage.setItem(
      PROGRESS_KEY,
      JSON.stringify({
        demo: good,
        a: { step: 0, answers: {}, completed: false },
        b: { step: 1, answers: [], completed: false },
        c: { step: 1, answers: { x: 'pwned' }, completed: false },
        d: { step: 1, answers: {}, completed: 'yes' },
        e: 'foreign',
        f: { step: 1.5, answers: {}, completed: false },
        g: { step: 2, furthest: -1, answers: {}, completed: false },
        'Not An Id': good,
      }),
    );
    const all = readAll(storage);
    expect([...all.keys()]).toEqual(['demo']);
    expect(warn).toHaveBeenCalledTimes(8);
    // The reset is written back, so the next read is clean.
    expect(JSON.parse(storage.getItem(PROGRESS_KEY) ?? '')).toEqual({ demo: good });
    warn.mockClear();
    readAll(storage);
    expect(warn).not.toHaveBeenCalled();
  });

  it('keeps a "__proto__" step id a plain key', () => {
    const storage = new MemoryStorage();
    storage.setItem(
      PROGRESS_KEY,
      '{"demo":{"step":1,"answers":{"__proto__":1,"constructor":"leaked"},"completed":false}}',
    );
    const p = loadProgress(storage, 'demo');
    expect(p).not.toBeNull();
    expect(Object.getPrototypeOf(p?.answers)).toBe(Object.prototype);
    expect(Object.hasOwn(p?.answers ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('fills in a missing furthest step', () => {
    const storage = new MemoryStorage();
    storage.setItem(PROGRESS_KEY, JSON.stringify({ demo: { step: 3, answers: {}, completed: true } }));
    expect(loadProgress(storage, 'demo')).toEqual({ step: 3, furthest: 3, answers: {}, completed: true });
  });

  it('never throws when storage is missing or refuses', () => {
    expect(loadProgress(null, 'demo')).toBeNull();
    expect(saveProgress(null, 'demo', emptyProgress())).toBe(false);
    expect(loadProgress(refusing, 'demo')).toBeNull();
    expect(saveProgress(refusing, 'demo', emptyProgress())).toBe(false);
    expect(clearProgress(refusing, 'demo')).toBe(false);
    expect(saveProgress(new MemoryStorage(), 'Bad Id', emptyProgress())).toBe(false);
    expect(saveProgress(new MemoryStorage(), 'demo', { ...emptyProgress(), step: 0 })).toBe(false);
  });
});

describe('quiz scoring', () => {
  it('counts correct, answered and total questions', () => {
    expect(quizScore(scenario, null)).toEqual({ correct: 0, answered: 0, total: 3 });
    const p: Progress = { ...emptyProgress(), answers: { guess: 1, '3': 'leaked' } };
    expect(quizScore(scenario, p)).toEqual({ correct: 1, answered: 2, total: 3 });
    p.answers.last = 0;
    p.answers['3'] = 'prevented';
    expect(quizScore(scenario, p)).toEqual({ correct: 3, answered: 3, total: 3 });
  });

  it('ignores answers that do not fit the question or name no question', () => {
    const p: Progress = {
      ...emptyProgress(),
      answers: { guess: 'leaked', '3': 1, last: 5, intro: 0, nowhere: 1 },
    };
    expect(quizScore(scenario, p)).toEqual({ correct: 0, answered: 0, total: 3 });
    expect(answerFor(p, scenario.steps[1], 1)).toBeNull();
  });

  it('names steps by id, else by number', () => {
    expect(scenario.steps.map((s, i) => stepId(s, i))).toEqual(['intro', 'guess', '3', 'last']);
  });
});
