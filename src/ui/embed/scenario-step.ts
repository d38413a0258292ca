/**
 * One step of a shipped workshop scenario, as the embed shows it: loaded with the same loader as
 * `ccte scenario check`, resolved with `stepStates`, its narrative rendered to safe HTML. Loaded on
 * demand (the embed imports this module dynamically), so a view embed never downloads the YAML
 * parser, the schema validator or the Markdown renderer.
 */
import { renderMarkdown } from '../../scenario/markdown';
import { loadScenario } from '../../scenario/load';
import { runToPosition, stepStates, type StepState } from '../../scenario/run';
import type { Text } from '../../scenario/types';
import { scenarioText } from './scenarios';

export { runToPosition };

export interface LoadedStep {
  id: string;
  title: string;
  /** Number of steps in the scenario. */
  count: number;
  /** The step shown, 1-based. */
  index: number;
  stepTitle: string;
  /** The step's narrative as sanitised HTML (raw HTML escaped, only http(s)/mailto/# links). */
  narrativeHtml: string;
  state: StepState;
  /** Set when the step asked for was not there and another is shown instead. */
  problem: string | null;
}

function plain(t: Text): string {
  return typeof t === 'string' ? t : t.en;
}

/** Loads scenario `id` at step `step` (1-based; null = the first). Throws with a readable message. */
export async function loadStep(id: string, step: number | null): Promise<LoadedStep> {
  const { file, text } = await scenarioText(id);
  const result = loadScenario(text, file);
  if (!result.ok) {
    const first = result.problems[0];
    throw new Error(
      `the scenario ${id} could not be loaded (${first ? `${first.file}:${first.line}:${first.col}: ${first.message}` : 'no reason given'})`,
    );
  }
  const scenario = result.scenario;
  const states = stepStates(scenario);
  const count = scenario.steps.length;
  let index = step ?? 1;
  let problem: string | null = null;
  if (index > count) {
    problem = `the scenario ${id} has ${count} steps, not ${index}; showing the last`;
    index = count;
  }
  const s = scenario.steps[index - 1];
  return {
    id,
    title: plain(scenario.title),
    count,
    index,
    stepTitle: plain(s.title),
    narrativeHtml: renderMarkdown(plain(s.narrative)),
    state: states[index - 1],
    problem,
  };
}
