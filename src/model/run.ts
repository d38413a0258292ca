/**
 * One simulated run, synchronously: the XState actors step synchronously (no timers, no promises),
 * so `runScenario` returns when the protocol and the attacks' hooks are done. Same seed, same bytes.
 */
import { createSystem } from './machines/system';
import type { RunInput, RunResult } from './run-types';

export function runScenario(input: RunInput): RunResult {
  return createSystem(input).run();
}

/** The actors' snapshots after a run, for a UI that inspects every machine. */
export function inspectScenario(input: RunInput) {
  const system = createSystem(input);
  const result = system.run();
  return { result, snapshots: system.snapshots() };
}
