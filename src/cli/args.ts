import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict option parsing for one command: unknown options and a wrong number of operands are usage
 * errors (exit 2) with a one-line reason, never a stack trace.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
  operands: number,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's messages run on with advice about '--'; keep the first sentence.
    const reason = (e as Error).message.split(/\.\s/)[0].replace(/^Unknown/, 'unknown');
    throw usageError(`${command}: ${reason}`);
  }
  if (parsed.positionals.length !== operands) {
    throw usageError(
      `${command}: expected ${operands} operand${operands === 1 ? '' : 's'}, got ${parsed.positionals.length}` +
        ` (see 'ccte ${command} --help')`,
    );
  }
  return parsed;
}
