/**
 * `ccte snp parse|verify`: decode an SEV-SNP ATTESTATION_REPORT field by field, or appraise it with
 * its VCEK → ASK → ARK chain under the strict default policy. Works on real reports and AMD KDS
 * certificates (DER or PEM, one certificate per file or AMD's cert_chain with ASK and ARK together).
 */
import { fromHex, toHex } from '../../core/crypto/bytes';
import { FormatError } from '../../core/errors';
import { amdArkCertificates, demoArkCertificate } from '../../core/evidence/amd-roots';
import {
  decodeSnpReport,
  snpSignatureToRaw,
  type DecodedSnpReport,
  type SnpProduct,
  type SnpTcb,
  type TcbParts,
} from '../../core/evidence/snp-report';
import { readCertificates, type Certificate } from '../../core/evidence/x509';
import type { AttestationResult } from '../../core/verify/ear';
import { appraiseSnp, firstFailure, strictSnpPolicy, type SnpPolicy } from '../../core/verify/snp';
import { parseCommandArgs } from '../args';
import { CliError, usageError } from '../cli-error';
import { printJson, readAll } from '../io';
import type { Command } from './command';

const USAGE = [
  'ccte snp parse <report.bin> [--product Milan|Genoa|Turin] [--json]',
  '       ccte snp verify <report.bin> --chain <pem-or-der files…> [--nonce hex] [--nonce-prefix]',
  '                  [--measurement hex]… [--min-tcb bl.tee.snp.ucode] [--min-fmc n] [--host-data hex]',
  '                  [--allow-debug] [--allow-migration-agent] [--refuse-smt] [--trust-demo-ark]',
  '                  [--at ISO-date] [--json]',
].join('\n');

const PRODUCTS: readonly SnpProduct[] = ['Milan', 'Genoa', 'Turin'];

const u64 = (n: bigint) => `0x${n.toString(16).padStart(16, '0')}`;

function tcbJson(t: SnpTcb) {
  return {
    raw: u64(t.raw),
    ...(t.fmc !== undefined ? { fmc: t.fmc } : {}),
    bootloader: t.bootloader,
    tee: t.tee,
    snp: t.snp,
    microcode: t.microcode,
  };
}

/** Stable JSON for `snp parse --json`: bytes as lowercase hex, u64 fields as 0x-prefixed hex. */
export function reportJson(d: DecodedSnpReport) {
  const { raw: policyRaw, mustBeZero, ...policyBits } = d.policy;
  const { raw: platformRaw, unknownBits, ...platformBits } = d.platformInfo;
  let signature: { r: string; s: string } | { raw: string };
  try {
    const rs = snpSignatureToRaw(d.signature);
    signature = { r: toHex(rs.subarray(0, 48)), s: toHex(rs.subarray(48)) };
  } catch {
    signature = { raw: toHex(d.signature) };
  }
  const fw = (v: DecodedSnpReport['currentVersion']) => `${v.major}.${v.minor}.${v.build}`;
  return {
    version: d.version,
    guestSvn: d.guestSvn,
    policy: { raw: u64(policyRaw), ...policyBits, mustBeZero: `0x${mustBeZero.toString(16)}` },
    familyId: toHex(d.familyId),
    imageId: toHex(d.imageId),
    vmpl: d.vmpl,
    signatureAlgo: d.signatureAlgo,
    currentTcb: tcbJson(d.currentTcb),
    platformInfo: { raw: u64(platformRaw), ...platformBits, unknownBits: `0x${unknownBits.toString(16)}` },
    signerInfo: {
      raw: d.signerInfo.raw,
      authorKeyEn: d.signerInfo.authorKeyEn,
      maskChipKey: d.signerInfo.maskChipKey,
      signingKey: d.signerInfo.signingKeyName,
    },
    reportData: toHex(d.reportData),
    measurement: toHex(d.measurement),
    hostData: toHex(d.hostData),
    idKeyDigest: toHex(d.idKeyDigest),
    authorKeyDigest: toHex(d.authorKeyDigest),
    reportId: toHex(d.reportId),
    reportIdMa: toHex(d.reportIdMa),
    reportedTcb: tcbJson(d.reportedTcb),
    ...(d.cpuid ? { cpuid: d.cpuid } : {}),
    chipId: toHex(d.chipId),
    committedTcb: tcbJson(d.committedTcb),
    currentVersion: fw(d.currentVersion),
    committedVersion: fw(d.committedVersion),
    launchTcb: tcbJson(d.launchTcb),
    ...(d.launchMitVector !== undefined ? { launchMitVector: u64(d.launchMitVector) } : {}),
    ...(d.currentMitVector !== undefined ? { currentMitVector: u64(d.currentMitVector) } : {}),
    signature,
    tcbLayout: d.tcbLayout,
    tcbLayoutSource: d.tcbLayoutSource,
    ...(d.product ? { product: d.product } : {}),
    anomalies: d.anomalies,
  };
}

function tcbText(t: SnpTcb): string {
  const fmc = t.fmc !== undefined ? `fmc ${t.fmc}, ` : '';
  return `${u64(t.raw)}  (${fmc}bootloader ${t.bootloader}, tee ${t.tee}, snp ${t.snp}, microcode ${t.microcode})`;
}

function flags(bits: Record<string, unknown>): string {
  const on = Object.entries(bits)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  return on.length ? on.join(', ') : 'none';
}

function reportText(d: DecodedSnpReport): string {
  const j = reportJson(d);
  const { abiMajor, abiMinor, reservedMustBeOne, ...policyFlags } = j.policy;
  const rows: [string, string][] = [
    ['VERSION', String(d.version)],
    ['GUEST_SVN', String(d.guestSvn)],
    [
      'POLICY',
      `${j.policy.raw}  (ABI ${abiMajor}.${abiMinor}; ${flags({ ...policyFlags, raw: 0, mustBeZero: 0 })}; bit 17 ${reservedMustBeOne ? '1' : '0 (must be 1)'})`,
    ],
    ['FAMILY_ID', j.familyId],
    ['IMAGE_ID', j.imageId],
    ['VMPL', String(d.vmpl)],
    ['SIGNATURE_ALGO', `${d.signatureAlgo}${d.signatureAlgo === 1 ? ' (ECDSA P-384 with SHA-384)' : ''}`],
    ['CURRENT_TCB', tcbText(d.currentTcb)],
    ['PLATFORM_INFO', `${j.platformInfo.raw}  (${flags(j.platformInfo)})`],
    [
      'SIGNER_INFO',
      `signing key ${j.signerInfo.signingKey.toUpperCase()}, MASK_CHIP_KEY ${d.signerInfo.maskChipKey ? 1 : 0}, AUTHOR_KEY_EN ${d.signerInfo.authorKeyEn ? 1 : 0}`,
    ],
    ['REPORT_DATA', j.reportData],
    ['MEASUREMENT', j.measurement],
    ['HOST_DATA', j.hostData],
    ['ID_KEY_DIGEST', j.idKeyDigest],
    ['AUTHOR_KEY_DIGEST', j.authorKeyDigest],
    ['REPORT_ID', j.reportId],
    ['REPORT_ID_MA', j.reportIdMa],
    ['REPORTED_TCB', tcbText(d.reportedTcb)],
    ...(d.cpuid
      ? [
          [
            'CPUID',
            `family 0x${d.cpuid.family.toString(16)}, model 0x${d.cpuid.model.toString(16)}, stepping 0x${d.cpuid.stepping.toString(16)}`,
          ] as [string, string],
        ]
      : []),
    ['CHIP_ID', j.chipId],
    ['COMMITTED_TCB', tcbText(d.committedTcb)],
    ['CURRENT_VERSION', j.currentVersion],
    ['COMMITTED_VERSION', j.committedVersion],
    ['LAUNCH_TCB', tcbText(d.launchTcb)],
    ...(j.launchMitVector ? [['LAUNCH_MIT_VECTOR', j.launchMitVector] as [string, string]] : []),
    ...(j.currentMitVector ? [['CURRENT_MIT_VECTOR', j.currentMitVector] as [string, string]] : []),
    ...('r' in j.signature
      ? ([
          ['SIGNATURE.R', j.signature.r],
          ['SIGNATURE.S', j.signature.s],
        ] as [string, string][])
      : ([['SIGNATURE', j.signature.raw]] as [string, string][])),
    ['TCB layout', `${d.tcbLayout} (from ${d.tcbLayoutSource})${d.product ? `, product ${d.product}` : ''}`],
    ...d.anomalies.map(
      (a) => ['ANOMALY', `${a.field} at 0x${a.offset.toString(16)}: ${a.detail}`] as [string, string],
    ),
  ];
  return rows.map(([k, v]) => `${k.padEnd(18)} ${v}`).join('\n') + '\n';
}

function resultText(r: AttestationResult, policyId: string): string {
  const lines = [`status: ${r.status} (policy ${policyId})`, 'checks:'];
  const at = (range?: readonly [number, number]) =>
    range ? ` [0x${range[0].toString(16)}–0x${(range[1] - 1).toString(16)}]` : '';
  for (const c of r.checks)
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(12)} ${c.reason}${at(c.range)}`);
  lines.push('claims:');
  for (const c of r.claims) {
    lines.push(
      `  ${c.claim.padEnd(18)} ${String(c.value).padStart(3)} ${c.status.padEnd(15)} ${c.reason}${at(c.range)}`,
    );
  }
  return lines.join('\n') + '\n';
}

function hexOption(command: string, option: string, value: string): Uint8Array {
  try {
    return fromHex(value.trim(), `--${option}`);
  } catch (e) {
    throw usageError(`${command}: ${(e as Error).message}`);
  }
}

function productOption(value: string | undefined): SnpProduct | undefined {
  if (value === undefined) return undefined;
  const p = PRODUCTS.find((x) => x.toLowerCase() === value.toLowerCase());
  if (!p) throw usageError(`snp parse: unknown product '${value}' (expected ${PRODUCTS.join(', ')})`);
  return p;
}

async function parseAction(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    'snp parse',
    args,
    { json: { type: 'boolean' }, product: { type: 'string' } },
    1,
  );
  const product = productOption(values.product);
  const bytes = await readAll(positionals[0]);
  let decoded: DecodedSnpReport;
  try {
    decoded = decodeSnpReport(bytes, product ? { product } : {});
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(`snp parse: '${positionals[0]}': ${e.message}`);
    throw e;
  }
  if (values.json) printJson(reportJson(decoded));
  else process.stdout.write(reportText(decoded));
}

/**
 * `--chain a b c` takes every following word that is not an option, so a shell glob works; `--chain a
 * --chain b` and `--chain=a` work too. The rest goes to the strict option parser.
 */
export function splitChainArgs(args: string[]): { chain: string[]; rest: string[] } {
  const chain: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--chain=')) {
      chain.push(a.slice('--chain='.length));
    } else if (a === '--chain') {
      let taken = 0;
      while (i + 1 < args.length && !args[i + 1].startsWith('--')) {
        chain.push(args[++i]);
        taken++;
      }
      if (taken === 0) throw usageError('snp verify: --chain needs at least one certificate file');
    } else {
      rest.push(a);
    }
  }
  return { chain, rest };
}

function minTcbOption(value: string | undefined, fmc: string | undefined): TcbParts | undefined {
  if (value === undefined && fmc === undefined) return undefined;
  const parts = (value ?? '0.0.0.0').split('.');
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (nums.length !== 4 || nums.some((n) => !(n >= 0 && n <= 255))) {
    throw usageError(`snp verify: --min-tcb '${value}': expected bl.tee.snp.ucode, four numbers 0–255`);
  }
  const [bootloader, tee, snp, microcode] = nums;
  const tcb: TcbParts = { bootloader, tee, snp, microcode };
  if (fmc !== undefined) {
    const n = /^\d{1,3}$/.test(fmc) ? Number(fmc) : NaN;
    if (!(n >= 0 && n <= 255)) throw usageError(`snp verify: --min-fmc '${fmc}': expected a number 0–255`);
    tcb.fmc = n;
  }
  return tcb;
}

async function readChain(files: string[]): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (const f of files) {
    const bytes = await readAll(f);
    try {
      out.push(...readCertificates(bytes));
    } catch (e) {
      if (e instanceof FormatError) throw new CliError(`snp verify: certificate file '${f}': ${e.message}`);
      throw e;
    }
  }
  return out;
}

async function verifyAction(args: string[]): Promise<void> {
  const { chain: chainFiles, rest } = splitChainArgs(args);
  const { values, positionals } = parseCommandArgs(
    'snp verify',
    rest,
    {
      json: { type: 'boolean' },
      nonce: { type: 'string' },
      'nonce-prefix': { type: 'boolean' },
      measurement: { type: 'string', multiple: true },
      'min-tcb': { type: 'string' },
      'min-fmc': { type: 'string' },
      'host-data': { type: 'string' },
      'allow-debug': { type: 'boolean' },
      'allow-migration-agent': { type: 'boolean' },
      'refuse-smt': { type: 'boolean' },
      'trust-demo-ark': { type: 'boolean' },
      at: { type: 'string' },
    },
    1,
  );
  if (chainFiles.length === 0) {
    throw usageError(
      'snp verify: --chain <files…> is required (the VCEK, and the ASK/ARK unless they are AMD’s)',
    );
  }
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime())) throw usageError(`snp verify: --at '${values.at}' is not a date`);
  const minTcb = minTcbOption(values['min-tcb'], values['min-fmc']);
  const policy: SnpPolicy = strictSnpPolicy({
    trustedRoots: [...amdArkCertificates(), ...(values['trust-demo-ark'] ? [demoArkCertificate()] : [])],
    at,
    allowDebug: values['allow-debug'] ?? false,
    allowMigrationAgent: values['allow-migration-agent'] ?? false,
    ...(values['refuse-smt'] ? { allowSmt: false } : {}),
    ...(values.nonce !== undefined ? { nonce: hexOption('snp verify', 'nonce', values.nonce) } : {}),
    ...(values['nonce-prefix'] ? { reportDataMatch: 'prefix' as const } : {}),
    ...(values.measurement
      ? { referenceMeasurements: values.measurement.map((m) => hexOption('snp verify', 'measurement', m)) }
      : {}),
    ...(minTcb ? { minTcb } : {}),
    ...(values['host-data'] !== undefined
      ? { expectedHostData: hexOption('snp verify', 'host-data', values['host-data']) }
      : {}),
  });
  if (policy.nonce && policy.nonce.length > 64) {
    throw usageError(`snp verify: --nonce is ${policy.nonce.length} bytes; REPORT_DATA holds at most 64`);
  }
  const report = await readAll(positionals[0]);
  const certificates = await readChain(chainFiles);
  const result = appraiseSnp(report, certificates, policy);
  if (values.json) printJson(result);
  else process.stdout.write(resultText(result, policy.id));
  if (result.status !== 'affirming') {
    const failed = firstFailure(result);
    const why = failed
      ? `${failed.check}: ${failed.reason}`
      : (result.claims.find((c) => c.status !== 'affirming' && c.status !== 'none')?.reason ??
        'no claim affirmed');
    throw new CliError(`snp verify: ${result.status}: ${why}`);
  }
}

export const snpCommand: Command = {
  name: 'snp',
  summary: 'decode (parse) or appraise (verify) an AMD SEV-SNP attestation report',
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'parse') return parseAction(rest);
    if (sub === 'verify') return verifyAction(rest);
    throw usageError(
      sub === undefined
        ? "snp: expected a subcommand, 'parse' or 'verify' (see 'ccte snp --help')"
        : `snp: unknown subcommand '${sub}' (expected 'parse' or 'verify')`,
    );
  },
};
