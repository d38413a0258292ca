import { createReadStream } from 'node:fs';
import { CliError } from './cli-error';

/** Streams a file (or standard input for `-`) in chunks, so multi-GiB images never sit in memory. */
export async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = path === '-' ? process.stdin : createReadStream(path);
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    throw new CliError(`cannot read ${path === '-' ? 'standard input' : `'${path}'`}: ${describeIoError(e)}`);
  }
}

export async function readAll(path: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of readChunks(path)) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err.message ?? String(e);
  }
}

/** Writes a value as stable, two-space-indented JSON followed by a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
