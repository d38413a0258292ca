/**
 * Appraisal of an Intel TDX quote v4, in the order of CHECKS: parse → signature (attestation key over
 * header ‖ body; PCK over the QE report; QE REPORTDATA binding the attestation key) → chain (PCK →
 * Platform/Processor CA → pinned Intel SGX Root CA) → freshness (REPORTDATA = nonce) → TCB
 * (TEE_TCB_SVN floor) → policy (TD_ATTRIBUTES.DEBUG, XFAM) → measurement (MRTD, RTMR0–3) → platform.
 * Every check runs once the quote parses, so the result lists all reasons, not just the first.
 *
 * Not appraised here (say so to a user): Intel's TCB Info and QE Identity collateral and the PCK CRLs,
 * which a production verifier fetches from Intel PCS; our TCB check is the policy's TEE_TCB_SVN floor.
 */
import { bytesEqual, concatBytes, toHex } from '../crypto/bytes';
import { verify as ecdsaVerify } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { FormatError } from '../errors';
import {
  decodeTdxQuote,
  INTEL_QE_VENDOR_ID,
  qeReportRange,
  readPckChain,
  TD_ATTRIBUTE_BITS,
  TDX_QUOTE_LAYOUT,
  tdxQuoteRanges,
  type ByteRange,
  type PckCertificate,
  type TdxQuote,
} from '../evidence/tdx-quote';
import { intelSgxRootCa } from '../evidence/intel-roots';
import { verifyChain } from '../evidence/x509';
import {
  AR4SI,
  claim,
  makeResult,
  type AttestationResult,
  type CheckOutcome,
  type ClaimResult,
  byClaimOrder,
  parseFailure,
} from './ear';
import type { BasePolicy } from './policy';

export type RtmrIndex = 0 | 1 | 2 | 3;

/**
 * A TDX appraisal policy. `referenceMeasurements` (from BasePolicy) are the allowed MRTDs, 48 bytes
 * each; executables are "approved boot and runtime" (2) only when all four RTMRs are compared too.
 */
export interface TdxPolicy extends BasePolicy {
  /** Allowed values per RTMR; an RTMR left out is not compared. */
  referenceRtmrs?: Partial<Record<RtmrIndex, readonly Uint8Array[]>>;
  /** Allowed XFAM values (CPU extended state the TD may use); absent = not constrained. */
  allowedXfam?: readonly bigint[];
  /** Minimum TEE_TCB_SVN, compared component by component (16 bytes), as Intel's TCB levels are. */
  minTeeTcbSvn?: Uint8Array;
  /**
   * Accept unsigned bytes after the quote's signature data (some quote generators pad their buffer;
   * the real quote in our fixtures carries 39). Refused by default: the format ends where its data ends.
   */
  allowExtraBytes?: boolean;
}

/** The strict default: pinned real Intel root, debug refused, no extra bytes, no reference values. */
export function strictTdxPolicy(overrides: Partial<TdxPolicy> = {}): TdxPolicy {
  return { id: 'tdx-strict', trustedRoots: [intelSgxRootCa()], allowDebug: false, ...overrides };
}

export const TDX_SUBMOD = 'tdx';
const MEASUREMENT_SIZE = 48;

const hex = toHex;
const span = (r: ByteRange) => `0x${r[0].toString(16)}–0x${(r[1] - 1).toString(16)}`;

function checkPolicyShape(p: TdxPolicy): void {
  for (const m of p.referenceMeasurements ?? []) {
    if (m.length !== MEASUREMENT_SIZE)
      throw new RangeError(`referenceMeasurements: MRTD is 48 bytes, got ${m.length}`);
  }
  for (const [i, list] of Object.entries(p.referenceRtmrs ?? {})) {
    for (const m of list ?? []) {
      if (m.length !== MEASUREMENT_SIZE)
        throw new RangeError(`referenceRtmrs[${i}]: RTMR is 48 bytes, got ${m.length}`);
    }
  }
  if (p.minTeeTcbSvn && p.minTeeTcbSvn.length !== 16) {
    throw new RangeError(`minTeeTcbSvn: TEE_TCB_SVN is 16 bytes, got ${p.minTeeTcbSvn.length}`);
  }
  if (p.nonce && p.nonce.length > 64) {
    throw new RangeError(`nonce: REPORTDATA holds at most 64 bytes, got ${p.nonce.length}`);
  }
}

interface Problem {
  reason: string;
  range: ByteRange;
  field: string;
}

function signatureCheck(bytes: Uint8Array, q: TdxQuote, chain: PckCertificate[]): CheckOutcome {
  const L = TDX_QUOTE_LAYOUT;
  const problems: Problem[] = [];
  const attestationKey = concatBytes(Uint8Array.of(0x04), q.attestationKey);
  // Verify the bytes as received, not a re-encoding: the signature is over what the QE emitted.
  if (!ecdsaVerify('p256', q.signature, bytes.subarray(...L.signed), attestationKey)) {
    problems.push({
      field: 'signature',
      range: L.signature,
      reason: `the attestation key's ECDSA signature (${span(L.signature)}) over header ‖ TD report body (${span(L.signed)}) does not verify`,
    });
  }
  const binding = concatBytes(
    digest('sha256', concatBytes(q.attestationKey, q.qeAuthData)),
    new Uint8Array(32),
  );
  if (!bytesEqual(binding, q.qeReport.reportData)) {
    problems.push({
      field: 'qeReport.reportData',
      range: qeReportRange('reportData'),
      reason: `QE REPORTDATA (${span(qeReportRange('reportData'))}) is ${hex(q.qeReport.reportData.subarray(0, 32))}…, not SHA-256(attestation key ‖ QE auth data) = ${hex(binding.subarray(0, 32))} followed by zeros: the QE did not vouch for this attestation key`,
    });
  }
  const pck = chain[0].certificate.publicKey;
  if (pck.kind !== 'ec' || pck.curve !== 'p256') {
    problems.push({
      field: 'qeReportSignature',
      range: L.qeReportSignature,
      reason: `the PCK certificate's key is not ECDSA P-256, so it cannot have signed the QE report`,
    });
  } else if (!ecdsaVerify('p256', q.qeReportSignature, bytes.subarray(...L.qeReport), pck.point)) {
    problems.push({
      field: 'qeReportSignature',
      range: L.qeReportSignature,
      reason: `the PCK key's signature (${span(L.qeReportSignature)}) over the QE report (${span(L.qeReport)}) does not verify`,
    });
  }
  if (problems.length) {
    return {
      check: 'signature',
      ok: false,
      reason: problems.map((p) => p.reason).join('; '),
      range: problems[0].range,
      field: problems[0].field,
    };
  }
  return {
    check: 'signature',
    ok: true,
    reason:
      'the attestation key signs header ‖ TD report body; the PCK key signs the QE report; QE REPORTDATA binds the attestation key and QE auth data',
    range: L.signature,
    field: 'signature',
  };
}

function freshnessCheck(q: TdxQuote, nonce: Uint8Array | undefined): CheckOutcome {
  const range = TDX_QUOTE_LAYOUT.reportData;
  if (!nonce) {
    return {
      check: 'freshness',
      ok: true,
      reason: 'no nonce was issued, so freshness is not established: this quote could be a replay',
      range,
      field: 'REPORTDATA',
    };
  }
  const expected = new Uint8Array(64);
  expected.set(nonce);
  if (!bytesEqual(expected, q.body.reportData)) {
    return {
      check: 'freshness',
      ok: false,
      reason: `REPORTDATA (${span(range)}) is ${hex(q.body.reportData)}, not the issued nonce ${hex(nonce)}${nonce.length < 64 ? ' (zero-padded to 64 bytes)' : ''}: stale or replayed evidence`,
      range,
      field: 'REPORTDATA',
    };
  }
  return {
    check: 'freshness',
    ok: true,
    reason: `REPORTDATA holds the issued nonce ${hex(nonce)}`,
    range,
    field: 'REPORTDATA',
  };
}

function tcbCheck(q: TdxQuote, p: TdxPolicy, endorsed: boolean): { check: CheckOutcome; claim: ClaimResult } {
  const L = TDX_QUOTE_LAYOUT;
  const H = AR4SI.hardware;
  const svn = q.body.teeTcbSvn;
  if (p.minTeeTcbSvn) {
    const min = p.minTeeTcbSvn;
    const low = [...svn].findIndex((v, i) => v < min[i]);
    if (low >= 0) {
      const reason = `TEE_TCB_SVN ${hex(svn)} is below the policy minimum ${hex(min)} (component ${low}: ${svn[low]} < ${min[low]}): the TDX module or microcode is older than the policy allows`;
      return {
        check: { check: 'tcb', ok: false, reason, range: L.teeTcbSvn, field: 'TEE_TCB_SVN' },
        claim: claim('hardware', H.unsafe, reason, L.teeTcbSvn, 'TEE_TCB_SVN'),
      };
    }
  }
  const floor = p.minTeeTcbSvn
    ? `TEE_TCB_SVN ${hex(svn)} meets the minimum ${hex(p.minTeeTcbSvn)}`
    : `TEE_TCB_SVN ${hex(svn)} not compared (no minimum in the policy)`;
  const check: CheckOutcome = {
    check: 'tcb',
    ok: true,
    reason: `${floor}; Intel TCB Info status not appraised (no collateral)`,
    range: L.teeTcbSvn,
    field: 'TEE_TCB_SVN',
  };
  if (!endorsed) {
    return {
      check,
      claim: claim(
        'hardware',
        H.unrecognized,
        'the quote is not endorsed by a pinned root, so the hardware is not recognized',
        L.teeTcbSvn,
        'TEE_TCB_SVN',
      ),
    };
  }
  if (!bytesEqual(q.header.qeVendorId, INTEL_QE_VENDOR_ID)) {
    return {
      check,
      claim: claim(
        'hardware',
        H.unrecognized,
        `QE vendor ID ${hex(q.header.qeVendorId)} is not Intel's ${hex(INTEL_QE_VENDOR_ID)}`,
        L.qeVendorId,
        'QE_VENDOR_ID',
      ),
    };
  }
  return {
    check,
    claim: claim(
      'hardware',
      H.genuine,
      `Intel TDX (TEE type 0x81, Intel QE) endorsed by a pinned root; ${floor}`,
      L.teeTcbSvn,
      'TEE_TCB_SVN',
    ),
  };
}

function policyCheck(q: TdxQuote, p: TdxPolicy): { check: CheckOutcome; claim: ClaimResult } {
  const L = TDX_QUOTE_LAYOUT;
  const C = AR4SI.configuration;
  const debug = ((q.body.tdAttributes >> BigInt(TD_ATTRIBUTE_BITS.debug)) & 1n) === 1n;
  const attrs = `TD_ATTRIBUTES 0x${q.body.tdAttributes.toString(16).padStart(16, '0')}`;
  const xfam = `XFAM 0x${q.body.xfam.toString(16).padStart(16, '0')}`;
  const problems: Problem[] = [];
  if (debug && !p.allowDebug) {
    problems.push({
      field: 'TD_ATTRIBUTES',
      range: L.tdAttributes,
      reason: `${attrs} has DEBUG (bit 0) set: the host can read and write this TD's private memory, and the policy refuses debug TDs`,
    });
  }
  if (p.allowedXfam && !p.allowedXfam.includes(q.body.xfam)) {
    problems.push({
      field: 'XFAM',
      range: L.xfam,
      reason: `${xfam} is not one of the ${p.allowedXfam.length} allowed by the policy`,
    });
  }
  if (problems.length) {
    const reason = problems.map((x) => x.reason).join('; ');
    return {
      check: { check: 'policy', ok: false, reason, range: problems[0].range, field: problems[0].field },
      claim: claim('configuration', C.unsupportable, reason, problems[0].range, problems[0].field),
    };
  }
  if (debug) {
    const reason = `${attrs} has DEBUG (bit 0) set and the policy allows it: the host can read this TD's memory`;
    return {
      check: { check: 'policy', ok: true, reason, range: L.tdAttributes, field: 'TD_ATTRIBUTES' },
      claim: claim('configuration', C.knownVulns, reason, L.tdAttributes, 'TD_ATTRIBUTES'),
    };
  }
  const value = p.allowedXfam ? C.approved : C.noKnownVulns;
  const reason = p.allowedXfam
    ? `${attrs}: debug off; ${xfam} is allowed by the policy`
    : `${attrs}: debug off; ${xfam} not constrained by the policy`;
  return {
    check: { check: 'policy', ok: true, reason, range: L.tdAttributes, field: 'TD_ATTRIBUTES' },
    claim: claim('configuration', value, reason, L.tdAttributes, 'TD_ATTRIBUTES'),
  };
}

function measurementCheck(q: TdxQuote, p: TdxPolicy): { check: CheckOutcome; claim: ClaimResult } {
  const L = TDX_QUOTE_LAYOUT;
  const E = AR4SI.executables;
  const fail = (reason: string, range: ByteRange, field: string) => ({
    check: { check: 'measurement' as const, ok: false, reason, range, field },
    claim: claim('executables', E.unrecognized, reason, range, field),
  });
  const refs = p.referenceMeasurements ?? [];
  if (refs.length === 0) {
    return fail(
      `MRTD ${hex(q.body.mrTd)}: the policy has no reference MRTD, so the TD's launch measurement cannot be recognized`,
      L.mrTd,
      'MRTD',
    );
  }
  if (!refs.some((m) => bytesEqual(m, q.body.mrTd))) {
    return fail(
      `MRTD ${hex(q.body.mrTd)} (${span(L.mrTd)}) matches none of the ${refs.length} reference value(s): the TD's initial image differs`,
      L.mrTd,
      'MRTD',
    );
  }
  const rtmrRefs = p.referenceRtmrs ?? {};
  const compared: number[] = [];
  for (const i of [0, 1, 2, 3] as const) {
    const allowed = rtmrRefs[i];
    if (!allowed) continue;
    const range = L[`rtmr${i}`];
    if (!allowed.some((m) => bytesEqual(m, q.body.rtmrs[i]))) {
      return fail(
        `RTMR${i} ${hex(q.body.rtmrs[i])} (${span(range)}) matches none of the ${allowed.length} reference value(s)`,
        range,
        `RTMR${i}`,
      );
    }
    compared.push(i);
  }
  const what = ['MRTD', ...compared.map((i) => `RTMR${i}`)].join(', ');
  const missing = [0, 1, 2, 3].filter((i) => !compared.includes(i)).map((i) => `RTMR${i}`);
  // Approved boot *and* runtime only when every register is appraised: MRTD covers the firmware image,
  // RTMR0–2 its configuration, kernel and command line, RTMR3 what the running TD extended.
  const reason = missing.length
    ? `${what} ${compared.length ? 'match' : 'matches'} the reference values; not appraised: ${missing.join(', ')}`
    : `${what} match the reference values (firmware, kernel, command line and runtime)`;
  const runtime = missing.length === 0;
  return {
    check: { check: 'measurement', ok: true, reason, range: L.mrTd, field: 'MRTD' },
    claim: claim('executables', runtime ? E.approvedBootAndRuntime : E.approvedBoot, reason, L.mrTd, 'MRTD'),
  };
}

/** Appraises the bytes of a TDX quote v4 against `policy`; never throws for bad evidence, only for a bad policy. */
export function appraiseTdxQuote(bytes: Uint8Array, policy: TdxPolicy): AttestationResult {
  checkPolicyShape(policy);
  const done = (claims: ClaimResult[], checks: CheckOutcome[]) =>
    makeResult({
      submod: TDX_SUBMOD,
      policyId: policy.id,
      claims: claims.sort(byClaimOrder),
      checks,
      ...(policy.iat !== undefined ? { iat: policy.iat } : {}),
      ...(policy.nonce ? { nonceHex: hex(policy.nonce) } : {}),
    });

  let q: TdxQuote;
  let chain: PckCertificate[];
  try {
    q = decodeTdxQuote(bytes, { extraBytes: policy.allowExtraBytes ? 'keep' : 'refuse' });
    chain = readPckChain(q);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const failure = parseFailure(e, 'not a well-formed TDX quote v4');
    return done(failure.claims, failure.checks);
  }
  const R = tdxQuoteRanges(q);
  const extra = q.extraBytes.length
    ? `; ${q.extraBytes.length} unsigned trailing bytes ignored (allowed by the policy)`
    : '';
  const checks: CheckOutcome[] = [
    {
      check: 'parse',
      ok: true,
      reason: `TDX quote v4, ${bytes.length} bytes, ${chain.length} PCK chain certificate(s)${extra}`,
      range: [0, bytes.length],
    },
  ];
  const claims: ClaimResult[] = [];

  const signature = signatureCheck(bytes, q, chain);
  checks.push(signature);

  const chainResult = verifyChain(
    chain.map((c) => c.certificate),
    policy.trustedRoots,
    policy.at,
  );
  const cn = (subject: string) => /CN=([^,]*)/.exec(subject)?.[1] ?? subject;
  const chainReason = chainResult.ok
    ? `${chain.map((c) => cn(c.certificate.subject)).join(' → ')}: each signed by the next, root pinned`
    : chainResult.steps
        .filter((s) => !s.ok)
        .map((s) => `${cn(s.subject)}: ${s.reason}`)
        .join('; ');
  checks.push({
    check: 'chain',
    ok: chainResult.ok,
    reason: chainReason,
    range: R.pckChain,
    field: 'PCK certificate chain',
  });

  const endorsed = signature.ok && chainResult.ok;
  claims.push(
    endorsed
      ? claim(
          'instance-identity',
          AR4SI.instanceIdentity.recognized,
          `attestation key vouched for by a QE whose PCK certificate chains to the pinned root '${chain[chain.length - 1].certificate.subject}'`,
          R.attestationKey,
          'attestation key',
        )
      : claim(
          'instance-identity',
          AR4SI.cryptoValidationFailed,
          signature.ok ? `chain: ${chainReason}` : `signature: ${signature.reason}`,
          signature.ok ? R.pckChain : signature.range,
          signature.ok ? 'PCK certificate chain' : signature.field,
        ),
  );

  checks.push(freshnessCheck(q, policy.nonce));

  const tcb = tcbCheck(q, policy, endorsed);
  checks.push(tcb.check);
  claims.push(tcb.claim);

  const config = policyCheck(q, policy);
  checks.push(config.check);
  claims.push(config.claim);

  const measured = measurementCheck(q, policy);
  checks.push(measured.check);
  claims.push(measured.claim);

  const platform =
    'TDX (TEE type 0x81): TD private memory is encrypted with a per-TD key the host never holds';
  checks.push({ check: 'platform', ok: true, reason: platform, range: R.teeType, field: 'TEE type' });
  claims.push(claim('runtime-opaque', AR4SI.runtimeOpaque.encrypted, platform, R.teeType, 'TEE type'));

  return done(claims, checks);
}
