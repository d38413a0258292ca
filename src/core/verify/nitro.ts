/**
 * Appraisal of an AWS Nitro Enclaves attestation document, in the order of CHECKS: parse → COSE
 * ES384 signature by the enclave certificate's key → chain (certificate ← reversed cabundle → pinned
 * root) → freshness (the `nonce` field) → TCB (none in Nitro) → policy (debug mode, which the NSM
 * shows as all-zero PCRs) → PCR0/1/2/8 against reference values → platform class. Every check runs
 * and reports; a failed gating check makes the result contraindicated (ear.ts).
 */
import { bytesEqual, constantTimeEqual, toHex } from '../crypto/bytes';
import { FormatError } from '../errors';
import {
  decodeNitroDocument,
  verifyEs384,
  type ByteRange,
  type NitroDocument,
} from '../evidence/nitro-document';
import { parseCertificate, verifyChain, type Certificate } from '../evidence/x509';
import {
  AR4SI,
  CLAIMS,
  claim,
  makeResult,
  type AttestationResult,
  type CheckOutcome,
  type ClaimResult,
} from './ear';
import type { BasePolicy } from './policy';

export const NITRO_SUBMOD = 'aws-nitro';

/** The PCRs that describe what runs: image, kernel + bootstrap, application, signing certificate. */
export const NITRO_MEASURED_PCRS = [0, 1, 2, 8] as const;

export interface NitroPolicy extends BasePolicy {
  /**
   * Allowed values per PCR index; every index listed must equal one of its values. The base
   * `referenceMeasurements` count as allowed PCR0 values when PCR0 is not listed here.
   */
  referencePcrs?: Readonly<Record<number, readonly Uint8Array[]>>;
}

function parseFailure(e: FormatError, length: number, policy: NitroPolicy): AttestationResult {
  const at = Math.min(e.offset, Math.max(0, length - 1));
  const range: ByteRange = [at, Math.min(at + 1, length)];
  return makeResult({
    submod: NITRO_SUBMOD,
    policyId: policy.id,
    iat: policy.iat,
    nonceHex: policy.nonce ? toHex(policy.nonce) : undefined,
    checks: [{ check: 'parse', ok: false, reason: e.message, range, field: e.field }],
    claims: [
      claim(
        'instance-identity',
        AR4SI.unexpectedEvidence,
        `not a Nitro attestation document: ${e.message}`,
        range,
        e.field,
      ),
    ],
  });
}

/** Parses the enclave certificate and the CA bundle; an X.509 error is placed inside its field. */
function parseCertificates(doc: NitroDocument): { leaf: Certificate; bundle: Certificate[] } {
  const parseAt = (der: Uint8Array, field: string): Certificate => {
    const start = doc.layout[field]?.[0] ?? 0;
    try {
      return parseCertificate(der);
    } catch (e) {
      if (e instanceof FormatError) {
        throw new FormatError('nitro-document', field, start + e.offset, `${e.field}: ${e.detail}`);
      }
      // x509.ts lets some ASN.1 errors inside extensions escape unwrapped; they are still parse failures.
      throw new FormatError('nitro-document', field, start, `X.509 does not parse (${(e as Error).message})`);
    }
  };
  return {
    leaf: parseAt(doc.payload.certificate, 'certificate'),
    bundle: doc.payload.cabundle.map((der, i) => parseAt(der, `cabundle[${i}]`)),
  };
}

function isAllZero(b: Uint8Array | undefined): boolean {
  return b !== undefined && b.every((x) => x === 0);
}

/** Appraises `bytes` (a COSE_Sign1 Nitro document) under `policy`; never throws for bad evidence. */
export function appraiseNitro(bytes: Uint8Array, policy: NitroPolicy): AttestationResult {
  let doc: NitroDocument;
  let leaf: Certificate;
  let bundle: Certificate[];
  try {
    doc = decodeNitroDocument(bytes);
    ({ leaf, bundle } = parseCertificates(doc));
  } catch (e) {
    if (e instanceof FormatError) return parseFailure(e, bytes.length, policy);
    throw e;
  }
  const { payload, layout } = doc;
  const checks: CheckOutcome[] = [];
  const claims: ClaimResult[] = [];
  checks.push({
    check: 'parse',
    ok: true,
    reason: `COSE_Sign1 (${doc.cose.tagged ? 'tag 18' : 'untagged'}, ES384) with ${payload.pcrs.size} PCRs from module ${payload.moduleId}`,
    range: layout.COSE_Sign1,
    field: 'COSE_Sign1',
  });

  // Signature: the enclave certificate's key over Sig_structure(protected, payload).
  const key = leaf.publicKey;
  const keyIsP384 = key.kind === 'ec' && key.curve === 'p384';
  const signatureOk = keyIsP384 && verifyEs384(doc.cose, key.point);
  checks.push({
    check: 'signature',
    ok: signatureOk,
    reason: !keyIsP384
      ? `enclave certificate '${leaf.subject}' does not hold a P-384 key, so it cannot sign ES384`
      : signatureOk
        ? `ES384 signature verifies with the key of '${leaf.subject}'`
        : `ES384 signature does not verify with the key of '${leaf.subject}' over the protected header and payload`,
    range: layout.signature,
    field: 'signature',
  });

  // Chain: AWS lists the bundle root first; a chain is walked leaf first.
  const chainCerts = [leaf, ...[...bundle].reverse()];
  const chain = verifyChain(chainCerts, policy.trustedRoots, policy.at);
  const failed = chain.steps.filter((s) => !s.ok);
  const rootPinned = policy.trustedRoots.some((r) => bytesEqual(r.der, bundle[0].der));
  const onlyRootUnknown = !rootPinned && failed.length === 1 && failed[0] === chain.steps.at(-1);
  checks.push({
    check: 'chain',
    ok: chain.ok,
    reason: chain.ok
      ? `${chainCerts.length} certificates: '${leaf.subject}' → … → pinned root '${bundle[0].subject}'`
      : failed.map((s) => `${s.subject}: ${s.reason}`).join('; '),
    range: layout.cabundle,
    field: 'cabundle',
  });
  if (!signatureOk) {
    claims.push(
      claim(
        'instance-identity',
        AR4SI.cryptoValidationFailed,
        'the document signature does not verify',
        layout.signature,
        'signature',
      ),
    );
  } else if (!chain.ok) {
    claims.push(
      onlyRootUnknown
        ? claim(
            'instance-identity',
            AR4SI.instanceIdentity.unrecognized,
            `the chain ends in '${bundle[0].subject}', which is not a pinned root`,
            layout['cabundle[0]'],
            'cabundle[0]',
          )
        : claim(
            'instance-identity',
            AR4SI.cryptoValidationFailed,
            `certificate chain invalid: ${failed.map((s) => s.reason).join('; ')}`,
            layout.cabundle,
            'cabundle',
          ),
    );
  } else {
    claims.push(
      claim(
        'instance-identity',
        AR4SI.instanceIdentity.recognized,
        `enclave '${payload.moduleId}' is certified by the pinned AWS Nitro root`,
        layout.certificate,
        'certificate',
      ),
    );
  }

  // Freshness: the verifier's nonce, echoed by the NSM inside the signed payload.
  if (policy.nonce) {
    const got = payload.nonce ?? undefined;
    const ok = got !== undefined && constantTimeEqual(got, policy.nonce);
    checks.push({
      check: 'freshness',
      ok,
      reason: ok
        ? `nonce matches the ${policy.nonce.length}-byte nonce the verifier issued`
        : got === undefined
          ? 'the document carries no nonce, but the verifier issued one (possible replay)'
          : `nonce ${toHex(got.subarray(0, 16))}… is not the nonce the verifier issued (possible replay)`,
      range: layout.nonce ?? layout.payload,
      field: 'nonce',
    });
  } else {
    checks.push({
      check: 'freshness',
      ok: true,
      reason: 'the policy issues no nonce, so a replayed document would not be noticed',
      range: layout.nonce,
      field: 'nonce',
    });
  }

  // TCB: Nitro documents have none; the hypervisor is AWS-managed and vouched for only by the chain.
  checks.push({
    check: 'tcb',
    ok: true,
    reason: 'Nitro documents carry no TCB version to compare with a floor; AWS manages the Nitro hypervisor',
  });
  claims.push(
    chain.ok
      ? claim(
          'hardware',
          AR4SI.hardware.genuine,
          'a Nitro hypervisor certified by the pinned AWS root produced the document (no TCB version to check)',
          layout.cabundle,
          'cabundle',
        )
      : claim(
          'hardware',
          AR4SI.hardware.unrecognized,
          'the document does not chain to a pinned AWS root',
          layout.cabundle,
          'cabundle',
        ),
  );

  // Policy: debug mode zeroes PCR0 (and the other image PCRs) in every document the NSM signs.
  const debug = isAllZero(payload.pcrs.get(0));
  const debugOk = !debug || policy.allowDebug === true;
  checks.push({
    check: 'policy',
    ok: debugOk,
    reason: !debug
      ? 'PCR0 is not all zeros: the enclave was not started in debug mode'
      : debugOk
        ? 'PCR0 is all zeros: debug mode (allowed by this policy; the parent instance can read the console)'
        : 'PCR0 is all zeros: the enclave runs in debug mode, which this policy refuses',
    range: layout.pcr0,
    field: 'pcr0',
  });
  claims.push(
    !debug
      ? claim('configuration', AR4SI.configuration.approved, 'not in debug mode', layout.pcr0, 'pcr0')
      : debugOk
        ? claim(
            'configuration',
            AR4SI.configuration.knownVulns,
            'debug mode, allowed by policy',
            layout.pcr0,
            'pcr0',
          )
        : claim(
            'configuration',
            AR4SI.configuration.unsupportable,
            'debug mode refused by policy',
            layout.pcr0,
            'pcr0',
          ),
  );

  // Measurement: each PCR with reference values must equal one of them.
  const refs: Record<number, readonly Uint8Array[]> = { ...policy.referencePcrs };
  if (refs[0] === undefined && policy.referenceMeasurements?.length) refs[0] = policy.referenceMeasurements;
  const indexes = Object.keys(refs)
    .map(Number)
    .sort((a, b) => a - b);
  const mismatched = indexes.filter((i) => {
    const value = payload.pcrs.get(i);
    return value === undefined || !refs[i].some((r) => bytesEqual(r, value));
  });
  const measured = indexes.length > 0 && mismatched.length === 0;
  const firstBad = mismatched[0];
  checks.push({
    check: 'measurement',
    ok: measured,
    reason:
      indexes.length === 0
        ? 'no reference values for PCR0/1/2/8 in the policy'
        : measured
          ? `PCR${indexes.join(', PCR')} match the reference values`
          : `PCR${mismatched.join(', PCR')} ${mismatched.length > 1 ? 'match' : 'matches'} no reference value (PCR${firstBad} = ${payload.pcrs.has(firstBad) ? toHex(payload.pcrs.get(firstBad) as Uint8Array).slice(0, 24) + '…' : 'absent'})`,
    range: firstBad !== undefined ? (layout[`pcr${firstBad}`] ?? layout.pcrs) : layout.pcrs,
    field: firstBad !== undefined ? `pcr${firstBad}` : 'pcrs',
  });
  claims.push(
    measured
      ? claim(
          'executables',
          AR4SI.executables.approvedBootAndRuntime,
          `PCR${indexes.join(', PCR')} match reference values (image, kernel, application${indexes.includes(8) ? ', signer' : ''})`,
          layout.pcrs,
          'pcrs',
        )
      : claim(
          'executables',
          AR4SI.executables.unrecognized,
          indexes.length === 0
            ? 'no reference values to compare PCRs with'
            : `PCR${mismatched.join(', PCR')} unrecognized`,
          firstBad !== undefined ? layout[`pcr${firstBad}`] : layout.pcrs,
          firstBad !== undefined ? `pcr${firstBad}` : 'pcrs',
        ),
  );

  // Platform class: Nitro isolates enclave memory in the hypervisor; it does not encrypt it.
  checks.push({
    check: 'platform',
    ok: true,
    reason: 'AWS Nitro Enclave: memory carved out by the Nitro hypervisor (isolated, not encrypted)',
  });
  claims.push(
    claim(
      'runtime-opaque',
      AR4SI.runtimeOpaque.isolated,
      'enclave memory is isolated by the Nitro hypervisor, not encrypted; AWS is trusted',
    ),
  );

  claims.sort((a, b) => CLAIMS.indexOf(a.claim) - CLAIMS.indexOf(b.claim));
  return makeResult({
    submod: NITRO_SUBMOD,
    policyId: policy.id,
    iat: policy.iat,
    nonceHex: policy.nonce ? toHex(policy.nonce) : undefined,
    claims,
    checks,
  });
}
