/**
 * `ccte`: the headless Confidential Computing Threat Explorer. Thin commands over the same src/core
 * the browser uses; `--json` output is a stable contract for scripts.
 */
import { CliError } from './cli-error';
import type { Command } from './commands/command';
import { demoCommand } from './commands/demo';
import { eventlogCommand } from './commands/eventlog';
import { hashCommand } from './commands/hash';
import { scenarioCommand } from './commands/scenario';
import { matrixCommand, runCommand } from './commands/simulate';
import { snpCommand } from './commands/snp';
import { tdxCommand } from './commands/tdx';
import { versionCommand } from './commands/version';

const COMMANDS: readonly Command[] = [
  versionCommand,
  hashCommand,
  eventlogCommand,
  snpCommand,
  tdxCommand,
  demoCommand,
  runCommand,
  matrixCommand,
  scenarioCommand,
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'ccte — Confidential Computing Threat Explorer, headless',
    '',
    'Usage: ccte <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --json      machine-readable output (stable JSON)',
    '  --help, -h  help for ccte or for one command',
    '',
    'Exit codes: 0 success, 1 failed check or unreadable input, 2 usage error.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  if (name === '--version') return main(['version', ...rest]);
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new CliError(`unknown command '${name}' (run 'ccte --help' for the list)`, 2);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    await command.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`ccte: ${e.message}\n`);
      return e.exitCode;
    }
    // Anything else is our bug: say so in one line; the stack only on request.
    process.stderr.write(`ccte: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.CCTE_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
