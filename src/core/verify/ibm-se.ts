/**
 * Appraisal of an IBM Secure Execution attestation response. The evidence carries no signature: the
 * verifier recomputes HMAC-SHA512 with the measurement key it sealed into its ARCB, over the image
 * digests it expects (PLD/ALD/TLD/tag of the image it built), the reported config UID and data, and
 * its own nonce. A match proves at once that a genuine UV holding a trusted host key opened the ARCB
 * (identity), that the guest runs exactly that image (measurement) and that the answer is fresh. A
 * mismatch cannot say which of these failed, and the reasons say so.
 *
 * Checks, in the order of CHECKS: parse → signature (the HMAC) → chain (the host-key documents the
 * verifier trusted when it built the ARCB: outside this evidence) → freshness (nonce inside the HMAC)
 * → TCB (none: IBM-managed firmware) → policy (config UID) → measurement (image digests, inside the
 * HMAC) → platform class.
 */
import { constantTimeEqual, toHex } from '../crypto/bytes';
import { FormatError } from '../errors';
import { decodeSeResponse, SE_RESPONSE_LAYOUT, seMeasurement, type SeImageDigests } from '../evidence/ibm-se';
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

export const IBM_SE_SUBMOD = 'ibm-se';

export interface IbmSePolicy extends BasePolicy {
  /** `trustedRoots` is unused here: the host-key documents were checked when the ARCB was built. */
  /** The measurement key the verifier sealed into its ARCB (64 bytes). `nonce` is the ARCB's nonce. */
  measurementKey: Uint8Array;
  /** The SE header digests of the image the verifier built (its reference values). */
  image: SeImageDigests;
  /** Expected config UID, when the verifier knows the instance; absent = not constrained. */
  configUid?: Uint8Array;
}

/** Appraises `bytes` (the UV's response) under `policy`; never throws for bad evidence. */
export function appraiseIbmSe(bytes: Uint8Array, policy: IbmSePolicy): AttestationResult {
  const done = (claims: ClaimResult[], checks: CheckOutcome[]) =>
    makeResult({
      submod: IBM_SE_SUBMOD,
      policyId: policy.id,
      claims: claims.sort(byClaimOrder),
      checks,
      iat: policy.iat,
      nonceHex: policy.nonce ? toHex(policy.nonce) : undefined,
    });
  let response: ReturnType<typeof decodeSeResponse>;
  try {
    response = decodeSeResponse(bytes);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const failure = parseFailure(e, 'not an SE attestation response');
    return done(failure.claims, failure.checks);
  }
  const L = SE_RESPONSE_LAYOUT;
  const checks: CheckOutcome[] = [
    {
      check: 'parse',
      ok: true,
      reason: `SE attestation response: ${response.userData.length} bytes of user data, ${response.additionalData.length} of additional data`,
      range: [0, bytes.length],
    },
  ];
  const claims: ClaimResult[] = [];

  let expected: Uint8Array | undefined;
  try {
    expected = seMeasurement(policy.measurementKey, {
      ...policy.image,
      configUid: response.configUid,
      userData: response.userData,
      ...(policy.nonce ? { nonce: policy.nonce } : {}),
      additionalData: response.additionalData,
    });
  } catch (e) {
    // A policy with a malformed key or image is the caller's error, not the evidence's.
    throw new RangeError(`policy: ${(e as Error).message}`);
  }
  const macOk = constantTimeEqual(expected, response.measurement);
  const undecided =
    'the HMAC cannot tell which: a different image, a different nonce, altered data, or a UV that never opened this ARCB';
  checks.push({
    check: 'signature',
    ok: macOk,
    reason: macOk
      ? 'HMAC-SHA512 with the verifier’s measurement key matches: only a UV that opened the ARCB could compute it'
      : `HMAC-SHA512 does not match; ${undecided}`,
    range: L.measurement,
    field: 'measurement',
  });
  checks.push({
    check: 'chain',
    ok: true,
    reason:
      'host key trusted when the ARCB was built (its host-key document, IBM-signed and chained to DigiCert, is checked there, not in this evidence)',
  });
  claims.push(
    macOk
      ? claim(
          'instance-identity',
          AR4SI.instanceIdentity.recognized,
          'a UV holding a host key the verifier encrypted its ARCB to',
          L.measurement,
          'measurement',
        )
      : claim(
          'instance-identity',
          AR4SI.cryptoValidationFailed,
          `measurement HMAC mismatch; ${undecided}`,
          L.measurement,
          'measurement',
        ),
  );

  checks.push(
    policy.nonce
      ? {
          check: 'freshness',
          ok: macOk,
          reason: macOk
            ? 'the nonce from the ARCB is inside the matching HMAC'
            : 'the nonce is bound only inside the HMAC, which does not match',
          range: L.measurement,
          field: 'measurement',
        }
      : {
          check: 'freshness',
          ok: true,
          reason: 'the ARCB requested no nonce, so a replayed response would not be noticed',
        },
  );

  checks.push({
    check: 'tcb',
    ok: true,
    reason: 'SE evidence carries no firmware version; the UV and firmware are IBM-managed',
  });
  claims.push(
    macOk
      ? claim(
          'hardware',
          AR4SI.hardware.genuine,
          'only a genuine UV can open an ARCB sealed to its host key',
          L.measurement,
          'measurement',
        )
      : claim(
          'hardware',
          AR4SI.hardware.unrecognized,
          'no proof that a UV produced this response',
          L.measurement,
          'measurement',
        ),
  );

  const uidOk = !policy.configUid || constantTimeEqual(policy.configUid, response.configUid);
  checks.push({
    check: 'policy',
    ok: uidOk,
    reason: !policy.configUid
      ? 'config UID not constrained by the policy'
      : uidOk
        ? 'config UID is the expected instance'
        : `config UID ${toHex(response.configUid)} is not the expected instance`,
    range: L.configUid,
    field: 'configUid',
  });
  claims.push(
    claim(
      'configuration',
      !uidOk
        ? AR4SI.configuration.unsupportable
        : policy.configUid
          ? AR4SI.configuration.approved
          : AR4SI.configuration.noKnownVulns,
      uidOk ? 'SE guest configuration as expected' : 'unexpected guest instance',
      L.configUid,
      'configUid',
    ),
  );

  checks.push({
    check: 'measurement',
    ok: macOk,
    reason: macOk
      ? 'the image’s PLD, ALD, TLD and SE header tag are exactly the ones the verifier built (inside the HMAC)'
      : `image digests unconfirmed; ${undecided}`,
    range: L.measurement,
    field: 'measurement',
  });
  claims.push(
    macOk
      ? claim(
          'executables',
          AR4SI.executables.approvedBoot,
          'the encrypted image the verifier built, checked by the UV before start',
          L.measurement,
          'measurement',
        )
      : claim(
          'executables',
          AR4SI.executables.unrecognized,
          'image not confirmed',
          L.measurement,
          'measurement',
        ),
  );

  const platformClass =
    'IBM Secure Execution: guest memory guarded by the Ultravisor (isolated; paged-out pages encrypted)';
  checks.push({ check: 'platform', ok: true, reason: platformClass });
  claims.push(claim('runtime-opaque', AR4SI.runtimeOpaque.isolated, platformClass));
  return done(claims, checks);
}
