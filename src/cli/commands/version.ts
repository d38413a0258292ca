import pkg from '../../../package.json' with { type: 'json' };
import { printJson } from '../io';
import { parseCommandArgs } from '../args';
import type { Command } from './command';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the version of ccte and of the runtime',
  usage: 'ccte version [--json]',
  async run(args) {
    const { values } = parseCommandArgs('version', args, { json: { type: 'boolean' } }, 0);
    const info = { name: 'ccte', version: pkg.version, node: process.versions.node };
    if (values.json) printJson(info);
    else process.stdout.write(`ccte ${info.version} (node ${info.node})\n`);
  },
};
