/**
 * `ccte eventlog replay`, tested on the command object (main.ts registers it; once it does, the same
 * cases can run through run-cli.ts's ccte()).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/cli-error';
import { eventlogCommand } from '../../../src/cli/commands/eventlog';

const TPM = fileURLToPath(new URL('../../fixtures/real/tpm/', import.meta.url));
const EXPECTED = JSON.parse(readFileSync(join(TPM, 'expected-pcrs.json'), 'utf8')) as Record<
  string,
  Record<string, Record<string, string>>
>;

async function run(args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    await eventlogCommand.run(args);
  } finally {
    spy.mockRestore();
  }
  return out;
}

async function failure(args: string[]): Promise<CliError> {
  try {
    await run(args);
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('command succeeded');
}

afterEach(() => vi.restoreAllMocks());

describe('ccte eventlog replay', () => {
  it('--json gives format, event count and the banks, matching the TPM’s PCRs', async () => {
    const out = JSON.parse(await run(['replay', join(TPM, 'cos-101-amd-sev.bin'), '--json']));
    expect(Object.keys(out).slice(0, 3)).toEqual(['format', 'events', 'banks']);
    expect(out.format).toBe('crypto-agile');
    expect(out.events).toBe(48);
    expect(Object.keys(out.banks)).toEqual(['sha1', 'sha256', 'sha384']);
    for (const [alg, pcrs] of Object.entries(EXPECTED['cos-101-amd-sev.bin'])) {
      for (const [i, hex] of Object.entries(pcrs)) expect(out.banks[alg][i]).toBe(hex);
    }
    expect(out.warnings).toEqual([]);
  });

  it('reports a legacy log as "sha1" and lists warnings for odd logs', async () => {
    const legacy = JSON.parse(await run(['replay', join(TPM, 'debian-10.bin'), '--json']));
    expect(legacy.format).toBe('sha1');
    expect(legacy.banks.sha1['7']).toBe(EXPECTED['debian-10.bin'].sha1['7']);
    const arch = JSON.parse(await run(['replay', join(TPM, 'arch-linux-workstation.bin'), '--json']));
    expect(arch.warnings.join('\n')).toMatch(/SecureBoot variable has 0 bytes/);
  });

  it('prints a readable table without --json', async () => {
    const out = await run(['replay', join(TPM, 'glinux-alex.bin')]);
    expect(out).toMatch(/^Crypto-agile TCG event log, 28 events, banks: sha1, sha256\n/);
    expect(out).toContain(`   7  ${EXPECTED['glinux-alex.bin'].sha256['7']}`);
  });

  it('exits 1 with the offset and reason on a malformed log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccte-eventlog-'));
    const file = join(dir, 'cut.bin');
    writeFileSync(file, readFileSync(join(TPM, 'rhel8-uefi.bin')).subarray(0, 300));
    const e = await failure(['replay', file]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(
      /tcg-event-log: event 2 digest 1 at offset 0x117: needs 32 bytes, only 21 left \(truncated\)/,
    );
  });

  it('exits 2 on usage errors', async () => {
    expect((await failure(['replay'])).exitCode).toBe(2);
    expect((await failure(['verify', 'x.bin'])).exitCode).toBe(2);
    expect((await failure(['replay', 'x.bin', '--yaml'])).exitCode).toBe(2);
  });
});
