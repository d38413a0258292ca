/**
 * `ccte scenario check`: loads workshop scenario files, validates them against the schema and runs
 * every step headlessly, verifying its expectations and predict answers (src/scenario/run.ts). One
 * line per problem, `file:line:col: message`, as compilers print them, then a summary.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { byPosition } from '../../scenario/load';
import { checkScenarioText, createRunCache, type ScenarioReport } from '../../scenario/run';
import { CliError, usageError } from '../cli-error';
import { printJson } from '../io';
import type { Command } from './command';

const USAGE = 'ccte scenario check <file|directory>… [--json]';

function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err?.message ?? String(e);
  }
}

/** The files to check: each operand, or every .yaml file in an operand that is a directory. */
async function expand(operands: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const operand of operands) {
    let isDirectory = false;
    try {
      isDirectory = (await stat(operand)).isDirectory();
    } catch {
      // not there: reading it will say so, as a problem of that file
    }
    if (!isDirectory) {
      files.push(operand);
      continue;
    }
    const names = (await readdir(operand)).filter((n) => n.endsWith('.yaml')).sort();
    const dir = operand.replace(/[\\/]+$/, '');
    files.push(...names.map((n) => `${dir}/${n}`));
  }
  return files;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function check(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const reason = (e as Error).message.split(/\.\s/)[0].replace(/^Unknown/, 'unknown');
    throw usageError(`scenario check: ${reason}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw usageError(`scenario check: expected at least one scenario file (usage: ${USAGE})`);
  }
  const files = await expand(positionals);
  if (files.length === 0) {
    throw usageError(`scenario check: no .yaml files in ${positionals.map((p) => `'${p}'`).join(', ')}`);
  }
  const cache = createRunCache();
  const reports: ScenarioReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      reports.push({
        file,
        ok: false,
        steps: 0,
        expectations: 0,
        problems: [{ file, line: 1, col: 1, message: `cannot read the file: ${ioReason(e)}` }],
        warnings: [],
      });
      continue;
    }
    reports.push(checkScenarioText(text, file, { cache }));
  }

  const problems = reports.reduce((n, r) => n + r.problems.length, 0);
  const failing = reports.filter((r) => !r.ok).length;
  if (values.json) {
    printJson({ files: reports });
  } else {
    const lines = reports.flatMap((r) =>
      [
        ...r.problems.map((p) => ({ ...p, kind: '' })),
        ...r.warnings.map((w) => ({ ...w, kind: 'warning: ' })),
      ]
        .sort(byPosition)
        .map((p) => `${p.file}:${p.line}:${p.col}: ${p.kind}${p.message}`),
    );
    if (problems === 0) {
      const steps = reports.reduce((n, r) => n + r.steps, 0);
      const expectations = reports.reduce((n, r) => n + r.expectations, 0);
      const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
      lines.push(
        `${plural(reports.length, 'scenario')}, ${plural(steps, 'step')}, ${plural(expectations, 'expectation')} checked: all hold${warnings ? ` (${plural(warnings, 'warning')})` : ''}`,
      );
    }
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (problems > 0) {
    throw new CliError(
      `scenario check: ${plural(problems, 'problem')} in ${failing} of ${plural(reports.length, 'scenario')}`,
    );
  }
}

export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'check workshop scenario files: validate them and run every step, verifying its expectations',
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'check') return check(rest);
    throw usageError(
      sub === undefined
        ? `scenario: expected a subcommand: check (usage: ${USAGE})`
        : `scenario: unknown subcommand '${sub}' (expected check; usage: ${USAGE})`,
    );
  },
};
