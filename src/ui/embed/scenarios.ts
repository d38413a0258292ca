/// <reference types="vite/client" />
/**
 * The workshop scenarios the embed can show: their ids come from the file names (a scenario's id is
 * its file name, docs/scenario-format.md), so the list costs nothing to load; a file's text, the
 * loader and the Markdown renderer are fetched only when a scenario is shown (scenario-step.ts).
 */
const FILES = import.meta.glob('../../../scenarios/*.yaml', { query: '?raw', import: 'default' }) as Record<
  string,
  () => Promise<string>
>;

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function idOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
}

/** The shipped scenarios' ids, sorted. */
export const SCENARIO_IDS: readonly string[] = Object.keys(FILES)
  .map(idOf)
  .filter((id) => ID.test(id))
  .sort();

/** The text of a shipped scenario file. */
export async function scenarioText(id: string): Promise<{ file: string; text: string }> {
  const path = Object.keys(FILES).find((p) => idOf(p) === id);
  if (path === undefined) throw new Error(`there is no workshop scenario "${id}"`);
  return { file: `scenarios/${id}.yaml`, text: await FILES[path]() };
}
