/**
 * One simulated run, synchronously: the XState actors step synchronously (no timers, no promises),
 * so `runScenario` returns when the protocol and the attacks' hooks are done. Same seed, same bytes.
 */
import { viewOf, type MachineView } from './inspect';
import { createSystem } from './machines/system';
import type { RunInput, RunResult } from './run-types';

export function runScenario(input: RunInput): RunResult {
  return createSystem(input).run();
}

/** The actors' snapshots after a run, for a UI that inspects every machine; `views` are JSON-safe. */
export function inspectScenario(input: RunInput) {
  const system = createSystem(input);
  const result = system.run();
  const snapshots = system.snapshots();
  const views = Object.fromEntries(
    Object.entries(snapshots).map(([name, s]) => [name, viewOf(s as Parameters<typeof viewOf>[0])]),
  ) as Record<keyof typeof snapshots, MachineView>;
  return { result, snapshots, views };
}
