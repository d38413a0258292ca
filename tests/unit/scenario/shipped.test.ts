/**
 * Every shipped scenario (scenarios/*.yaml) loads and every one of its expectations holds, exactly as
 * `ccte scenario check scenarios` would say. A failure lists each problem as file:line:col: message.
 * One run cache for all files, so each distinct setup is simulated once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkScenarioText, createRunCache } from '../../../src/scenario/run';

const DIR = 'scenarios';
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => `${DIR}/${name}`);

describe('the shipped scenarios', () => {
  it('every scenarios/*.yaml loads and all its expectations hold', () => {
    const cache = createRunCache();
    const problems = files.flatMap((file) =>
      checkScenarioText(readFileSync(file, 'utf8'), file, { cache }).problems.map(
        (p) => `${p.file}:${p.line}:${p.col}: ${p.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('only .yaml files are scenarios (a .yml would be silently skipped)', () => {
    expect(readdirSync(DIR).filter((name) => name.endsWith('.yml'))).toEqual([]);
  });
});
