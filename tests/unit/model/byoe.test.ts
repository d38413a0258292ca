/**
 * "Bring your own evidence" with real evidence from real machines (tests/fixtures/real, see its
 * README): TPM event logs replay to the PCRs their TPMs reported, the Milan SEV-SNP report appraises
 * with AMD's real chain, the Nitro documents with AWS's root — and bad files give messages that name
 * the file, the offset and the cause, without hiding the other files' results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/core/crypto/bytes';
import type { HashAlg } from '../../../src/core/crypto/hash';
import {
  appraiseDropped,
  identifyEvidence,
  MAX_FILE_BYTES,
  type ByoeResult,
  type DroppedFile,
} from '../../../src/model/byoe';

const REAL = new URL('../../fixtures/real/', import.meta.url);
const read = (path: string) => new Uint8Array(readFileSync(new URL(path, REAL)));
const drop = (path: string, name = path.split('/').at(-1) ?? path): DroppedFile => ({
  name,
  bytes: read(path),
});

const EXPECTED = JSON.parse(readFileSync(new URL('tpm/expected-pcrs.json', REAL), 'utf8')) as Record<
  string,
  Partial<Record<HashAlg, Record<string, string>>>
>;
const LOGS = readdirSync(new URL('tpm/', REAL))
  .filter((f) => f.endsWith('.bin'))
  .sort();

const MILAN = ['snp/milan-report.bin', 'snp/milan-vcek.der', 'snp/milan-ask.pem', 'snp/milan-ark.pem'];
/** A fixed time inside the Milan VCEK's validity, as the verifier tests use. */
const AT = new Date('2026-01-01T00:00:00Z');

const finals = (r: ByoeResult) =>
  Object.fromEntries((r.boot?.registers ?? []).map((g) => [g.name.slice(3), g.value]));
const check = (r: ByoeResult, name: string) => r.verdict?.checks.find((c) => c.check === name);
const jsonSafe = (r: ByoeResult) => expect(JSON.parse(JSON.stringify(r))).toEqual(r);

describe('identifyEvidence: by content, not by name', () => {
  it.each([
    ['tpm/arch-linux-workstation.bin', 'event-log'],
    ['tpm/debian-10.bin', 'event-log'],
    ['snp/milan-report.bin', 'snp-report'],
    ['snp/milan-vcek.der', 'certificates'],
    ['snp/milan-ask.pem', 'certificates'],
    ['nitro/nitro_attestation.b64', 'nitro-document'],
    ['tpm/expected-pcrs.json', 'pcr-values'],
  ])('%s is %s, whatever it is called', (path, kind) => {
    expect(identifyEvidence('upload.dat', read(path)).kind).toBe(kind);
  });

  it('knows a binary Nitro document, an empty file, random bytes and a TDX quote', () => {
    const cbor = fromBase64(new TextDecoder().decode(read('nitro/nitro_attestation.b64')));
    expect(identifyEvidence('doc.cbor', cbor).kind).toBe('nitro-document');
    expect(identifyEvidence('empty.bin', new Uint8Array(0))).toEqual({
      kind: 'unknown',
      reason: expect.stringMatching(/empty/),
    });
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    expect(identifyEvidence('random.bin', random).kind).toBe('unknown');
    const tdx = identifyEvidence('quote.dat', read('tdx/spr-e4-quote.dat'));
    expect(tdx.kind).toBe('unknown');
    expect(tdx.reason).toMatch(/TDX/);
  });
});

describe('appraiseDropped: real TPM event logs', () => {
  it('has every fixture log', () => {
    expect(LOGS).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(LOGS)('%s', (file) => {
    it.each(Object.entries(EXPECTED[file]))(
      'its %s boot chain ends in the PCRs the TPM reported',
      async (bank, pcrs) => {
        const r = await appraiseDropped([drop(`tpm/${file}`)], { bank: bank as HashAlg });
        expect(r.errors).toEqual([]);
        expect(r.files).toEqual([
          expect.objectContaining({
            name: file,
            kind: 'event-log',
            detail: expect.stringMatching(/TCG event log/),
          }),
        ]);
        expect(r.boot?.hash).toBe(bank);
        expect(r.boot?.scheme).toBe('pcr-event-log');
        // Every PCR the TPM reported is either extended by the log (and equal) or never touched.
        const got = finals(r);
        for (const [index, value] of Object.entries(pcrs)) {
          if (got[index] !== undefined) expect(got[index], `PCR${index}`).toBe(value);
        }
        for (const index of Object.keys(got)) expect(pcrs[index], `PCR${index} reported`).toBe(got[index]);
        // Each step's value chains: the last step is the register's value.
        for (const reg of r.boot?.registers ?? []) {
          expect(reg.steps.length).toBeGreaterThan(0);
          expect(reg.steps.at(-1)?.value).toBe(reg.value);
          expect(reg.reference).toBe(reg.value);
        }
        expect(r.evidence).toBeNull();
        expect(r.verdict).toBeNull();
        jsonSafe(r);
      },
    );
  });

  it('uses the PCR values the TPM reported as references when they are dropped too', async () => {
    const r = await appraiseDropped([drop('tpm/expected-pcrs.json'), drop('tpm/rhel8-uefi.bin')]);
    expect(r.files.map((f) => f.kind)).toEqual(['pcr-values', 'event-log']);
    expect(r.boot?.hash).toBe('sha256');
    const want = EXPECTED['rhel8-uefi.bin'].sha256 ?? {};
    for (const reg of r.boot?.registers ?? []) expect(reg.reference).toBe(want[reg.name.slice(3)]);
    expect(r.boot?.headline.value).toBe(r.boot?.headline.reference);
    expect(r.notes.filter((n) => /TPM reported/.test(n))).toEqual([]);
  });

  it('says which PCR differs when the reported values do not match the log', async () => {
    const wrong = { sha256: { ...EXPECTED['rhel8-uefi.bin'].sha256, 7: '00'.repeat(32) } };
    const pcrs = { name: 'pcrs.json', bytes: new TextEncoder().encode(JSON.stringify(wrong)) };
    const r = await appraiseDropped([drop('tpm/rhel8-uefi.bin'), pcrs]);
    const pcr7 = r.boot?.registers.find((g) => g.name === 'PCR7');
    expect(pcr7?.reference).toBe('00'.repeat(32));
    expect(pcr7?.value).not.toBe(pcr7?.reference);
    expect(r.boot?.headline.value).not.toBe(r.boot?.headline.reference);
    expect(r.notes.join('\n')).toMatch(
      /rhel8-uefi\.bin: PCR7 \(sha256\) replays to .* but the TPM reported 0000/,
    );
  });

  it('describes each step by its event type and what it measured', async () => {
    const r = await appraiseDropped([drop('tpm/ubuntu-2104-no-dbx.bin')]);
    const components = r.boot?.registers.flatMap((g) => g.steps.map((s) => s.component)) ?? [];
    expect(components).toContain('EV_SEPARATOR: separator');
    expect(components.some((c) => /^EV_EFI_VARIABLE_DRIVER_CONFIG: SecureBoot/.test(c))).toBe(true);
    expect(components.some((c) => /^EV_EFI_BOOT_SERVICES_APPLICATION: /.test(c))).toBe(true);
    const step = r.boot?.registers[0].steps[0];
    expect(step?.input).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports the oddities of a real log as notes, not errors', async () => {
    const r = await appraiseDropped([drop('tpm/arch-linux-workstation.bin')]);
    expect(r.errors).toEqual([]);
    expect(r.notes.some((n) => n.startsWith('arch-linux-workstation.bin: event '))).toBe(true);
  });
});

describe('appraiseDropped: the real Milan SEV-SNP report and AMD chain', () => {
  it('appraises the report with its VCEK, ASK and ARK: genuine, measurement not compared', async () => {
    const r = await appraiseDropped(
      MILAN.map((p) => drop(p)),
      { at: AT },
    );
    expect(r.errors).toEqual([]);
    expect(r.files.map((f) => f.kind)).toEqual([
      'snp-report',
      'certificates',
      'certificates',
      'certificates',
    ]);
    expect(r.evidence?.format).toBe('snp-report');
    expect(r.evidence?.bytes.length).toBe(1184 * 2);
    // No reference value: the verifier says MEASUREMENT was not compared (unrecognized, a warning), no more.
    expect(r.verdict?.status).toBe('warning');
    for (const name of ['parse', 'signature', 'chain', 'freshness', 'tcb', 'policy', 'platform']) {
      expect(check(r, name)?.ok, name).toBe(true);
    }
    expect(check(r, 'measurement')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no reference measurements/),
      range: [0x90, 0xc0],
      field: 'MEASUREMENT',
    });
    const claims = Object.fromEntries(r.verdict?.claims.map((c) => [c.name, c.status]) ?? []);
    expect(claims).toMatchObject({
      'instance-identity': 'affirming',
      hardware: 'affirming',
      executables: 'warning',
    });
    expect(r.notes.join('\n')).toMatch(/milan-report\.bin: .*MEASUREMENT is not compared/);
    // Once the field tables land, MEASUREMENT sits at 0x90.
    const fields = r.evidence?.fields ?? [];
    if (fields.length > 0) expect(fields.find((f) => f.name === 'MEASUREMENT')?.offset).toBe(0x90);
    jsonSafe(r);
  });

  it('takes ASK and ARK from a PEM bundle, and needs only the VCEK beside the report', async () => {
    const bundle =
      new TextDecoder().decode(read('snp/milan-ask.pem')) +
      new TextDecoder().decode(read('snp/milan-ark.pem'));
    const r = await appraiseDropped(
      [
        drop('snp/milan-report.bin'),
        drop('snp/milan-vcek.der'),
        { name: 'cert_chain.pem', bytes: new TextEncoder().encode(bundle) },
      ],
      { at: AT },
    );
    expect(r.files[2]).toMatchObject({
      kind: 'certificates',
      detail: expect.stringMatching(/^2 certificates: /),
    });
    expect(check(r, 'chain')?.ok).toBe(true);
    const alone = await appraiseDropped([drop('snp/milan-report.bin'), drop('snp/milan-vcek.der')], {
      at: AT,
    });
    expect(check(alone, 'chain')?.ok).toBe(true);
    expect(alone.verdict?.status).toBe('warning');
  });

  it('picks the VCEK that signed the report when two are dropped', async () => {
    const r = await appraiseDropped([drop('snp/turin-vcek.der'), ...MILAN.map((p) => drop(p))], { at: AT });
    expect(check(r, 'signature')?.ok).toBe(true);
    expect(r.errors).toEqual([]);
  });

  it('a bit-flipped report: contraindicated signature check, named file and offset', async () => {
    const flipped = read('snp/milan-report.bin');
    flipped[0x95] ^= 0x01; // inside MEASUREMENT, a signed byte
    const r = await appraiseDropped(
      [{ name: 'flipped.bin', bytes: flipped }, ...MILAN.slice(1).map((p) => drop(p))],
      {
        at: AT,
      },
    );
    expect(r.files[0].kind).toBe('snp-report');
    expect(check(r, 'signature')).toMatchObject({ ok: false, range: [0x2a0, 0x4a0], field: 'SIGNATURE' });
    expect(r.verdict?.status).toBe('contraindicated');
    expect(r.verdict?.claims[0]).toMatchObject({ name: 'instance-identity', status: 'contraindicated' });
    expect(r.errors).toEqual([
      expect.stringMatching(/^flipped\.bin: signature check failed at 0x2a0–0x49f \(SIGNATURE\): /),
    ]);
    expect(r.files[0].error).toMatch(/signature check failed/);
  });

  it('a truncated report names the offset where it ends', async () => {
    const short = read('snp/milan-report.bin').subarray(0, 0x95);
    const r = await appraiseDropped([{ name: 'short.bin', bytes: short }, drop('snp/milan-vcek.der')], {
      at: AT,
    });
    expect(r.files[0].kind).toBe('snp-report');
    expect(r.errors[0]).toMatch(/^short\.bin: parse check failed at 0x95 .*truncated/);
  });

  it('a certificate that does not chain: the message names its file', async () => {
    const vcek = read('snp/milan-vcek.der');
    vcek[vcek.length - 10] ^= 0x40; // inside the ASK's signature over the VCEK
    const r = await appraiseDropped([drop('snp/milan-report.bin'), { name: 'bad-vcek.der', bytes: vcek }], {
      at: AT,
    });
    expect(r.verdict?.status).toBe('contraindicated');
    expect(check(r, 'chain')?.ok).toBe(false);
    expect(r.errors).toContainEqual(
      expect.stringMatching(
        /^bad-vcek\.der: certificate 'SEV-VCEK' does not chain .*signature does not verify/,
      ),
    );
    expect(r.files[1].error).toMatch(/does not chain/);
  });

  it('a report without its VCEK says what is missing', async () => {
    const r = await appraiseDropped([drop('snp/milan-report.bin')], { at: AT });
    expect(check(r, 'signature')?.reason).toMatch(/no VCEK/);
    expect(r.notes.join('\n')).toMatch(/no VCEK was given/);
  });
});

describe('appraiseDropped: real AWS Nitro documents', () => {
  it('appraises the base64 document against the pinned AWS root at its own time', async () => {
    const r = await appraiseDropped([drop('nitro/nitro_attestation.b64')]);
    expect(r.errors).toEqual([]);
    expect(r.files[0].kind).toBe('nitro-document');
    expect(r.evidence?.format).toBe('nitro-document');
    for (const name of ['parse', 'signature', 'chain', 'policy']) expect(check(r, name)?.ok, name).toBe(true);
    expect(check(r, 'measurement')?.ok).toBe(false);
    expect(r.verdict?.status).toBe('warning');
    expect(r.notes.join('\n')).toMatch(/2024-09-07T14:37:39\.545Z/);
    jsonSafe(r);
  });

  it('refuses the debug-mode document by policy, and is stale at a later time', async () => {
    const debug = await appraiseDropped([drop('nitro/nitro_attestation_debug.b64')]);
    expect(check(debug, 'policy')?.ok).toBe(false);
    expect(debug.verdict?.status).toBe('contraindicated');
    const late = await appraiseDropped([drop('nitro/nitro_attestation.b64')], { at: AT });
    expect(check(late, 'chain')?.reason).toMatch(/not valid at/);
    expect(late.errors[0]).toMatch(/^nitro_attestation\.b64: chain check failed/);
  });
});

describe('appraiseDropped: bad input', () => {
  it('a truncated event log names the file and the offset', async () => {
    const log = read('tpm/rhel8-uefi.bin');
    const r = await appraiseDropped([
      { name: 'cut.bin', bytes: log.subarray(0, Math.floor(log.length / 2)) },
    ]);
    expect(r.files[0]).toMatchObject({
      kind: 'event-log',
      error: expect.stringMatching(/offset 0x[0-9a-f]+/),
    });
    expect(r.errors).toEqual([
      expect.stringMatching(/^cut\.bin: tcg-event-log: event \d+ .* at offset 0x[0-9a-f]+: /),
    ]);
    expect(r.boot).toBeNull();
  });

  it('a truncated certificate is still a certificate, and says where it ends', async () => {
    const vcek = read('snp/milan-vcek.der').subarray(0, 600);
    const r = await appraiseDropped([drop('snp/milan-report.bin'), { name: 'cut.der', bytes: vcek }], {
      at: AT,
    });
    expect(r.files[1]).toMatchObject({
      kind: 'certificates',
      error: expect.stringMatching(/does not parse/),
    });
    expect(r.errors[0]).toMatch(/^milan-report\.bin: signature check failed .*no VCEK/);
    expect(r.errors.at(-1)).toMatch(
      /^cut\.der: the DER certificate does not parse: .*offset 0x0: DER length \d+ runs past the end/,
    );
  });

  it('an unrecognised file named like evidence says the content decides', () => {
    const id = identifyEvidence('vcek.pem', new TextEncoder().encode('not a certificate at all'));
    expect(id.kind).toBe('unknown');
    expect(id.reason).toMatch(/named like a PEM certificate, but the content decides/);
  });

  it('a random file is unknown, with a message; an empty file too', async () => {
    const random = Uint8Array.from({ length: 3000 }, (_, i) => (i * 2654435761) >>> 24);
    const r = await appraiseDropped([
      { name: 'noise.bin', bytes: random },
      { name: 'empty.bin', bytes: new Uint8Array(0) },
    ]);
    expect(r.files.map((f) => f.kind)).toEqual(['unknown', 'unknown']);
    expect(r.errors).toEqual([
      expect.stringMatching(/^noise\.bin: not a TCG event log, an SEV-SNP report .* starts with [0-9a-f ]+$/),
      'empty.bin: the file is empty (0 bytes)',
    ]);
  });

  it('a file over the size cap is not read', async () => {
    const big = { name: 'huge.bin', bytes: new Uint8Array(50 * 1024 * 1024) };
    const r = await appraiseDropped([
      big,
      { name: 'huge2.iso', bytes: new Uint8Array(0), size: MAX_FILE_BYTES + 1 },
    ]);
    expect(r.files.map((f) => f.size)).toEqual([50 * 1024 * 1024, MAX_FILE_BYTES + 1]);
    expect(r.errors[0]).toMatch(/^huge\.bin: 50\.0 MiB is more than the 16\.0 MiB this page reads/);
    expect(r.errors).toHaveLength(2);
  });

  it('a bad file next to a good one keeps the good one’s result', async () => {
    const log = read('tpm/cos-101-amd-sev.bin');
    const r = await appraiseDropped([
      { name: 'broken.bin', bytes: log.subarray(0, 700) },
      drop('tpm/cos-101-amd-sev.bin'),
      { name: 'junk.txt', bytes: new TextEncoder().encode('hello, world') },
      drop('nitro/nitro_attestation.b64'),
    ]);
    expect(r.files.map((f) => [f.name, f.kind, f.error !== undefined])).toEqual([
      ['broken.bin', 'event-log', true],
      ['cos-101-amd-sev.bin', 'event-log', false],
      ['junk.txt', 'unknown', true],
      ['nitro_attestation.b64', 'nitro-document', false],
    ]);
    expect(finals(r)).toMatchObject(EXPECTED['cos-101-amd-sev.bin'].sha256 ?? {});
    expect(r.verdict?.status).toBe('warning');
    expect(r.appraisals.map((a) => a.file)).toEqual(['cos-101-amd-sev.bin', 'nitro_attestation.b64']);
    expect(r.errors.map((e) => e.split(':')[0])).toEqual(['broken.bin', 'junk.txt']);
  });

  it('never throws, whatever it is given', async () => {
    const weird = [
      { name: 'a', bytes: Uint8Array.of(0x84, 0x40) },
      { name: 'b', bytes: Uint8Array.of(0x30, 0x03, 1, 2, 3) },
      {
        name: 'c',
        bytes: new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      },
      { name: 'd', bytes: new Uint8Array(1184) },
      { name: 'e', bytes: new TextEncoder().encode('-----BEGIN PRIVATE KEY-----\n') },
      { name: 'f', bytes: new TextEncoder().encode('{"sha256": {"0": "zz"}}') },
    ];
    const r = await appraiseDropped(weird, { at: AT });
    expect(r.files).toHaveLength(6);
    expect(r.errors.length).toBeGreaterThanOrEqual(6);
    for (const f of r.files) expect(f.error, f.name).toBeDefined();
    expect(r.files[4].error).toMatch(/private key/i);
    jsonSafe(r);
  });
});
