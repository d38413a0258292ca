/** `ccte tdx parse|verify`, exercised through the command object (the lead registers it in main.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toHex, utf8 } from '../../../src/core/crypto/bytes';
import { CliError } from '../../../src/cli/cli-error';
import { tdxCommand } from '../../../src/cli/commands/tdx';
import { demoTdxEvidence } from '../../../src/core/evidence/intel-chain';

const REAL = 'tests/fixtures/real/tdx/spr-e4-quote.dat';
const REAL_MRTD =
  '6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb';
const dir = mkdtempSync(join(tmpdir(), 'ccte-tdx-'));
const nonce = utf8('cli nonce');
const demo = demoTdxEvidence(5, { reportData: nonce });
const debugDemo = demoTdxEvidence(5, { reportData: nonce, debug: true });
const files = {
  quote: join(dir, 'quote.bin'),
  debug: join(dir, 'debug.bin'),
  root: join(dir, 'root.pem'),
};
writeFileSync(files.quote, demo.quote);
writeFileSync(files.debug, debugDemo.quote);
writeFileSync(files.root, demo.rootPem);
const demoArgs = [
  '--root',
  files.root,
  '--nonce',
  toHex(nonce),
  '--mrtd',
  toHex(demo.decoded.body.mrTd),
  '--at',
  '2026-06-01',
];

interface Run {
  stdout: string;
  error?: CliError;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    await tdxCommand.run(args);
    return { stdout };
  } catch (e) {
    if (e instanceof CliError) return { stdout, error: e };
    throw e;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('ccte tdx parse', () => {
  it('refuses the real quote’s trailing bytes with offset and a hint (exit 1)', async () => {
    const r = await run('parse', REAL);
    expect(r.error?.exitCode).toBe(1);
    expect(r.error?.message).toBe(
      'tdx-quote: end at offset 0x1347: 39 unsigned bytes after the 4299-byte signature data (use --allow-extra-bytes to ignore unsigned trailing bytes)',
    );
  });

  it('--json decodes every field of the real quote, with the layout for a hex view', async () => {
    const r = await run('parse', REAL, '--allow-extra-bytes', '--json');
    expect(r.error).toBeUndefined();
    const j = JSON.parse(r.stdout);
    expect(j.header).toMatchObject({
      version: 4,
      attestationKeyType: 2,
      teeType: '0x81',
      qeVendorId: '939a7233f79c4ca9940a0db3957f0607',
    });
    expect(j.body.mrTd).toBe(REAL_MRTD);
    expect(j.body.tdAttributes).toEqual({
      value: '0x0000000040000000',
      debug: false,
      septVeDisable: false,
      pks: true,
      kl: false,
      perfmon: false,
    });
    expect(j.body.rtmrs).toHaveLength(4);
    expect(j.pckChain.map((c: { subject: string }) => c.subject.split(',')[0])).toEqual([
      'CN=Intel SGX PCK Certificate',
      'CN=Intel SGX PCK Platform CA',
      'CN=Intel SGX Root CA',
    ]);
    expect(j.extraBytes).toBe(39);
    expect(j.layout.mrTd).toEqual([184, 232]);
    expect(j.layout.pckChain).toEqual([1258, 4935]);
  });

  it('prints a readable summary', async () => {
    const r = await run('parse', files.debug);
    expect(r.stdout).toMatch(/^TDX quote v4, \d+ bytes, TEE type 0x81/);
    expect(r.stdout).toMatch(/TD_ATTRIBUTES {4}0x0000000010000001 \(DEBUG, SEPTVEDISABLE\)/);
    expect(r.stdout).toMatch(/PCK chain \[2\] {4}CN=DEMO Intel SGX Root CA/);
  });
});

describe('ccte tdx verify', () => {
  it('real quote + its MRTD: affirming, exit 0', async () => {
    const r = await run('verify', REAL, '--allow-extra-bytes', '--mrtd', REAL_MRTD, '--at', '2026-06-01');
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(/^status: affirming\n/);
    expect(r.stdout).toMatch(
      /ok {3}chain {7}Intel SGX PCK Certificate → Intel SGX PCK Platform CA → Intel SGX Root CA/,
    );
  });

  it('real quote without a reference MRTD: exit 1 naming the measurement check', async () => {
    const r = await run('verify', REAL, '--allow-extra-bytes', '--at', '2026-06-01');
    expect(r.error?.exitCode).toBe(1);
    expect(r.error?.message).toMatch(/^tdx verify: warning: measurement check failed: MRTD 6363b804/);
  });

  it('demo quote: refused against the pinned real Intel root (chain), affirmed with its demo root', async () => {
    const noRoot = demoArgs.filter((_, i) => i > 1);
    const r1 = await run('verify', files.quote, ...noRoot);
    expect(r1.error?.message).toBe(
      'tdx verify: contraindicated: chain check failed: DEMO Intel SGX Root CA: root is not a pinned trust anchor',
    );
    const r2 = await run('verify', files.quote, ...demoArgs);
    expect(r2.error).toBeUndefined();
    expect(r2.stdout).toMatch(/status: affirming/);
  });

  it('--json prints the EAR result; a wrong nonce exits 1 naming freshness', async () => {
    const args = demoArgs.map((a) => (a === toHex(nonce) ? toHex(utf8('stale')) : a));
    const r = await run('verify', files.quote, ...args, '--json');
    const j = JSON.parse(r.stdout);
    expect(j.eat_profile).toBe('tag:github.com,2023:veraison/ear');
    expect(j.submods.tdx['ear.status']).toBe('contraindicated');
    expect(j.checks.find((c: { check: string }) => c.check === 'freshness').ok).toBe(false);
    expect(r.error?.message).toMatch(/^tdx verify: contraindicated: freshness check failed: REPORTDATA/);
  });

  it('a debug TD is refused by default (policy), and with --allow-debug still not affirming (configuration 32)', async () => {
    const mrtd = toHex(debugDemo.decoded.body.mrTd);
    const args = demoArgs.map((a) => (a === toHex(demo.decoded.body.mrTd) ? mrtd : a));
    const r1 = await run('verify', files.debug, ...args);
    expect(r1.error?.message).toMatch(
      /^tdx verify: contraindicated: policy check failed: TD_ATTRIBUTES .* DEBUG/,
    );
    const r2 = await run('verify', files.debug, ...args, '--allow-debug');
    expect(r2.error?.message).toMatch(/^tdx verify: warning: configuration 32: /);
  });

  it('--min-tcb and --rtmr feed the policy', async () => {
    const rtmrs = demo.decoded.body.rtmrs.flatMap((m, i) => ['--rtmr', `${i}=${toHex(m)}`]);
    const ok = await run(
      'verify',
      files.quote,
      ...demoArgs,
      ...rtmrs,
      '--min-tcb',
      '05010200000000000000000000000000',
    );
    expect(ok.error).toBeUndefined();
    expect(ok.stdout).toMatch(/executables +2 affirming/);
    const low = await run(
      'verify',
      files.quote,
      ...demoArgs,
      '--min-tcb',
      '06000000000000000000000000000000',
    );
    expect(low.error?.message).toMatch(/tcb check failed: TEE_TCB_SVN 05010200.*\(component 0: 5 < 6\)/);
  });

  it.each([
    [[], /tdx: expected 'parse' or 'verify', got nothing/],
    [['frob'], /tdx: expected 'parse' or 'verify', got 'frob'/],
    [['verify'], /tdx verify: expected 1 operand, got 0/],
    [['verify', REAL, '--mrtd', 'abc'], /odd number of hex digits/],
    [['verify', REAL, '--mrtd', 'aa'], /--mrtd must be 48 bytes/],
    [['verify', REAL, '--rtmr', '4=aa'], /--rtmr expects N=hex with N in 0..3/],
    [['verify', REAL, '--nonce', '00'.repeat(65)], /--nonce must be at most 64 bytes/],
    [['verify', REAL, '--at', 'yesterday'], /--at 'yesterday' is not a date/],
    [['parse', REAL, '--bogus'], /unknown option '--bogus'/],
  ])('usage error %j → exit 2', async (args, message) => {
    const r = await run(...args);
    expect(r.error?.exitCode).toBe(2);
    expect(r.error?.message).toMatch(message);
  });

  it('an unreadable file or a non-quote is exit 1 with a one-line reason', async () => {
    const missing = await run('parse', join(dir, 'nope.bin'));
    expect(missing.error?.exitCode).toBe(1);
    expect(missing.error?.message).toMatch(/no such file/);
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Uint8Array.of(3, 0, 2, 0));
    const r = await run('parse', junk);
    expect(r.error?.message).toBe('tdx-quote: version at offset 0x0: expected 4 (quote v4), found 3');
    const v = await run('verify', junk);
    expect(v.error?.message).toMatch(
      /^tdx verify: contraindicated: parse check failed: tdx-quote: version at offset 0x0/,
    );
  });
});
