/**
 * `ccte demo <platform> --seed N --out <dir>`: writes a complete simulated evidence bundle, measured
 * from a small demo guest image with the real algorithms, signed by seeded keys, in the real formats,
 * so that OpenSSL or any other independent tool can check it. Same seed, same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex, utf8 } from '../../core/crypto/bytes';
import { seededDrbg, type HmacDrbg } from '../../core/crypto/drbg';
import { digest } from '../../core/crypto/hash';
import { generateKeyPair } from '../../core/crypto/ecdsa';
import { demoSnpEvidence } from '../../core/evidence/amd-chain';
import { demoTdxEvidence } from '../../core/evidence/intel-chain';
import { demoNitroEvidence } from '../../core/evidence/nitro-chain';
import { demoTpmEvidence } from '../../core/evidence/tpm-quote';
import { derToPem } from '../../core/evidence/x509';
import { parseEventLog, replayEventLog, writeEventLog } from '../../core/measure/event-log';
import { EV } from '../../core/measure/event-types';
import { snpLaunchDigest } from '../../core/measure/snp-launch-digest';
import { measureMrtd, RtmrBank } from '../../core/measure/tdx';
import { CliError, usageError } from '../cli-error';
import { parseCommandArgs } from '../args';
import { printJson } from '../io';
import type { Command } from './command';

interface Bundle {
  files: Record<string, Uint8Array | string>;
  /** What was measured and bound, in hex, for the manifest. */
  facts: Record<string, string>;
  /** How an independent tool can check the bundle. */
  verify: string[];
}

interface DemoInput {
  seed: number;
  nonce: Uint8Array;
  drbg: HmacDrbg;
}

/** A few 4 KiB pages of "firmware" drawn from the seed, so measurements are of real bytes. */
function demoPages(drbg: HmacDrbg, count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const page = new Uint8Array(4096);
    page.set(utf8(`ccte demo firmware page ${i}\n`));
    page.set(drbg.generate(256), 256);
    return page;
  });
}

const pem = (der: Uint8Array) => derToPem(der);

function sevSnp({ seed, nonce, drbg }: DemoInput): Bundle {
  const pages = demoPages(drbg, 3);
  const { launchDigest } = snpLaunchDigest([
    ...pages.map((contents, i) => ({
      type: 'normal' as const,
      gpa: 0xffc00000n + BigInt(i * 4096),
      contents,
    })),
    { type: 'zero', gpa: 0x800000n },
    { type: 'secrets', gpa: 0x801000n },
    { type: 'cpuid', gpa: 0x802000n },
    { type: 'vmsa', contents: drbg.generate(4096) },
  ]);
  const e = demoSnpEvidence(seed, { measurement: launchDigest, reportData: nonce });
  return {
    files: { 'report.bin': e.report, 'vcek.pem': pem(e.vcek), 'ask.pem': pem(e.ask), 'ark.pem': pem(e.ark) },
    facts: { measurement: toHex(launchDigest), reportData: toHex(e.fields.reportData) },
    verify: [
      'ccte snp verify report.bin --chain vcek.pem ask.pem ark.pem --trust-demo-ark --nonce <nonce> --measurement <measurement>',
      'openssl verify -partial_chain -CAfile ark.pem -untrusted ask.pem vcek.pem',
      'the report signature: ECDSA P-384/SHA-384 over bytes 0x000-0x29f, R and S little-endian at 0x2a0 and 0x2e8',
    ],
  };
}

function vtpm({ seed, nonce, drbg }: DemoInput): Bundle {
  const text = (t: string) => utf8(t);
  const firmware = demoPages(drbg, 1)[0];
  const events = [
    { pcrIndex: 0, type: EV.EV_S_CRTM_VERSION, data: text('ccte demo firmware 1.0\0') },
    // A firmware blob event carries the blob's location; its digest is of the blob itself.
    {
      pcrIndex: 0,
      type: EV.EV_EFI_PLATFORM_FIRMWARE_BLOB,
      data: new Uint8Array(16),
      digests: { sha256: digest('sha256', firmware) },
    },
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((pcrIndex) => ({
      pcrIndex,
      type: EV.EV_SEPARATOR,
      data: new Uint8Array(4),
    })),
    { pcrIndex: 8, type: EV.EV_IPL, data: text('grub_cmd: linux /vmlinuz root=/dev/vda1 ro\0') },
    { pcrIndex: 9, type: EV.EV_IPL, data: text('/boot/vmlinuz\0') },
  ];
  const log = writeEventLog({ algorithms: ['sha256'], events, locality: 0 });
  // Replay the bytes just written, as a verifier would, rather than trusting what we meant to write.
  const bank = replayEventLog(parseEventLog(log), ['sha256']).sha256;
  if (!bank) throw new CliError('demo vtpm: the written event log has no sha256 bank');
  const selected = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const pcrs = { sha256: Object.fromEntries(selected.map((i) => [i, bank.read(i)])) };
  const e = demoTpmEvidence(seed, { pcrs, nonce });
  return {
    files: {
      'eventlog.bin': log,
      'quote.bin': e.quote,
      'attest.bin': e.attest,
      'signature.bin': e.signature,
      'ak.pem': pem(e.akCertificate),
      'ak-ca.pem': pem(e.akCaCertificate),
    },
    facts: Object.fromEntries(selected.map((i) => [`pcr${i}.sha256`, toHex(pcrs.sha256[i])])),
    verify: [
      'ccte eventlog replay eventlog.bin --json   (the PCRs above)',
      'tpm2_checkquote -u ak.pem -m attest.bin -s signature.bin -g sha256 -q <nonce>',
      'openssl verify -CAfile ak-ca.pem ak.pem',
    ],
  };
}

function tdx({ seed, nonce, drbg }: DemoInput): Bundle {
  const firmware = demoPages(drbg, 4);
  const image = new Uint8Array(firmware.length * 4096);
  firmware.forEach((p, i) => image.set(p, i * 4096));
  const { mrtd } = measureMrtd([
    { gpa: 0xffc00000n, bytes: image.subarray(0, 8192), measured: true },
    { gpa: 0x800000n, bytes: image.subarray(8192), measured: false },
  ]);
  const rtmr = new RtmrBank();
  const stages = [
    'firmware configuration',
    'bootloader and kernel',
    'kernel command line and initrd',
    'workload',
  ];
  stages.forEach((stage, i) => rtmr.extend(i, digest('sha384', utf8(`ccte demo ${stage}`)), stage));
  const rtmrs = [0, 1, 2, 3].map((i) => rtmr.read(i));
  const e = demoTdxEvidence(seed, { reportData: nonce, mrTd: mrtd, rtmrs });
  return {
    files: { 'quote.bin': e.quote, 'pck-chain.pem': e.chainPem, 'root.pem': e.rootPem },
    facts: { mrtd: toHex(mrtd), ...Object.fromEntries(rtmrs.map((r, i) => [`rtmr${i}`, toHex(r)])) },
    verify: [
      'ccte tdx verify quote.bin --root root.pem --nonce <nonce> --mrtd <mrtd>',
      'openssl verify -CAfile root.pem -untrusted pck-chain.pem pck-chain.pem',
    ],
  };
}

function nitro({ seed, nonce, drbg }: DemoInput): Bundle {
  const e = demoNitroEvidence(seed, {
    nonce,
    userData: utf8('ccte demo'),
    publicKey: generateKeyPair('p384', drbg.fork('enclave-key')).publicKey,
  });
  const pcrs = e.payload.pcrs;
  return {
    files: { 'attestation.cbor': e.document, 'root.pem': pem(e.root) },
    facts: Object.fromEntries(
      [0, 1, 2, 8].filter((i) => pcrs.has(i)).map((i) => [`pcr${i}`, toHex(pcrs.get(i) ?? new Uint8Array())]),
    ),
    verify: [
      'COSE_Sign1 (ES384): verify the signature over ["Signature1", protected, h\'\', payload] with the key of payload.certificate',
      'chain: payload.certificate ← reversed payload.cabundle ← root.pem',
    ],
  };
}

const PLATFORMS: Record<string, (input: DemoInput) => Bundle> = { 'sev-snp': sevSnp, vtpm, tdx, nitro };

export const demoCommand: Command = {
  name: 'demo',
  summary: 'write a simulated evidence bundle for a platform that independent tools can verify',
  usage: `ccte demo <${Object.keys(PLATFORMS).join('|')}> --seed N --out <dir> [--nonce hex] [--json]`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      'demo',
      args,
      {
        seed: { type: 'string' },
        out: { type: 'string' },
        nonce: { type: 'string' },
        json: { type: 'boolean' },
      },
      1,
    );
    const [platform] = positionals;
    const make = PLATFORMS[platform];
    if (!make)
      throw usageError(
        `demo: unknown platform '${platform}' (expected ${Object.keys(PLATFORMS).join(', ')})`,
      );
    if (values.seed === undefined || !/^\d{1,15}$/.test(values.seed)) {
      throw usageError('demo: --seed needs a whole number (e.g. --seed 1)');
    }
    if (!values.out) throw usageError('demo: --out needs a directory to write the bundle into');
    const seed = Number(values.seed);
    const drbg = seededDrbg(seed, `demo:${platform}`);
    let nonce: Uint8Array;
    try {
      nonce = values.nonce === undefined ? drbg.generate(32) : fromHex(values.nonce, '--nonce');
    } catch (e) {
      throw usageError(`demo: ${(e as Error).message}`);
    }
    if (nonce.length > 64)
      throw usageError(`demo: --nonce is ${nonce.length} bytes; evidence binds at most 64`);
    const bundle = make({ seed, nonce, drbg });
    try {
      mkdirSync(values.out, { recursive: true });
      for (const [name, content] of Object.entries(bundle.files))
        writeFileSync(join(values.out, name), content);
    } catch (e) {
      throw new CliError(`demo: cannot write to '${values.out}': ${(e as Error).message}`);
    }
    const manifest = {
      platform,
      seed,
      nonce: toHex(nonce),
      files: Object.keys(bundle.files),
      ...bundle.facts,
      verify: bundle.verify,
      note: 'Simulated evidence signed by DEMO keys of the Confidential Computing Threat Explorer; it proves nothing about real hardware.',
    };
    writeFileSync(join(values.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (values.json) printJson({ ...manifest, out: values.out });
    else
      process.stdout.write(
        `wrote ${platform} evidence (seed ${seed}) to ${values.out}: ${[...manifest.files, 'manifest.json'].join(', ')}\n`,
      );
  },
};
