/**
 * Field layouts of evidence formats, for a payload inspector: which bytes of a report or quote are
 * which field, named as the format's specification spells it, with one sentence on why a verifier
 * cares.
 *
 * Offsets are never retyped here: fixed layouts come from the decoders' tables (SNP_REPORT_LAYOUT,
 * TDX_QUOTE_LAYOUT, QE_REPORT_LAYOUT, SGX_QUOTE_LAYOUT, SGX_REPORT_BODY_LAYOUT, SE_RESPONSE_LAYOUT),
 * variable-length parts from the decoders' range functions (tdxQuoteRanges, sgxQuoteRanges,
 * tpmsAttestRanges, decodeSeResponse). The CBOR formats (Nitro COSE_Sign1, the CCA token) are walked
 * by a small header-level CBOR reader below that records where every item lies and, unlike the strict
 * decoder, keeps going as far as a truncated input allows. The simulation's own formats
 * ('sev-launch-measure', 'ta-hash-report') follow src/model/world.ts (PlatformEffects.evidence).
 *
 * Nothing here throws on bad bytes: a user may drop a truncated or foreign file on the inspector, so
 * every format returns the fields that can be safely identified and that lie wholly inside the input.
 */
import { fromUtf8 } from '../crypto/bytes';
import { SEV_MNONCE_SIZE } from '../measure/sev-measurement';
import {
  CCA_PLATFORM_TOKEN,
  CCA_REALM_TOKEN,
  CCA_TOKEN_TAG,
  PLATFORM_CLAIM,
  REALM_CLAIM,
  SW_COMPONENT,
} from './cca-token';
import { SE_RESPONSE_LAYOUT, decodeSeResponse } from './ibm-se';
import { COSE_SIGN1_TAG, NITRO_FIELDS, type NitroField } from './nitro-document';
import {
  SGX_QUOTE_LAYOUT,
  SGX_REPORT_BODY_LAYOUT,
  SGX_PCK_CHAIN_PEM,
  decodeSgxQuote,
  sgxQuoteRanges,
} from './sgx-quote';
import {
  SNP_FIELD_NAMES,
  SNP_REPORT_LAYOUT,
  SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384,
  snpFieldAt,
  type SnpFieldKey,
} from './snp-report';
import {
  QE_REPORT_LAYOUT,
  TDX_QUOTE_LAYOUT,
  decodeTdxQuote,
  tdxQuoteRanges,
  type ByteRange,
  type TdxField,
} from './tdx-quote';
import { TPM_ALG, decodeTpmsAttest, tpmHashAlg, tpmsAttestRanges, type TpmsAttestQuote } from './tpm-quote';

export interface EvidenceField {
  name: string;
  offset: number;
  length: number;
  /** One sentence on what the field means. */
  description: string;
}

/**
 * Per format, the names of the field that carries what was measured and of the field that carries the
 * verifier's nonce (or the hash binding nonce and key), as `evidenceFields` names them.
 */
export const EVIDENCE_KEY_FIELDS: Readonly<Record<string, { measurement: string; binding: string }>> = {
  'snp-report': { measurement: 'MEASUREMENT', binding: 'REPORT_DATA' },
  'tdx-quote': { measurement: 'MRTD', binding: 'REPORTDATA' },
  'sgx-quote': { measurement: 'MRENCLAVE', binding: 'REPORTDATA' },
  'tpm-quote': { measurement: 'pcrDigest', binding: 'extraData' },
  'nitro-document': { measurement: 'PCR0', binding: 'nonce' },
  'cca-token': { measurement: 'cca-realm-initial-measurement', binding: 'cca-realm-challenge' },
  'ibm-se-attestation': { measurement: 'measurement', binding: 'user data' },
  'sev-launch-measure': { measurement: 'MEASURE', binding: 'MNONCE' },
  'ta-hash-report': { measurement: 'TA hash', binding: 'nonce' },
};

/** The annotated fields of `bytes` in `format` (one of the capability `evidence` values), in offset order. */
export function evidenceFields(format: string, bytes: Uint8Array): EvidenceField[] {
  if (!(bytes instanceof Uint8Array)) return [];
  const build = BUILDERS.get(format);
  if (!build) return [];
  const f = new Fields(bytes.length);
  try {
    build(f, bytes);
  } catch {
    // A builder only reads through bounds-checked helpers and wraps every decoder call; should an
    // unforeseen input still throw, the fields found so far are kept, all of them inside the input.
  }
  return f.done();
}

// ---- collecting fields -------------------------------------------------------------------------

/** Collects fields, keeping only non-empty ones that lie wholly inside the input. */
class Fields {
  private readonly list: EvidenceField[] = [];

  constructor(readonly size: number) {}

  add(name: string, range: ByteRange, description: string): void {
    const [start, end] = range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return;
    if (start < 0 || end <= start || end > this.size) return;
    this.list.push({ name, offset: start, length: end - start, description });
  }

  /** In offset order; should two ever overlap, the one starting later (or shorter) is dropped. */
  done(): EvidenceField[] {
    const sorted = [...this.list].sort((a, b) => a.offset - b.offset || b.length - a.length);
    const out: EvidenceField[] = [];
    for (const field of sorted) {
      const last = out.at(-1);
      if (!last || field.offset >= last.offset + last.length) out.push(field);
    }
    return out;
  }
}

const shift = (r: ByteRange, base: number): ByteRange => [r[0] + base, r[1] + base];

function u16(bytes: Uint8Array, at: number, endian: 'le' | 'be'): number | undefined {
  if (at < 0 || at + 2 > bytes.length) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(at, endian === 'le');
}

function u32(bytes: Uint8Array, at: number, endian: 'le' | 'be'): number | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, endian === 'le');
}

/** Runs a decoder, giving undefined instead of its FormatError (or any other error). */
function attempt<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

const RESERVED =
  'Reserved bytes that must be zero; anything else means a malformed report or one from a newer format than the verifier knows.';

// ---- AMD SEV-SNP ATTESTATION_REPORT --------------------------------------------------------------

const SNP_DESCRIPTIONS: Record<SnpFieldKey, string> = {
  version:
    'Report format version (2–5), which decides whether the CPUID and mitigation-vector fields exist, so a verifier must parse by it.',
  guestSvn:
    "The guest's security version number from its ID block, letting a verifier refuse an older, vulnerable build of the same signed image.",
  policy:
    'Guest policy fixed at launch (DEBUG, migration agent, SMT, single socket, minimum ABI); a verifier must refuse DEBUG or an unexpected migration agent, as either lets the host read guest memory.',
  familyId: 'Owner-chosen identifier of the image family, from the ID block the owner signed at launch.',
  imageId:
    'Owner-chosen identifier of the image within its family, from the ID block the owner signed at launch.',
  vmpl: 'VM privilege level (0 is the most privileged) of the code that requested the report, so a verifier can tell an SVSM or paravisor at VMPL0 from a less-trusted guest kernel.',
  signatureAlgo:
    'Algorithm of the signature at 0x2A0; 1 = ECDSA P-384 with SHA-384, the only one the ABI defines.',
  currentTcb:
    'Security versions of the firmware components running now (bootloader, TEE, SNP firmware, microcode; FMC on Turin), informative next to REPORTED_TCB.',
  platformInfo:
    'Platform state bits (SMT, TSME, ECC, RAPL disabled, ciphertext hiding, alias check) that a policy may require, for example no SMT against cross-thread side channels.',
  signerInfo:
    'Which key signed (VCEK, VLEK or none), whether CHIP_ID is masked and whether an author key signed the ID block, which tells the verifier which certificate to expect.',
  reserved0: RESERVED,
  reportData:
    "64 bytes the guest supplied when it asked for the report, normally a hash binding the verifier's nonce and the guest's public key: what makes the report fresh and ties it to a key.",
  measurement:
    'Launch digest the AMD-SP computed over every page the host loaded before the guest ran; the verifier compares it with the reference value of the expected firmware image.',
  hostData:
    'Data the host supplied at launch, signed but not measured, so a verifier may read it only as a host-asserted label, never as something the guest chose.',
  idKeyDigest:
    "SHA-384 digest of the owner's ID key that signed the ID block at launch, naming who approved this guest's measurement and policy.",
  authorKeyDigest:
    'SHA-384 digest of the author key that certified the ID key (when AUTHOR_KEY_EN is set), an optional second level of image signing.',
  reportId:
    'Random identifier the firmware gave this guest at launch, the same in all its reports, so a verifier can correlate them.',
  reportIdMa:
    "REPORT_ID of the guest's migration agent, all ones when there is none; an agent can move the guest's memory and keys to another machine.",
  reportedTcb:
    'TCB the firmware reports and from which the VCEK was derived; the verifier compares it with its minimum and checks that the VCEK matches it.',
  cpuidFamId:
    'CPUID family of the chip (version 3+), signed, so it identifies the product generation and the TCB layout to read.',
  cpuidModId: 'CPUID model of the chip (version 3+), which tells Milan from Genoa.',
  cpuidStep: 'CPUID stepping of the chip (version 3+).',
  reserved1: RESERVED,
  chipId:
    "Unique identifier of the chip (zero when masked by policy); with REPORTED_TCB it names the VCEK to fetch from AMD's KDS, and it links every report to one physical machine.",
  committedTcb:
    'TCB the firmware has committed to: it can no longer roll back below it, the anti-rollback floor.',
  currentBuild: 'Build number of the SNP firmware running now.',
  currentMinor: 'Minor version of the SNP firmware running now.',
  currentMajor: 'Major version of the SNP firmware running now.',
  reserved2: RESERVED,
  committedBuild: 'Build number of the committed SNP firmware.',
  committedMinor: 'Minor version of the committed SNP firmware.',
  committedMajor: 'Major version of the committed SNP firmware.',
  reserved3: RESERVED,
  launchTcb:
    'TCB when the guest was launched; lower than CURRENT_TCB means the guest started on older firmware that may have been vulnerable then.',
  launchMitVector:
    'Mitigation vector at launch (version 5+): which security mitigations were in effect, for policies that require a given fix.',
  currentMitVector: 'Mitigation vector now in effect (version 5+).',
  reserved4: RESERVED,
  signature:
    'Signature over bytes 0x000–0x29F with the algorithm SIGNATURE_ALGO names; opaque here because that algorithm is not ECDSA P-384.',
  signatureR:
    'R of the ECDSA P-384 signature (little-endian, zero-padded to 72 bytes) by the VCEK or VLEK over bytes 0x000–0x29F, which is what makes every field above trustworthy.',
  signatureS: 'S of the ECDSA P-384 signature (little-endian, zero-padded to 72 bytes).',
  signatureReserved: 'Reserved remainder of the SIGNATURE field, which must be zero.',
};

const SNP_SIGNATURE_PARTS: readonly SnpFieldKey[] = ['signatureR', 'signatureS', 'signatureReserved'];

function snpFields(f: Fields, bytes: Uint8Array): void {
  // The version decides which fields exist; a report too short to say is read as version 2.
  const version = u32(bytes, SNP_REPORT_LAYOUT.version[0], 'le') ?? 2;
  const algo = u32(bytes, SNP_REPORT_LAYOUT.signatureAlgo[0], 'le');
  const ecdsa = algo === undefined || algo === SNP_SIGNATURE_ALGO_ECDSA_P384_SHA384;
  let pending: { name: string; range: [number, number]; description: string } | undefined;
  const flush = () => {
    if (pending) f.add(pending.name, pending.range, pending.description);
    pending = undefined;
  };
  for (const key of Object.keys(SNP_REPORT_LAYOUT) as SnpFieldKey[]) {
    if (key === 'signature' ? ecdsa : !ecdsa && SNP_SIGNATURE_PARTS.includes(key)) continue;
    const [start, end] = SNP_REPORT_LAYOUT[key];
    const reserved = key !== 'signature' && (snpFieldAt(start, version)?.reserved ?? false);
    // Adjacent reserved spans (e.g. the CPUID bytes of a version 2 report) are shown as one.
    if (reserved && pending?.name === 'reserved' && pending.range[1] === start) {
      pending.range[1] = end;
      continue;
    }
    flush();
    pending = reserved
      ? { name: 'reserved', range: [start, end], description: RESERVED }
      : { name: SNP_FIELD_NAMES[key], range: [start, end], description: SNP_DESCRIPTIONS[key] };
  }
  flush();
}

// ---- SGX report bodies (the SGX quote's enclave and both QE reports) -----------------------------

type SgxBodyKey = keyof typeof SGX_REPORT_BODY_LAYOUT;

const SGX_BODY: Record<Exclude<SgxBodyKey, 'attributes'>, [string, string]> = {
  cpuSvn: [
    'CPUSVN',
    "Security versions of the CPU's microcode and firmware; compared with Intel's TCB info to decide whether the platform is up to date.",
  ],
  miscSelect: [
    'MISCSELECT',
    "Extended SSA frame features the enclave uses, bounded by its signer's MISCMASK.",
  ],
  reserved1: ['reserved', RESERVED],
  isvExtProdId: [
    'ISVEXTPRODID',
    "Extended product ID from the enclave's signer (Key Separation and Sharing).",
  ],
  mrEnclave: [
    'MRENCLAVE',
    "SHA-256 measurement of the enclave's pages and layout as ECREATE, EADD and EEXTEND built it: exactly which code runs, compared with the reference build.",
  ],
  reserved2: ['reserved', RESERVED],
  mrSigner: [
    'MRSIGNER',
    "SHA-256 of the enclave signer's RSA modulus, so a verifier can accept any version from a trusted signer together with ISVPRODID and ISVSVN.",
  ],
  reserved3: ['reserved', RESERVED],
  configId: [
    'CONFIGID',
    'Configuration the loader supplied at launch (Key Separation and Sharing), signed in the report.',
  ],
  isvProdId: ['ISVPRODID', 'Product ID the signer assigned, separating enclaves signed with the same key.'],
  isvSvn: ['ISVSVN', 'Security version the signer assigned; a verifier refuses versions below its minimum.'],
  configSvn: ['CONFIGSVN', 'Security version of CONFIGID (Key Separation and Sharing).'],
  reserved4: ['reserved', RESERVED],
  isvFamilyId: ['ISVFAMILYID', 'Product family ID the signer assigned (Key Separation and Sharing).'],
  reportData: [
    'REPORTDATA',
    "64 bytes the enclave supplied, normally a hash of the verifier's nonce and the enclave's public key: what makes the quote fresh and binds it to a key.",
  ],
};

/** What changes when the report body is the Quoting Enclave's rather than the attested enclave's. */
const QE_BODY: Partial<Record<SgxBodyKey, string>> = {
  cpuSvn: 'Security versions of the CPU as the Quoting Enclave saw them when it made this report.',
  mrEnclave:
    "Measurement of the Quoting Enclave, which must be one of Intel's released QEs (Intel's QE identity).",
  mrSigner: "Hash of the Quoting Enclave's signing key, which must be Intel's.",
  isvProdId: 'Product ID of the Quoting Enclave.',
  isvSvn:
    "Security version of the Quoting Enclave, compared with Intel's QE identity to refuse an outdated QE.",
  reportData:
    'Its first 32 bytes are SHA-256(attestation key ‖ QE authentication data): how the Quoting Enclave vouches for the key that signed the quote.',
};

const QE_ATTRIBUTES_FLAGS =
  'Attribute flags of the Quoting Enclave, whose DEBUG bit must be clear in a production QE.';
const ATTRIBUTES_FLAGS =
  "Enclave attribute flags: DEBUG (bit 1) lets the host read and write the enclave's memory with debug instructions, so a verifier must refuse it; also INIT, MODE64BIT, PROVISIONKEY, KSS.";
const ATTRIBUTES_XFRM = 'XSAVE feature request mask: the extended CPU state the enclave may use.';

/** The fields of an SGX report body at `base`, for the keys of `layout` (the full body, or a QE report's). */
function sgxBodyFields(
  f: Fields,
  base: number,
  layout: Readonly<Partial<Record<SgxBodyKey, ByteRange>>>,
  qe: boolean,
): void {
  const prefix = qe ? 'QE Report ' : '';
  for (const [key, range] of Object.entries(layout) as [SgxBodyKey, ByteRange][]) {
    const at = shift(range, base);
    if (key === 'attributes') {
      // ATTRIBUTES is FLAGS (u64) ‖ XFRM (u64).
      const mid = at[0] + (at[1] - at[0]) / 2;
      f.add(`${prefix}ATTRIBUTES.FLAGS`, [at[0], mid], qe ? QE_ATTRIBUTES_FLAGS : ATTRIBUTES_FLAGS);
      f.add(`${prefix}ATTRIBUTES.XFRM`, [mid, at[1]], ATTRIBUTES_XFRM);
      continue;
    }
    const [name, description] = SGX_BODY[key];
    if (name === 'reserved') f.add('reserved', at, RESERVED);
    else f.add(`${prefix}${name}`, at, (qe && QE_BODY[key]) || description);
  }
}

// ---- PEM certificate chains (TDX and SGX certification data type 5) ------------------------------

const PCK_CHAIN_NAMES = [
  'PCK Certificate',
  'PCK Platform/Processor CA Certificate',
  'Intel SGX Root CA Certificate',
];
const PCK_CHAIN_DESCRIPTIONS = [
  "The platform's PCK certificate, whose key signed the QE report; its SGX extensions carry the FMSPC and TCB levels the verifier looks up in Intel's TCB info.",
  'The intermediate CA (PCK Platform or Processor CA) that issued the PCK certificate, with the CRL that may revoke it.',
  'Intel SGX Root CA certificate: the chain is trusted only if this equals the root the verifier pinned, never because it is in the quote.',
];
const BEGIN_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const END_CERTIFICATE = '-----END CERTIFICATE-----';

/** The PEM certificate blocks within `range`, or the whole range as one field when there are none. */
function pemChainFields(f: Fields, bytes: Uint8Array, range: ByteRange, whole: string, about: string): void {
  const [start, end] = range;
  const region = bytes.subarray(start, Math.min(end, bytes.length));
  // One character per byte, so an index in the text is an offset in the region.
  let text = '';
  for (let i = 0; i < region.length; i += 8192) {
    text += String.fromCharCode(...region.subarray(i, Math.min(region.length, i + 8192)));
  }
  const blocks: ByteRange[] = [];
  for (let at = text.indexOf(BEGIN_CERTIFICATE); at >= 0; at = text.indexOf(BEGIN_CERTIFICATE, at)) {
    const close = text.indexOf(END_CERTIFICATE, at);
    if (close < 0) break;
    blocks.push([start + at, start + close + END_CERTIFICATE.length]);
    at = close + END_CERTIFICATE.length;
  }
  if (blocks.length === 0 || end > bytes.length) {
    f.add(whole, range, about);
    return;
  }
  blocks.forEach((block, i) => {
    const known = blocks.length <= PCK_CHAIN_NAMES.length;
    f.add(
      known ? PCK_CHAIN_NAMES[i] : `PCK chain certificate ${i + 1}`,
      block,
      known
        ? PCK_CHAIN_DESCRIPTIONS[i]
        : `Certificate ${i + 1} of the PEM chain from the PCK certificate up to the Intel SGX Root CA.`,
    );
  });
}

// ---- Intel TDX quote v4 --------------------------------------------------------------------------

type TdxLeaf = Exclude<TdxField, 'header' | 'body' | 'signed' | 'qeReport' | 'pckChain'>;

const TDX: Record<TdxLeaf, [string, string]> = {
  version: ['Version', 'Quote format version, 4 for the TDX quotes DCAP produces.'],
  attestationKeyType: [
    'Attestation Key Type',
    'Algorithm of the attestation key that signs the quote: 2 = ECDSA-256 with P-256.',
  ],
  teeType: [
    'TEE Type',
    'Which TEE the body describes, 0x81 = TDX and 0x00 = SGX; a verifier must refuse a quote of the wrong type.',
  ],
  qeSvn: [
    'QE SVN',
    "Quoting Enclave security version as the QE wrote it (the v4 table marks these bytes reserved); the verifier relies on the QE report's signed ISVSVN instead.",
  ],
  pceSvn: [
    'PCE SVN',
    "Provisioning Certification Enclave security version as the QE wrote it (reserved in the v4 table); the PCK certificate's TCB is what counts.",
  ],
  qeVendorId: [
    'QE Vendor ID',
    "Identifies the Quoting Enclave's vendor; Intel's is 939A7233-F79C-4CA9-940A-0DB3957F0607.",
  ],
  userData: [
    'User Data',
    "Data of the Quoting Enclave's own (the first 16 bytes are the platform's QE ID), signed but unrelated to the TD.",
  ],
  teeTcbSvn: [
    'TEE_TCB_SVN',
    "Security versions of the TDX module and its components; compared with Intel's TCB info to refuse an out-of-date TDX module.",
  ],
  mrSeam: [
    'MRSEAM',
    'SHA-384 measurement of the TDX module, the firmware that enforces the TD’s isolation, which must be an Intel-released module.',
  ],
  mrSignerSeam: ['MRSIGNERSEAM', "Measurement of the TDX module's signer, zero for a module Intel signed."],
  seamAttributes: ['SEAMATTRIBUTES', 'Attributes of the TDX module, zero for a production module.'],
  tdAttributes: [
    'TD_ATTRIBUTES',
    "Attributes fixed when the TD was created: bit 0 DEBUG lets the host read and change the TD's memory and registers, so a verifier must refuse it; SEPT_VE_DISABLE, PKS, KL and PERFMON are policy.",
  ],
  xfam: [
    'XFAM',
    'Extended CPU features (XSAVE) the host enabled for the TD, which a verifier checks against what it expects.',
  ],
  mrTd: [
    'MRTD',
    'SHA-384 measurement of the TD’s initial contents, the virtual firmware the host loaded before the TD ran, compared with the reference build.',
  ],
  mrConfigId: [
    'MRCONFIGID',
    'Value the host chose at TD creation (for example a hash of the TD’s configuration), signed but not measured.',
  ],
  mrOwner: ['MROWNER', "Identifier of the TD's owner, chosen by the host at TD creation."],
  mrOwnerConfig: ['MROWNERCONFIG', 'Owner-defined configuration, chosen by the host at TD creation.'],
  rtmr0: [
    'RTMR0',
    'Runtime measurement register 0, extended by the virtual firmware with its configuration (TD HOB, ACPI tables); the verifier replays the event log against it.',
  ],
  rtmr1: ['RTMR1', 'Runtime measurement register 1, extended with the OS loader and the kernel.'],
  rtmr2: ['RTMR2', 'Runtime measurement register 2, extended with the kernel command line and the initrd.'],
  rtmr3: ['RTMR3', "Runtime measurement register 3, for the guest's own use (for example container images)."],
  reportData: [
    'REPORTDATA',
    "64 bytes the TD supplied, normally a hash of the verifier's nonce and the TD's public key: what makes the quote fresh and binds it to a key.",
  ],
  signatureDataLength: ['Quote Signature Data Length', 'Length of the signature data that follows.'],
  signature: [
    'Quote Signature',
    'ECDSA P-256 signature (r‖s) by the attestation key over the header and the TD report body.',
  ],
  attestationKey: [
    'ECDSA Attestation Key',
    "Public key (X‖Y) of the Quoting Enclave's attestation key, trusted only because the QE report binds its hash.",
  ],
  certificationDataType: [
    'Certification Data Type',
    'Type of the certification data; 6 = QE report certification data.',
  ],
  certificationDataSize: [
    'Certification Data Size',
    'Length of the QE report certification data that follows.',
  ],
  qeReportSignature: [
    'QE Report Signature',
    "ECDSA P-256 signature by the platform's PCK key over the QE report, linking the Quoting Enclave to Intel's certificate chain.",
  ],
  qeAuthDataSize: ['QE Authentication Data Size', 'Length of the QE authentication data.'],
  qeAuthData: [
    'QE Authentication Data',
    "Data hashed with the attestation key into the QE report's REPORTDATA, so it is bound too.",
  ],
  pckChainType: [
    'PCK Certification Data Type',
    'Type of the inner certification data; 5 = the PCK certificate chain as PEM.',
  ],
  pckChainSize: ['PCK Certification Data Size', 'Length of the PEM certificate chain.'],
  extraBytes: [
    'extra bytes',
    'Bytes after the declared signature data: nothing signs them, so a verifier must ignore or refuse them.',
  ],
};

const PCK_CHAIN_ABOUT =
  "PEM chain PCK certificate → PCK Platform/Processor CA → Intel SGX Root CA, which the verifier checks up to Intel's root that it pinned.";

function tdxFields(f: Fields, bytes: Uint8Array): void {
  const quote = attempt(() => decodeTdxQuote(bytes, { extraBytes: 'keep' }));
  // Undecodable quotes still show their fixed-position fields (those that fit).
  const ranges: Partial<Record<TdxField, ByteRange>> = quote ? tdxQuoteRanges(quote) : TDX_QUOTE_LAYOUT;
  for (const [key, [name, description]] of Object.entries(TDX) as [TdxLeaf, [string, string]][]) {
    const range = ranges[key];
    if (range) f.add(name, range, description);
  }
  sgxBodyFields(f, TDX_QUOTE_LAYOUT.qeReport[0], QE_REPORT_LAYOUT, true);
  if (quote && ranges.pckChain)
    pemChainFields(f, bytes, ranges.pckChain, 'PCK Certificate Chain', PCK_CHAIN_ABOUT);
}

// ---- Intel SGX ECDSA quote v3 --------------------------------------------------------------------

const SGX_HEADER: Record<
  'version' | 'attestationKeyType' | 'reserved' | 'qeSvn' | 'pceSvn' | 'qeVendorId' | 'userData',
  [string, string]
> = {
  version: ['Version', 'Quote format version, 3 for the ECDSA quotes DCAP produces.'],
  attestationKeyType: TDX.attestationKeyType,
  reserved: ['reserved', 'Reserved in version 3 (the TEE type in version 4 quotes).'],
  qeSvn: [
    'QE SVN',
    "Quoting Enclave security version as the QE wrote it; the QE report's signed ISVSVN is what a verifier checks.",
  ],
  pceSvn: [
    'PCE SVN',
    "Provisioning Certification Enclave security version as the QE wrote it; the PCK certificate's TCB is what counts.",
  ],
  qeVendorId: TDX.qeVendorId,
  userData: TDX.userData,
};

function sgxFields(f: Fields, bytes: Uint8Array): void {
  const L = SGX_QUOTE_LAYOUT;
  for (const [key, [name, description]] of Object.entries(SGX_HEADER) as [
    keyof typeof SGX_HEADER,
    [string, string],
  ][]) {
    f.add(name, L[key], description);
  }
  sgxBodyFields(f, L.body[0], SGX_REPORT_BODY_LAYOUT, false);
  f.add(TDX.signatureDataLength[0], L.signatureDataLength, TDX.signatureDataLength[1]);
  f.add(
    'ISV Enclave Report Signature',
    L.signature,
    'ECDSA P-256 signature (r‖s) by the attestation key over the header and the enclave report body.',
  );
  f.add(TDX.attestationKey[0], L.attestationKey, TDX.attestationKey[1]);
  sgxBodyFields(f, L.qeReport[0], SGX_REPORT_BODY_LAYOUT, true);
  f.add(TDX.qeReportSignature[0], L.qeReportSignature, TDX.qeReportSignature[1]);
  const quote = attempt(() => decodeSgxQuote(bytes));
  if (!quote) return;
  const ranges = sgxQuoteRanges(quote);
  // Each variable part is preceded by its length (u16 for the auth data; u16 type ‖ u32 size for the certification data).
  const [authStart] = ranges.qeAuthData;
  const [certStart] = ranges.certificationData;
  f.add(TDX.qeAuthDataSize[0], [authStart - 2, authStart], TDX.qeAuthDataSize[1]);
  f.add(TDX.qeAuthData[0], ranges.qeAuthData, TDX.qeAuthData[1]);
  f.add(
    'QE Certification Data Type',
    [certStart - 6, certStart - 4],
    'Type of the certification data that identifies the PCK key; 5 = the PCK certificate chain as PEM.',
  );
  f.add('QE Certification Data Size', [certStart - 4, certStart], 'Length of the certification data.');
  if (quote.certificationDataType === SGX_PCK_CHAIN_PEM) {
    pemChainFields(f, bytes, ranges.certificationData, 'QE Certification Data', PCK_CHAIN_ABOUT);
  } else {
    f.add(
      'QE Certification Data',
      ranges.certificationData,
      'Data that identifies the PCK key (PPID or PCK certificate chain, by its type), which a verifier needs to reach Intel’s root.',
    );
  }
}

// ---- TPM 2.0 quote (TPM2B_ATTEST ‖ TPMT_SIGNATURE) ---------------------------------------------

const TPM_ALG_NAMES = new Map<number, string>(
  Object.entries(TPM_ALG).map(([name, id]) => [id, name.toUpperCase()]),
);
const algName = (id: number) => TPM_ALG_NAMES.get(id) ?? `0x${id.toString(16).padStart(4, '0')}`;

/** TPMS_CLOCK_INFO: clock (u64) ‖ resetCount (u32) ‖ restartCount (u32) ‖ safe (u8). */
const CLOCK_INFO: readonly [string, number, string][] = [
  [
    'clockInfo.clock',
    8,
    'TPM time in milliseconds since the TPM was last cleared, which only moves forward while powered.',
  ],
  [
    'clockInfo.resetCount',
    4,
    'Number of TPM resets (reboots) since it was cleared; a change between two quotes shows the machine rebooted.',
  ],
  ['clockInfo.restartCount', 4, 'Number of TPM restarts (resumes from hibernation) since the last reset.'],
  [
    'clockInfo.safe',
    1,
    'Whether the TPM guarantees this clock value was never reported before (a clock that may have rolled back is not safe).',
  ],
];

/** A TPM2B (u16 size ‖ bytes) as two fields: the size and the contents. */
function tpm2b(f: Fields, name: string, range: ByteRange, description: string): void {
  f.add(`${name}.size`, [range[0], range[0] + 2], `Size in bytes of ${name} (a TPM2B).`);
  f.add(name, [range[0] + 2, range[1]], description);
}

function tpmAttestFields(f: Fields, a: TpmsAttestQuote, base: number): void {
  const r = tpmsAttestRanges(a);
  const at = (name: string): ByteRange => shift(r[name] ?? [0, 0], base);
  f.add(
    'magic',
    at('magic'),
    'TPM_GENERATED_VALUE 0xFF544347: only the TPM writes it, and a restricted attestation key refuses to sign outside data that starts with it, so a quote cannot be forged with the key.',
  );
  f.add('type', at('type'), 'Structure type, 0x8018 = TPM_ST_ATTEST_QUOTE.');
  tpm2b(
    f,
    'qualifiedSigner',
    at('qualifiedSigner'),
    'Qualified name of the key that signed the quote (a hash over its public area and hierarchy), which should be the attestation key the verifier enrolled.',
  );
  tpm2b(
    f,
    'extraData',
    at('extraData'),
    "The qualifyingData the caller passed to TPM2_Quote, i.e. the verifier's nonce (or a hash binding nonce and key): what makes the quote fresh.",
  );
  let o = at('clockInfo')[0];
  for (const [name, size, description] of CLOCK_INFO) {
    f.add(name, [o, o + size], description);
    o += size;
  }
  f.add(
    'firmwareVersion',
    at('firmwareVersion'),
    'Vendor-defined TPM firmware version, which lets a verifier refuse TPM firmware with known flaws.',
  );
  o = at('pcrSelect')[0];
  f.add('pcrSelect.count', [o, o + 4], 'Number of PCR banks (hash algorithms) the quote covers.');
  o += 4;
  a.pcrSelect.forEach((sel, i) => {
    const p = `pcrSelections[${i}]`;
    f.add(
      `${p}.hash`,
      [o, o + 2],
      `Hash algorithm of this PCR bank (TPM_ALG_ID), here ${algName(sel.hash)}.`,
    );
    f.add(
      `${p}.sizeofSelect`,
      [o + 2, o + 3],
      'Size in bytes of the PCR bitmap that follows (3 = PCRs 0–23).',
    );
    f.add(
      `${p}.pcrSelect`,
      [o + 3, o + 3 + sel.sizeofSelect],
      `Bitmap of the PCRs quoted in this bank (${sel.pcrs.length ? `PCR ${sel.pcrs.join(', ')}` : 'none'}); a PCR left out is not attested at all.`,
    );
    o += 3 + sel.sizeofSelect;
  });
  tpm2b(
    f,
    'pcrDigest',
    at('pcrDigest'),
    'Hash of the selected PCR values in order; the verifier recomputes it from reference values or an event-log replay, so it stands for the whole measured boot.',
  );
}

/** TPMT_SIGNATURE at `start`: sigAlg ‖ hash ‖ (ECDSA: TPM2B r ‖ TPM2B s | RSA: TPM2B sig); as far as it fits. */
function tpmSignatureFields(f: Fields, bytes: Uint8Array, start: number): void {
  const sigAlg = u16(bytes, start, 'be');
  if (sigAlg === undefined) return;
  f.add(
    'sigAlg',
    [start, start + 2],
    `Signature scheme (TPM_ALG_ID), here ${algName(sigAlg)}; 0x0018 ECDSA, 0x0014 RSASSA, 0x0016 RSAPSS.`,
  );
  const hash = u16(bytes, start + 2, 'be');
  if (hash === undefined) return;
  const hashName = tpmHashAlg(hash)?.toUpperCase() ?? algName(hash);
  f.add('hash', [start + 2, start + 4], `Hash algorithm of the signature scheme, here ${hashName}.`);
  const parts: readonly [string, string][] =
    sigAlg === TPM_ALG.ecdsa
      ? [
          ['signatureR', "r of the attestation key's ECDSA signature over the TPMS_ATTEST bytes."],
          [
            'signatureS',
            "s of the attestation key's ECDSA signature, which with r makes every attested field trustworthy.",
          ],
        ]
      : sigAlg === TPM_ALG.rsassa || sigAlg === TPM_ALG.rsapss
        ? [['sig', "The attestation key's RSA signature over the TPMS_ATTEST bytes."]]
        : [];
  let o = start + 4;
  for (const [name, description] of parts) {
    const size = u16(bytes, o, 'be');
    if (size === undefined) return;
    tpm2b(f, name, [o, o + 2 + size], description);
    o += 2 + size;
  }
}

function tpmFields(f: Fields, bytes: Uint8Array): void {
  const size = u16(bytes, 0, 'be');
  if (size === undefined) return;
  f.add(
    'TPM2B_ATTEST.size',
    [0, 2],
    'Size of the TPMS_ATTEST structure that follows, the bytes the attestation key signed.',
  );
  // Read on its own, so that a quote whose signature is cut off or malformed still shows its TPMS_ATTEST.
  const decoded = attempt(() => decodeTpmsAttest(bytes.subarray(2, 2 + size)));
  if (!decoded) {
    // Not a quote we can read: only its first fields are at known places.
    f.add('magic', [2, 6], 'TPM_GENERATED_VALUE 0xFF544347 in a structure the TPM made itself.');
    f.add('type', [6, 8], 'Structure type, 0x8018 = TPM_ST_ATTEST_QUOTE.');
    return;
  }
  tpmAttestFields(f, decoded, 2);
  tpmSignatureFields(f, bytes, 2 + size);
}

// ---- a small CBOR walker that records offsets ----------------------------------------------------

/** One CBOR item and where it lies; `complete` is false when the input ends inside it. */
interface CborItem {
  major: number;
  start: number;
  /** Just past the item's header (for strings: where the contents begin). */
  headerEnd: number;
  /** Just past the item (may exceed the input when it is truncated). */
  end: number;
  /** The header's argument: an integer's value, a string's length, an array's or map's count, a tag. */
  arg: number;
  /** Array items, map keys and values alternating, or a tag's content. */
  children: CborItem[];
  complete: boolean;
}

const CBOR_MAX_DEPTH = 16;

/**
 * The CBOR item at `at`, reading no byte at or past `limit`. Only headers are interpreted; definite
 * lengths only (the NSM and the CCA RSS write no others). Undefined when not even its header fits.
 */
function cborItem(bytes: Uint8Array, at: number, limit: number, depth = 0): CborItem | undefined {
  if (at >= limit || depth > CBOR_MAX_DEPTH) return undefined;
  const major = bytes[at] >> 5;
  const info = bytes[at] & 0x1f;
  let arg = info;
  let headerEnd = at + 1;
  if (info >= 24) {
    if (info > 27) return undefined; // indefinite lengths and reserved values
    const n = 1 << (info - 24);
    if (headerEnd + n > limit) return undefined;
    arg = 0;
    for (let i = 0; i < n; i++) arg = arg * 256 + bytes[headerEnd + i];
    headerEnd += n;
  }
  const item: CborItem = { major, start: at, headerEnd, end: headerEnd, arg, children: [], complete: true };
  if (major === 2 || major === 3) {
    item.end = headerEnd + arg;
    item.complete = item.end <= limit;
  } else if (major === 4 || major === 5 || major === 6) {
    const count = major === 4 ? arg : major === 5 ? 2 * arg : 1;
    let p = headerEnd;
    for (let i = 0; i < count; i++) {
      const child = cborItem(bytes, p, limit, depth + 1);
      if (!child) {
        item.complete = false;
        break;
      }
      item.children.push(child);
      p = child.end;
      if (!child.complete) {
        item.complete = false;
        break;
      }
    }
    item.end = p;
  }
  return item;
}

/** A byte string's contents, anything else whole (as the decoders' `contentRange`). */
const valueRange = (item: CborItem): ByteRange =>
  item.major === 2 ? [item.headerEnd, item.end] : [item.start, item.end];

/** A map key as text or integer; undefined for other kinds or broken UTF-8. */
function cborKey(bytes: Uint8Array, item: CborItem): string | number | undefined {
  if (item.major === 0) return item.arg;
  if (item.major === 1) return -1 - item.arg;
  if (item.major === 3 && item.complete) {
    try {
      return fromUtf8(bytes.subarray(item.headerEnd, item.end));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Map entries as [key, value] pairs (only the complete pairs). */
function entries(item: CborItem): [CborItem, CborItem][] {
  const out: [CborItem, CborItem][] = [];
  if (item.major !== 5) return out;
  for (let i = 0; i + 1 < item.children.length; i += 2) out.push([item.children[i], item.children[i + 1]]);
  return out;
}

/** The item inside a byte string's contents (as far as the input holds them). */
function inside(bytes: Uint8Array, item: CborItem | undefined): CborItem | undefined {
  if (!item || item.major !== 2) return undefined;
  return cborItem(bytes, item.headerEnd, Math.min(item.end, bytes.length));
}

/**
 * COSE_Sign1 (RFC 9052): `[protected: bstr, unprotected: map, payload: bstr, signature: bstr]`, tagged
 * 18 or not. `payload` labels the payload's contents.
 */
function coseFields(
  f: Fields,
  bytes: Uint8Array,
  item: CborItem | undefined,
  prefix: string,
  payload: (root: CborItem) => void,
): void {
  const body = item?.major === 6 && item.arg === COSE_SIGN1_TAG ? item.children[0] : item;
  if (!body || body.major !== 4 || body.arg !== 4) return;
  const [prot, unprot, content, signature] = body.children;
  if (prot?.major === 2) {
    f.add(
      `${prefix}protected`,
      valueRange(prot),
      'COSE protected header, covered by the signature: {1: -35}, i.e. the algorithm ES384.',
    );
  }
  if (unprot?.major === 5) {
    f.add(
      `${prefix}unprotected`,
      [unprot.start, unprot.end],
      'COSE unprotected header, not covered by the signature, so it is empty and a verifier must not trust anything put there.',
    );
  }
  const root = inside(bytes, content);
  if (root) payload(root);
  if (signature?.major === 2) {
    f.add(
      `${prefix}signature`,
      valueRange(signature),
      'ES384 signature (r‖s, 48 bytes each) over the COSE Sig_structure of protected header and payload, which makes every claim in the payload trustworthy.',
    );
  }
}

// ---- AWS Nitro Enclaves attestation document -----------------------------------------------------

const NITRO: Record<Exclude<NitroField, 'pcrs' | 'cabundle'>, string> = {
  module_id: 'Identifier of the Nitro hypervisor module that issued the document (the instance and enclave).',
  digest: 'Digest algorithm of the PCRs, always SHA384.',
  timestamp:
    'Time (UTC, milliseconds) at which the NSM made the document; the verifier checks the hours-long certificate chain at this time.',
  certificate:
    "The enclave's DER certificate, whose P-384 key signed this document, issued by the chain in cabundle.",
  public_key:
    'Optional public key the enclave supplied (KMS encrypts its answers to it); signed, so the key is bound to this enclave.',
  user_data: 'Optional data the enclave supplied, signed with the document.',
  nonce:
    "Optional nonce the enclave supplied, normally the verifier's challenge (or a hash binding it and a key): what makes the document fresh.",
};

const NITRO_PCRS: Record<number, string> = {
  0: 'PCR0, the hash of the enclave image file (EIF): the main reference value, all zeros in debug mode.',
  1: 'PCR1, the hash of the Linux kernel and bootstrap in the image.',
  2: 'PCR2, the hash of the application in the image.',
  3: "PCR3, the hash of the parent instance's IAM role, so a policy can require the role.",
  4: 'PCR4, the hash of the parent instance ID, tying the enclave to one EC2 instance.',
  8: 'PCR8, the hash of the certificate that signed the enclave image, letting a policy accept any image from one signer.',
};

function nitroFields(f: Fields, bytes: Uint8Array): void {
  const top = cborItem(bytes, 0, bytes.length);
  coseFields(f, bytes, top, '', (root) => {
    for (const [k, v] of entries(root)) {
      const key = cborKey(bytes, k);
      if (key === 'pcrs') {
        for (const [ik, iv] of entries(v)) {
          const index = cborKey(bytes, ik);
          if (typeof index !== 'number') continue;
          f.add(
            `PCR${index}`,
            valueRange(iv),
            NITRO_PCRS[index] ??
              `PCR${index}, ${index >= 16 ? 'which the enclave may extend at runtime' : 'unused by the Nitro boot (zeros)'}.`,
          );
        }
      } else if (key === 'cabundle') {
        v.children.forEach((c, i) =>
          f.add(
            `cabundle[${i}]`,
            valueRange(c),
            i === 0
              ? 'The AWS Nitro Enclaves root certificate, trusted only if it equals the root the verifier pinned.'
              : `Intermediate CA certificate ${i} on the path from the root to the enclave certificate (regional, zonal, instance).`,
          ),
        );
      } else if (typeof key === 'string' && (NITRO_FIELDS as readonly string[]).includes(key)) {
        f.add(key, valueRange(v), NITRO[key as keyof typeof NITRO]);
      } else if (key !== undefined) {
        f.add(
          String(key),
          valueRange(v),
          'A field the NSM never writes: the decoder refuses a document that has one.',
        );
      }
    }
  });
}

// ---- Arm CCA attestation token -------------------------------------------------------------------

/** Claim names as draft-ffm-rats-cca-token spells them. */
const REALM: Record<keyof typeof REALM_CLAIM, [string, string]> = {
  challenge: [
    'cca-realm-challenge',
    "The verifier's 64-byte challenge (here a hash binding nonce and key), what makes the realm token fresh.",
  ],
  profile: ['cca-realm-profile', 'Names the version of the realm token format.'],
  personalizationValue: [
    'cca-realm-personalization-value',
    "Realm Personalization Value, chosen by the realm's creator and fixed at creation, telling apart realms with the same image.",
  ],
  hashAlgo: ['cca-realm-hash-algo-id', 'Hash algorithm of the RIM and the REMs.'],
  publicKey: [
    'cca-realm-public-key',
    "Public key of the Realm Attestation Key that signs this token; the platform token's challenge must be its hash, which is how the platform vouches for it.",
  ],
  rim: [
    'cca-realm-initial-measurement',
    "Realm Initial Measurement: the RMM's hash of the realm's initial contents and configuration, compared with the reference image.",
  ],
  rems: ['cca-realm-extensible-measurements', ''],
  publicKeyHashAlgo: [
    'cca-realm-public-key-hash-algo-id',
    "Hash algorithm the platform token's challenge uses over the realm public key.",
  ],
};

const PLATFORM: Record<keyof typeof PLATFORM_CLAIM, [string, string]> = {
  challenge: [
    'cca-platform-challenge',
    'Hash of the realm token’s public key: how the platform (its CPAK) vouches for the realm’s signer; a mismatch means the two tokens were spliced together.',
  ],
  instanceId: [
    'cca-platform-instance-id',
    "Unique ID of the platform's attestation key (0x01 ‖ its hash), which links the token to one physical device.",
  ],
  profile: ['cca-platform-profile', 'Names the version of the platform token format.'],
  lifecycle: [
    'cca-platform-lifecycle',
    "PSA security lifecycle state: only 'secured' (0x30xx) may be trusted, the debug states expose the platform's secrets.",
  ],
  implementationId: [
    'cca-platform-implementation-id',
    "Identifies the platform's implementation (silicon and firmware design), which selects the reference values to use.",
  ],
  swComponents: ['cca-platform-sw-components', ''],
  verificationService: [
    'cca-platform-verification-service',
    'Hint of a service that can appraise this platform, not trusted by itself.',
  ],
  config: [
    'cca-platform-config',
    'Platform configuration the firmware reports (for example debug and boot settings).',
  ],
  hashAlgo: ['cca-platform-hash-algo-id', "Hash algorithm of the platform's measurements."],
};

const SW: Record<keyof typeof SW_COMPONENT, [string, string]> = {
  type: ['measurement-type', 'Kind of firmware component (for example BL2 or RMM).'],
  measurement: [
    'measurement-value',
    "Hash of the firmware component as the platform's boot loaded it, compared with the vendor's endorsed value.",
  ],
  version: ['version', 'Version of the firmware component, which a policy may require to be recent.'],
  signerId: [
    'signer-id',
    'Hash of the key that signed the component, so a verifier can accept any release from a trusted signer.',
  ],
  hashAlgo: ['measurement-desc', 'Hash algorithm of the component measurement.'],
};

function byKey<K extends string>(keys: Record<K, number>): Map<number, K> {
  return new Map((Object.entries(keys) as [K, number][]).map(([k, v]) => [v, k]));
}
const REALM_BY_KEY = byKey(REALM_CLAIM);
const PLATFORM_BY_KEY = byKey(PLATFORM_CLAIM);
const SW_BY_KEY = byKey(SW_COMPONENT);

function realmClaims(f: Fields, bytes: Uint8Array, root: CborItem): void {
  for (const [k, v] of entries(root)) {
    const key = cborKey(bytes, k);
    const claim = typeof key === 'number' ? REALM_BY_KEY.get(key) : undefined;
    if (claim === 'rems') {
      v.children.forEach((c, i) =>
        f.add(
          `${REALM.rems[0]}[${i}]`,
          valueRange(c),
          `Realm Extensible Measurement ${i}, extended by the realm at runtime like a PCR (for example with its kernel or workload), replayed from its log by the verifier.`,
        ),
      );
    } else if (claim) {
      f.add(REALM[claim][0], valueRange(v), REALM[claim][1]);
    } else if (key !== undefined) {
      f.add(`realm claim ${key}`, valueRange(v), 'A realm claim this profile does not define.');
    }
  }
}

function platformClaims(f: Fields, bytes: Uint8Array, root: CborItem): void {
  for (const [k, v] of entries(root)) {
    const key = cborKey(bytes, k);
    const claim = typeof key === 'number' ? PLATFORM_BY_KEY.get(key) : undefined;
    if (claim === 'swComponents') {
      v.children.forEach((component, i) => {
        for (const [ck, cv] of entries(component)) {
          const ckey = cborKey(bytes, ck);
          const part = typeof ckey === 'number' ? SW_BY_KEY.get(ckey) : undefined;
          const name = `${PLATFORM.swComponents[0]}[${i}].${part ? SW[part][0] : String(ckey)}`;
          f.add(
            name,
            valueRange(cv),
            part ? SW[part][1] : 'A software component field this profile does not define.',
          );
        }
      });
    } else if (claim) {
      f.add(PLATFORM[claim][0], valueRange(v), PLATFORM[claim][1]);
    } else if (key !== undefined) {
      f.add(`platform claim ${key}`, valueRange(v), 'A platform claim this profile does not define.');
    }
  }
}

function ccaFields(f: Fields, bytes: Uint8Array): void {
  const top = cborItem(bytes, 0, bytes.length);
  if (!top || top.major !== 6 || top.arg !== CCA_TOKEN_TAG || !top.children[0]) return;
  for (const [k, v] of entries(top.children[0])) {
    const key = cborKey(bytes, k);
    if (key === CCA_PLATFORM_TOKEN) {
      coseFields(f, bytes, inside(bytes, v), 'platform token ', (root) => platformClaims(f, bytes, root));
    } else if (key === CCA_REALM_TOKEN) {
      coseFields(f, bytes, inside(bytes, v), 'realm token ', (root) => realmClaims(f, bytes, root));
    }
  }
}

// ---- IBM Secure Execution attestation response ---------------------------------------------------

const SE: Record<keyof typeof SE_RESPONSE_LAYOUT | 'userData' | 'additionalData', [string, string]> = {
  measurement: [
    'measurement',
    "HMAC-SHA512 under the measurement key the verifier sealed in its request, over the image's digests and tag, config UID, user data and the verifier's nonce: one value proves image, freshness and platform together.",
  ],
  configUid: [
    'config UID',
    'Unique ID the Ultravisor gave this guest configuration; it is inside the HMAC and tells instances of one image apart.',
  ],
  userDataLength: ['user data length', 'Length of the user data that follows.'],
  additionalDataLength: [
    'additional data length',
    'Length of the additional data that follows the user data.',
  ],
  userData: [
    'user data',
    "Up to 256 bytes the guest asked the Ultravisor to include in the HMAC, normally a hash binding the verifier's nonce and the guest's key.",
  ],
  additionalData: [
    'additional data',
    'Optional data the Ultravisor appended on request (for example host-key hashes), also covered by the HMAC.',
  ],
};

function ibmSeFields(f: Fields, bytes: Uint8Array): void {
  for (const [key, range] of Object.entries(SE_RESPONSE_LAYOUT) as [
    keyof typeof SE_RESPONSE_LAYOUT,
    ByteRange,
  ][]) {
    f.add(SE[key][0], range, SE[key][1]);
  }
  const response = attempt(() => decodeSeResponse(bytes));
  if (!response) return;
  f.add(SE.userData[0], response.ranges.userData, SE.userData[1]);
  f.add(SE.additionalData[0], response.ranges.additionalData, SE.additionalData[1]);
}

// ---- the simulation's own formats ----------------------------------------------------------------

/** LAUNCH_MEASURE (AMD SEV API): MEASURE, an HMAC-SHA256, then MNONCE. */
const SEV_MEASURE_BYTES = 32;

function sevFields(f: Fields): void {
  f.add(
    'MEASURE',
    [0, SEV_MEASURE_BYTES],
    "HMAC-SHA256 under the TIK (known only to the owner and the PSP) over API version, guest policy, launch digest and MNONCE; the owner recomputes it, and nothing else in SEV's evidence is authenticated.",
  );
  f.add(
    'MNONCE',
    [SEV_MEASURE_BYTES, SEV_MEASURE_BYTES + SEV_MNONCE_SIZE],
    "Nonce mixed into MEASURE (the firmware's own random value on real SEV, or the verifier's binding where the simulated platform lets it choose), so an old measurement cannot pass as a new one.",
  );
}

/** The simulated OP-TEE report (world.ts): TA hash (zero-padded to 48) ‖ nonce (64) ‖ ECDSA P-256 r‖s. */
const TA_HASH_BYTES = 48;
const TA_NONCE_BYTES = 64;
const TA_SIGNATURE_BYTES = 64;

function taFields(f: Fields): void {
  const nonceEnd = TA_HASH_BYTES + TA_NONCE_BYTES;
  f.add(
    'TA hash',
    [0, TA_HASH_BYTES],
    'Hash of the trusted application as OP-TEE measured it (zero-padded), compared with the reference TA build.',
  );
  f.add(
    'nonce',
    [TA_HASH_BYTES, nonceEnd],
    "The verifier's nonce binding (zero-padded), what makes the report fresh.",
  );
  f.add(
    'signature',
    [nonceEnd, nonceEnd + TA_SIGNATURE_BYTES],
    'ECDSA P-256 signature (r‖s) over TA hash and nonce by a device key that no vendor PKI certifies, so it proves only that the signer holds that key.',
  );
}

const BUILDERS = new Map<string, (f: Fields, bytes: Uint8Array) => void>([
  ['snp-report', snpFields],
  ['tdx-quote', tdxFields],
  ['sgx-quote', sgxFields],
  ['tpm-quote', tpmFields],
  ['nitro-document', nitroFields],
  ['cca-token', ccaFields],
  ['ibm-se-attestation', ibmSeFields],
  ['sev-launch-measure', sevFields],
  ['ta-hash-report', taFields],
]);
