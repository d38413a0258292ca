/**
 * A tiny evidence format for broker tests, so the broker is exercised without depending on any real
 * format: `"FAKE" ‖ measurement[48] ‖ reportData[64] ‖ debug u8 ‖ tcb u8 ‖ HMAC-SHA-256(platform key, all
 * before)`. The fake appraiser runs the real check order (parse → signature → freshness → TCB →
 * policy → measurement) and returns an EAR result built with ear.ts, like the real verifiers do.
 */
import { bytesEqual, concatBytes, constantTimeEqual, toHex, utf8 } from '../../../src/core/crypto/bytes';
import { hmac } from '../../../src/core/crypto/hmac';
import type { Appraise } from '../../../src/core/broker/kbs';
import type { AppraiseEnclave } from '../../../src/core/broker/ccm';
import { AR4SI, claim, makeResult, type CheckOutcome, type ClaimResult } from '../../../src/core/verify/ear';

export const PLATFORM_KEY = utf8('fake platform key');
const MAGIC = utf8('FAKE');
const BODY = 4 + 48 + 64 + 2;
export const FAKE_LENGTH = BODY + 32;

export interface FakeClaims {
  measurement: Uint8Array;
  reportData: Uint8Array;
  debug?: boolean;
  tcb?: number;
}

export function measurementOf(name: string): Uint8Array {
  const m = new Uint8Array(48);
  m.set(utf8(name).subarray(0, 48));
  return m;
}

export function fakeEvidence(c: FakeClaims, key: Uint8Array = PLATFORM_KEY): Uint8Array {
  const body = concatBytes(MAGIC, c.measurement, c.reportData, Uint8Array.of(c.debug ? 1 : 0, c.tcb ?? 5));
  return concatBytes(body, hmac('sha256', key, body));
}

export function decodeFake(e: Uint8Array): (FakeClaims & { debug: boolean; tcb: number }) | undefined {
  if (e.length !== FAKE_LENGTH || !bytesEqual(e.subarray(0, 4), MAGIC)) return undefined;
  return {
    measurement: e.slice(4, 52),
    reportData: e.slice(52, 116),
    debug: e[116] === 1,
    tcb: e[117],
  };
}

export interface FakePolicy {
  references: Uint8Array[];
  minTcb?: number;
}

/** A format-agnostic appraiser over the fake format, in the shape the broker injects. */
export function fakeAppraiser(policy: FakePolicy): Appraise {
  return ({ evidence, expectedReportData }) => {
    const checks: CheckOutcome[] = [];
    const claims: ClaimResult[] = [];
    const done = () => makeResult({ submod: 'cpu0', policyId: 'fake-default', claims, checks, iat: 0 });
    const f = decodeFake(evidence);
    if (!f) {
      checks.push({ check: 'parse', ok: false, reason: `expected ${FAKE_LENGTH} bytes starting "FAKE"` });
      claims.push(claim('instance-identity', AR4SI.unexpectedEvidence, 'not fake evidence'));
      return done();
    }
    checks.push({ check: 'parse', ok: true, reason: 'fake evidence' });
    const mac = hmac('sha256', PLATFORM_KEY, evidence.subarray(0, BODY));
    const macOk = constantTimeEqual(mac, evidence.subarray(BODY));
    checks.push({ check: 'signature', ok: macOk, reason: macOk ? 'MAC verifies' : 'MAC does not verify' });
    if (!macOk) {
      claims.push(claim('instance-identity', AR4SI.cryptoValidationFailed, 'MAC does not verify'));
      return done();
    }
    claims.push(claim('instance-identity', AR4SI.instanceIdentity.recognized, 'platform key recognised'));
    const fresh = bytesEqual(f.reportData, expectedReportData);
    checks.push({
      check: 'freshness',
      ok: fresh,
      reason: fresh
        ? 'report data as expected'
        : `report data ${toHex(f.reportData).slice(0, 16)}… is not the expected value`,
    });
    const tcbOk = f.tcb >= (policy.minTcb ?? 5);
    checks.push({ check: 'tcb', ok: tcbOk, reason: `tcb ${f.tcb}` });
    claims.push(claim('hardware', tcbOk ? AR4SI.hardware.genuine : AR4SI.hardware.unsafe, `tcb ${f.tcb}`));
    checks.push({ check: 'policy', ok: !f.debug, reason: f.debug ? 'debug enabled' : 'debug off' });
    claims.push(
      claim(
        'configuration',
        f.debug ? AR4SI.configuration.unsupportable : AR4SI.configuration.approved,
        'debug',
      ),
    );
    const known = policy.references.some((r) => bytesEqual(r, f.measurement));
    checks.push({
      check: 'measurement',
      ok: known,
      reason: known ? 'reference value' : 'unknown measurement',
    });
    claims.push(
      claim(
        'executables',
        known ? AR4SI.executables.approvedBoot : AR4SI.executables.unrecognized,
        known ? 'matches a reference value' : 'no reference value matches',
      ),
    );
    return done();
  };
}

/** The CCM's shape: the verdict plus the decoded measurement and report data. */
export function fakeEnclaveAppraiser(policy: FakePolicy): AppraiseEnclave {
  const appraise = fakeAppraiser(policy);
  return (request) => {
    const f = decodeFake(request.evidence);
    return {
      result: appraise(request),
      measurement: f?.measurement ?? new Uint8Array(0),
      reportData: f?.reportData ?? new Uint8Array(0),
    };
  };
}
