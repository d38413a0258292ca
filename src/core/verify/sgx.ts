/**
 * Appraisal of an Intel SGX ECDSA quote v3, in the order of CHECKS: parse → signature (attestation
 * key over header ‖ report body; PCK over the QE report; QE REPORTDATA binding the attestation key) →
 * chain (PCK → Platform CA → pinned Intel SGX Root CA) → freshness (REPORTDATA) → TCB (CPUSVN floor)
 * → policy (ATTRIBUTES.DEBUG) → measurement (MRENCLAVE, or MRSIGNER + ISVPRODID, and ISVSVN floor)
 * → platform class.
 *
 * Not appraised (say so to a user): Intel's TCB Info, QE Identity and CRLs from Intel PCS, which a
 * production verifier needs to know whether a CPUSVN is up to date; our TCB check is a policy floor.
 */
import { bytesEqual, concatBytes, constantTimeEqual, fromUtf8, toHex } from '../crypto/bytes';
import { verify as ecdsaVerify } from '../crypto/ecdsa';
import { FormatError } from '../errors';
import {
  decodeSgxQuote,
  isDebug,
  qeReportDataBinding,
  SGX_PCK_CHAIN_PEM,
  SGX_QUOTE_LAYOUT,
  sgxQuoteRanges,
  type ByteRange,
  type SgxQuote,
} from '../evidence/sgx-quote';
import { parseCertificate, pemToDer, verifyChain, type Certificate } from '../evidence/x509';
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

export const SGX_SUBMOD = 'sgx';

export interface SgxPolicy extends BasePolicy {
  /** `referenceMeasurements` (BasePolicy) are the allowed MRENCLAVEs (32 bytes). */
  /** Allowed MRSIGNERs: any enclave these signers built is approved (with `isvProdId`, if given). */
  referenceSigners?: readonly Uint8Array[];
  isvProdId?: number;
  /** Enclaves below this ISVSVN have known vulnerabilities (executables 32). */
  minIsvSvn?: number;
  /** CPUSVN floor, compared byte by byte (each byte is one component's SVN). */
  minCpuSvn?: Uint8Array;
  /**
   * The exact REPORTDATA expected (64 bytes), e.g. SHA-512(nonce ‖ TEE public key). Absent: the nonce,
   * zero-padded to 64 bytes, as the simulation's enclaves put it.
   */
  reportData?: Uint8Array;
}

const L = SGX_QUOTE_LAYOUT;
const hex = (b: Uint8Array) => toHex(b);

function readChain(q: SgxQuote): Certificate[] {
  const [start] = sgxQuoteRanges(q).certificationData;
  if (q.certificationDataType !== SGX_PCK_CHAIN_PEM) {
    throw new FormatError(
      'sgx-quote',
      'certificationDataType',
      start - 6,
      `type ${q.certificationDataType}, expected 5 (PCK certificate chain)`,
    );
  }
  let ders: Uint8Array[];
  try {
    ders = pemToDer(fromUtf8(q.certificationData));
  } catch (e) {
    throw new FormatError('sgx-quote', 'certificationData', start, `not PEM text (${(e as Error).message})`);
  }
  if (ders.length === 0) throw new FormatError('sgx-quote', 'certificationData', start, 'no PEM certificate');
  return ders.map((der, i) => {
    try {
      return parseCertificate(der);
    } catch (e) {
      throw new FormatError('sgx-quote', `PCK chain certificate ${i + 1}`, start, (e as Error).message);
    }
  });
}

/** Appraises `bytes` (an SGX quote v3) under `policy`; never throws for bad evidence. */
export function appraiseSgx(bytes: Uint8Array, policy: SgxPolicy): AttestationResult {
  const done = (claims: ClaimResult[], checks: CheckOutcome[]) =>
    makeResult({
      submod: SGX_SUBMOD,
      policyId: policy.id,
      claims: claims.sort(byClaimOrder),
      checks,
      iat: policy.iat,
      nonceHex: policy.nonce ? hex(policy.nonce) : undefined,
    });
  let q: SgxQuote;
  let chain: Certificate[];
  try {
    q = decodeSgxQuote(bytes);
    chain = readChain(q);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const failure = parseFailure(e, 'not an SGX quote v3');
    return done(failure.claims, failure.checks);
  }
  const R = sgxQuoteRanges(q);
  const checks: CheckOutcome[] = [
    {
      check: 'parse',
      ok: true,
      reason: `SGX quote v3, ${bytes.length} bytes, ${chain.length} PCK chain certificates`,
      range: [0, bytes.length],
    },
  ];
  const claims: ClaimResult[] = [];

  // Signature: three links from the enclave's report to the PCK key.
  const problems: { reason: string; range: ByteRange; field: string }[] = [];
  const attestationKey = concatBytes(Uint8Array.of(0x04), q.attestationKey);
  if (!ecdsaVerify('p256', q.signature, bytes.subarray(...L.signed), attestationKey)) {
    problems.push({
      field: 'signature',
      range: L.signature,
      reason: "the attestation key's signature over header ‖ report body does not verify",
    });
  }
  if (!bytesEqual(qeReportDataBinding(q.attestationKey, q.qeAuthData), q.qeReport.reportData)) {
    problems.push({
      field: 'qeReport.REPORTDATA',
      range: R.qeReportData,
      reason:
        'QE REPORTDATA is not SHA-256(attestation key ‖ QE auth data): the QE did not vouch for this key',
    });
  }
  const pck = chain[0].publicKey;
  if (
    pck.kind !== 'ec' ||
    pck.curve !== 'p256' ||
    !ecdsaVerify('p256', q.qeReportSignature, bytes.subarray(...L.qeReport), pck.point)
  ) {
    problems.push({
      field: 'qeReportSignature',
      range: L.qeReportSignature,
      reason: "the PCK key's signature over the QE report does not verify",
    });
  }
  const signatureOk = problems.length === 0;
  checks.push(
    signatureOk
      ? {
          check: 'signature',
          ok: true,
          reason: 'attestation key signs the quote; the QE vouches for it; the PCK key signs the QE report',
          range: L.signature,
          field: 'signature',
        }
      : {
          check: 'signature',
          ok: false,
          reason: problems.map((p) => p.reason).join('; '),
          range: problems[0].range,
          field: problems[0].field,
        },
  );

  const chainResult = verifyChain(chain, policy.trustedRoots, policy.at);
  const cn = (s: string) => /CN=([^,]*)/.exec(s)?.[1] ?? s;
  const chainReason = chainResult.ok
    ? `${chain.map((c) => cn(c.subject)).join(' → ')}: each signed by the next, root pinned`
    : chainResult.steps
        .filter((s) => !s.ok)
        .map((s) => `${cn(s.subject)}: ${s.reason}`)
        .join('; ');
  checks.push({
    check: 'chain',
    ok: chainResult.ok,
    reason: chainReason,
    range: R.certificationData,
    field: 'PCK certificate chain',
  });
  const endorsed = signatureOk && chainResult.ok;
  const rootPinned = policy.trustedRoots.some((r) => bytesEqual(r.der, chain[chain.length - 1].der));
  claims.push(
    endorsed
      ? claim(
          'instance-identity',
          AR4SI.instanceIdentity.recognized,
          'attestation key vouched for by a QE on a platform whose PCK chains to the pinned root',
          L.attestationKey,
          'attestation key',
        )
      : signatureOk && !rootPinned && chainResult.steps.filter((s) => !s.ok).length === 1
        ? claim(
            'instance-identity',
            AR4SI.instanceIdentity.unrecognized,
            `the PCK chain ends in '${cn(chain[chain.length - 1].subject)}', not a pinned root`,
            R.certificationData,
            'PCK certificate chain',
          )
        : claim(
            'instance-identity',
            AR4SI.cryptoValidationFailed,
            signatureOk ? `chain: ${chainReason}` : checks[1].reason,
            signatureOk ? R.certificationData : problems[0].range,
            signatureOk ? 'PCK certificate chain' : problems[0].field,
          ),
  );

  // Freshness: the verifier's nonce travels in REPORTDATA, which the attestation key signs.
  const expected =
    policy.reportData ??
    (policy.nonce
      ? concatBytes(policy.nonce, new Uint8Array(Math.max(0, 64 - policy.nonce.length)))
      : undefined);
  if (expected) {
    const ok = expected.length === 64 && constantTimeEqual(expected, q.body.reportData);
    checks.push({
      check: 'freshness',
      ok,
      reason: ok
        ? 'REPORTDATA holds the value the verifier expects (its nonce)'
        : `REPORTDATA ${hex(q.body.reportData.subarray(0, 16))}… is not what the verifier expects (possible replay)`,
      range: L.reportData,
      field: 'REPORTDATA',
    });
  } else {
    checks.push({
      check: 'freshness',
      ok: true,
      reason: 'the policy issues no nonce, so a replayed quote would not be noticed',
      range: L.reportData,
      field: 'REPORTDATA',
    });
  }

  // TCB: CPUSVN against the policy's floor (Intel's TCB Info would say which levels are current).
  const min = policy.minCpuSvn;
  const lowComponent = min ? [...q.body.cpuSvn].findIndex((v, i) => v < (min[i] ?? 0)) : -1;
  const tcbOk = lowComponent < 0;
  checks.push({
    check: 'tcb',
    ok: tcbOk,
    reason: !min
      ? 'no CPUSVN floor in the policy (TCB Info not appraised)'
      : tcbOk
        ? 'CPUSVN meets the policy floor in every component'
        : `CPUSVN component ${lowComponent} is ${q.body.cpuSvn[lowComponent]}, below the floor ${min[lowComponent]}`,
    range: L.cpuSvn,
    field: 'CPUSVN',
  });
  claims.push(
    !endorsed
      ? claim(
          'hardware',
          AR4SI.hardware.unrecognized,
          'the quote is not endorsed by a pinned Intel root',
          R.certificationData,
          'PCK certificate chain',
        )
      : tcbOk
        ? claim(
            'hardware',
            AR4SI.hardware.genuine,
            'an Intel CPU certified by the pinned root, CPUSVN at or above the floor',
            L.cpuSvn,
            'CPUSVN',
          )
        : claim(
            'hardware',
            AR4SI.hardware.unsafe,
            'CPUSVN below the floor: microcode or platform TCB out of date',
            L.cpuSvn,
            'CPUSVN',
          ),
  );

  // Policy: a debug enclave's memory is open to EDBGRD from the host.
  const debug = isDebug(q.body);
  const debugOk = !debug || policy.allowDebug === true;
  const flags = `ATTRIBUTES.FLAGS 0x${q.body.flags.toString(16)}`;
  checks.push({
    check: 'policy',
    ok: debugOk,
    reason: !debug
      ? `${flags}: debug off`
      : debugOk
        ? `${flags}: DEBUG set, allowed by the policy`
        : `${flags}: DEBUG (bit 1) set: the host can read enclave memory with EDBGRD; the policy refuses debug enclaves`,
    range: L.attributes,
    field: 'ATTRIBUTES',
  });
  claims.push(
    claim(
      'configuration',
      !debug
        ? AR4SI.configuration.approved
        : debugOk
          ? AR4SI.configuration.knownVulns
          : AR4SI.configuration.unsupportable,
      !debug
        ? 'production enclave (debug off)'
        : debugOk
          ? 'debug enclave allowed by policy'
          : 'debug enclave refused',
      L.attributes,
      'ATTRIBUTES',
    ),
  );

  // Measurement: MRENCLAVE, or an approved signer's product; then the ISVSVN floor.
  const byEnclave = (policy.referenceMeasurements ?? []).some((m) => bytesEqual(m, q.body.mrEnclave));
  const bySigner =
    (policy.referenceSigners ?? []).some((m) => bytesEqual(m, q.body.mrSigner)) &&
    (policy.isvProdId === undefined || policy.isvProdId === q.body.isvProdId);
  const stale = policy.minIsvSvn !== undefined && q.body.isvSvn < policy.minIsvSvn;
  const approved = (byEnclave || bySigner) && !stale;
  const measurementReason =
    byEnclave || bySigner
      ? stale
        ? `ISVSVN ${q.body.isvSvn} is below the policy's minimum ${policy.minIsvSvn}`
        : byEnclave
          ? `MRENCLAVE ${hex(q.body.mrEnclave)} is a reference value`
          : `MRSIGNER ${hex(q.body.mrSigner)} is an approved signer (ISVPRODID ${q.body.isvProdId})`
      : `MRENCLAVE ${hex(q.body.mrEnclave)} and MRSIGNER match no reference value`;
  const mRange = stale ? L.isvSvn : byEnclave || !bySigner ? L.mrEnclave : L.mrSigner;
  const mField = stale ? 'ISVSVN' : byEnclave || !bySigner ? 'MRENCLAVE' : 'MRSIGNER';
  checks.push({
    check: 'measurement',
    ok: approved,
    reason: measurementReason,
    range: mRange,
    field: mField,
  });
  claims.push(
    claim(
      'executables',
      approved
        ? AR4SI.executables.approvedBootAndRuntime
        : stale
          ? AR4SI.executables.knownVulns
          : AR4SI.executables.unrecognized,
      measurementReason,
      mRange,
      mField,
    ),
  );

  const platform =
    'SGX enclave: EPC pages encrypted by the memory encryption engine, inaccessible outside the enclave';
  checks.push({ check: 'platform', ok: true, reason: platform });
  claims.push(claim('runtime-opaque', AR4SI.runtimeOpaque.encrypted, platform));
  return done(claims, checks);
}
