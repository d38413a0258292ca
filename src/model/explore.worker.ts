/**
 * Runs one exploration off the main thread: post `{ id, input }`, receive `{ id, run }` or
 * `{ id, error }`. A first run of a platform generates keys and chains (hundreds of milliseconds),
 * which must not block the page.
 */
import { explore } from './explore';
import type { ExploreInput, ExplorerRun } from './explore-types';

export interface ExploreRequest {
  id: number;
  input: ExploreInput;
}

export type ExploreResponse = { id: number; run: ExplorerRun } | { id: number; error: string };

self.onmessage = (e: MessageEvent<ExploreRequest>) => {
  const { id, input } = e.data;
  let response: ExploreResponse;
  try {
    response = { id, run: explore(input) };
  } catch (err) {
    response = { id, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(response);
};
