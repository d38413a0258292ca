import { toHex } from '../../core/crypto/bytes';
import type { HashAlg } from '../../core/crypto/hash';
import { FormatError } from '../../core/errors';
import {
  checkEventDigests,
  parseEventLog,
  replayEventLog,
  type EventLog,
} from '../../core/measure/event-log';
import { parseCommandArgs } from '../args';
import { CliError, usageError } from '../cli-error';
import { printJson, readAll } from '../io';
import type { Command } from './command';

const SUBCOMMANDS = ['replay'] as const;

/** What a reader should know besides the PCRs: log-level remarks, odd event data, digests that lie. */
function warningsOf(log: EventLog): string[] {
  const warnings = [...log.warnings];
  for (const e of log.events) if (e.note) warnings.push(`event ${e.number} (${e.typeName}): ${e.note}`);
  for (const c of checkEventDigests(log)) {
    if (c.status === 'mismatch') {
      warnings.push(
        `event ${c.event} (${c.typeName}): ${c.alg} digest is not the hash of the event data` +
          (c.detail ? ` (${c.detail})` : ''),
      );
    }
  }
  return warnings;
}

function table(
  log: EventLog,
  banks: Partial<Record<HashAlg, Record<string, string>>>,
  warnings: string[],
): string {
  const lines = [
    `${log.format === 'crypto-agile' ? 'Crypto-agile' : 'Legacy SHA-1'} TCG event log, ${log.events.length} events, ` +
      `banks: ${log.algorithms.join(', ')}`,
  ];
  for (const [alg, pcrs] of Object.entries(banks)) {
    lines.push('', `${alg}`, ' PCR  value');
    for (const [index, hex] of Object.entries(pcrs)) lines.push(`${index.padStart(4)}  ${hex}`);
  }
  if (warnings.length) lines.push('', `Warnings (${warnings.length}):`, ...warnings.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}

export const eventlogCommand: Command = {
  name: 'eventlog',
  summary: 'replay a TCG event log (crypto-agile or SHA-1) to the PCR values it implies',
  usage: 'ccte eventlog replay <file|-> [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs('eventlog', args, { json: { type: 'boolean' } }, 2);
    const [sub, file] = positionals;
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw usageError(`eventlog: unknown subcommand '${sub}' (expected ${SUBCOMMANDS.join(', ')})`);
    }
    const bytes = await readAll(file);
    let log: EventLog;
    let replayed: ReturnType<typeof replayEventLog>;
    try {
      log = parseEventLog(bytes);
      replayed = replayEventLog(log);
    } catch (e) {
      if (e instanceof FormatError) throw new CliError(`eventlog: ${file}: ${e.message}`);
      throw e;
    }
    const banks: Partial<Record<HashAlg, Record<string, string>>> = {};
    for (const alg of log.algorithms) {
      const bank = replayed[alg];
      if (!bank) continue;
      const pcrs: Record<string, string> = {};
      for (const index of bank.extendedIndices()) pcrs[String(index)] = toHex(bank.read(index));
      banks[alg] = pcrs;
    }
    const warnings = warningsOf(log);
    if (values.json) printJson({ format: log.format, events: log.events.length, banks, warnings });
    else process.stdout.write(table(log, banks, warnings));
  },
};
