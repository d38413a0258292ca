/**
 * `ccte matrix` and `ccte run`: the threat simulation, headless. Both run the same machines and the
 * same judge as the browser.
 */
import { ATTACKS, attackById } from '../../model/attacks';
import { runMatrix, type MatrixCell } from '../../model/matrix';
import { judge } from '../../model/outcome';
import { platformById, PLATFORMS } from '../../model/platforms';
import { runScenario } from '../../model/run';
import type { Misconfiguration } from '../../model/run-types';
import { usageError } from '../cli-error';
import { parseCommandArgs } from '../args';
import { printJson } from '../io';
import type { Command } from './command';

const MISCONFIG_OPTIONS = {
  'no-nonce': { type: 'boolean' },
  'allow-debug': { type: 'boolean' },
  'secret-before-attestation': { type: 'boolean' },
} as const;

function misconfigurationOf(values: {
  'no-nonce'?: boolean;
  'allow-debug'?: boolean;
  'secret-before-attestation'?: boolean;
}): Misconfiguration {
  return {
    ...(values['no-nonce'] ? { noNonce: true } : {}),
    ...(values['allow-debug'] ? { allowDebug: true } : {}),
    ...(values['secret-before-attestation'] ? { secretBeforeAttestation: true } : {}),
  };
}

function seedOf(command: string, text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d{1,15}$/.test(text)) throw usageError(`${command}: --seed needs a whole number, got '${text}'`);
  return Number(text);
}

const LETTER: Record<MatrixCell['outcome'], string> = {
  leaked: 'L',
  detected: 'D',
  prevented: 'P',
  'out-of-scope': 'O',
  'not-applicable': '-',
};

export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'run every platform × attack simulation and print the threat matrix',
  usage: 'ccte matrix [--seed N] [--no-nonce] [--allow-debug] [--secret-before-attestation] [--json]',
  async run(args) {
    const { values } = parseCommandArgs(
      'matrix',
      args,
      { seed: { type: 'string' }, json: { type: 'boolean' }, ...MISCONFIG_OPTIONS },
      0,
    );
    const m = runMatrix({
      seed: seedOf('matrix', values.seed),
      misconfiguration: misconfigurationOf(values),
    });
    if (values.json) return printJson(m);
    const width = Math.max(...m.platforms.map((p) => p.id.length));
    const lines = [
      `${''.padEnd(width)}  ${m.attacks.map((_, i) => String.fromCharCode(97 + i)).join(' ')}`,
      ...m.platforms.map(
        (p) =>
          `${p.id.padEnd(width)}  ${m.attacks.map((a) => LETTER[m.cells.find((c) => c.platform === p.id && c.attack === a.id)?.outcome ?? 'not-applicable']).join(' ')}`,
      ),
      '',
      ...m.attacks.map((a, i) => `${String.fromCharCode(97 + i)} ${a.id}`),
      '',
      'L leaked · D detected · P prevented · O out of scope · - not applicable',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

export const runCommand: Command = {
  name: 'run',
  summary: 'run one simulation and print its transcript and outcome',
  usage:
    'ccte run --platform <id> --attack <id|none> [--seed N] [--no-nonce] [--allow-debug] [--secret-before-attestation] [--json]',
  async run(args) {
    const { values } = parseCommandArgs(
      'run',
      args,
      {
        platform: { type: 'string' },
        attack: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        ...MISCONFIG_OPTIONS,
      },
      0,
    );
    if (!values.platform)
      throw usageError(`run: --platform is required (one of ${PLATFORMS.map((p) => p.id).join(', ')})`);
    if (!values.attack)
      throw usageError(`run: --attack is required (one of none, ${ATTACKS.map((a) => a.id).join(', ')})`);
    let platform;
    let attack;
    try {
      platform = platformById(values.platform);
      attack = values.attack === 'none' ? undefined : attackById(values.attack);
    } catch (e) {
      throw usageError(`run: ${(e as Error).message}`);
    }
    const seed = seedOf('run', values.seed);
    const result = runScenario({
      platform: platform.id,
      attacks: attack ? [attack] : [],
      seed,
      misconfiguration: misconfigurationOf(values),
    });
    const judgement = attack ? judge(result, attack, platform) : undefined;
    const out = {
      platform: platform.id,
      attack: attack?.id ?? 'none',
      seed,
      released: result.released,
      ...(result.launchRefused ? { launchRefused: result.launchRefused } : {}),
      ...(judgement
        ? {
            outcome: judgement.outcome,
            explanation: judgement.explanation,
            decisiveEvents: judgement.decisiveEvents,
          }
        : {}),
      ...(result.verdict
        ? { verdict: { status: result.verdict.status, checks: result.verdict.checks } }
        : {}),
      transcript: result.transcript.toJSON(),
    };
    if (values.json) return printJson(out);
    const lines = out.transcript.map(
      (e) =>
        `${String(e.seq).padStart(3)} ${e.from} → ${e.to}  ${e.kind}: ${e.title}${e.attack ? `  [${e.attack}]` : ''}`,
    );
    if (judgement) lines.push('', `${judgement.outcome}: ${judgement.explanation}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
