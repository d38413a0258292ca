/**
 * `ccte demo` bundles, checked by an independent implementation (Node's OpenSSL) reading the files
 * as a user would, and by our own verifiers through the CLI.
 */
import { X509Certificate, createPublicKey, verify as osslVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as cborDecode, encode as cborEncode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { ccte } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'ccte-demo-'));
function demo(platform: string, seed = 1, extra: string[] = []) {
  const out = join(root, `${platform}-${seed}-${extra.length}`);
  const r = ccte(['demo', platform, '--seed', String(seed), '--out', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const file = (name: string) => readFileSync(join(out, name));
  const manifest = JSON.parse(file('manifest.json').toString()) as Record<string, string>;
  return { out, file, manifest };
}
const reverse = (b: Buffer) => Buffer.from(b).reverse();
const b64url = (b: Buffer) => b.toString('base64url');

describe('ccte demo', () => {
  it('sev-snp: OpenSSL verifies the VCEK → ASK → ARK chain and the report signature; ccte says affirming', () => {
    const { out, file, manifest } = demo('sev-snp');
    const [vcek, ask, ark] = ['vcek.pem', 'ask.pem', 'ark.pem'].map((f) => new X509Certificate(file(f)));
    expect(ark.verify(ark.publicKey) && ask.verify(ark.publicKey) && vcek.verify(ask.publicKey)).toBe(true);
    const report = file('report.bin');
    expect(report.length).toBe(1184);
    // R and S are 72-byte little-endian fields at 0x2a0 and 0x2e8; P-384 uses the low 48 bytes.
    const sig = Buffer.concat([
      reverse(report.subarray(0x2a0, 0x2a0 + 48)),
      reverse(report.subarray(0x2e8, 0x2e8 + 48)),
    ]);
    expect(
      osslVerify(
        'sha384',
        report.subarray(0, 0x2a0),
        { key: vcek.publicKey, dsaEncoding: 'ieee-p1363' },
        sig,
      ),
    ).toBe(true);
    expect(report.subarray(0x90, 0xc0).toString('hex')).toBe(manifest.measurement);
    expect(report.subarray(0x50, 0x90).toString('hex').startsWith(manifest.nonce)).toBe(true);
    const v = ccte([
      'snp',
      'verify',
      join(out, 'report.bin'),
      '--chain',
      ...['vcek.pem', 'ask.pem', 'ark.pem'].map((f) => join(out, f)),
      '--trust-demo-ark',
      '--nonce',
      manifest.nonce,
      '--measurement',
      manifest.measurement,
    ]);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^status: affirming/);
  });

  it('vtpm: the event log replays to the quoted PCRs and OpenSSL verifies the AK signature over TPMS_ATTEST', () => {
    const { out, file, manifest } = demo('vtpm', 1, ['--nonce', '00112233445566778899aabbccddeeff']);
    const ak = new X509Certificate(file('ak.pem'));
    expect(ak.verify(new X509Certificate(file('ak-ca.pem')).publicKey)).toBe(true);
    const attest = file('attest.bin');
    const sig = file('signature.bin');
    // TPMT_SIGNATURE: sigAlg u16 = ECDSA (0x0018), hash u16, r TPM2B, s TPM2B (big-endian).
    expect(sig.readUInt16BE(0)).toBe(0x0018);
    const rLen = sig.readUInt16BE(4);
    const r = sig.subarray(6, 6 + rLen);
    const s = sig.subarray(8 + rLen, 8 + rLen + sig.readUInt16BE(6 + rLen));
    expect(
      osslVerify('sha256', attest, { key: ak.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s])),
    ).toBe(true);
    expect(attest.readUInt32BE(0)).toBe(0xff544347);
    expect(attest.toString('hex')).toContain('00112233445566778899aabbccddeeff');
    const replay = JSON.parse(ccte(['eventlog', 'replay', join(out, 'eventlog.bin'), '--json']).stdout) as {
      banks: Record<string, Record<string, string>>;
    };
    for (let i = 0; i <= 9; i++) expect(replay.banks.sha256[String(i)]).toBe(manifest[`pcr${i}.sha256`]);
  });

  it('tdx: OpenSSL verifies the PCK chain and the attestation key signature; ccte says affirming', () => {
    const { out, file, manifest } = demo('tdx');
    const quote = file('quote.bin');
    expect(quote.readUInt16LE(0)).toBe(4);
    const attKey = quote.subarray(636 + 64, 636 + 128);
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: b64url(attKey.subarray(0, 32)), y: b64url(attKey.subarray(32)) },
      format: 'jwk',
    });
    expect(
      osslVerify(
        'sha256',
        quote.subarray(0, 632),
        { key, dsaEncoding: 'ieee-p1363' },
        quote.subarray(636, 700),
      ),
    ).toBe(true);
    expect(quote.subarray(184, 232).toString('hex')).toBe(manifest.mrtd);
    const v = ccte([
      'tdx',
      'verify',
      join(out, 'quote.bin'),
      '--root',
      join(out, 'root.pem'),
      '--nonce',
      manifest.nonce,
      '--mrtd',
      manifest.mrtd,
    ]);
    expect(v.stdout).toMatch(/^status: affirming/);
    expect(v.status).toBe(0);
  });

  it('nitro: cborg decodes the COSE_Sign1 and OpenSSL verifies its ES384 signature and certificate', () => {
    const { file, manifest } = demo('nitro');
    const [protectedHeader, , payload, signature] = cborDecode(file('attestation.cbor')) as [
      Uint8Array,
      unknown,
      Uint8Array,
      Uint8Array,
    ];
    // The pcrs map has integer keys, so the payload decodes as Maps.
    const map = cborDecode(payload, { useMaps: true }) as Map<string, unknown>;
    const doc = {
      certificate: map.get('certificate') as Uint8Array,
      cabundle: map.get('cabundle') as Uint8Array[],
      nonce: map.get('nonce') as Uint8Array,
      digest: map.get('digest') as string,
    };
    expect(doc.digest).toBe('SHA384');
    expect(Buffer.from(doc.nonce).toString('hex')).toBe(manifest.nonce);
    const cert = new X509Certificate(doc.certificate);
    const toBeSigned = cborEncode(['Signature1', protectedHeader, new Uint8Array(0), payload]);
    expect(
      osslVerify('sha384', toBeSigned, { key: cert.publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
    const chain = [...doc.cabundle].reverse().map((d) => new X509Certificate(d));
    expect(cert.verify(chain[0].publicKey)).toBe(true);
    expect(
      new X509Certificate(file('root.pem')).verify(new X509Certificate(file('root.pem')).publicKey),
    ).toBe(true);
  });

  it('the same seed writes byte-identical bundles, another seed different ones', () => {
    for (const platform of ['sev-snp', 'vtpm', 'tdx', 'nitro']) {
      const a = demo(platform, 7);
      const b = demo(platform, 7, ['--json']);
      const c = demo(platform, 8);
      for (const f of readdirSync(a.out)) {
        expect(a.file(f).equals(b.file(f)), `${platform}/${f}`).toBe(true);
      }
      expect(a.file('manifest.json').equals(c.file('manifest.json'))).toBe(false);
    }
  });

  it('refuses unknown platforms, missing or bad seeds and oversized nonces with exit 2', () => {
    for (const args of [
      ['demo', 'vax', '--seed', '1', '--out', root],
      ['demo', 'tdx', '--out', root],
      ['demo', 'tdx', '--seed', '-1', '--out', root],
      ['demo', 'tdx', '--seed', '1'],
      ['demo', 'tdx', '--seed', '1', '--out', root, '--nonce', 'zz'],
      ['demo', 'tdx', '--seed', '1', '--out', root, '--nonce', 'ab'.repeat(65)],
    ]) {
      const r = ccte(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
