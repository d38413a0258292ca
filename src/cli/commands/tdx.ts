import { fromHex, toHex } from '../../core/crypto/bytes';
import { FormatError } from '../../core/errors';
import { intelSgxRootCa } from '../../core/evidence/intel-roots';
import {
  decodeTdxQuote,
  readPckChain,
  tdAttributeFlags,
  tdxQuoteRanges,
  type TdxQuote,
} from '../../core/evidence/tdx-quote';
import { readCertificates, type Certificate } from '../../core/evidence/x509';
import type { AttestationResult } from '../../core/verify/ear';
import { appraiseTdxQuote, strictTdxPolicy, type RtmrIndex, type TdxPolicy } from '../../core/verify/tdx';
import { parseCommandArgs } from '../args';
import { CliError, usageError } from '../cli-error';
import { printJson, readAll } from '../io';
import type { Command } from './command';

const hex = toHex;
const u64 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** A malformed quote is bad input (exit 1), with the decoder's field and offset as the message. */
function readQuote(bytes: Uint8Array, allowExtraBytes: boolean): { quote: TdxQuote; chain: Certificate[] } {
  try {
    const quote = decodeTdxQuote(bytes, { extraBytes: allowExtraBytes ? 'keep' : 'refuse' });
    return { quote, chain: readPckChain(quote).map((c) => c.certificate) };
  } catch (e) {
    if (e instanceof FormatError) {
      const hint = e.field === 'end' ? ' (use --allow-extra-bytes to ignore unsigned trailing bytes)' : '';
      throw new CliError(`${e.message}${hint}`);
    }
    throw e;
  }
}

/** Every field, with stable names; bytes as lowercase hex, 64-bit flag words as 0x-prefixed hex. */
function describeQuote(bytes: Uint8Array, q: TdxQuote, chain: Certificate[]) {
  const ranges = tdxQuoteRanges(q);
  return {
    format: 'tdx-quote-v4',
    bytes: bytes.length,
    header: {
      version: q.header.version,
      attestationKeyType: q.header.attestationKeyType,
      teeType: `0x${q.header.teeType.toString(16)}`,
      qeSvn: q.header.qeSvn,
      pceSvn: q.header.pceSvn,
      qeVendorId: hex(q.header.qeVendorId),
      userData: hex(q.header.userData),
    },
    body: {
      teeTcbSvn: hex(q.body.teeTcbSvn),
      mrSeam: hex(q.body.mrSeam),
      mrSignerSeam: hex(q.body.mrSignerSeam),
      seamAttributes: u64(q.body.seamAttributes),
      tdAttributes: { value: u64(q.body.tdAttributes), ...tdAttributeFlags(q.body.tdAttributes) },
      xfam: u64(q.body.xfam),
      mrTd: hex(q.body.mrTd),
      mrConfigId: hex(q.body.mrConfigId),
      mrOwner: hex(q.body.mrOwner),
      mrOwnerConfig: hex(q.body.mrOwnerConfig),
      rtmrs: q.body.rtmrs.map(hex),
      reportData: hex(q.body.reportData),
    },
    signature: hex(q.signature),
    attestationKey: hex(q.attestationKey),
    qeReport: {
      cpuSvn: hex(q.qeReport.cpuSvn),
      miscSelect: q.qeReport.miscSelect,
      attributes: hex(q.qeReport.attributes),
      mrEnclave: hex(q.qeReport.mrEnclave),
      mrSigner: hex(q.qeReport.mrSigner),
      isvProdId: q.qeReport.isvProdId,
      isvSvn: q.qeReport.isvSvn,
      reportData: hex(q.qeReport.reportData),
    },
    qeReportSignature: hex(q.qeReportSignature),
    qeAuthData: hex(q.qeAuthData),
    pckChain: chain.map((c) => ({
      subject: c.subject,
      issuer: c.issuer,
      serialNumber: c.serialNumber,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
    })),
    extraBytes: q.extraBytes.length,
    layout: ranges,
  };
}

function printParsed(d: ReturnType<typeof describeQuote>): void {
  const attrs = Object.entries(d.body.tdAttributes)
    .filter(([k, v]) => k !== 'value' && v === true)
    .map(([k]) => k.toUpperCase());
  const lines = [
    `TDX quote v${d.header.version}, ${d.bytes} bytes, TEE type ${d.header.teeType}, attestation key type ${d.header.attestationKeyType} (ECDSA P-256)`,
    `  QE vendor ID     ${d.header.qeVendorId}`,
    `  TEE_TCB_SVN      ${d.body.teeTcbSvn}`,
    `  MRSEAM           ${d.body.mrSeam}`,
    `  TD_ATTRIBUTES    ${d.body.tdAttributes.value}${attrs.length ? ` (${attrs.join(', ')})` : ''}`,
    `  XFAM             ${d.body.xfam}`,
    `  MRTD             ${d.body.mrTd}`,
    `  MRCONFIGID       ${d.body.mrConfigId}`,
    `  MROWNER          ${d.body.mrOwner}`,
    `  MROWNERCONFIG    ${d.body.mrOwnerConfig}`,
    ...d.body.rtmrs.map((r, i) => `  RTMR${i}            ${r}`),
    `  REPORTDATA       ${d.body.reportData}`,
    `  attestation key  ${d.attestationKey}`,
    `  QE MRENCLAVE     ${d.qeReport.mrEnclave}  ISVPRODID ${d.qeReport.isvProdId}  ISVSVN ${d.qeReport.isvSvn}`,
    `  QE auth data     ${d.qeAuthData.length / 2} bytes`,
    ...d.pckChain.map((c, i) => `  PCK chain [${i}]    ${c.subject}`),
    ...(d.extraBytes ? [`  extra bytes      ${d.extraBytes} (unsigned, after the signature data)`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function hexOption(value: string, name: string, length?: number, max?: number): Uint8Array {
  let b: Uint8Array;
  try {
    b = fromHex(value, name);
  } catch (e) {
    throw usageError(`tdx verify: ${(e as Error).message}`);
  }
  if (length !== undefined && b.length !== length) {
    throw usageError(
      `tdx verify: ${name} must be ${length} bytes (${2 * length} hex digits), got ${b.length}`,
    );
  }
  if (max !== undefined && b.length > max) {
    throw usageError(`tdx verify: ${name} must be at most ${max} bytes, got ${b.length}`);
  }
  return b;
}

function rtmrOptions(values: string[]): Partial<Record<RtmrIndex, Uint8Array[]>> {
  const out: Partial<Record<RtmrIndex, Uint8Array[]>> = {};
  for (const v of values) {
    const m = /^([0-3])=(.*)$/.exec(v);
    if (!m) throw usageError(`tdx verify: --rtmr expects N=hex with N in 0..3, got '${v}'`);
    const i = Number(m[1]) as RtmrIndex;
    (out[i] ??= []).push(hexOption(m[2], `--rtmr ${i}`, 48));
  }
  return out;
}

async function readRoots(files: string[]): Promise<Certificate[]> {
  const roots: Certificate[] = [];
  for (const f of files) {
    try {
      roots.push(...readCertificates(await readAll(f)));
    } catch (e) {
      if (e instanceof FormatError) throw new CliError(`tdx verify: --root ${f}: ${e.message}`);
      throw e;
    }
  }
  return roots;
}

function printResult(r: AttestationResult): void {
  const lines = [`status: ${r.status}`];
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(11)} ${c.reason}`);
  lines.push('claims:');
  for (const c of r.claims) lines.push(`  ${c.claim.padEnd(17)} ${String(c.value).padStart(3)} ${c.status}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** One line for stderr saying why a result is not affirming: the first failing check, else the worst claim. */
function refusal(r: AttestationResult): string {
  const failed = r.checks.find((c) => !c.ok);
  if (failed) return `tdx verify: ${r.status}: ${failed.check} check failed: ${failed.reason}`;
  const worst = [...r.claims].sort((a, b) => b.value - a.value)[0];
  return `tdx verify: ${r.status}: ${worst ? `${worst.claim} ${worst.value}: ${worst.reason}` : 'no claims'}`;
}

async function parse(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    'tdx parse',
    args,
    { json: { type: 'boolean' }, 'allow-extra-bytes': { type: 'boolean' } },
    1,
  );
  const bytes = await readAll(positionals[0]);
  const { quote, chain } = readQuote(bytes, values['allow-extra-bytes'] === true);
  const d = describeQuote(bytes, quote, chain);
  if (values.json) printJson(d);
  else printParsed(d);
}

async function verify(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    'tdx verify',
    args,
    {
      json: { type: 'boolean' },
      nonce: { type: 'string' },
      mrtd: { type: 'string', multiple: true },
      rtmr: { type: 'string', multiple: true },
      'min-tcb': { type: 'string' },
      'allow-debug': { type: 'boolean' },
      'allow-extra-bytes': { type: 'boolean' },
      root: { type: 'string', multiple: true },
      at: { type: 'string' },
    },
    1,
  );
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime())) throw usageError(`tdx verify: --at '${values.at}' is not a date`);
  const policy: TdxPolicy = strictTdxPolicy({
    id: values['allow-debug'] ? 'tdx-cli-allow-debug' : 'tdx-cli-strict',
    trustedRoots: values.root ? await readRoots(values.root) : [intelSgxRootCa()],
    allowDebug: values['allow-debug'] === true,
    allowExtraBytes: values['allow-extra-bytes'] === true,
    at,
    iat: Math.floor(Date.now() / 1000),
    ...(values.nonce !== undefined ? { nonce: hexOption(values.nonce, '--nonce', undefined, 64) } : {}),
    ...(values.mrtd ? { referenceMeasurements: values.mrtd.map((m) => hexOption(m, '--mrtd', 48)) } : {}),
    ...(values.rtmr ? { referenceRtmrs: rtmrOptions(values.rtmr) } : {}),
    ...(values['min-tcb'] !== undefined
      ? { minTeeTcbSvn: hexOption(values['min-tcb'], '--min-tcb', 16) }
      : {}),
  });
  const bytes = await readAll(positionals[0]);
  const result = appraiseTdxQuote(bytes, policy);
  if (values.json) printJson(result);
  else printResult(result);
  if (result.status !== 'affirming') throw new CliError(refusal(result));
}

export const tdxCommand: Command = {
  name: 'tdx',
  summary: 'parse or verify an Intel TDX quote v4 (signatures, PCK chain to the Intel SGX Root CA, policy)',
  usage: [
    'ccte tdx parse <quote> [--allow-extra-bytes] [--json]',
    '       ccte tdx verify <quote> [--nonce hex] [--mrtd hex]... [--rtmr N=hex]... [--min-tcb hex]',
    '                       [--allow-debug] [--root pem-or-der]... [--at iso-date] [--allow-extra-bytes] [--json]',
  ].join('\n'),
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'parse') return parse(rest);
    if (sub === 'verify') return verify(rest);
    throw usageError(
      `tdx: expected 'parse' or 'verify', got ${sub === undefined ? 'nothing' : `'${sub}'`} (see 'ccte tdx --help')`,
    );
  },
};
