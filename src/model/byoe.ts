/**
 * "Bring your own evidence": files from real machines, dropped into the page, identified by their
 * content and appraised here with the same core the CLI uses (`ccte eventlog replay`, `ccte snp verify`):
 * a TCG event log is replayed into a measured-boot chain, an SEV-SNP ATTESTATION_REPORT is appraised
 * with the certificates dropped beside it against AMD's pinned roots, an AWS Nitro attestation document
 * against AWS's pinned root. Nothing leaves the page; the result is JSON-safe (explore-types.ts shapes).
 *
 * Bad input never throws out of `appraiseDropped`: every problem becomes a message naming the file, and
 * where the parser or verifier says so, the byte offset and why. One bad file never hides another's result.
 */
import { concatBytes, fromBase64, fromHex, toHex } from '../core/crypto/bytes';
import { digest, isHashAlg, type HashAlg } from '../core/crypto/hash';
import { FormatError } from '../core/errors';
import { amdArkCertificates } from '../core/evidence/amd-roots';
import { evidenceFields, type EvidenceField } from '../core/evidence/fields';
import { decodeNitroDocument } from '../core/evidence/nitro-document';
import { awsNitroRootG1 } from '../core/evidence/nitro-roots';
import { SNP_REPORT_SIZE } from '../core/evidence/snp-report';
import { parseCertificate, pemToDer, verifyWith, type Certificate } from '../core/evidence/x509';
import {
  checkEventDigests,
  parseEventLog,
  replayEventLog,
  type EventLog,
  type TcgEvent,
} from '../core/measure/event-log';
import { knownEventTypeName, EV } from '../core/measure/event-types';
import { pcrResetValue, PCR_COUNT, type PcrBank } from '../core/measure/pcr';
import type { AttestationResult } from '../core/verify/ear';
import { appraiseNitro } from '../core/verify/nitro';
import { appraiseSnpAsync, snpReportSignatureCheck, strictSnpPolicy } from '../core/verify/snp';
import { verdictView } from './explore';
import type { BootChain, BootRegister, EvidenceView, VerdictView } from './explore-types';

export { MAX_FILE_BYTES } from './byoe-limits';
import { MAX_FILE_BYTES } from './byoe-limits';

export type EvidenceKind =
  'event-log' | 'snp-report' | 'certificates' | 'nitro-document' | 'pcr-values' | 'unknown';

export interface Identification {
  kind: EvidenceKind;
  /** What in the content decided it (or, for 'unknown', what the file is not). */
  reason: string;
}

/** One file as the page read it. `size` is the file's real size when the page did not read it (too large). */
export interface DroppedFile {
  name: string;
  bytes: Uint8Array;
  size?: number;
}

export interface ByoeFile {
  name: string;
  kind: EvidenceKind;
  size: number;
  /** What was found: "crypto-agile TCG event log, 87 events, banks sha1, sha256", … */
  detail?: string;
  /** Why the file could not be used (or its evidence failed a gating check), naming offset and cause. */
  error?: string;
}

/** The result for one piece of evidence (one event log, one report, one document). */
export interface ByoeAppraisal {
  file: string;
  boot: BootChain | null;
  evidence: EvidenceView | null;
  verdict: VerdictView | null;
}

export interface ByoeResult {
  /** Every file given, in order, with its detected kind. */
  files: ByoeFile[];
  /** The first event log's measured-boot chain. */
  boot: BootChain | null;
  /** The first appraised report or document, and the verifier's verdict on it. */
  evidence: EvidenceView | null;
  verdict: VerdictView | null;
  /** Every appraisal, when more than one log, report or document was given. */
  appraisals: ByoeAppraisal[];
  /** What went wrong, one line per problem, each naming its file. */
  errors: string[];
  /** What a reader should know: the policy used, log oddities, PCRs that differ from the TPM's. */
  notes: string[];
}

export interface ByoeOptions {
  /** When certificates must be valid; default: now for SNP, the document's own timestamp for Nitro. */
  at?: Date;
  /** The event-log bank to show; default: sha256, else sha384, sha512, sha1 (the first the log has). */
  bank?: HashAlg;
}

// ---- identification ---------------------------------------------------------------------------

const u32 = (b: Uint8Array, at: number) =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const hexAt = (n: number) => `0x${n.toString(16)}`;
const MAX_TEXT_BYTES = 1024 * 1024;
const SPEC_ID = 'Spec ID Event03';
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The file as text, when it is printable UTF-8 (and not too large to be a text format we read). */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes.length > MAX_TEXT_BYTES) return undefined;
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/** Version 2–5, POLICY bit 17 (must be one) set, POLICY bits 32–63 zero, VMPL ≤ 3, SIGNATURE_ALGO 1. */
function looksLikeSnpReport(b: Uint8Array): boolean {
  if (b.length < 0x38) return false;
  const version = u32(b, 0);
  return (
    version >= 2 &&
    version <= 5 &&
    (u32(b, 0x08) & (1 << 17)) !== 0 &&
    u32(b, 0x0c) === 0 &&
    u32(b, 0x30) <= 3 &&
    u32(b, 0x34) === 1
  );
}

/** The first record of a TCG log: a PCR index, a known event type, and a Spec ID header or sane size. */
function eventLogReason(b: Uint8Array): string | undefined {
  if (b.length < 32) return undefined;
  const pcr = u32(b, 0);
  const type = u32(b, 4);
  if (pcr >= PCR_COUNT || knownEventTypeName(type) === undefined) return undefined;
  const size = u32(b, 28);
  const spec = new TextDecoder('latin1').decode(b.subarray(32, 32 + SPEC_ID.length));
  if (type === EV.EV_NO_ACTION && spec === SPEC_ID) return 'starts with the "Spec ID Event03" header';
  // EV_PREBOOT_CERT (0) is unused in practice; an SNP report's first bytes would read as it.
  if (type !== 0 && size <= b.length - 32) {
    return `first record: PCR ${pcr}, ${knownEventTypeName(type)}, ${size} bytes of data`;
  }
  return undefined;
}

/** A COSE_Sign1 array (untagged, or CBOR tag 18) whose first element is a byte string. */
function looksLikeCoseSign1(b: Uint8Array): boolean {
  const at = b[0] === 0xd2 ? 1 : 0;
  return b.length > at + 2 && b[at] === 0x84 && (b[at + 1] & 0xe0) === 0x40;
}

/** A DER SEQUENCE (long-form length, as every certificate has) covering the file, or cut short. */
function derSequence(b: Uint8Array): 'whole' | 'cut' | undefined {
  if (b.length < 4 || b[0] !== 0x30) return undefined;
  const n = b[1] & 0x7f;
  if (b[1] < 0x81 || n > 3 || b.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
  if (2 + n + len === b.length) return 'whole';
  return 2 + n + len > b.length && b[2 + n] === 0x30 ? 'cut' : undefined;
}

/** Base64 text (whitespace allowed) and its bytes. */
function base64Of(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '');
  if (clean.length < 16 || !/^[A-Za-z0-9+/_-]+=*$/.test(clean)) return undefined;
  try {
    return fromBase64(clean);
  } catch {
    return undefined;
  }
}

function looksLikeTdxQuote(b: Uint8Array): boolean {
  const version = b[0] | (b[1] << 8);
  return b.length > 48 && (version === 4 || version === 5) && u32(b, 4) === 0x81;
}

/**
 * Which kind of evidence `bytes` hold, judged by content (the name only explains a miss): TCG event log
 * (crypto-agile or SHA-1), SEV-SNP report, certificate(s) in DER or PEM, Nitro document (binary or
 * base64), PCR values (JSON or `tpm2_pcrread` output), or unknown — with the reason.
 */
export function identifyEvidence(name: string, bytes: Uint8Array): Identification {
  const id = identifyContent(bytes);
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1].toLowerCase();
  if (id.kind === 'unknown' && ext && NAMED_LIKE[ext] && bytes.length > 0) {
    return {
      kind: 'unknown',
      reason: `${id.reason} (named like ${NAMED_LIKE[ext]}, but the content decides)`,
    };
  }
  return id;
}

/** Extensions that suggest a kind: only used to explain why a file so named was not recognised. */
const NAMED_LIKE: Record<string, string> = {
  pem: 'a PEM certificate',
  crt: 'a certificate',
  cer: 'a certificate',
  der: 'a DER certificate',
  b64: 'a base64 Nitro document',
  cbor: 'a Nitro document',
  cose: 'a Nitro document',
  log: 'an event log',
};

function identifyContent(bytes: Uint8Array): Identification {
  if (bytes.length === 0) return { kind: 'unknown', reason: 'the file is empty (0 bytes)' };
  if (looksLikeSnpReport(bytes)) {
    return {
      kind: 'snp-report',
      reason: `VERSION ${u32(bytes, 0)}, POLICY bit 17 set, SIGNATURE_ALGO 1: an SEV-SNP ATTESTATION_REPORT`,
    };
  }
  const log = eventLogReason(bytes);
  if (log) return { kind: 'event-log', reason: `a TCG event log: ${log}` };
  if (bytes.length === SNP_REPORT_SIZE) {
    return { kind: 'snp-report', reason: '1184 bytes, the size of an SEV-SNP ATTESTATION_REPORT' };
  }
  if (looksLikeCoseSign1(bytes)) {
    return {
      kind: 'nitro-document',
      reason: 'a CBOR COSE_Sign1 structure, as the Nitro Secure Module signs',
    };
  }
  const der = derSequence(bytes);
  if (der) {
    return {
      kind: 'certificates',
      reason:
        der === 'whole'
          ? 'a DER SEQUENCE: an X.509 certificate'
          : 'a DER SEQUENCE cut short: a truncated certificate',
    };
  }
  if (looksLikeTdxQuote(bytes)) {
    return {
      kind: 'unknown',
      reason: 'an Intel TDX quote (version 4/5, TEE type 0x81): this page does not appraise TDX quotes yet',
    };
  }
  const text = asText(bytes);
  if (text !== undefined) {
    if (text.includes('-----BEGIN CERTIFICATE-----')) {
      return { kind: 'certificates', reason: 'PEM text with CERTIFICATE blocks' };
    }
    const pem = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
    if (pem) {
      return {
        kind: 'unknown',
        reason: /PRIVATE/.test(pem[1])
          ? `a PEM ${pem[1]}: private keys are never needed to appraise evidence — do not share this file`
          : `a PEM ${pem[1]}, not a CERTIFICATE`,
      };
    }
    if (parsePcrValues(text))
      return { kind: 'pcr-values', reason: 'PCR values (JSON or tpm2_pcrread output)' };
    const decoded = base64Of(text);
    if (decoded && looksLikeCoseSign1(decoded)) {
      return { kind: 'nitro-document', reason: 'base64 of a CBOR COSE_Sign1 structure (a Nitro document)' };
    }
  }
  const head = toHex(bytes.subarray(0, 8)).replace(/(..)(?!$)/g, '$1 ');
  return {
    kind: 'unknown',
    reason:
      'not a TCG event log, an SEV-SNP report (1184 bytes), an X.509 certificate (DER or PEM), a Nitro ' +
      `attestation document (COSE_Sign1, binary or base64) or PCR values; it starts with ${head}`,
  };
}

// ---- PCR values (what the TPM reported) -------------------------------------------------------

type PcrBanks = Partial<Record<HashAlg, Record<number, string>>>;

interface PcrValues {
  /** Per event-log file name (as go-eventlog's expected PCRs are kept), or for any log (''). */
  byLog: Map<string, PcrBanks>;
}

function normalHex(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const h = v.trim().replace(/^0x/i, '').toLowerCase();
  return /^([0-9a-f]{2}){20,64}$/.test(h) ? h : undefined;
}

function banksOf(v: unknown): PcrBanks | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: PcrBanks = {};
  let found = false;
  for (const [alg, pcrs] of Object.entries(v)) {
    if (!isHashAlg(alg) || typeof pcrs !== 'object' || pcrs === null) continue;
    const bank: Record<number, string> = {};
    for (const [index, value] of Object.entries(pcrs)) {
      const i = Number(index);
      const hex = normalHex(value);
      if (Number.isInteger(i) && i >= 0 && i < PCR_COUNT && hex) {
        bank[i] = hex;
        found = true;
      }
    }
    out[alg] = bank;
  }
  return found ? out : undefined;
}

/** `{ "sha256": { "0": "…" } }`, `{ "log.bin": { "sha256": … } }`, or `tpm2_pcrread` text. */
function parsePcrValues(text: string): PcrValues | undefined {
  const byLog = new Map<string, PcrBanks>();
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return undefined;
    }
    const direct = banksOf(json);
    if (direct) byLog.set('', direct);
    else if (typeof json === 'object' && json !== null) {
      for (const [file, v] of Object.entries(json)) {
        const banks = banksOf(v);
        if (banks) byLog.set(file, banks);
      }
    }
    return byLog.size ? { byLog } : undefined;
  }
  const banks: PcrBanks = {};
  let bank: Record<number, string> | undefined;
  let found = false;
  for (const line of trimmed.split(/\r?\n/)) {
    const head = /^\s*(sha1|sha256|sha384|sha512)\s*:\s*$/i.exec(line);
    if (head) {
      bank = banks[head[1].toLowerCase() as HashAlg] = {};
      continue;
    }
    const row = /^\s*(\d{1,2})\s*:\s*(0x)?([0-9a-fA-F]+)\s*$/.exec(line);
    const hex = row ? normalHex(row[3]) : undefined;
    if (row && bank && hex && Number(row[1]) < PCR_COUNT) {
      bank[Number(row[1])] = hex;
      found = true;
    } else if (line.trim() && !head) {
      return undefined;
    }
  }
  if (!found) return undefined;
  byLog.set('', banks);
  return { byLog };
}

// ---- certificates -----------------------------------------------------------------------------

interface SourcedCertificate {
  cert: Certificate;
  file: string;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Every certificate of a PEM text (blocks anywhere, comments allowed) or of one DER certificate. */
function readCertificateFile(
  bytes: Uint8Array,
  file: string,
): { certs: SourcedCertificate[]; errors: string[] } {
  const certs: SourcedCertificate[] = [];
  const errors: string[] = [];
  const text = asText(bytes);
  if (text !== undefined && text.includes('-----BEGIN CERTIFICATE-----')) {
    let ders: Uint8Array[];
    try {
      ders = pemToDer(text);
    } catch (e) {
      return { certs, errors: [`${file}: ${messageOf(e)}`] };
    }
    ders.forEach((der, i) => {
      try {
        certs.push({ cert: parseCertificate(der), file });
      } catch (e) {
        errors.push(`${file}: PEM certificate ${i + 1} of ${ders.length} does not parse: ${messageOf(e)}`);
      }
    });
    if (ders.length === 0) errors.push(`${file}: no complete BEGIN/END CERTIFICATE block`);
  } else {
    try {
      certs.push({ cert: parseCertificate(bytes), file });
    } catch (e) {
      errors.push(`${file}: the DER certificate does not parse: ${messageOf(e)}`);
    }
  }
  return { certs, errors };
}

const cn = (c: Certificate) => /CN=([^,]+)/.exec(c.subject)?.[1] ?? c.subject;

// ---- event log → boot chain -------------------------------------------------------------------

const BANK_PREFERENCE: readonly HashAlg[] = ['sha256', 'sha384', 'sha512', 'sha1'];

function oneLine(s: string, max = 72): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** What an event measured, in a few words, from its decoded data. */
function describeEvent(e: TcgEvent): string {
  const d = e.decoded;
  switch (d?.kind) {
    case 'separator':
      return d.error ? 'separator (error)' : 'separator';
    case 'text':
      return oneLine(d.text);
    case 'uefi-variable':
      return `${d.variableName}${d.variableGuidName ? ` (${d.variableGuidName})` : ''}`;
    case 'uefi-image-load': {
      const tail = d.devicePath.split('/').at(-1);
      return tail ? oneLine(tail) : `image at 0x${d.imageLocationInMemory.toString(16)}`;
    }
    case 'firmware-blob':
      return d.description
        ? oneLine(d.description)
        : `firmware at 0x${d.base.toString(16)}, ${d.length.toString()} bytes`;
    case 'gpt':
      return `GPT, ${d.partitions.length} partition${d.partitions.length === 1 ? '' : 's'}`;
    default:
      return `${e.data.length} bytes of event data`;
  }
}

/** What the CLI prints as warnings: log-level remarks, odd event data, digests that are not H(data). */
function logWarnings(log: EventLog): string[] {
  const out = [...log.warnings];
  for (const e of log.events) if (e.note) out.push(`event ${e.number} (${e.typeName}): ${e.note}`);
  for (const c of checkEventDigests(log)) {
    if (c.status === 'mismatch') {
      out.push(
        `event ${c.event} (${c.typeName}): ${c.alg} digest is not the hash of the event data${c.detail ? ` (${c.detail})` : ''}`,
      );
    }
  }
  return out;
}

function expectedFor(values: PcrValues[], file: string): PcrBanks | undefined {
  const base = file.split(/[\\/]/).at(-1) ?? file;
  for (const v of values) {
    const banks = v.byLog.get(file) ?? v.byLog.get(base) ?? v.byLog.get('');
    if (banks) return banks;
  }
  return undefined;
}

function bootChainOf(
  file: string,
  log: EventLog,
  expected: PcrBanks | undefined,
  options: ByoeOptions,
  notes: string[],
): BootChain {
  const wanted = options.bank;
  if (wanted && !log.algorithms.includes(wanted)) {
    notes.push(`${file}: the log has no ${wanted} bank (it has ${log.algorithms.join(', ')})`);
  }
  const candidates = [
    ...(wanted && log.algorithms.includes(wanted) ? [wanted] : []),
    ...BANK_PREFERENCE.filter((a) => log.algorithms.includes(a) && expected?.[a]),
    ...BANK_PREFERENCE.filter((a) => log.algorithms.includes(a)),
  ];
  let bank: PcrBank | undefined;
  let lastError: unknown;
  for (const alg of new Set(candidates)) {
    try {
      bank = replayEventLog(log, [alg])[alg];
      break;
    } catch (e) {
      lastError = e;
      notes.push(`${file}: the ${alg} bank cannot be replayed: ${messageOf(e)}`);
    }
  }
  if (!bank) throw lastError ?? new Error('the log lists no digest algorithm this page can compute');

  const alg = bank.alg;
  const want = expected?.[alg];
  const byNumber = new Map(log.events.map((e) => [e.number, e]));
  const registers: BootRegister[] = bank.extendedIndices().map((index) => {
    const links = bank.history.filter((h) => h.index === index);
    const value = toHex(bank.read(index));
    const reported = want?.[index];
    if (reported !== undefined && reported !== value) {
      notes.push(
        `${file}: PCR${index} (${alg}) replays to ${value.slice(0, 16)}… but the TPM reported ${reported.slice(0, 16)}…: the log does not account for this PCR`,
      );
    }
    return {
      name: `PCR${index}`,
      steps: links.map((h) => {
        const e = h.source?.event !== undefined ? byNumber.get(h.source.event) : undefined;
        return {
          component: e ? `${e.typeName}: ${describeEvent(e)}` : (h.source?.label ?? 'extend'),
          input: toHex(h.digest),
          value: toHex(h.after),
          changed: false,
        };
      }),
      value,
      reference: reported ?? value,
    };
  });
  if (want) {
    const extended = new Set(bank.extendedIndices());
    for (const [i, hex] of Object.entries(want)) {
      const index = Number(i);
      if (!extended.has(index) && hex !== toHex(pcrResetValue(alg, index, bank.locality))) {
        notes.push(
          `${file}: the TPM reported PCR${index} (${alg}) = ${hex.slice(0, 16)}…, but the log has no event for it`,
        );
      }
    }
  }
  if (!want) {
    notes.push(
      (expected
        ? `${file}: the PCR values given have no ${alg} bank`
        : `${file}: no PCR values from this machine's TPM were given`) +
        ", so each register's reference is its own replayed value (drop the TPM's PCRs too — JSON or tpm2_pcrread output — to compare)",
    );
  }
  const indices = registers.map((r) => r.name.slice(3));
  const composite = (values: string[]) => toHex(digest(alg, concatBytes(...values.map((v) => fromHex(v)))));
  return {
    scheme: 'pcr-event-log',
    hash: alg,
    registers,
    headline: {
      name: `PCR digest (${alg} of PCR${indices.join(', ')})`,
      value: composite(registers.map((r) => r.value)),
      reference: composite(registers.map((r) => r.reference)),
    },
  };
}

// ---- verdicts ---------------------------------------------------------------------------------

function fieldsOf(format: string, bytes: Uint8Array, file: string, notes: string[]): EvidenceField[] {
  try {
    return evidenceFields(format, bytes);
  } catch (e) {
    notes.push(`${file}: the field table could not be laid over the bytes: ${messageOf(e)}`);
    return [];
  }
}

const GATING = new Set(['parse', 'signature', 'chain']);

/** A problem found while appraising, and the file it belongs to. */
interface Problem {
  file: string;
  message: string;
}

/** One problem per failed gating check: the check, where (offset range and field), and why. */
function gatingProblems(file: string, r: AttestationResult): Problem[] {
  return r.checks
    .filter((c) => !c.ok && GATING.has(c.check))
    .map((c) => {
      const where = c.range
        ? ` at ${hexAt(c.range[0])}${c.range[1] - c.range[0] > 1 ? `–${hexAt(c.range[1] - 1)}` : ''}`
        : '';
      return {
        file,
        message: `${c.check} check failed${where}${c.field ? ` (${c.field})` : ''}: ${c.reason}`,
      };
    });
}

// ---- SEV-SNP ----------------------------------------------------------------------------------

/** With several VCEKs given, keep the one whose key signed this report (or the first). */
function vcekFor(report: Uint8Array, certs: SourcedCertificate[]): SourcedCertificate[] {
  const leaves = certs.filter((c) => c.cert.publicKey.kind === 'ec');
  if (leaves.length <= 1) return certs;
  const signer = leaves.find((c) => {
    try {
      const check = snpReportSignatureCheck(report, c.cert);
      return check !== undefined && verifyWith(check.key, check.alg, check.message, check.signature);
    } catch {
      return false;
    }
  });
  const keep = signer ?? leaves[0];
  return certs.filter((c) => c.cert.publicKey.kind !== 'ec' || c === keep);
}

async function appraiseSnpFile(
  file: string,
  report: Uint8Array,
  allCerts: SourcedCertificate[],
  options: ByoeOptions,
  problems: Problem[],
  notes: string[],
): Promise<ByoeAppraisal> {
  const certs = vcekFor(report, allCerts);
  const at = options.at ?? new Date();
  const policy = strictSnpPolicy({ trustedRoots: amdArkCertificates(), at });
  const result = await appraiseSnpAsync(
    report,
    certs.map((c) => c.cert),
    policy,
  );
  problems.push(...gatingProblems(file, result));
  const chain = result.checks.find((c) => c.check === 'chain');
  if (chain && !chain.ok) {
    // Name the certificate files whose certificates the chain check blames.
    const blamed = certs.filter((c) => chain.reason.includes(`${c.cert.subject}: `));
    for (const c of blamed) {
      const why = chain.reason
        .split('; ')
        .filter((p) => p.startsWith(`${c.cert.subject}: `))
        .map((p) => p.slice(c.cert.subject.length + 2))
        .join('; ');
      problems.push({
        file: c.file,
        message: `certificate '${cn(c.cert)}' does not chain to AMD's pinned root: ${why} (checked for ${file})`,
      });
    }
  }
  if (!certs.some((c) => c.cert.publicKey.kind === 'ec')) {
    notes.push(
      `${file}: no VCEK was given; add the VCEK that signed it (AMD KDS, or the host's certificate table) — the ASK and ARK are known`,
    );
  }
  notes.push(
    `${file}: appraised with AMD's pinned ARKs at ${at.toISOString()} under the strict policy without reference values: ` +
      'MEASUREMENT is not compared with anything (the launched image is unrecognized, not refused), ' +
      'and with no nonce a replayed report would pass',
  );
  return {
    file,
    boot: null,
    evidence: {
      format: 'snp-report',
      bytes: toHex(report),
      fields: fieldsOf('snp-report', report, file, notes),
      seq: null,
    },
    verdict: verdictView(result),
  };
}

// ---- Nitro ------------------------------------------------------------------------------------

function appraiseNitroFile(
  file: string,
  raw: Uint8Array,
  options: ByoeOptions,
  problems: Problem[],
  notes: string[],
): ByoeAppraisal {
  let bytes = raw;
  if (!looksLikeCoseSign1(raw)) {
    const decoded = base64Of(asText(raw) ?? '');
    if (decoded) {
      bytes = decoded;
      notes.push(`${file}: base64 text, decoded to ${decoded.length} bytes of CBOR`);
    }
  }
  let at = options.at;
  if (!at) {
    try {
      at = new Date(decodeNitroDocument(bytes).payload.timestamp);
      notes.push(
        `${file}: certificates checked at the document's own time, ${at.toISOString()} (the enclave certificate lives three hours); ` +
          'a relying party checks them at receipt, with its own nonce',
      );
    } catch {
      // appraiseNitro reports the parse failure with its offset.
    }
  }
  const result = appraiseNitro(bytes, {
    id: 'ccte/nitro/strict',
    trustedRoots: [awsNitroRootG1()],
    ...(at ? { at } : {}),
  });
  problems.push(...gatingProblems(file, result));
  notes.push(
    `${file}: appraised against AWS's pinned Nitro root without reference PCRs: PCR0/1/2/8 are not compared with anything`,
  );
  return {
    file,
    boot: null,
    evidence: {
      format: 'nitro-document',
      bytes: toHex(bytes),
      fields: fieldsOf('nitro-document', bytes, file, notes),
      seq: null,
    },
    verdict: verdictView(result),
  };
}

// ---- the whole drop ---------------------------------------------------------------------------

function sizeText(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Identifies and appraises every dropped file: event logs are replayed (against PCR values, when a
 * PCR-values file is dropped too), SNP reports appraised with all dropped certificates, Nitro documents
 * with AWS's root. Never throws; every problem is a message in `errors` (and on its file).
 */
export async function appraiseDropped(files: DroppedFile[], options: ByoeOptions = {}): Promise<ByoeResult> {
  const result: ByoeResult = {
    files: [],
    boot: null,
    evidence: null,
    verdict: null,
    appraisals: [],
    errors: [],
    notes: [],
  };
  // Errors are listed in the order of the files they belong to, whenever they were found.
  const errors: { file: number; message: string }[] = [];
  const fail = (entry: ByoeFile, message: string) => {
    entry.error = entry.error ? `${entry.error}; ${message}` : message;
    errors.push({ file: result.files.indexOf(entry), message: `${entry.name}: ${message}` });
  };

  const logs: { entry: ByoeFile; bytes: Uint8Array }[] = [];
  const reports: { entry: ByoeFile; bytes: Uint8Array }[] = [];
  const documents: { entry: ByoeFile; bytes: Uint8Array }[] = [];
  const certs: SourcedCertificate[] = [];
  const pcrValues: PcrValues[] = [];

  for (const f of files) {
    const name = String(f?.name ?? '(unnamed)');
    const bytes = f?.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(0);
    const size = Math.max(f?.size ?? 0, bytes.length);
    const entry: ByoeFile = { name, kind: 'unknown', size };
    result.files.push(entry);
    if (size > MAX_FILE_BYTES) {
      fail(
        entry,
        `${sizeText(size)} is more than the ${sizeText(MAX_FILE_BYTES)} this page reads (event logs, reports and certificates are at most a few hundred KiB); not read`,
      );
      continue;
    }
    if (size > bytes.length) {
      fail(entry, `only ${bytes.length} of its ${size} bytes were read`);
      continue;
    }
    try {
      const id = identifyEvidence(name, bytes);
      entry.kind = id.kind;
      if (id.kind !== 'unknown') entry.detail = id.reason; // for an unknown file the reason is its error
      switch (id.kind) {
        case 'unknown':
          fail(entry, id.reason);
          break;
        case 'event-log':
          logs.push({ entry, bytes });
          break;
        case 'snp-report':
          reports.push({ entry, bytes });
          break;
        case 'nitro-document':
          documents.push({ entry, bytes });
          break;
        case 'certificates': {
          const read = readCertificateFile(bytes, name);
          certs.push(...read.certs);
          for (const e of read.errors) fail(entry, e.slice(name.length + 2));
          if (read.certs.length) {
            entry.detail = `${read.certs.length} certificate${read.certs.length === 1 ? '' : 's'}: ${read.certs.map((c) => cn(c.cert)).join(', ')}`;
          }
          break;
        }
        case 'pcr-values': {
          const values = parsePcrValues(asText(bytes) ?? '');
          if (values) {
            pcrValues.push(values);
            const count = [...values.byLog.values()].reduce(
              (n, banks) => n + Object.values(banks).reduce((m, b) => m + Object.keys(b ?? {}).length, 0),
              0,
            );
            entry.detail = `${count} PCR values${values.byLog.has('') ? '' : ` for ${values.byLog.size} event log files`}`;
          }
          break;
        }
      }
    } catch (e) {
      fail(entry, `could not be read: ${messageOf(e)}`);
    }
  }

  // The same certificate twice (a bundle and a single file) counts once.
  const seen = new Set<string>();
  const uniqueCerts = certs.filter((c) => {
    const key = toHex(c.cert.der);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  for (const { entry, bytes } of logs) {
    try {
      const log = parseEventLog(bytes);
      const boot = bootChainOf(entry.name, log, expectedFor(pcrValues, entry.name), options, result.notes);
      entry.detail =
        `${log.format === 'crypto-agile' ? 'crypto-agile' : 'legacy SHA-1'} TCG event log, ${log.events.length} events, ` +
        `banks ${log.algorithms.join(', ')}; showing ${boot.hash}`;
      const warnings = logWarnings(log);
      const shown = warnings.slice(0, 12).map((w) => `${entry.name}: ${w}`);
      if (warnings.length > shown.length)
        shown.push(`${entry.name}: … and ${warnings.length - shown.length} more remarks`);
      result.notes.push(...shown);
      result.appraisals.push({ file: entry.name, boot, evidence: null, verdict: null });
    } catch (e) {
      fail(entry, e instanceof FormatError ? e.message : `could not be replayed: ${messageOf(e)}`);
    }
  }

  const problems: Problem[] = [];
  for (const { entry, bytes } of reports) {
    try {
      result.appraisals.push(
        await appraiseSnpFile(entry.name, bytes, uniqueCerts, options, problems, result.notes),
      );
    } catch (e) {
      fail(entry, `could not be appraised: ${messageOf(e)}`);
    }
  }
  for (const { entry, bytes } of documents) {
    try {
      result.appraisals.push(appraiseNitroFile(entry.name, bytes, options, problems, result.notes));
    } catch (e) {
      fail(entry, `could not be appraised: ${messageOf(e)}`);
    }
  }
  for (const p of problems) {
    const entry = result.files.find((f) => f.name === p.file);
    if (entry) fail(entry, p.message);
    else errors.push({ file: result.files.length, message: `${p.file}: ${p.message}` });
  }

  if (certs.length && reports.length === 0) {
    result.notes.push('certificates were read, but no SEV-SNP report was given to check with them');
  }
  if (pcrValues.length && logs.length === 0) {
    result.notes.push('PCR values were read, but no event log was given to compare them with');
  }
  result.errors = errors.sort((a, b) => a.file - b.file).map((e) => e.message);
  result.boot = result.appraisals.find((a) => a.boot)?.boot ?? null;
  const first = result.appraisals.find((a) => a.evidence);
  result.evidence = first?.evidence ?? null;
  result.verdict = first?.verdict ?? null;
  return result;
}
