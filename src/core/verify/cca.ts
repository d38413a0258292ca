/**
 * Appraisal of an Arm CCA attestation token, in the order of CHECKS: parse → signature (realm token by
 * the RAK it carries; platform token by an endorsed CPAK; platform challenge = H(RAK public key), the
 * link that makes the pair one piece of evidence) → chain (the CPAK that signed is the one endorsed for
 * this instance ID) → freshness (realm challenge) → TCB (platform firmware components) → policy
 * (lifecycle state: secured, or a debug state) → measurement (RIM, REMs, personalization value) →
 * platform class.
 *
 * CCA has no X.509 chain in the token: a verifier learns CPAKs from its endorsement store (in
 * Veraison, CoRIM from the silicon vendor). Here `cpakPublicKeys` is that store.
 */
import { bytesEqual, concatBytes, constantTimeEqual, toHex } from '../crypto/bytes';
import { FormatError } from '../errors';
import {
  ccaInstanceId,
  ccaLifecycleState,
  ccaRakBinding,
  decodeCcaToken,
  type CcaToken,
} from '../evidence/cca-token';
import { verifyEs384, type ByteRange } from '../evidence/nitro-document';
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

export const CCA_SUBMOD = 'cca';

export interface CcaPolicy extends BasePolicy {
  /** `trustedRoots` is unused: CCA platforms are endorsed by key. `referenceMeasurements` = allowed RIMs. */
  /** Endorsed CPAK public keys (uncompressed P-384 points). */
  cpakPublicKeys: readonly Uint8Array[];
  /** Allowed REM0–3 values; listed REMs must match (then executables covers runtime too). */
  referenceRems?: Partial<Record<0 | 1 | 2 | 3, readonly Uint8Array[]>>;
  /** Expected Realm Personalization Value (64 bytes). */
  personalizationValue?: Uint8Array;
  /** Allowed firmware component measurements (the platform TCB); absent = not appraised. */
  referenceSwComponents?: readonly Uint8Array[];
}

const hex = (b: Uint8Array) => toHex(b);

/** Appraises `bytes` (a CCA token, tag 399) under `policy`; never throws for bad evidence. */
export function appraiseCca(bytes: Uint8Array, policy: CcaPolicy): AttestationResult {
  const done = (claims: ClaimResult[], checks: CheckOutcome[]) =>
    makeResult({
      submod: CCA_SUBMOD,
      policyId: policy.id,
      claims: claims.sort(byClaimOrder),
      checks,
      iat: policy.iat,
      nonceHex: policy.nonce ? hex(policy.nonce) : undefined,
    });
  let t: CcaToken;
  try {
    t = decodeCcaToken(bytes);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const failure = parseFailure(e, 'not a CCA token');
    return done(failure.claims, failure.checks);
  }
  const { realm, platform, layout } = t;
  const checks: CheckOutcome[] = [
    {
      check: 'parse',
      ok: true,
      reason: `CCA token: platform token (${platform.claims.swComponents.length} firmware components) and realm token`,
      range: [0, bytes.length],
    },
  ];
  const claims: ClaimResult[] = [];

  // Signature: three links.
  const problems: { reason: string; range?: ByteRange; field: string }[] = [];
  if (!verifyEs384(realm.cose, realm.claims.publicKey)) {
    problems.push({
      field: 'realm.signature',
      range: layout['realm.signature'],
      reason: 'the realm token signature does not verify with the RAK it carries',
    });
  }
  const signingCpak = policy.cpakPublicKeys.find((k) => verifyEs384(platform.cose, k));
  if (!signingCpak) {
    problems.push({
      field: 'platform.signature',
      range: layout['platform.signature'],
      reason: `the platform token signature verifies with none of the ${policy.cpakPublicKeys.length} endorsed CPAKs`,
    });
  }
  const binding = ccaRakBinding(realm.claims.publicKey, realm.claims.publicKeyHashAlgo);
  if (!bytesEqual(binding, platform.claims.challenge)) {
    problems.push({
      field: 'platform.challenge',
      range: layout['platform.challenge'],
      reason: `platform challenge is not ${realm.claims.publicKeyHashAlgo}(RAK public key): this realm token is not the one the platform vouched for`,
    });
  }
  const signatureOk = problems.length === 0;
  checks.push(
    signatureOk
      ? {
          check: 'signature',
          ok: true,
          reason:
            'RAK signs the realm token; an endorsed CPAK signs the platform token, whose challenge is H(RAK)',
          range: layout['realm.signature'],
          field: 'realm.signature',
        }
      : {
          check: 'signature',
          ok: false,
          reason: problems.map((p) => p.reason).join('; '),
          range: problems[0].range,
          field: problems[0].field,
        },
  );

  // Chain: the CPAK that signed must be the one endorsed for this instance ID.
  const endorsedFor = policy.cpakPublicKeys.find((k) =>
    bytesEqual(ccaInstanceId(k), platform.claims.instanceId),
  );
  const chainOk =
    endorsedFor !== undefined && signingCpak !== undefined && bytesEqual(endorsedFor, signingCpak);
  checks.push({
    check: 'chain',
    ok: chainOk,
    reason: chainOk
      ? `instance ID ${hex(platform.claims.instanceId).slice(0, 18)}… is an endorsed platform and its CPAK signed the token`
      : endorsedFor === undefined
        ? `instance ID ${hex(platform.claims.instanceId).slice(0, 18)}… has no endorsed CPAK (unknown platform)`
        : 'the platform token was not signed by the CPAK endorsed for its instance ID',
    range: layout['platform.instanceId'],
    field: 'platform.instanceId',
  });
  claims.push(
    !signatureOk
      ? claim(
          'instance-identity',
          AR4SI.cryptoValidationFailed,
          problems[0].reason,
          problems[0].range,
          problems[0].field,
        )
      : chainOk
        ? claim(
            'instance-identity',
            AR4SI.instanceIdentity.recognized,
            'endorsed CCA platform vouching for this realm’s RAK',
            layout['platform.instanceId'],
            'platform.instanceId',
          )
        : claim(
            'instance-identity',
            AR4SI.instanceIdentity.unrecognized,
            'platform not endorsed for this instance ID',
            layout['platform.instanceId'],
            'platform.instanceId',
          ),
  );

  // Freshness: the realm challenge carries the verifier's nonce (64 bytes).
  if (policy.nonce) {
    const expected = concatBytes(policy.nonce, new Uint8Array(Math.max(0, 64 - policy.nonce.length)));
    const ok = expected.length === 64 && constantTimeEqual(expected, realm.claims.challenge);
    checks.push({
      check: 'freshness',
      ok,
      reason: ok
        ? 'realm challenge is the nonce the verifier issued'
        : `realm challenge ${hex(realm.claims.challenge.subarray(0, 16))}… is not the issued nonce (possible replay)`,
      range: layout['realm.challenge'],
      field: 'realm.challenge',
    });
  } else {
    checks.push({
      check: 'freshness',
      ok: true,
      reason: 'the policy issues no nonce, so a replayed token would not be noticed',
      range: layout['realm.challenge'],
      field: 'realm.challenge',
    });
  }

  // TCB: the platform firmware components against reference values.
  const refs = policy.referenceSwComponents;
  const unknown = refs
    ? platform.claims.swComponents.findIndex((c) => !refs.some((r) => bytesEqual(r, c.measurement)))
    : -1;
  const tcbOk = unknown < 0;
  const swField = `platform.swComponents[${unknown}].measurement`;
  checks.push({
    check: 'tcb',
    ok: tcbOk,
    reason: !refs
      ? 'no reference values for the platform firmware components'
      : tcbOk
        ? `all ${platform.claims.swComponents.length} firmware components match reference values`
        : `firmware component ${unknown} (${platform.claims.swComponents[unknown].type ?? 'untyped'} ${platform.claims.swComponents[unknown].version ?? ''}) matches no reference value`,
    range: tcbOk ? layout['platform.swComponents'] : layout[swField],
    field: tcbOk ? 'platform.swComponents' : swField,
  });
  claims.push(
    !chainOk
      ? claim(
          'hardware',
          AR4SI.hardware.unrecognized,
          'platform not endorsed',
          layout['platform.instanceId'],
          'platform.instanceId',
        )
      : tcbOk
        ? claim(
            'hardware',
            AR4SI.hardware.genuine,
            refs
              ? 'endorsed platform running reference firmware'
              : 'endorsed platform (firmware not compared)',
            layout['platform.swComponents'],
            'platform.swComponents',
          )
        : claim(
            'hardware',
            AR4SI.hardware.unsafe,
            'platform firmware component not in the reference values',
            layout[swField],
            swField,
          ),
  );

  // Policy: lifecycle. Only "secured" is a production platform; the debug states open the realm.
  const state = ccaLifecycleState(platform.claims.lifecycle);
  const debug = state === 'non-cca-platform-debug' || state === 'recoverable-cca-platform-debug';
  const lifecycleOk = state === 'secured' || (debug && policy.allowDebug === true);
  const lc = `lifecycle 0x${platform.claims.lifecycle.toString(16).padStart(4, '0')} (${state})`;
  checks.push({
    check: 'policy',
    ok: lifecycleOk,
    reason:
      state === 'secured'
        ? `${lc}: a production platform`
        : debug
          ? `${lc}: platform debug is enabled${lifecycleOk ? ', allowed by policy' : ', which the policy refuses'}`
          : `${lc}: not a state a trustworthy platform is in`,
    range: layout['platform.lifecycle'],
    field: 'platform.lifecycle',
  });
  claims.push(
    claim(
      'configuration',
      state === 'secured'
        ? AR4SI.configuration.approved
        : lifecycleOk
          ? AR4SI.configuration.knownVulns
          : AR4SI.configuration.unsupportable,
      lc,
      layout['platform.lifecycle'],
      'platform.lifecycle',
    ),
  );

  // Measurement: RIM (launch), REMs (runtime), RPV.
  const rimOk = (policy.referenceMeasurements ?? []).some((m) => bytesEqual(m, realm.claims.rim));
  const remRefs = Object.entries(policy.referenceRems ?? {}) as [string, readonly Uint8Array[]][];
  const badRem = remRefs.find(
    ([i, allowed]) => !allowed.some((a) => bytesEqual(a, realm.claims.rems[Number(i)])),
  );
  const rpvOk =
    !policy.personalizationValue ||
    bytesEqual(policy.personalizationValue, realm.claims.personalizationValue);
  const measuredOk = rimOk && !badRem && rpvOk;
  const [mField, mReason] = !rimOk
    ? [
        'realm.rim',
        (policy.referenceMeasurements ?? []).length
          ? `RIM ${hex(realm.claims.rim)} matches no reference value`
          : 'no reference RIM in the policy',
      ]
    : badRem
      ? [
          `realm.rem${badRem[0]}`,
          `REM${badRem[0]} ${hex(realm.claims.rems[Number(badRem[0])])} matches no reference value`,
        ]
      : !rpvOk
        ? ['realm.personalizationValue', 'the Realm Personalization Value is not the expected one']
        : [
            'realm.rim',
            remRefs.length
              ? `RIM and REM${remRefs.map(([i]) => i).join(', REM')} match reference values`
              : 'RIM matches a reference value (REMs not appraised)',
          ];
  checks.push({
    check: 'measurement',
    ok: measuredOk,
    reason: mReason,
    range: layout[mField],
    field: mField,
  });
  claims.push(
    claim(
      'executables',
      !measuredOk
        ? AR4SI.executables.unrecognized
        : remRefs.length
          ? AR4SI.executables.approvedBootAndRuntime
          : AR4SI.executables.approvedBoot,
      mReason,
      layout[mField],
      mField,
    ),
  );

  const platformClass =
    'Arm CCA realm: Realm PAS isolated by the granule protection tables; memory encryption is implementation-defined';
  checks.push({ check: 'platform', ok: true, reason: platformClass });
  claims.push(claim('runtime-opaque', AR4SI.runtimeOpaque.isolated, platformClass));
  return done(claims, checks);
}
