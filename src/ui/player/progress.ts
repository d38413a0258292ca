/**
 * A learner's progress through the workshop scenarios, kept in the browser only (localStorage; a file
 * the user opened this session keeps its progress in sessionStorage instead). One key, one JSON object
 * keyed by scenario id:
 *
 *   ccte.progress.v1 = {
 *     "memory-encryption-basics": {
 *       "step": 3,                         // the step shown last, 1-based
 *       "furthest": 4,                     // the furthest step reached, 1-based
 *       "answers": { "dump": 1, "snp": "prevented" },  // by step id: a choice's index or a predicted outcome
 *       "completed": false                 // true once the last step has been reached
 *     }
 *   }
 *
 * Storage is user-controlled and shared with anything else on the origin, so reading never throws:
 * a value that is not this shape is reset (the whole key when it is not a JSON object, else the one
 * scenario's entry) with a console warning. Writing never throws either (quota, privacy modes).
 */
import type { Outcome } from '../../model/outcome';
import type { Question, Scenario, Step } from '../../scenario/types';
import { isId } from './route';

export const PROGRESS_KEY = 'ccte.progress.v1';

export const OUTCOME_IDS: readonly Outcome[] = [
  'leaked',
  'detected',
  'prevented',
  'out-of-scope',
  'not-applicable',
];

/** A choice question's answer is the chosen index; a predict question's, the predicted outcome. */
export type Answer = number | Outcome;

export interface Progress {
  step: number;
  furthest: number;
  answers: Record<string, Answer>;
  completed: boolean;
}

/** The subset of the Web Storage API used here (a stub in tests). */
export type ProgressStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const MAX_STEP = 10_000;
const MAX_STEP_ID = 100;
const MAX_ANSWERS = 1000;

export function emptyProgress(): Progress {
  return { step: 1, furthest: 1, answers: {}, completed: false };
}

/** The browser's localStorage, or null where it is unavailable (privacy modes, sandboxed frames). */
export function browserStorage(kind: 'local' | 'session' = 'local'): ProgressStorage | null {
  try {
    const s = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    return s ?? null;
  } catch {
    return null;
  }
}

export function isAnswer(value: unknown): value is Answer {
  return (
    (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_ANSWERS) ||
    (typeof value === 'string' && (OUTCOME_IDS as readonly string[]).includes(value))
  );
}

function isStep(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_STEP;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An entry read from storage, or null when it is not a Progress. */
export function parseEntry(value: unknown): Progress | null {
  if (!isPlainObject(value)) return null;
  const { step, furthest, answers, completed } = value;
  if (!isStep(step) || typeof completed !== 'boolean' || !isPlainObject(answers)) return null;
  if (furthest !== undefined && !isStep(furthest)) return null;
  const pairs = Object.entries(answers);
  if (pairs.length > MAX_STEP) return null;
  for (const [key, answer] of pairs) {
    if (key.length === 0 || key.length > MAX_STEP_ID || !isAnswer(answer)) return null;
  }
  return {
    step,
    furthest: Math.max(step, furthest ?? step),
    // fromEntries defines own properties, so a key like "__proto__" stays a plain key.
    answers: Object.fromEntries(pairs) as Record<string, Answer>,
    completed,
  };
}

function warn(message: string): void {
  console.warn(`Saved workshop progress: ${message}`);
}

/** Every valid entry in storage; invalid ones are reset (removed) with a warning. */
export function readAll(storage: ProgressStorage | null): Map<string, Progress> {
  const out = new Map<string, Progress>();
  if (!storage) return out;
  let raw: string | null;
  try {
    raw = storage.getItem(PROGRESS_KEY);
  } catch {
    return out;
  }
  if (raw === null) return out;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    data = undefined;
  }
  if (!isPlainObject(data)) {
    warn(`${PROGRESS_KEY} is not a JSON object; starting afresh`);
    try {
      storage.removeItem(PROGRESS_KEY);
    } catch {
      // nothing more to do
    }
    return out;
  }
  let dropped = false;
  for (const [id, value] of Object.entries(data)) {
    const entry = isId(id) ? parseEntry(value) : null;
    if (entry) out.set(id, entry);
    else {
      warn(`the entry ${JSON.stringify(id.slice(0, 80))} is not valid progress; resetting it`);
      dropped = true;
    }
  }
  if (dropped) writeAll(storage, out);
  return out;
}

function writeAll(storage: ProgressStorage, all: Map<string, Progress>): boolean {
  try {
    if (all.size === 0) storage.removeItem(PROGRESS_KEY);
    else storage.setItem(PROGRESS_KEY, JSON.stringify(Object.fromEntries(all)));
    return true;
  } catch {
    return false;
  }
}

export function loadProgress(storage: ProgressStorage | null, id: string): Progress | null {
  return readAll(storage).get(id) ?? null;
}

/** Saves one scenario's progress (the others are kept); false when storage refused it. */
export function saveProgress(storage: ProgressStorage | null, id: string, progress: Progress): boolean {
  if (!storage || !isId(id)) return false;
  const entry = parseEntry(progress);
  if (!entry) return false;
  const all = readAll(storage);
  all.set(id, entry);
  return writeAll(storage, all);
}

export function clearProgress(storage: ProgressStorage | null, id: string): boolean {
  if (!storage) return false;
  const all = readAll(storage);
  all.delete(id);
  return writeAll(storage, all);
}

/** A step's id: its own, else its 1-based number (docs/scenario-format.md). */
export function stepId(step: Step, index: number): string {
  return typeof step.id === 'string' && step.id !== '' ? step.id : String(index + 1);
}

/** The stored answer for a step, if it fits the step's question. */
export function answerFor(progress: Progress, step: Step, index: number): Answer | null {
  const id = stepId(step, index);
  if (!step.question || !Object.hasOwn(progress.answers, id)) return null;
  const a = progress.answers[id];
  return fits(step.question, a) ? a : null;
}

/** Whether `answer` is an answer of the question's kind. */
export function fits(question: Question, answer: Answer): boolean {
  return question.type === 'choice'
    ? typeof answer === 'number' && answer < question.choices.length
    : typeof answer === 'string';
}

export function isCorrect(question: Question, answer: Answer): boolean {
  return fits(question, answer) && answer === question.answer;
}

export interface Score {
  correct: number;
  answered: number;
  /** Questions in the scenario. */
  total: number;
}

export function quizScore(scenario: Scenario, progress: Progress | null): Score {
  const score: Score = { correct: 0, answered: 0, total: 0 };
  scenario.steps.forEach((step, i) => {
    if (!step.question) return;
    score.total++;
    const a = progress ? answerFor(progress, step, i) : null;
    if (a === null) return;
    score.answered++;
    if (isCorrect(step.question, a)) score.correct++;
  });
  return score;
}
