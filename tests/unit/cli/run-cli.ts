import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = `${ROOT}node_modules/tsx/dist/cli.mjs`;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ccte` as a user would (a separate process), optionally feeding standard input. */
export function ccte(args: string[], input?: Uint8Array | string): CliRun {
  const r = spawnSync(process.execPath, [TSX, `${ROOT}src/cli/main.ts`, ...args], {
    cwd: ROOT,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, CCTE_DEBUG: '' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
