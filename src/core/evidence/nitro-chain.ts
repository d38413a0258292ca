/**
 * A simulated AWS Nitro Attestation PKI — DEMO, NOT AWS'S. It has the shape of the real one (root
 * "aws.nitro-enclaves" → regional → zonal → instance → per-enclave certificate, all ECDSA P-384 /
 * SHA-384, the leaf living three hours), but every key comes from the seeded DRBG and every subject
 * says "AWS (DEMO)", so nothing it signs verifies against the real root in nitro-roots.ts.
 *
 * The demo root key is drawn from a fixed label, not from the scenario's seed: a verifier can pin it
 * once, and an attacker who builds a chain from its own seed gets a different, unpinned root.
 */
import { concatBytes, toHex, utf8 } from '../crypto/bytes';
import { seededDrbg, type HmacDrbg, type Seed } from '../crypto/drbg';
import { generateKeyPair, type KeyPair } from '../crypto/ecdsa';
import { digest } from '../crypto/hash';
import { nitroPcrs, type EnclaveImage } from '../measure/nitro';
import {
  encodeNitroDocument,
  es384Signer,
  NITRO_LIMITS,
  type CoseSigner,
  type NitroPayload,
} from './nitro-document';
import { issueCertificate, type Signer } from './x509';

const DEMO_OU = 'AWS (DEMO)';
const ROOT_SUBJECT = { C: 'US', O: 'Amazon', OU: DEMO_OU, CN: 'aws.nitro-enclaves' };
/** Same validity as the real G1 root, so the demo looks like it and stays valid for decades. */
const ROOT_VALIDITY = {
  notBefore: new Date('2019-10-28T13:28:05Z'),
  notAfter: new Date('2049-10-28T14:28:05Z'),
};
/** Default document time: simulated evidence is reproducible, so it never reads the clock. */
export const DEMO_NITRO_TIMESTAMP = Date.UTC(2026, 0, 1, 12, 0, 0);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ecSigner(key: KeyPair): Signer {
  return { kind: 'ecdsa', curve: 'p384', privateKey: key.privateKey, hash: 'sha384' };
}

/** A positive 16-byte serial, as AWS's are. */
function serial(drbg: HmacDrbg): Uint8Array {
  const s = drbg.generate(16);
  s[0] &= 0x7f;
  s[0] |= 0x01;
  return s;
}

interface DemoRoot {
  key: KeyPair;
  der: Uint8Array;
}
let demoRoot: DemoRoot | undefined;

/** The DEMO root key and self-signed certificate (computed once: they do not depend on any seed). */
function root(): DemoRoot {
  if (!demoRoot) {
    const drbg = seededDrbg('aws-nitro-demo-root', 'ccte nitro demo pki');
    const key = generateKeyPair('p384', drbg);
    const der = issueCertificate(
      {
        ...ROOT_VALIDITY,
        serialNumber: serial(drbg),
        subject: ROOT_SUBJECT,
        issuer: ROOT_SUBJECT,
        publicKey: { kind: 'ec', curve: 'p384', point: key.publicKey },
        isCA: true,
      },
      ecSigner(key),
    );
    demoRoot = { key, der };
  }
  return demoRoot;
}

/** DER of the DEMO root, for a simulated verifier's `trustedRoots` (a fresh copy each call). */
export function nitroDemoRootDer(): Uint8Array {
  return root().der.slice();
}

export interface NitroDemoChain {
  /** Root first, as the document's cabundle lists them: [root, regional, zonal, instance]. */
  cabundle: Uint8Array[];
  /** The per-enclave certificate whose key signs documents. */
  enclaveCertificate: Uint8Array;
  enclaveKey: KeyPair;
  /** The instance CA's key, which issues enclave certificates (for simulating other enclaves on it). */
  instanceKey: KeyPair;
  /** The instance CA's subject, the issuer name of enclave certificates. */
  instanceSubject: Record<string, string>;
  /** Leaf first, root last: enclave, instance, zonal, regional, root (for PEM bundles and OpenSSL). */
  leafFirst: Uint8Array[];
  /** The NSM module ID that names this enclave, e.g. `i-0123…-enc0123…`. */
  moduleId: string;
}

/**
 * Issues the regional, zonal, instance and enclave certificates for one simulated enclave, each
 * valid around `timestamp` the way AWS's are (regional weeks, zonal days, instance a day, enclave
 * three hours).
 */
export function nitroDemoChain(seed: Seed, timestamp = DEMO_NITRO_TIMESTAMP): NitroDemoChain {
  const drbg = seededDrbg(seed, 'ccte nitro demo pki');
  const r = root();
  const region = 'us-east-1';
  const regionalId = toHex(drbg.generate(8));
  const zonalId = toHex(drbg.generate(8));
  const instanceId = `i-${toHex(drbg.generate(9)).slice(0, 17)}`;
  const enclaveId = `${instanceId}-enc${toHex(drbg.generate(8))}`;
  const at = (ms: number) => new Date(timestamp + ms);

  const levels: {
    subject: Record<string, string>;
    validity: { notBefore: Date; notAfter: Date };
    isCA: boolean;
  }[] = [
    {
      subject: { C: 'US', O: 'Amazon', OU: DEMO_OU, CN: `${regionalId}.${region}.aws.nitro-enclaves` },
      validity: { notBefore: at(-3 * DAY), notAfter: at(17 * DAY) },
      isCA: true,
    },
    {
      subject: {
        CN: `${zonalId}.zonal.${region}.aws.nitro-enclaves`,
        OU: DEMO_OU,
        O: 'Amazon',
        C: 'US',
        ST: 'WA',
        L: 'Seattle',
      },
      validity: { notBefore: at(-1 * DAY), notAfter: at(5 * DAY) },
      isCA: true,
    },
    {
      subject: {
        C: 'US',
        ST: 'Washington',
        L: 'Seattle',
        O: 'Amazon',
        OU: DEMO_OU,
        CN: `${instanceId}.${region}.aws.nitro-enclaves`,
      },
      validity: { notBefore: at(-2 * HOUR), notAfter: at(22 * HOUR) },
      isCA: true,
    },
    {
      subject: {
        C: 'US',
        ST: 'Washington',
        L: 'Seattle',
        O: 'Amazon',
        OU: DEMO_OU,
        CN: `${enclaveId}.${region}.aws`,
      },
      validity: { notBefore: at(-3000), notAfter: at(3 * HOUR) },
      isCA: false,
    },
  ];

  let issuerKey = r.key;
  let issuerSubject: Record<string, string> = ROOT_SUBJECT;
  const issued: Uint8Array[] = [];
  const keys: KeyPair[] = [];
  for (const level of levels) {
    const key = generateKeyPair('p384', drbg);
    keys.push(key);
    issued.push(
      issueCertificate(
        {
          ...level.validity,
          serialNumber: serial(drbg),
          subject: level.subject,
          issuer: issuerSubject,
          publicKey: { kind: 'ec', curve: 'p384', point: key.publicKey },
          isCA: level.isCA,
        },
        ecSigner(issuerKey),
      ),
    );
    issuerKey = key;
    issuerSubject = level.subject;
  }
  const [regional, zonal, instance, enclave] = issued;
  return {
    cabundle: [r.der.slice(), regional, zonal, instance],
    enclaveCertificate: enclave,
    enclaveKey: keys[3],
    instanceKey: keys[2],
    instanceSubject: levels[2].subject,
    leafFirst: [enclave, instance, zonal, regional, r.der.slice()],
    moduleId: enclaveId,
  };
}

export interface DemoNitroOptions {
  /** PCR index → 48-byte value; defaults to a demo image's PCR0–2, the instance's PCR4 and zeros. */
  pcrs?: ReadonlyMap<number, Uint8Array> | Readonly<Record<number, Uint8Array>>;
  nonce?: Uint8Array | null;
  publicKey?: Uint8Array | null;
  userData?: Uint8Array | null;
  /** Milliseconds since the epoch; defaults to DEMO_NITRO_TIMESTAMP. */
  timestamp?: number;
  /**
   * `nitro-cli run-enclave --debug-mode`: the NSM then reports every PCR but the instance's (PCR4)
   * as zeros, which is how a verifier can tell (AWS Nitro Enclaves User Guide, "Attestation").
   */
  debug?: boolean;
  /** Emit CBOR tag 18 (the NSM does not). */
  tagged?: boolean;
  /** Sign with this instead of the chain's enclave key (a forger's key, or an OpenSSL one in tests). */
  sign?: CoseSigner;
  /** Replace the enclave certificate (e.g. with one for the `sign` key). */
  certificate?: Uint8Array;
}

export interface DemoNitroEvidence {
  /** The COSE_Sign1 document, as `nitro-cli`/the NSM would hand it out. */
  document: Uint8Array;
  /** DER of the DEMO root the document chains to. */
  root: Uint8Array;
  chain: NitroDemoChain;
  payload: NitroPayload;
}

/** The demo enclave image file: what `nitro-cli build-enclave` would measure into PCR0–2. */
export const DEMO_ENCLAVE_IMAGE: EnclaveImage = {
  kernel: utf8('ccte demo enclave kernel (bzImage)'),
  cmdline: 'reboot=k panic=30 pci=off nomodules console=ttyS0 random.trust_cpu=on',
  ramdisks: [utf8('ccte demo bootstrap ramdisk: init, nsm.ko'), utf8('ccte demo application ramdisk')],
};

/**
 * The PCRs of a simulated enclave: PCR0–2 measured from DEMO_ENCLAVE_IMAGE as the EIF tools do,
 * PCR4 from the parent instance, the other locked PCRs zero.
 */
export function demoNitroPcrs(
  moduleId: string,
  image: EnclaveImage = DEMO_ENCLAVE_IMAGE,
): Map<number, Uint8Array> {
  const pcrs = new Map<number, Uint8Array>();
  for (let i = 0; i < 16; i++) pcrs.set(i, new Uint8Array(NITRO_LIMITS.pcrBytes));
  for (const [i, v] of Object.entries(nitroPcrs(image).pcrs)) pcrs.set(Number(i), v);
  pcrs.set(4, digest('sha384', concatBytes(new Uint8Array(48), utf8(moduleId.split('-enc')[0]))));
  return pcrs;
}

/** A complete, validly signed simulated Nitro attestation document and the DEMO root it chains to. */
export function demoNitroEvidence(seed: Seed, options: DemoNitroOptions = {}): DemoNitroEvidence {
  const timestamp = options.timestamp ?? DEMO_NITRO_TIMESTAMP;
  const chain = nitroDemoChain(seed, timestamp);
  const given = options.pcrs;
  const pcrs =
    given === undefined
      ? demoNitroPcrs(chain.moduleId)
      : new Map(
          given instanceof Map
            ? [...given]
            : Object.entries(given).map(([k, v]): [number, Uint8Array] => [Number(k), v]),
        );
  if (options.debug) {
    for (const i of pcrs.keys()) if (i !== 4) pcrs.set(i, new Uint8Array(NITRO_LIMITS.pcrBytes));
  }
  const payload: NitroPayload = {
    moduleId: chain.moduleId,
    digest: 'SHA384',
    timestamp,
    pcrs,
    certificate: options.certificate ?? chain.enclaveCertificate,
    cabundle: chain.cabundle,
    // The NSM writes every optional field, null when the enclave supplied nothing.
    publicKey: options.publicKey ?? null,
    userData: options.userData ?? null,
    nonce: options.nonce ?? null,
  };
  const document = encodeNitroDocument(payload, options.sign ?? es384Signer(chain.enclaveKey.privateKey), {
    tagged: options.tagged ?? false,
  });
  return { document, root: chain.cabundle[0].slice(), chain, payload };
}
