/**
 * Appraisal of AMD SEV-SNP evidence: an ATTESTATION_REPORT and its VCEK → ASK → ARK chain, judged
 * against an SnpPolicy, giving an EAR-style AttestationResult with AR4SI claims. Checks run in the
 * order of `CHECKS` (parse, signature, chain, freshness, tcb, policy, measurement, platform); every
 * check runs and is reported even after an earlier one failed, so a user sees all reasons, but
 * claims are only made from fields whose signature and chain verified (go-sev-guest `validate`,
 * Trustee's EAR default policy).
 */
import { bytesEqual, toHex, viewOf } from '../crypto/bytes';
import { FormatError } from '../errors';
import { orderSnpChain, readVcekExtensions, type VcekExtensions } from '../evidence/amd-chain';
import { amdArkCertificates, amdAskCertificates } from '../evidence/amd-roots';
import {
  decodeSnpReport,
  formatTcb,
  POLICY_BITS,
  SNP_FIELD_NAMES,
  SNP_REPORT_LAYOUT,
  SNP_REPORT_SIZE,
  TCB_BYTE,
  TCB_COMPONENTS,
  SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384,
  SNP_SIGNED_END,
  snpSignatureToDer,
  snpSignedBytes,
  type DecodedSnpReport,
  type SnpFieldKey,
  type TcbParts,
} from '../evidence/snp-report';
import { nativeVerifier, type SignatureCheck } from '../evidence/native-verify';
import {
  isSignedBy,
  verifyChain,
  verifyWith,
  type Certificate,
  type SignatureAlgorithm,
  type SignatureVerifier,
} from '../evidence/x509';
import {
  AR4SI,
  claim,
  makeResult,
  type AttestationResult,
  type CheckName,
  type CheckOutcome,
  type ClaimResult,
} from './ear';
import type { BasePolicy } from './policy';

export interface SnpPolicy extends BasePolicy {
  /** Lowest acceptable REPORTED_TCB, per component (fmc is judged on Turin only). */
  minTcb?: TcbParts;
  /** Strict by default: a guest that may be bound to a migration agent (POLICY.MIGRATE_MA) is refused. */
  allowMigrationAgent?: boolean;
  /** false: refuse SMT (POLICY.SMT or PLATFORM_INFO.SMT_EN); absent: SMT is not judged. */
  allowSmt?: boolean;
  /** HOST_DATA the host must have set at launch (e.g. an init-data digest), zero-padded to 32 bytes. */
  expectedHostData?: Uint8Array;
  /** How REPORT_DATA binds the nonce: 'exact' (nonce zero-padded to 64 bytes, default) or 'prefix'. */
  reportDataMatch?: 'exact' | 'prefix';
}

export const SNP_SUBMOD = 'cpu0';

/** The strict default: AMD's real ARKs pinned, debug and migration agent refused. */
export function strictSnpPolicy(overrides: Partial<SnpPolicy> = {}): SnpPolicy {
  return {
    id: 'ccte/sev-snp/strict',
    trustedRoots: amdArkCertificates(),
    allowDebug: false,
    allowMigrationAgent: false,
    ...overrides,
  };
}

type Range = readonly [number, number];
const L = SNP_REPORT_LAYOUT;
const hex3 = (n: number) => `0x${n.toString(16).padStart(3, '0')}`;
const span = (k: SnpFieldKey) => `${SNP_FIELD_NAMES[k]} (${hex3(L[k][0])}–${hex3(L[k][1] - 1)})`;
const short = (b: Uint8Array) => (b.length > 12 ? `${toHex(b.subarray(0, 12))}…` : toHex(b));

interface Outcome {
  ok: boolean;
  reason: string;
  range?: Range;
  field?: string;
}

function outcome(check: CheckName, o: Outcome): CheckOutcome {
  return {
    check,
    ok: o.ok,
    reason: o.reason,
    ...(o.range ? { range: o.range } : {}),
    ...(o.field ? { field: o.field } : {}),
  };
}

// ---- parse ----

function parse(
  report: Uint8Array,
  ext: VcekExtensions | undefined,
): Outcome & { decoded?: DecodedSnpReport } {
  try {
    const decoded = decodeSnpReport(report, ext?.product ? { product: ext.product } : {});
    const a = decoded.anomalies[0];
    if (a) {
      const more = decoded.anomalies.length > 1 ? ` (and ${decoded.anomalies.length - 1} more)` : '';
      return {
        ok: false,
        decoded,
        reason: `${a.field} at ${hex3(a.offset)}: ${a.detail}${more}`,
        range: [a.offset, a.offset + 1],
        field: a.field,
      };
    }
    return {
      ok: true,
      decoded,
      reason: `ATTESTATION_REPORT version ${decoded.version}, 0x4a0 bytes, reserved bytes zero (TCB layout ${decoded.tcbLayout} from ${decoded.tcbLayoutSource})`,
    };
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const at = Math.min(e.offset, SNP_REPORT_SIZE);
    return { ok: false, reason: e.message, range: [at, at + 1], field: e.field };
  }
}

// ---- signature ----

/** The report's signature as a certificate-style check, so a SignatureVerifier can answer it. */
export const SNP_REPORT_SIGNATURE_ALG: SignatureAlgorithm = { kind: 'ecdsa', hash: 'sha384' };

/** The check the VCEK must pass over the report, or undefined when the signature field is unusable. */
export function snpReportSignatureCheck(report: Uint8Array, vcek: Certificate): SignatureCheck | undefined {
  try {
    return {
      key: vcek.publicKey,
      alg: SNP_REPORT_SIGNATURE_ALG,
      message: snpSignedBytes(report),
      signature: snpSignatureToDer(report.subarray(SNP_SIGNED_END)),
    };
  } catch {
    return undefined;
  }
}

function signature(
  report: Uint8Array,
  vcek: Certificate | undefined,
  problem: string | undefined,
  verifier: SignatureVerifier,
): Outcome {
  const range = L.signature;
  const field = 'SIGNATURE';
  if (!vcek)
    return { ok: false, reason: `not checked: ${problem ?? 'no VCEK certificate given'}`, range, field };
  if (report.length !== SNP_REPORT_SIZE) {
    return {
      ok: false,
      reason: `not checked: the report is ${report.length} bytes, not 0x4a0`,
      range,
      field,
    };
  }
  const view = new DataView(report.buffer, report.byteOffset, report.byteLength);
  const algo = view.getUint32(L.signatureAlgo[0], true);
  if (algo !== 1) {
    return {
      ok: false,
      reason: `${span('signatureAlgo')} is ${algo}; only 1 (ECDSA P-384 with SHA-384) is defined`,
      range: L.signatureAlgo,
      field: 'SIGNATURE_ALGO',
    };
  }
  if (((view.getUint32(L.signerInfo[0], true) >>> 2) & 7) === 7) {
    return {
      ok: false,
      reason: `${span('signerInfo')} says SIGNING_KEY 7: the firmware did not sign this report`,
      range: L.signerInfo,
      field: 'SIGNER_INFO',
    };
  }
  if (vcek.publicKey.kind !== 'ec' || vcek.publicKey.curve !== 'p384') {
    return { ok: false, reason: `'${vcek.subject}' does not hold an ECDSA P-384 key`, range, field };
  }
  const check = snpReportSignatureCheck(report, vcek);
  const sigAlgoOk =
    viewOf(report).getUint32(L.signatureAlgo[0], true) === SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384;
  if (!sigAlgoOk || !check || !verifier(check.key, check.alg, check.message, check.signature)) {
    return {
      ok: false,
      reason:
        `${span('signature')} does not verify over bytes 0x000–0x29f with the P-384 key of '${vcek.subject}': ` +
        'a signed byte was changed after signing, or another key signed the report',
      range,
      field,
    };
  }
  return {
    ok: true,
    reason: `ECDSA P-384/SHA-384 signature over bytes 0x000–0x29f verifies with the key of '${vcek.subject}'`,
    range,
    field,
  };
}

// ---- chain ----

interface ChainOutcome extends Outcome {
  identity: number;
}

function tcbByteOffset(d: DecodedSnpReport, c: keyof TcbParts): number {
  return L.reportedTcb[0] + (TCB_BYTE[d.tcbLayout][c] ?? 0);
}

function chainCheck(
  chain: Certificate[],
  problem: string | undefined,
  ext: VcekExtensions | undefined,
  extError: string | undefined,
  decoded: DecodedSnpReport | undefined,
  policy: SnpPolicy,
  verifier: SignatureVerifier,
): ChainOutcome {
  if (problem && chain.length === 0) {
    return { ok: false, identity: AR4SI.instanceIdentity.unrecognized, reason: problem };
  }
  const verdict = verifyChain(chain, policy.trustedRoots, policy.at, verifier);
  const reasons: string[] = [];
  let identity: number = AR4SI.instanceIdentity.recognized;
  let range: Range | undefined;
  let field: string | undefined;
  const worse = (v: number) => {
    if (v > identity) identity = v;
  };
  if (problem) {
    reasons.push(problem);
    worse(AR4SI.instanceIdentity.unrecognized);
  }
  verdict.steps.forEach((s, i) => {
    if (s.ok) return;
    reasons.push(`${s.subject}: ${s.reason}`);
    const issuer = chain[i + 1] ?? chain[i];
    if (!isSignedBy(chain[i], issuer, verifier)) worse(AR4SI.cryptoValidationFailed);
    else if (/pinned trust anchor/.test(s.reason)) worse(AR4SI.instanceIdentity.unrecognized);
    else worse(AR4SI.instanceIdentity.untrustworthy);
  });
  const root = chain[chain.length - 1];
  if (
    root &&
    /CN=ARK-Demo/.test(root.subject) &&
    !policy.trustedRoots.some((r) => bytesEqual(r.der, root.der))
  ) {
    reasons.push(
      "the root is the explorer's simulated ARK (DEMO_ARK_PEM), which this policy does not pin: pin it only for simulated evidence",
    );
  }
  if (extError) {
    reasons.push(`VCEK extensions: ${extError}`);
    worse(AR4SI.instanceIdentity.untrustworthy);
  }
  if (ext && decoded) {
    // The VCEK is derived from the TCB it certifies: its SPLs must be the report's REPORTED_TCB.
    const mismatched = TCB_COMPONENTS.filter((c) => {
      const want = ext.tcb[c];
      const got = decoded.reportedTcb[c];
      return want !== undefined && got !== undefined && want !== got;
    });
    if (mismatched.length > 0) {
      const c = mismatched[0];
      reasons.push(
        `VCEK certifies ${formatTcb({ bootloader: 0, tee: 0, snp: 0, microcode: 0, ...ext.tcb })} but ${span('reportedTcb')} ` +
          `is ${formatTcb(decoded.reportedTcb)} (${mismatched.join(', ')} differ; first at ${hex3(tcbByteOffset(decoded, c))})`,
      );
      worse(AR4SI.instanceIdentity.untrustworthy);
      range ??= [tcbByteOffset(decoded, c), tcbByteOffset(decoded, c) + 1];
      field ??= 'REPORTED_TCB';
    }
    const chipIdChecked = decoded.signerInfo.signingKeyName === 'vcek' && !decoded.signerInfo.maskChipKey;
    if (chipIdChecked) {
      const hw = ext.hwId;
      const chip = decoded.chipId;
      const matches =
        hw !== undefined &&
        hw.length <= chip.length &&
        bytesEqual(hw, chip.subarray(0, hw.length)) &&
        chip.subarray(hw.length).every((x) => x === 0);
      if (!matches) {
        reasons.push(
          hw === undefined
            ? 'the VCEK has no hwID extension to bind it to CHIP_ID'
            : `VCEK hwID ${short(hw)} is not ${span('chipId')} ${short(chip)}: the VCEK belongs to another chip`,
        );
        worse(AR4SI.instanceIdentity.untrustworthy);
        range ??= L.chipId;
        field ??= 'CHIP_ID';
      }
    }
    if (
      ext.product &&
      decoded.product &&
      ext.product !== decoded.product &&
      decoded.tcbLayoutSource === 'cpuid'
    ) {
      reasons.push(`the VCEK is for ${ext.product} but the report's CPUID says ${decoded.product}`);
      worse(AR4SI.instanceIdentity.untrustworthy);
      range ??= [L.cpuidFamId[0], L.cpuidStep[1]];
      field ??= 'CPUID_FAM_ID';
    }
  }
  if (reasons.length > 0) return { ok: false, identity, reason: reasons.join('; '), range, field };
  const names = chain.map((c) => /CN=([^,]+)/.exec(c.subject)?.[1] ?? c.subject).join(' → ');
  const bound = decoded?.signerInfo.maskChipKey
    ? 'CHIP_ID masked by the host, hwID not compared'
    : 'hwID = CHIP_ID';
  return {
    ok: true,
    identity,
    reason: `${names} verifies to a pinned root; VCEK SPLs = REPORTED_TCB, ${bound}`,
  };
}

// ---- freshness ----

function freshness(report: Uint8Array, policy: SnpPolicy): Outcome {
  const range = L.reportData;
  const field = 'REPORT_DATA';
  const nonce = policy.nonce;
  if (!nonce) {
    return {
      ok: true,
      reason: `no nonce in the policy: ${span('reportData')} not checked, so a replayed report would pass`,
      range,
      field,
    };
  }
  if (report.length < L.reportData[1])
    return { ok: false, reason: 'the report is too short to hold REPORT_DATA', range, field };
  if (nonce.length > 64)
    return { ok: false, reason: `the nonce is ${nonce.length} bytes; REPORT_DATA holds 64`, range, field };
  const reportData = report.subarray(L.reportData[0], L.reportData[1]);
  const mode = policy.reportDataMatch ?? 'exact';
  const want = new Uint8Array(mode === 'exact' ? 64 : nonce.length);
  want.set(nonce);
  const i = want.findIndex((x, k) => x !== reportData[k]);
  if (i >= 0) {
    const at = L.reportData[0] + i;
    return {
      ok: false,
      reason:
        `${span('reportData')} does not hold the nonce ${short(nonce)} (${mode === 'exact' ? 'zero-padded to 64 bytes' : 'as prefix'}); ` +
        `first difference at ${hex3(at)}: stale or replayed evidence`,
      range: [at, at + 1],
      field,
    };
  }
  return { ok: true, reason: `REPORT_DATA holds the ${nonce.length}-byte nonce (${mode})`, range, field };
}

// ---- TCB ----

function tcb(d: DecodedSnpReport, policy: SnpPolicy): Outcome & { value: number } {
  const range = L.reportedTcb;
  const field = 'REPORTED_TCB';
  const min = policy.minTcb;
  if (!min) {
    return {
      ok: true,
      value: AR4SI.hardware.genuine,
      reason: `REPORTED_TCB ${formatTcb(d.reportedTcb)}; the policy sets no minimum TCB`,
      range,
      field,
    };
  }
  const below = TCB_COMPONENTS.filter((c) => {
    const floor = min[c];
    const got = d.reportedTcb[c];
    if (floor === undefined) return false;
    if (c === 'fmc' && d.tcbLayout !== 'turin') return false;
    return got === undefined || got < floor;
  });
  if (below.length > 0) {
    const at = tcbByteOffset(d, below[0]);
    const parts = below.map((c) => `${c} ${d.reportedTcb[c] ?? 'absent'} < ${min[c]}`).join(', ');
    return {
      ok: false,
      value: AR4SI.hardware.unsafe,
      reason: `${span('reportedTcb')} is below the policy's minimum: ${parts} (first at ${hex3(at)}); old firmware or microcode with known flaws`,
      range: [at, at + 1],
      field,
    };
  }
  return {
    ok: true,
    value: AR4SI.hardware.genuine,
    reason: `REPORTED_TCB ${formatTcb(d.reportedTcb)} ≥ minimum ${formatTcb(min)}`,
    range,
    field,
  };
}

// ---- policy (configuration) ----

interface Finding {
  value: number;
  reason: string;
  range: Range;
  field: string;
}

const policyBitAt = (b: number): Range => [L.policy[0] + (b >> 3), L.policy[0] + (b >> 3) + 1];

function configuration(d: DecodedSnpReport, policy: SnpPolicy): Outcome & { value: number } {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const C = AR4SI.configuration;
  if (d.policy.debug) {
    if (policy.allowDebug) {
      // Allowed is not approved: the result stays a warning, as the TDX verifier does, so a
      // relying party that accepts warnings is visibly trusting a guest the host can decrypt.
      findings.push({
        value: C.knownVulns,
        reason: `POLICY.DEBUG (bit 19, byte ${hex3(policyBitAt(POLICY_BITS.debug)[0])}) is set and accepted only because the policy allows debug: the host can decrypt this guest`,
        range: policyBitAt(POLICY_BITS.debug),
        field: 'POLICY',
      });
    } else {
      findings.push({
        value: C.unsupportable,
        reason: `POLICY.DEBUG (bit 19, byte ${hex3(policyBitAt(POLICY_BITS.debug)[0])}) is set: the host can read and change guest memory through the firmware`,
        range: policyBitAt(POLICY_BITS.debug),
        field: 'POLICY',
      });
    }
  }
  if (d.policy.migrateMa) {
    if (policy.allowMigrationAgent) {
      notes.push(
        'MIGRATE_MA is set and accepted by the policy: a migration agent may hold this guest’s keys',
      );
    } else {
      findings.push({
        value: C.unsupportable,
        reason: `POLICY.MIGRATE_MA (bit 18, byte ${hex3(policyBitAt(POLICY_BITS.migrateMa)[0])}) is set: a migration agent could receive this guest’s keys`,
        range: policyBitAt(POLICY_BITS.migrateMa),
        field: 'POLICY',
      });
    }
  }
  if (policy.allowSmt === false) {
    if (d.platformInfo.smtEnabled) {
      findings.push({
        value: C.knownVulns,
        reason: `PLATFORM_INFO.SMT_EN (bit 0 at ${hex3(L.platformInfo[0])}) is set: SMT is on, which the policy refuses (sibling-thread side channels)`,
        range: [L.platformInfo[0], L.platformInfo[0] + 1],
        field: 'PLATFORM_INFO',
      });
    } else if (d.policy.smt) {
      findings.push({
        value: C.knownVulns,
        reason: `POLICY.SMT (bit 16, byte ${hex3(policyBitAt(POLICY_BITS.smt)[0])}) allows SMT, which the policy refuses`,
        range: policyBitAt(POLICY_BITS.smt),
        field: 'POLICY',
      });
    }
  }
  if (policy.expectedHostData) {
    const want = new Uint8Array(32);
    want.set(policy.expectedHostData.subarray(0, 32));
    const i = want.findIndex((x, k) => x !== d.hostData[k]);
    if (i >= 0 || policy.expectedHostData.length > 32) {
      const at = L.hostData[0] + Math.max(i, 0);
      findings.push({
        value: C.unsupportable,
        reason: `${span('hostData')} ${short(d.hostData)} is not the expected ${short(want)} (first difference at ${hex3(at)}): the guest was launched with other host data`,
        range: [at, at + 1],
        field: 'HOST_DATA',
      });
    }
  }
  findings.sort((a, b) => b.value - a.value);
  const worst = findings[0];
  if (worst) {
    const more =
      findings.length > 1
        ? `; also: ${findings
            .slice(1)
            .map((f) => f.reason)
            .join('; ')}`
        : '';
    return {
      ok: false,
      value: worst.value,
      reason: worst.reason + more,
      range: worst.range,
      field: worst.field,
    };
  }
  const smt =
    policy.allowSmt === undefined
      ? `SMT ${d.policy.smt ? 'allowed' : 'not allowed'} by the guest, not judged by the policy`
      : `SMT ${d.platformInfo.smtEnabled ? 'on' : 'off'}, accepted`;
  const facts = [
    d.policy.debug ? null : 'DEBUG off',
    d.policy.migrateMa ? null : 'MIGRATE_MA off',
    smt,
    policy.expectedHostData ? 'HOST_DATA as expected' : null,
    ...notes,
  ].filter((x): x is string => x !== null);
  return {
    ok: true,
    value: policy.allowSmt === undefined ? C.noKnownVulns : C.approved,
    reason: facts.join('; '),
    range: L.policy,
    field: 'POLICY',
  };
}

// ---- measurement (executables) ----

function measurement(d: DecodedSnpReport, policy: SnpPolicy): Outcome & { value: number } {
  const range = L.measurement;
  const field = 'MEASUREMENT';
  const refs = policy.referenceMeasurements ?? [];
  const i = refs.findIndex((r) => bytesEqual(r, d.measurement));
  if (i >= 0) {
    return {
      ok: true,
      value: AR4SI.executables.approvedBoot,
      reason: `MEASUREMENT ${short(d.measurement)} is reference value #${i + 1} (SNP measures the launch image: approved boot)`,
      range,
      field,
    };
  }
  return {
    ok: false,
    value: AR4SI.executables.unrecognized,
    reason:
      refs.length === 0
        ? `the policy has no reference measurements, so ${span('measurement')} ${short(d.measurement)} is unrecognized`
        : `${span('measurement')} ${short(d.measurement)} matches none of the ${refs.length} reference value${refs.length === 1 ? '' : 's'}: the launched image differs`,
    range,
    field,
  };
}

// ---- appraisal ----

/**
 * Appraises `report` with `certificates` (VCEK, ASK, ARK in any order; a missing ASK or pinned ARK is
 * filled in from AMD's public certificates) under `policy`. Never throws for malformed evidence:
 * the parse check carries the FormatError's message and offset.
 */
export function appraiseSnp(
  report: Uint8Array,
  certificates: Certificate[],
  policy: SnpPolicy,
  verifier: SignatureVerifier = verifyWith,
): AttestationResult {
  const ordered = orderSnpChain(certificates, [...policy.trustedRoots, ...amdAskCertificates()]);
  const vcek = ordered.chain[0];
  let ext: VcekExtensions | undefined;
  let extError: string | undefined;
  if (vcek) {
    try {
      ext = readVcekExtensions(vcek);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      extError = e.message;
    }
  }

  const parsed = parse(report, ext);
  const d = parsed.decoded;
  const sig = signature(report, vcek, ordered.problem, verifier);
  const chain = chainCheck(ordered.chain, ordered.problem, ext, extError, d, policy, verifier);
  const fresh = freshness(report, policy);
  const notParsed: Outcome = { ok: false, reason: 'not checked: the report did not parse' };
  const tcbOutcome = d ? tcb(d, policy) : undefined;
  const config = d ? configuration(d, policy) : undefined;
  const meas = d ? measurement(d, policy) : undefined;
  const product = d?.product ?? ext?.product;
  const platform: Outcome = d
    ? {
        ok: true,
        reason: `AMD SEV-SNP${product ? ` (${product})` : ''}: per-VM memory encryption (${d.policy.memAes256Xts ? 'AES-256-XTS required by POLICY bit 22' : 'AES-128-XEX or stronger'}), RMP integrity, encrypted VMSA`,
      }
    : notParsed;

  const checks = [
    outcome('parse', parsed),
    outcome('signature', sig),
    outcome('chain', chain),
    outcome('freshness', fresh),
    outcome('tcb', tcbOutcome ?? notParsed),
    outcome('policy', config ?? notParsed),
    outcome('measurement', meas ?? notParsed),
    outcome('platform', platform),
  ];

  const claims: ClaimResult[] = [];
  const identityValue = !sig.ok
    ? AR4SI.cryptoValidationFailed
    : !parsed.ok
      ? AR4SI.unexpectedEvidence
      : chain.identity;
  const identityReason = !sig.ok
    ? `signature: ${sig.reason}`
    : !parsed.ok
      ? `parse: ${parsed.reason}`
      : `chain: ${chain.reason}`;
  const identityRange = !sig.ok ? sig.range : !parsed.ok ? parsed.range : chain.range;
  const identityField = !sig.ok ? sig.field : !parsed.ok ? parsed.field : chain.field;
  claims.push(claim('instance-identity', identityValue, identityReason, identityRange, identityField));

  const trusted = parsed.ok && sig.ok && chain.ok;
  const withheld = (name: Parameters<typeof claim>[0]): ClaimResult => {
    if (!parsed.ok)
      return claim(
        name,
        AR4SI.unexpectedEvidence,
        `not appraised: ${parsed.reason}`,
        parsed.range,
        parsed.field,
      );
    const failed = !sig.ok ? 'signature' : 'chain';
    return claim(
      name,
      AR4SI.noClaim,
      `not appraised: the ${failed} check failed, so the report's fields cannot be believed`,
    );
  };
  const opaque = (name: Parameters<typeof claim>[0], reason: string) => claim(name, AR4SI.noClaim, reason);

  if (trusted && d && config && meas && tcbOutcome) {
    claims.push(claim('configuration', config.value, config.reason, config.range, config.field));
    claims.push(claim('executables', meas.value, meas.reason, meas.range, meas.field));
    claims.push(opaque('file-system', 'an SNP report does not cover the guest’s file system'));
    claims.push(claim('hardware', tcbOutcome.value, tcbOutcome.reason, tcbOutcome.range, tcbOutcome.field));
    claims.push(claim('runtime-opaque', AR4SI.runtimeOpaque.encrypted, platform.reason));
    claims.push(
      opaque(
        'storage-opaque',
        'the report does not say how the guest stores data (MSG_KEY_REQ sealing keys exist, their use is not attested)',
      ),
    );
    claims.push(opaque('sourced-data', 'no data sources are attested by an SNP report'));
  } else {
    for (const name of [
      'configuration',
      'executables',
      'file-system',
      'hardware',
      'runtime-opaque',
      'storage-opaque',
      'sourced-data',
    ] as const) {
      claims.push(withheld(name));
    }
  }

  return makeResult({
    submod: SNP_SUBMOD,
    policyId: policy.id,
    claims,
    checks,
    ...(policy.iat !== undefined ? { iat: policy.iat } : {}),
    ...(policy.nonce ? { nonceHex: toHex(policy.nonce) } : {}),
  });
}

/** The first failed check, for a one-line refusal ("signature: …"). */
export function firstFailure(result: AttestationResult): CheckOutcome | undefined {
  return result.checks.find((c) => !c.ok);
}

/**
 * The same appraisal with its signature arithmetic done by the runtime's WebCrypto (in the browser,
 * several times faster for RSA-4096 and P-384); the result is identical to appraiseSnp's.
 */
export async function appraiseSnpAsync(
  report: Uint8Array,
  certificates: Certificate[],
  policy: SnpPolicy,
): Promise<AttestationResult> {
  const { chain } = orderSnpChain(certificates, [...policy.trustedRoots, ...amdAskCertificates()]);
  const checks: SignatureCheck[] = chain.map((c, i) => {
    const issuer = chain[i + 1] ?? c;
    return { key: issuer.publicKey, alg: c.signatureAlgorithm, message: c.tbs, signature: c.signature };
  });
  const reportCheck = chain[0] && snpReportSignatureCheck(report, chain[0]);
  if (reportCheck) checks.push(reportCheck);
  return appraiseSnp(report, certificates, policy, await nativeVerifier(checks));
}
