import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ccte } from '../cli/run-cli';

const BAD = 'tests/fixtures/scenarios-bad';
const GOOD = 'tests/fixtures/scenarios-good';

describe('ccte scenario check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccte-scenario-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 with a summary when every expectation holds', () => {
    const r = ccte(['scenario', 'check', `${GOOD}/minimal.yaml`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 scenario, 2 steps, 11 expectations checked: all hold\n');
    expect(r.status).toBe(0);
  });

  it('exits 1 and prints file:line:col: message per problem, then how many', () => {
    const r = ccte([
      'scenario',
      'check',
      `${GOOD}/minimal.yaml`,
      `${BAD}/unknown-platform.yaml`,
      `${BAD}/duplicate-key.yaml`,
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${BAD}/unknown-platform.yaml:13:17: steps[0].setup.platform: unknown platform 'sev-snq' (expected one of plain-vm, vtpm, sev, sev-es, sev-snp, tdx, sgx, nitro, trustzone, cca, ibm-se, ibm-pef)`,
      `${BAD}/unknown-platform.yaml:14:30: steps[0].setup.attacks[1]: unknown attack 'rowhammer' (expected one of memory-dump, register-snoop, page-remap-replay, cpuid-lie, tampered-boot, forged-evidence, replayed-evidence, tcb-rollback, debug-policy, malicious-dma, shared-io-snoop, side-channel, denial-of-service, vendor-root-compromise, early-secret)`,
      `${BAD}/duplicate-key.yaml:14:5: steps[0].view: duplicate key 'view' (first set on line 12); each key may appear once`,
      '',
    ]);
    expect(r.stderr).toBe('ccte: scenario check: 3 problems in 2 of 3 scenarios\n');
  });

  it('--json keeps its contract: files with ok, steps, expectations and problems (and now warnings)', () => {
    const r = ccte([
      'scenario',
      'check',
      '--json',
      `${GOOD}/minimal.yaml`,
      `${BAD}/failing-expectation.yaml`,
    ]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      files: {
        file: string;
        ok: boolean;
        steps: number;
        expectations: number;
        problems: Record<string, unknown>[];
        warnings: Record<string, unknown>[];
      }[];
    };
    expect(Object.keys(out)).toEqual(['files']);
    expect(out.files.map((f) => Object.keys(f))).toEqual([
      ['file', 'ok', 'steps', 'expectations', 'problems', 'warnings'],
      ['file', 'ok', 'steps', 'expectations', 'problems', 'warnings'],
    ]);
    expect(out.files[0]).toEqual({
      file: `${GOOD}/minimal.yaml`,
      ok: true,
      steps: 2,
      expectations: 11,
      problems: [],
      warnings: [],
    });
    expect(out.files[1]).toMatchObject({
      file: `${BAD}/failing-expectation.yaml`,
      ok: false,
      steps: 3,
      expectations: 7,
    });
    expect(out.files[1].problems).toHaveLength(7);
    expect(out.files[1].problems[1]).toEqual({
      file: `${BAD}/failing-expectation.yaml`,
      line: 29,
      col: 9,
      message:
        "steps[1].expect[0]: outcome of memory-dump on sev-snp is prevented, the scenario expects leaked (step 2 'The dump')",
    });
  });

  it('prints a warning, and still exits 0, for prose that YAML cuts at " #"', () => {
    const file = join(dir, 'minimal.yaml');
    const text = readFileSync(`${GOOD}/minimal.yaml`, 'utf8').replace(
      "explanation: Nothing encrypts the guest's memory.",
      "explanation: Nothing encrypts the guest's memory, see step #2 below",
    );
    writeFileSync(file, text);
    const r = ccte(['scenario', 'check', file]);
    expect(r.stdout.split('\n')).toEqual([
      `${file}:29:66: warning: steps[0].question.explanation: the text stops before '#2 below', which YAML reads as a comment; quote the whole text (or write '#' without a space before it) to keep it`,
      '1 scenario, 2 steps, 11 expectations checked: all hold (1 warning)',
      '',
    ]);
    expect(r.status).toBe(0);
    const json = JSON.parse(ccte(['scenario', 'check', '--json', file]).stdout) as {
      files: { ok: boolean; warnings: { line: number; col: number }[] }[];
    };
    expect(json.files[0].ok).toBe(true);
    expect(json.files[0].warnings).toMatchObject([{ line: 29, col: 66 }]);
  });

  it('checks every .yaml file of a directory, and reports an unreadable file as a problem of that file', () => {
    copyFileSync(`${GOOD}/minimal.yaml`, join(dir, 'minimal.yaml'));
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
    const ok = ccte(['scenario', 'check', dir]);
    expect(ok.stdout).toBe('1 scenario, 2 steps, 11 expectations checked: all hold\n');
    expect(ok.status).toBe(0);
    const missing = ccte(['scenario', 'check', join(dir, 'minimal.yaml'), join(dir, 'gone.yaml')]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe(`${join(dir, 'gone.yaml')}:1:1: cannot read the file: no such file\n`);
    expect(missing.stderr).toBe('ccte: scenario check: 1 problem in 1 of 2 scenarios\n');
  });

  it.each([
    [['scenario'], /scenario: expected a subcommand: check/],
    [['scenario', 'lint', 'x.yaml'], /scenario: unknown subcommand 'lint'/],
    [['scenario', 'check'], /scenario check: expected at least one scenario file/],
    [['scenario', 'check', '--strict', 'x.yaml'], /scenario check: unknown option '--strict'/],
    [['scenario', 'check', 'src/scenario'], /scenario check: no \.yaml files in 'src\/scenario'/],
  ])('%j is a usage error (exit 2) with a one-line reason', (args, reason) => {
    const r = ccte(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(reason);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('is listed in ccte --help, and has its own usage', () => {
    expect(ccte(['--help']).stdout).toMatch(/^ {2}scenario +check workshop scenario files/m);
    const r = ccte(['scenario', 'check', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ccte scenario check <file\|directory>… \[--json\]/);
  });
});
