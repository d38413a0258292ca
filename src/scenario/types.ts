/**
 * A workshop scenario, as loaded from a YAML file in scenarios/ (format: docs/scenario-format.md,
 * schema: static/scenario.schema.json). These types are the contract between the loader
 * (src/scenario/load.ts), the headless runner (src/scenario/run.ts, `ccte scenario check`) and the
 * player (src/ui/player/). Extend, never rename: trainers' files depend on these names.
 */
import type { Outcome } from '../model/outcome';
import type { Misconfiguration } from '../model/run-types';

/** Text a trainer writes: plain (English), or per language ('en' required, 'zh-CN' optional). */
export type Text = string | { en: string; 'zh-CN'?: string };

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

export const SCENARIO_VIEWS = ['map', 'boot', 'attestation', 'memory', 'matrix', 'statechart'] as const;
export type ScenarioView = (typeof SCENARIO_VIEWS)[number];

export interface Source {
  title: string;
  url?: string;
}

/** What a step changes in the simulated system; anything left out keeps the previous step's value. */
export interface Setup {
  platform?: string;
  /** Attack ids; [] for none. */
  attacks?: string[];
  misconfiguration?: Misconfiguration;
  seed?: number;
}

/**
 * How far to run: 'end' (default), a transcript position (0 = nothing happened yet), or the position
 * just after the first event of a kind ('nonce', 'evidence', 'verdict', 'secret', 'page-read', …).
 */
export type RunTo = 'end' | number | { after: string };

/** What a step points the audience at inside its view. */
export interface Focus {
  /** Memory view: a guest page by GPA, e.g. '0x1000'. */
  page?: string;
  /** Payload inspector: an evidence field by its specification name, e.g. 'MEASUREMENT'. */
  field?: string;
  /** A transcript event by sequence number (opens it in the payload inspector). */
  event?: number;
  /** Boot view: a register, e.g. 'RTMR1', 'PCR9'. */
  register?: string;
  /** Matrix view: a cell. */
  cell?: { platform: string; attack: string };
}

export interface ChoiceQuestion {
  type: 'choice';
  prompt: Text;
  choices: Text[];
  /** Index into `choices` of the right answer. */
  answer: number;
  explanation: Text;
}

/** "What will happen?": the audience predicts an attack's outcome before the step reveals it. */
export interface PredictQuestion {
  type: 'predict';
  prompt: Text;
  attack: string;
  /** Checked against the simulation by `ccte scenario check` (the answer is the simulated outcome). */
  answer: Outcome;
  explanation: Text;
}

export type Question = ChoiceQuestion | PredictQuestion;

/** Claims about the simulation at the step's point; `ccte scenario check` verifies every one. */
export type Expectation =
  | { outcome: { attack: string; is: Outcome } }
  | { verdict: { is: 'affirming' | 'warning' | 'contraindicated' | 'none' } }
  | { claim: { name: string; is: number } }
  | { check: { name: string; ok: boolean } }
  | { released: boolean }
  | { launchRefused: boolean }
  | {
      memory: {
        page: string;
        host: 'plaintext' | 'ciphertext' | 'abort-values' | 'fault';
        secretVisible?: boolean;
      };
    }
  | { boot: { register: string; matches: boolean } }
  | { event: { kind: string; present: boolean } }
  | { matrix: { platform: string; attack: string; is: Outcome } };

export interface Step {
  /** Optional stable id, for links and progress. Defaults to the step's number (1-based). */
  id?: string;
  title: Text;
  setup?: Setup;
  runTo?: RunTo;
  view: ScenarioView;
  focus?: Focus;
  /** Markdown shown to the audience (raw HTML is refused, links must be http(s)). */
  narrative: Text;
  /** Markdown for the presenter only. */
  notes?: Text;
  question?: Question;
  expect?: Expectation[];
}

export interface Scenario {
  id: string;
  title: Text;
  summary: Text;
  level: Level;
  /** Minutes. */
  duration: number;
  topics: string[];
  objectives: Text[];
  sources: Source[];
  steps: Step[];
}

/** A position in a scenario file, 1-based, for messages like "file.yaml:12:5". */
export interface Position {
  line: number;
  col: number;
}

export interface ScenarioProblem {
  file: string;
  line: number;
  col: number;
  /** What is wrong and what was expected, in one sentence. */
  message: string;
}

export type LoadResult =
  | {
      ok: true;
      scenario: Scenario;
      /** What loads but is most likely not what the author meant (e.g. prose cut short by ` #`). */
      warnings: ScenarioProblem[];
    }
  | { ok: false; problems: ScenarioProblem[] };
