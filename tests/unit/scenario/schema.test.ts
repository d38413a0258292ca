import { readFileSync } from 'node:fs';
import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { ATTACKS } from '../../../src/model/attacks';
import { PLATFORMS } from '../../../src/model/platforms';
import { SCENARIO_SCHEMA } from '../../../src/scenario/schema';
import { LEVELS, SCENARIO_VIEWS } from '../../../src/scenario/types';
import { SCHEMA_FILE, scenarioSchemaText } from '../../../scripts/write-scenario-schema';

const defs = SCENARIO_SCHEMA.$defs as Record<string, { enum?: unknown[] }>;

/** Every object schema in the tree, with its path. */
function objectSchemas(node: unknown, path = '#'): [string, Record<string, unknown>][] {
  if (node === null || typeof node !== 'object') return [];
  const out: [string, Record<string, unknown>][] = [];
  const n = node as Record<string, unknown>;
  if (n.type === 'object' && n.properties) out.push([path, n]);
  for (const [k, v] of Object.entries(n)) out.push(...objectSchemas(v, `${path}/${k}`));
  return out;
}

describe('the scenario schema', () => {
  it('static/scenario.schema.json is exactly what `npm run schema` writes (run it after changing the schema)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await scenarioSchemaText());
  });

  it('takes platform and attack ids from the registries, and the vocabularies from types.ts', () => {
    expect(defs.PlatformId.enum).toEqual(PLATFORMS.map((p) => p.id));
    expect(defs.AttackId.enum).toEqual(ATTACKS.map((a) => a.id));
    expect(defs.Level.enum).toEqual([...LEVELS]);
    expect(defs.View.enum).toEqual([...SCENARIO_VIEWS]);
    expect(defs.Outcome.enum).toEqual(['leaked', 'detected', 'prevented', 'out-of-scope', 'not-applicable']);
    expect(defs.HostViewKind.enum).toEqual(['plaintext', 'ciphertext', 'abort-values', 'fault']);
    expect(defs.VerdictStatus.enum).toEqual(['affirming', 'warning', 'contraindicated', 'none']);
  });

  it('closes every object (additionalProperties: false) and describes every property', () => {
    const objects = objectSchemas(SCENARIO_SCHEMA);
    expect(objects.length).toBeGreaterThan(20);
    for (const [path, o] of objects) {
      // Question only dispatches on `type`; ChoiceQuestion and PredictQuestion, which it applies, are closed.
      if (path === '#/$defs/Question') continue;
      expect(o.additionalProperties, path).toBe(false);
    }
    expect(SCENARIO_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const [name, d] of Object.entries(
      SCENARIO_SCHEMA.$defs as Record<string, Record<string, unknown>>,
    )) {
      if (name === 'ChoiceQuestion' || name === 'PredictQuestion' || name === 'Text') continue;
      expect(typeof d.description, `$defs/${name}`).toBe('string');
    }
  });

  it('is a valid draft 2020-12 schema that the CSP-safe validator accepts and uses', () => {
    const v = new Validator(SCENARIO_SCHEMA, '2020-12', false);
    expect(v.validate({}).valid).toBe(false);
    const minimal = {
      id: 'x',
      title: 'T',
      summary: 'S',
      level: 'beginner',
      duration: 1,
      topics: [],
      objectives: ['O'],
      sources: [{ title: 'S' }],
      steps: [{ title: 'T', view: 'map', narrative: 'N' }],
    };
    expect(v.validate(minimal).valid).toBe(true);
    expect(v.validate({ ...minimal, extra: 1 }).valid).toBe(false);
  });
});
