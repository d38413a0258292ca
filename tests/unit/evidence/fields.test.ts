import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/core/crypto/bytes';
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { generateKeyPair } from '../../../src/core/crypto/ecdsa';
import { demoSnpEvidence } from '../../../src/core/evidence/amd-chain';
import { decodeCcaToken } from '../../../src/core/evidence/cca-token';
import { EVIDENCE_KEY_FIELDS, evidenceFields, type EvidenceField } from '../../../src/core/evidence/fields';
import { decodeSeResponse } from '../../../src/core/evidence/ibm-se';
import { decodeNitroDocument } from '../../../src/core/evidence/nitro-document';
import { decodeSgxQuote, sgxQuoteRanges } from '../../../src/core/evidence/sgx-quote';
import { decodeSnpReport, SNP_REPORT_LAYOUT, SNP_REPORT_SIZE } from '../../../src/core/evidence/snp-report';
import {
  decodeTdxQuote,
  readPckChain,
  TDX_QUOTE_LAYOUT,
  tdxQuoteRanges,
} from '../../../src/core/evidence/tdx-quote';
import { decodeTpmQuote, decodeTpmsAttest, decodeTpmtSignature } from '../../../src/core/evidence/tpm-quote';
import { splitLaunchMeasure } from '../../../src/core/measure/sev-measurement';
import { CAPABILITY_VALUES } from '../../../src/model/platforms/platform';
import { PLATFORMS } from '../../../src/model/platforms/index';
import { goodPlan, PlatformEffects, type Measurement } from '../../../src/model/world';

const FIXTURES = new URL('../../fixtures/real/', import.meta.url);
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(path, FIXTURES)));

const FORMATS = CAPABILITY_VALUES.evidence.filter((f) => f !== 'none');

interface Sample {
  format: string;
  bytes: Uint8Array;
  measured: Measurement;
  binding: Uint8Array;
}

/** Real evidence for each format, as the simulation makes it (PlatformEffects.evidence), one per format. */
const SAMPLES: Map<string, Sample> = (() => {
  const out = new Map<string, Sample>();
  for (const platform of PLATFORMS) {
    const format = platform.capabilities.evidence;
    if (format === 'none' || out.has(format)) continue;
    const effects = new PlatformEffects(platform, 11, seededDrbg(11, `fields/${platform.id}`));
    const measured = effects.measure(goodPlan());
    const tee = generateKeyPair('p256', seededDrbg(11, 'fields/tee'));
    const binding = effects.binding(Uint8Array.of(1, 2, 3, 4), tee);
    const e = effects.evidence(measured, binding, goodPlan(), 'platform');
    if (e) out.set(format, { format, bytes: e.bytes, measured, binding });
  }
  return out;
})();

function sample(format: string): Sample {
  const s = SAMPLES.get(format);
  if (!s) throw new Error(`no platform makes ${format}`);
  return s;
}

/** What breaks the invariants every answer keeps, whatever the input (empty when none). */
function violations(fields: EvidenceField[], size: number): string[] {
  const out: string[] = [];
  let end = 0;
  for (const f of fields) {
    const at = `${f.name}@${f.offset}+${f.length}`;
    if (!Number.isInteger(f.offset) || !Number.isInteger(f.length) || f.length <= 0) out.push(`${at}: empty`);
    if (f.offset < end) out.push(`${at}: unsorted or overlapping`);
    end = f.offset + f.length;
    if (end > size) out.push(`${at}: past the end (${size})`);
    if (!f.name) out.push(`${at}: no name`);
    if (!/^\S.*[.)]$/.test(f.description)) out.push(`${at}: description "${f.description}"`);
  }
  return out;
}

function expectWellFormed(fields: EvidenceField[], size: number): void {
  expect(violations(fields, size)).toEqual([]);
}

/** The one field named `name` (exactly one). */
function field(fields: EvidenceField[], name: string): EvidenceField {
  const found = fields.filter((f) => f.name === name);
  expect(found.map((f) => f.name)).toEqual([name]);
  return found[0];
}

const bytesAt = (bytes: Uint8Array, f: EvidenceField) => bytes.slice(f.offset, f.offset + f.length);
const rangeOf = (f: EvidenceField) => [f.offset, f.offset + f.length];
const covered = (fields: EvidenceField[]) => fields.reduce((n, f) => n + f.length, 0);

function padTo(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(0, length));
  return out;
}

describe('evidenceFields: every format the simulation makes', () => {
  it('knows every evidence format of the capability list, and the simulation makes each', () => {
    expect([...SAMPLES.keys()].sort()).toEqual([...FORMATS].sort());
    expect(Object.keys(EVIDENCE_KEY_FIELDS).sort()).toEqual([...FORMATS].sort());
  });

  it.each(FORMATS)(
    '%s: sorted, non-overlapping, in bounds, with its measurement and binding fields',
    (format) => {
      const { bytes } = sample(format);
      const fields = evidenceFields(format, bytes);
      expect(fields.length).toBeGreaterThan(1);
      expectWellFormed(fields, bytes.length);
      field(fields, EVIDENCE_KEY_FIELDS[format].measurement);
      field(fields, EVIDENCE_KEY_FIELDS[format].binding);
    },
  );

  it('returns [] for an unknown format, "none", and names that are not own keys', () => {
    const { bytes } = sample('snp-report');
    for (const format of ['none', 'snp', '', 'toString', '__proto__', 'constructor']) {
      expect(evidenceFields(format, bytes)).toEqual([]);
    }
    expect(evidenceFields('snp-report', new Uint8Array(0))).toEqual([]);
    expect(evidenceFields('snp-report', 'not bytes' as unknown as Uint8Array)).toEqual([]);
  });
});

describe('snp-report', () => {
  it('covers all 0x4A0 bytes; MEASUREMENT and REPORT_DATA hold what the decoder decodes and what was measured and bound', () => {
    const { bytes, measured, binding } = sample('snp-report');
    const fields = evidenceFields('snp-report', bytes);
    const report = decodeSnpReport(bytes);
    expect(covered(fields)).toBe(SNP_REPORT_SIZE);
    expect(bytesAt(bytes, field(fields, 'MEASUREMENT'))).toEqual(report.measurement);
    expect(bytesAt(bytes, field(fields, 'MEASUREMENT'))).toEqual(measured.value);
    expect(bytesAt(bytes, field(fields, 'REPORT_DATA'))).toEqual(report.reportData);
    expect(bytesAt(bytes, field(fields, 'REPORT_DATA'))).toEqual(padTo(binding, 64));
    expect(bytesAt(bytes, field(fields, 'CHIP_ID'))).toEqual(report.chipId);
    expect(bytesAt(bytes, field(fields, 'HOST_DATA'))).toEqual(report.hostData);
    // Leaves, not the SIGNATURE parent.
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['SIGNATURE.R', 'SIGNATURE.S']));
    expect(fields.map((f) => f.name)).not.toContain('SIGNATURE');
  });

  it('the real Milan report: MEASUREMENT at 0x90 (48 bytes), fields covering exactly 0x4A0 bytes, version 2 layout', () => {
    const bytes = fixture('snp/milan-report.bin');
    const fields = evidenceFields('snp-report', bytes);
    expectWellFormed(fields, bytes.length);
    const measurement = field(fields, 'MEASUREMENT');
    expect([measurement.offset, measurement.length]).toEqual([0x90, 48]);
    expect(bytesAt(bytes, measurement)).toEqual(decodeSnpReport(bytes).measurement);
    expect(covered(fields)).toBe(0x4a0);
    expect(fields[0].offset).toBe(0);
    expect(fields.at(-1)?.offset).toBe(0x4a0 - (fields.at(-1)?.length ?? 0));
    for (const name of [
      'VERSION',
      'GUEST_SVN',
      'POLICY',
      'FAMILY_ID',
      'REPORT_DATA',
      'HOST_DATA',
      'CHIP_ID',
    ]) {
      field(fields, name);
    }
    // Version 2 has no CPUID fields nor mitigation vectors: their bytes are reserved.
    const names = fields.map((f) => f.name);
    expect(names).not.toContain('CPUID_FAM_ID');
    expect(names).not.toContain('LAUNCH_MIT_VECTOR');
    const cpuid = fields.find(
      (f) =>
        f.offset <= SNP_REPORT_LAYOUT.cpuidFamId[0] && f.offset + f.length > SNP_REPORT_LAYOUT.cpuidFamId[0],
    );
    expect(cpuid?.name).toBe('reserved');
    expect(rangeOf(cpuid as EvidenceField)).toEqual([
      SNP_REPORT_LAYOUT.cpuidFamId[0],
      SNP_REPORT_LAYOUT.reserved1[1],
    ]);
  });

  it.each([3, 5] as const)('version %i reports show the fields that exist from their version', (version) => {
    const { report } = demoSnpEvidence(0x5e1d, { version });
    const names = evidenceFields('snp-report', report).map((f) => f.name);
    expect(names).toContain('CPUID_FAM_ID');
    expect(names.includes('LAUNCH_MIT_VECTOR')).toBe(version >= 5);
    expect(names.includes('CURRENT_MIT_VECTOR')).toBe(version >= 5);
    expect(covered(evidenceFields('snp-report', report))).toBe(SNP_REPORT_SIZE);
  });

  it('keeps the signature opaque when SIGNATURE_ALGO is not ECDSA P-384', () => {
    const bytes = Uint8Array.from(sample('snp-report').bytes);
    bytes[SNP_REPORT_LAYOUT.signatureAlgo[0]] = 7;
    const fields = evidenceFields('snp-report', bytes);
    expect(rangeOf(field(fields, 'SIGNATURE'))).toEqual([...SNP_REPORT_LAYOUT.signature]);
    expect(fields.map((f) => f.name)).not.toContain('SIGNATURE.R');
    expect(covered(fields)).toBe(SNP_REPORT_SIZE);
  });
});

describe('tdx-quote', () => {
  function expectTdx(bytes: Uint8Array): EvidenceField[] {
    const fields = evidenceFields('tdx-quote', bytes);
    expectWellFormed(fields, bytes.length);
    const q = decodeTdxQuote(bytes, { extraBytes: 'keep' });
    const ranges = tdxQuoteRanges(q);
    expect(bytesAt(bytes, field(fields, 'MRTD'))).toEqual(q.body.mrTd);
    expect(bytesAt(bytes, field(fields, 'REPORTDATA'))).toEqual(q.body.reportData);
    expect(bytesAt(bytes, field(fields, 'TD_ATTRIBUTES'))).toEqual(
      bytes.slice(...TDX_QUOTE_LAYOUT.tdAttributes),
    );
    q.body.rtmrs.forEach((r, i) => expect(bytesAt(bytes, field(fields, `RTMR${i}`))).toEqual(r));
    expect(bytesAt(bytes, field(fields, 'QE Report REPORTDATA'))).toEqual(q.qeReport.reportData);
    expect(bytesAt(bytes, field(fields, 'QE Report MRENCLAVE'))).toEqual(q.qeReport.mrEnclave);
    expect(bytesAt(bytes, field(fields, 'ECDSA Attestation Key'))).toEqual(q.attestationKey);
    expect(rangeOf(field(fields, 'QE Authentication Data'))).toEqual([...ranges.qeAuthData]);
    expect(rangeOf(field(fields, 'PCK Certification Data Size'))).toEqual([...ranges.pckChainSize]);
    // Each certificate of the PEM chain at the range the decoder's own chain reader finds.
    const chain = readPckChain(q).map((c) => [...c.range]);
    const certs = [
      'PCK Certificate',
      'PCK Platform/Processor CA Certificate',
      'Intel SGX Root CA Certificate',
    ];
    expect(certs.map((name) => rangeOf(field(fields, name)))).toEqual(chain);
    return fields;
  }

  it('the simulated quote: every field at the decoder’s range, MRTD/RTMRs as measured, REPORTDATA as bound', () => {
    const { bytes, measured, binding } = sample('tdx-quote');
    const fields = expectTdx(bytes);
    expect(bytesAt(bytes, field(fields, 'MRTD'))).toEqual(measured.value);
    expect(bytesAt(bytes, field(fields, 'RTMR1'))).toEqual(measured.registers.rtmr1);
    expect(bytesAt(bytes, field(fields, 'REPORTDATA'))).toEqual(padTo(binding, 64));
    // Everything but the newlines between PEM blocks is a field.
    expect(bytes.length - covered(fields)).toBeLessThan(8);
  });

  it('the real Sapphire Rapids quote (4974 bytes)', () => {
    const bytes = fixture('tdx/spr-e4-quote.dat');
    expect(bytes.length).toBe(4974);
    const fields = expectTdx(bytes);
    expect(rangeOf(field(fields, 'MRTD'))).toEqual([...TDX_QUOTE_LAYOUT.mrTd]);
    // The published file carries 39 bytes after the signature data, which nothing signs.
    expect(rangeOf(field(fields, 'extra bytes'))).toEqual([bytes.length - 39, bytes.length]);
  });

  it('shows unsigned bytes after the signature data as such', () => {
    const { bytes } = sample('tdx-quote');
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes);
    const fields = evidenceFields('tdx-quote', padded);
    expect(rangeOf(field(fields, 'extra bytes'))).toEqual([bytes.length, bytes.length + 16]);
  });
});

describe('sgx-quote', () => {
  it('enclave and QE report fields at the decoder’s offsets, MRENCLAVE as measured, REPORTDATA as bound', () => {
    const { bytes, measured, binding } = sample('sgx-quote');
    const fields = evidenceFields('sgx-quote', bytes);
    expectWellFormed(fields, bytes.length);
    const q = decodeSgxQuote(bytes);
    const ranges = sgxQuoteRanges(q);
    expect(bytesAt(bytes, field(fields, 'MRENCLAVE'))).toEqual(q.body.mrEnclave);
    expect(bytesAt(bytes, field(fields, 'MRENCLAVE'))).toEqual(measured.value);
    expect(bytesAt(bytes, field(fields, 'MRSIGNER'))).toEqual(q.body.mrSigner);
    expect(bytesAt(bytes, field(fields, 'REPORTDATA'))).toEqual(q.body.reportData);
    expect(bytesAt(bytes, field(fields, 'REPORTDATA'))).toEqual(padTo(binding, 64));
    expect(rangeOf(field(fields, 'QE Report REPORTDATA'))).toEqual([...ranges.qeReportData]);
    expect(bytesAt(bytes, field(fields, 'QE Report REPORTDATA'))).toEqual(q.qeReport.reportData);
    expect(bytesAt(bytes, field(fields, 'QE Authentication Data'))).toEqual(q.qeAuthData);
    expect(bytesAt(bytes, field(fields, 'ECDSA Attestation Key'))).toEqual(q.attestationKey);
    const flags = new DataView(bytesAt(bytes, field(fields, 'ATTRIBUTES.FLAGS')).buffer).getBigUint64(
      0,
      true,
    );
    expect(flags).toBe(q.body.flags);
    // The certification data is the PEM chain, one field per certificate, all inside it.
    const certs = fields.filter((f) => /Certificate$/.test(f.name));
    expect(certs).toHaveLength(3);
    for (const c of certs) {
      expect(c.offset).toBeGreaterThanOrEqual(ranges.certificationData[0]);
      expect(c.offset + c.length).toBeLessThanOrEqual(ranges.certificationData[1]);
    }
    expect(bytes.length - covered(fields)).toBeLessThan(8);
  });
});

describe('tpm-quote', () => {
  it('TPMS_ATTEST and TPMT_SIGNATURE field by field: extraData is the nonce, pcrDigest the decoder’s', () => {
    const { bytes, binding } = sample('tpm-quote');
    const fields = evidenceFields('tpm-quote', bytes);
    expectWellFormed(fields, bytes.length);
    const quote = decodeTpmQuote(bytes);
    const attest = decodeTpmsAttest(quote.attest);
    const signature = decodeTpmtSignature(quote.signature);
    expect(bytesAt(bytes, field(fields, 'extraData'))).toEqual(attest.extraData);
    expect(bytesAt(bytes, field(fields, 'extraData'))).toEqual(binding.subarray(0, 32));
    expect(bytesAt(bytes, field(fields, 'pcrDigest'))).toEqual(attest.pcrDigest);
    expect(bytesAt(bytes, field(fields, 'qualifiedSigner'))).toEqual(attest.qualifiedSigner);
    expect(bytesAt(bytes, field(fields, 'magic'))).toEqual(Uint8Array.of(0xff, 0x54, 0x43, 0x47));
    if (!('r' in signature)) throw new Error('the simulated AK signs with ECDSA');
    expect(bytesAt(bytes, field(fields, 'signatureR'))).toEqual(signature.r);
    expect(bytesAt(bytes, field(fields, 'signatureS'))).toEqual(signature.s);
    expect(field(fields, 'pcrSelections[0].pcrSelect').description).toContain('PCR 0, 1, 2');
    // A quote is nothing but its fields.
    expect(covered(fields)).toBe(bytes.length);
  });
});

describe('nitro-document', () => {
  /** The decoder's layout names (pcr0, cabundle[0], …) as evidenceFields spells them (PCR0, …). */
  function expectNitro(bytes: Uint8Array): EvidenceField[] {
    const fields = evidenceFields('nitro-document', bytes);
    expectWellFormed(fields, bytes.length);
    const doc = decodeNitroDocument(bytes);
    const byName = new Map(fields.map((f) => [f.name, rangeOf(f)]));
    for (const [key, range] of Object.entries(doc.layout)) {
      if (['COSE_Sign1', 'payload', 'pcrs', 'cabundle'].includes(key) || !range) continue;
      const name = key.replace(/^pcr(\d+)$/, 'PCR$1');
      expect([name, byName.get(name)]).toEqual([name, [...range]]);
    }
    expect(bytesAt(bytes, field(fields, 'PCR0'))).toEqual(doc.payload.pcrs.get(0));
    expect(bytesAt(bytes, field(fields, 'signature'))).toEqual(doc.cose.signature);
    expect(bytesAt(bytes, field(fields, 'certificate'))).toEqual(doc.payload.certificate);
    return fields;
  }

  it('the simulated document: every field at the decoder’s range, nonce as bound, PCRs as measured', () => {
    const { bytes, binding, measured } = sample('nitro-document');
    const fields = expectNitro(bytes);
    const doc = decodeNitroDocument(bytes);
    expect(bytesAt(bytes, field(fields, 'nonce'))).toEqual(doc.payload.nonce);
    expect(bytesAt(bytes, field(fields, 'nonce'))).toEqual(binding);
    expect(bytesAt(bytes, field(fields, 'PCR0'))).toEqual(measured.registers.pcr0);
  });

  it.each(['nitro_attestation.b64', 'nitro_attestation_debug.b64'])('the real document %s', (name) => {
    const bytes = fromBase64(readFileSync(new URL(`nitro/${name}`, FIXTURES), 'utf8').trim());
    const fields = expectNitro(bytes);
    expect(fields.filter((f) => f.name.startsWith('cabundle[')).length).toBe(
      decodeNitroDocument(bytes).payload.cabundle.length,
    );
  });

  it('a tagged COSE_Sign1 (tag 18) has the same fields, one byte later', () => {
    const { bytes } = sample('nitro-document');
    const tagged = Uint8Array.of(0xd2, ...bytes);
    const untaggedFields = evidenceFields('nitro-document', bytes);
    const fields = expectNitro(tagged);
    expect(fields.map((f) => [f.name, f.offset - 1, f.length])).toEqual(
      untaggedFields.map((f) => [f.name, f.offset, f.length]),
    );
  });
});

describe('cca-token', () => {
  it('platform and realm claims at the decoder’s ranges: RIM as measured, challenge as bound', () => {
    const { bytes, measured, binding } = sample('cca-token');
    const fields = evidenceFields('cca-token', bytes);
    expectWellFormed(fields, bytes.length);
    const token = decodeCcaToken(bytes);
    const realm = token.realm.claims;
    expect(bytesAt(bytes, field(fields, 'cca-realm-initial-measurement'))).toEqual(realm.rim);
    expect(bytesAt(bytes, field(fields, 'cca-realm-initial-measurement'))).toEqual(measured.value);
    expect(bytesAt(bytes, field(fields, 'cca-realm-challenge'))).toEqual(realm.challenge);
    expect(bytesAt(bytes, field(fields, 'cca-realm-challenge'))).toEqual(padTo(binding, 64));
    expect(bytesAt(bytes, field(fields, 'cca-realm-public-key'))).toEqual(realm.publicKey);
    expect(bytesAt(bytes, field(fields, 'cca-platform-challenge'))).toEqual(token.platform.claims.challenge);
    realm.rems.forEach((rem, i) =>
      expect(bytesAt(bytes, field(fields, `cca-realm-extensible-measurements[${i}]`))).toEqual(rem),
    );
    // Every range the decoder records is a field, under its specification name.
    const names: Record<string, string> = {
      'realm.rim': 'cca-realm-initial-measurement',
      'realm.challenge': 'cca-realm-challenge',
      'realm.personalizationValue': 'cca-realm-personalization-value',
      'realm.publicKey': 'cca-realm-public-key',
      'realm.hashAlgo': 'cca-realm-hash-algo-id',
      'realm.publicKeyHashAlgo': 'cca-realm-public-key-hash-algo-id',
      'platform.challenge': 'cca-platform-challenge',
      'platform.instanceId': 'cca-platform-instance-id',
      'platform.implementationId': 'cca-platform-implementation-id',
      'platform.lifecycle': 'cca-platform-lifecycle',
      'platform.profile': 'cca-platform-profile',
      'platform.config': 'cca-platform-config',
      'platform.hashAlgo': 'cca-platform-hash-algo-id',
      'platform.signature': 'platform token signature',
      'realm.signature': 'realm token signature',
      'platform.swComponents[0].measurement': 'cca-platform-sw-components[0].measurement-value',
      'realm.rem3': 'cca-realm-extensible-measurements[3]',
    };
    for (const [key, name] of Object.entries(names)) {
      expect([key, rangeOf(field(fields, name))]).toEqual([key, [...(token.layout[key] ?? [])]]);
    }
  });
});

describe('ibm-se-attestation', () => {
  it('measurement, config UID and user data at the decoder’s ranges', () => {
    const { bytes, binding } = sample('ibm-se-attestation');
    const fields = evidenceFields('ibm-se-attestation', bytes);
    expectWellFormed(fields, bytes.length);
    const response = decodeSeResponse(bytes);
    expect(bytesAt(bytes, field(fields, 'measurement'))).toEqual(response.measurement);
    expect(bytesAt(bytes, field(fields, 'config UID'))).toEqual(response.configUid);
    expect(bytesAt(bytes, field(fields, 'user data'))).toEqual(response.userData);
    expect(bytesAt(bytes, field(fields, 'user data'))).toEqual(binding);
    expect(covered(fields)).toBe(bytes.length);
  });
});

describe('the simulation’s own formats', () => {
  it('sev-launch-measure: MEASURE ‖ MNONCE', () => {
    const { bytes } = sample('sev-launch-measure');
    const fields = evidenceFields('sev-launch-measure', bytes);
    expectWellFormed(fields, bytes.length);
    const { measurement, mnonce } = splitLaunchMeasure(bytes);
    expect(bytesAt(bytes, field(fields, 'MEASURE'))).toEqual(measurement);
    expect(bytesAt(bytes, field(fields, 'MNONCE'))).toEqual(mnonce);
    expect(covered(fields)).toBe(bytes.length);
  });

  it('ta-hash-report: TA hash ‖ nonce ‖ signature, as world.ts builds and appraises it', () => {
    const { bytes, measured, binding } = sample('ta-hash-report');
    const fields = evidenceFields('ta-hash-report', bytes);
    expectWellFormed(fields, bytes.length);
    expect(bytesAt(bytes, field(fields, 'TA hash'))).toEqual(padTo(measured.value, 48));
    expect(bytesAt(bytes, field(fields, 'nonce'))).toEqual(padTo(binding, 64));
    expect(field(fields, 'signature').length).toBe(64);
    expect(covered(fields)).toBe(bytes.length);
  });
});

describe('malformed input never throws and never reaches past the end', () => {
  const key = (f: EvidenceField) => `${f.name}@${f.offset}+${f.length}`;

  it.each(FORMATS)('%s: every truncation gives a subset of the full fields', (format) => {
    const { bytes } = sample(format);
    const full = new Set(evidenceFields(format, bytes).map(key));
    const step = Math.max(1, Math.floor(bytes.length / 400));
    const problems: string[] = [];
    for (let length = 0; length < bytes.length; length += step) {
      const fields = evidenceFields(format, bytes.slice(0, length));
      problems.push(...violations(fields, length).map((v) => `${length} bytes: ${v}`));
      for (const f of fields)
        if (!full.has(key(f))) problems.push(`${length} bytes: ${key(f)} is not a full field`);
    }
    expect(problems).toEqual([]);
  });

  it('a truncated SNP report keeps every field that fits', () => {
    const bytes = fixture('snp/milan-report.bin').slice(0, 0xa0);
    const fields = evidenceFields('snp-report', bytes);
    expect(fields.at(-1)?.name).toBe('REPORT_DATA');
    expect(covered(fields)).toBe(0x90);
  });

  it.each(FORMATS)('%s: random bytes (fast-check)', (format) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expectWellFormed(evidenceFields(format, bytes), bytes.length);
      }),
      { seed: 0xf1e1d5, numRuns: 300 },
    );
  });

  it.each(FORMATS)('%s: real evidence with random bytes changed (fast-check)', (format) => {
    const { bytes } = sample(format);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const changed = Uint8Array.from(bytes);
          for (const [at, value] of edits) changed[at] = value;
          expectWellFormed(evidenceFields(format, changed), changed.length);
        },
      ),
      { seed: 0xf1e1d6, numRuns: 150 },
    );
  });
});
