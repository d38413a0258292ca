/**
 * Appraisal of a TPM 2.0 quote, in the order of CHECKS: parse → signature (the AK signs TPMS_ATTEST)
 * → chain (AK certificate → pinned AK CA) → freshness (extraData = nonce) → measurement (the PCR
 * values supplied, e.g. replayed from the event log, reproduce the quoted pcrDigest; then they match
 * the reference values). A TPM quote carries no TCB floor and no debug state, so those checks say
 * "not applicable" and make no claim — which is itself a lesson: a vTPM whose keys sit in the host
 * can quote anything, and only the AK's provenance says otherwise.
 */
import { bytesEqual, toHex } from '../crypto/bytes';
import { fieldBytes, verify as ecdsaVerify, type Curve } from '../crypto/ecdsa';
import { digestSize, type HashAlg } from '../crypto/hash';
import { rsaPkcs1Verify, rsaPssVerify } from '../crypto/rsa';
import { FormatError } from '../errors';
import {
  decodeTpmsAttest,
  decodeTpmtSignature,
  MissingPcrError,
  pcrDigest,
  TPM_ALG,
  tpmHashAlg,
  tpmsAttestRanges,
  type ByteRange,
  type PcrValues,
  type TpmsAttestQuote,
  type TpmtSignature,
} from '../evidence/tpm-quote';
import { verifyChain, type Certificate } from '../evidence/x509';
import {
  AR4SI,
  claim,
  makeResult,
  type AttestationResult,
  type CheckOutcome,
  type ClaimResult,
  parseFailure,
} from './ear';
import type { BasePolicy } from './policy';

export interface TpmEvidence {
  /** TPMS_ATTEST bytes, exactly as signed. */
  attest: Uint8Array;
  /** TPMT_SIGNATURE bytes. */
  signature: Uint8Array;
  /** AK certificate first, then its issuers up to a root. */
  akChain: Certificate[];
  /** The PCR values the verifier believes in, e.g. from replaying the event log. */
  pcrs: PcrValues;
}

/** Allowed values per bank and PCR. */
export type ReferencePcrs = Partial<Record<HashAlg, Readonly<Record<number, readonly Uint8Array[]>>>>;

export interface TpmPolicy extends BasePolicy {
  /** Every PCR named here must be quoted and hold one of its allowed values; absent = executables 33. */
  referencePcrs?: ReferencePcrs;
}

export const TPM_SUBMOD = 'tpm';

const hex = toHex;

function rangeOf(ranges: Record<string, ByteRange>, field: string): ByteRange {
  return ranges[field] ?? [0, 0];
}

function signatureCheck(attest: Uint8Array, sig: TpmtSignature, ak: Certificate | undefined): CheckOutcome {
  const base = { check: 'signature' as const, field: 'TPMT_SIGNATURE' };
  const fail = (reason: string): CheckOutcome => ({ ...base, ok: false, reason });
  const hash = tpmHashAlg(sig.hash);
  if (!ak) return fail('no AK certificate was supplied, so there is no key to check the signature with');
  if (!hash) return fail(`signature hash 0x${sig.hash.toString(16)} is not a known algorithm`);
  if (hash === 'sha1') return fail('SHA-1 quote signatures are not accepted');
  const key = ak.publicKey;
  let ok: boolean;
  if (sig.sigAlg === TPM_ALG.ecdsa) {
    if (key.kind !== 'ec') return fail('the signature is ECDSA but the AK certificate holds an RSA key');
    ok = ecdsaVerify(key.curve, rawSignature(key.curve, sig.r, sig.s), attest, key.point, { hash });
  } else {
    if (key.kind !== 'rsa') return fail('the signature is RSA but the AK certificate holds an EC key');
    ok =
      sig.sigAlg === TPM_ALG.rsassa
        ? rsaPkcs1Verify(hash, key.key, attest, sig.sig)
        : rsaPssVerify(hash, key.key, attest, sig.sig, digestSize(hash));
  }
  return ok
    ? { ...base, ok: true, reason: `the AK '${ak.subject}' signs the TPMS_ATTEST bytes` }
    : fail(`the TPMT_SIGNATURE does not verify over the TPMS_ATTEST bytes with the AK '${ak.subject}'`);
}

/** TPM2B_ECC_PARAMETERs may drop leading zeros; r‖s for the verifier needs each at the field length. */
function rawSignature(curve: Curve, r: Uint8Array, s: Uint8Array): Uint8Array {
  const n = fieldBytes(curve);
  if (r.length > n || s.length > n) return new Uint8Array(0); // cannot verify: reported as a bad signature
  const out = new Uint8Array(2 * n);
  out.set(r, n - r.length);
  out.set(s, 2 * n - s.length);
  return out;
}

function measurementCheck(
  a: TpmsAttestQuote,
  sig: TpmtSignature,
  evidence: TpmEvidence,
  policy: TpmPolicy,
  ranges: Record<string, ByteRange>,
): { check: CheckOutcome; claim: ClaimResult } {
  const E = AR4SI.executables;
  const digestRange = rangeOf(ranges, 'pcrDigest');
  const fail = (reason: string, range: ByteRange, field: string) => ({
    check: { check: 'measurement' as const, ok: false, reason, range, field },
    claim: claim('executables', E.unrecognized, reason, range, field),
  });
  const hash = tpmHashAlg(sig.hash);
  if (!hash)
    return fail(
      'the signing scheme names no known hash, so pcrDigest cannot be recomputed',
      digestRange,
      'pcrDigest',
    );
  let computed: Uint8Array;
  try {
    computed = pcrDigest(hash, a.pcrSelect, evidence.pcrs);
  } catch (e) {
    if (e instanceof MissingPcrError) return fail(e.message, rangeOf(ranges, 'pcrSelect'), 'pcrSelect');
    throw e;
  }
  if (!bytesEqual(computed, a.pcrDigest)) {
    return fail(
      `the supplied PCR values give pcrDigest ${hex(computed)}, the TPM quoted ${hex(a.pcrDigest)}: the event log does not describe what the TPM measured`,
      digestRange,
      'pcrDigest',
    );
  }
  const refs = policy.referencePcrs ?? {};
  const banks = Object.entries(refs) as [HashAlg, Readonly<Record<number, readonly Uint8Array[]>>][];
  if (banks.every(([, pcrs]) => Object.keys(pcrs).length === 0)) {
    return fail(
      'the quoted PCRs are consistent with the supplied values, but the policy has no reference PCR values',
      digestRange,
      'pcrDigest',
    );
  }
  const compared: string[] = [];
  for (const [bank, pcrs] of banks) {
    const sel = a.pcrSelect.find((s) => tpmHashAlg(s.hash) === bank);
    for (const [index, allowed] of Object.entries(pcrs)) {
      const pcr = Number(index);
      if (!sel?.pcrs.includes(pcr)) {
        return fail(
          `PCR ${pcr} (${bank}) has reference values but the quote does not select it`,
          rangeOf(ranges, 'pcrSelect'),
          'pcrSelect',
        );
      }
      const value = evidence.pcrs[bank]?.[pcr];
      if (!value || !allowed.some((m) => bytesEqual(m, value))) {
        return fail(
          `PCR ${pcr} (${bank}) = ${value ? hex(value) : '(none)'} matches none of its ${allowed.length} reference value(s)`,
          digestRange,
          'pcrDigest',
        );
      }
      compared.push(`${bank}:${pcr}`);
    }
  }
  const reason = `the supplied PCR values reproduce the quoted pcrDigest, and ${compared.join(', ')} match the reference values (boot measurements)`;
  return {
    check: { check: 'measurement', ok: true, reason, range: digestRange, field: 'pcrDigest' },
    claim: claim('executables', E.approvedBoot, reason, digestRange, 'pcrDigest'),
  };
}

/** Appraises a TPM quote; never throws for bad evidence, only for a malformed policy or arguments. */
export function appraiseTpmQuote(evidence: TpmEvidence, policy: TpmPolicy): AttestationResult {
  const done = (claims: ClaimResult[], checks: CheckOutcome[]) =>
    makeResult({
      submod: TPM_SUBMOD,
      policyId: policy.id,
      claims,
      checks,
      ...(policy.iat !== undefined ? { iat: policy.iat } : {}),
      ...(policy.nonce ? { nonceHex: hex(policy.nonce) } : {}),
    });
  let a: TpmsAttestQuote;
  let sig: TpmtSignature;
  try {
    a = decodeTpmsAttest(evidence.attest);
    sig = decodeTpmtSignature(evidence.signature);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const failure = parseFailure(e, 'not a well-formed TPM quote');
    return done(failure.claims, failure.checks);
  }
  const ranges = tpmsAttestRanges(a);
  const checks: CheckOutcome[] = [
    {
      check: 'parse',
      ok: true,
      reason: `TPMS_ATTEST quote (${evidence.attest.length} bytes) selecting ${a.pcrSelect.map((s) => `${tpmHashAlg(s.hash) ?? `0x${s.hash.toString(16)}`}:${s.pcrs.join(',')}`).join('; ')}`,
      range: [0, evidence.attest.length],
    },
  ];
  const claims: ClaimResult[] = [];

  const signature = signatureCheck(evidence.attest, sig, evidence.akChain[0]);
  checks.push(signature);

  const chain = verifyChain(evidence.akChain, policy.trustedRoots, policy.at);
  const chainReason = chain.ok
    ? `${evidence.akChain.map((c) => c.subject).join(' → ')}: each signed by the next, root pinned`
    : chain.steps
        .filter((s) => !s.ok)
        .map((s) => `${s.subject}: ${s.reason}`)
        .join('; ');
  checks.push({ check: 'chain', ok: chain.ok, reason: chainReason, field: 'AK certificate chain' });
  claims.push(
    signature.ok && chain.ok
      ? claim(
          'instance-identity',
          AR4SI.instanceIdentity.recognized,
          `quote signed by an AK certified by the pinned root '${evidence.akChain[evidence.akChain.length - 1].subject}'`,
          rangeOf(ranges, 'qualifiedSigner'),
          'qualifiedSigner',
        )
      : claim(
          'instance-identity',
          AR4SI.cryptoValidationFailed,
          signature.ok ? `chain: ${chainReason}` : `signature: ${signature.reason}`,
        ),
  );

  const extra = rangeOf(ranges, 'extraData');
  if (!policy.nonce) {
    checks.push({
      check: 'freshness',
      ok: true,
      reason: 'no nonce was issued, so freshness is not established: this quote could be a replay',
      range: extra,
      field: 'extraData',
    });
  } else if (!bytesEqual(policy.nonce, a.extraData)) {
    checks.push({
      check: 'freshness',
      ok: false,
      reason: `extraData is ${hex(a.extraData) || '(empty)'}, not the issued nonce ${hex(policy.nonce)}: stale or replayed evidence`,
      range: extra,
      field: 'extraData',
    });
  } else {
    checks.push({
      check: 'freshness',
      ok: true,
      reason: `extraData holds the issued nonce ${hex(policy.nonce)}`,
      range: extra,
      field: 'extraData',
    });
  }

  const fw = rangeOf(ranges, 'firmwareVersion');
  checks.push({
    check: 'tcb',
    ok: true,
    reason: `not applicable: a TPM quote reports firmwareVersion 0x${a.firmwareVersion.toString(16)} but carries no TCB to hold to a floor`,
    range: fw,
    field: 'firmwareVersion',
  });
  checks.push({
    check: 'policy',
    ok: true,
    reason: 'not applicable: a TPM quote carries no debug or migration state',
  });

  const measured = measurementCheck(a, sig, evidence, policy, ranges);
  checks.push(measured.check);
  claims.push(measured.claim);

  checks.push({
    check: 'platform',
    ok: true,
    reason: 'a TPM quote says nothing about memory confidentiality: no runtime-opaque claim',
  });
  return done(claims, checks);
}
