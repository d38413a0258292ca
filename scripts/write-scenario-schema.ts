/**
 * Writes static/scenario.schema.json from src/scenario/schema.ts (`npm run schema`), formatted the way
 * prettier formats the rest of the repository. tests/unit/scenario/schema.test.ts fails when the
 * committed file differs from what this would write, so run it after changing the schema, a platform
 * or an attack.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { SCENARIO_SCHEMA } from '../src/scenario/schema';

export const SCHEMA_FILE = fileURLToPath(new URL('../static/scenario.schema.json', import.meta.url));

/** The exact text static/scenario.schema.json must have. */
export async function scenarioSchemaText(): Promise<string> {
  const options = (await resolveConfig(SCHEMA_FILE)) ?? {};
  return format(`${JSON.stringify(SCENARIO_SCHEMA, null, 2)}\n`, { ...options, filepath: SCHEMA_FILE });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(SCHEMA_FILE, await scenarioSchemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
