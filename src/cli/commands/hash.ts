import { toHex } from '../../core/crypto/bytes';
import { createHash, type HashAlg } from '../../core/crypto/hash';
import { usageError } from '../cli-error';
import { printJson, readChunks } from '../io';
import { parseCommandArgs } from '../args';
import type { Command } from './command';

/** SHA-1 stays internal (legacy TPM logs); users are offered the algorithms worth using. */
const CLI_ALGS = ['sha256', 'sha384', 'sha512'] as const satisfies readonly HashAlg[];

export const hashCommand: Command = {
  name: 'hash',
  summary: 'print the SHA-256/384/512 digest of a file or of standard input',
  usage: 'ccte hash <sha256|sha384|sha512> <file|-> [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs('hash', args, { json: { type: 'boolean' } }, 2);
    const [alg, file] = positionals;
    if (!(CLI_ALGS as readonly string[]).includes(alg)) {
      throw usageError(`hash: unknown algorithm '${alg}' (expected ${CLI_ALGS.join(', ')})`);
    }
    const h = createHash(alg as HashAlg);
    let bytes = 0;
    for await (const chunk of readChunks(file)) {
      h.update(chunk);
      bytes += chunk.length;
    }
    const digest = toHex(h.digest());
    if (values.json) printJson({ alg, file, bytes, digest });
    else process.stdout.write(`${digest}  ${file}\n`);
  },
};
