/**
 * The effects the machines call: measuring a launch plan with the platform's real scheme, signing
 * evidence in its real format, appraising it with the real verifier, wrapping and unwrapping the
 * secret, and the guest memory the host attacks. Machines decide *what happens next*; this module is
 * where the bytes come from. All randomness is drawn from forks of the run's seeded DRBG.
 */
import { concatBytes, toHex, utf8 } from '../core/crypto/bytes';
import type { HmacDrbg } from '../core/crypto/drbg';
import { generateKeyPair, type KeyPair } from '../core/crypto/ecdsa';
import { digest } from '../core/crypto/hash';
import { runtimeDataReportData } from '../core/broker/kbs';
import { toBase64Url, toJwk } from '../core/broker/jws';
import { demoSnpEvidence, DEMO_TCB, type DemoSnpEvidence } from '../core/evidence/amd-chain';
import { demoCcaEvidence, type DemoCcaEvidence } from '../core/evidence/cca-token';
import { demoIbmSeEvidence, demoSeImage } from '../core/evidence/ibm-se';
import {
  demoIntelChain,
  demoTdxEvidence,
  keyPairSigner,
  signTdxQuote,
  type DemoTdxEvidence,
} from '../core/evidence/intel-chain';
import {
  DEMO_NITRO_TIMESTAMP,
  demoNitroPcrs,
  nitroDemoChain,
  type NitroDemoChain,
} from '../core/evidence/nitro-chain';
import { encodeNitroDocument, es384Signer } from '../core/evidence/nitro-document';
import {
  DEMO_CPUSVN,
  demoSgxEvidence,
  encodeSgxQuote,
  signSgxQuote,
  sgxKeyPairSigner,
  type DemoSgxEvidence,
} from '../core/evidence/sgx-quote';
import { encodeSnpReport, makeGuestPolicy, signSnpReport } from '../core/evidence/snp-report';
import { encodeTdxQuote } from '../core/evidence/tdx-quote';
import { demoTpmAk, encodeTpmQuote, tpm2Quote, type DemoTpmAk } from '../core/evidence/tpm-quote';
import { parseCertificate, type Certificate } from '../core/evidence/x509';
import { sign as ecdsaSign, verify as ecdsaVerify } from '../core/crypto/ecdsa';
import { seededDrbg } from '../core/crypto/drbg';
import { appraiseCca } from '../core/verify/cca';
import { appraiseIbmSe } from '../core/verify/ibm-se';
import { appraiseSgx } from '../core/verify/sgx';
import { parseEventLog, replayEventLog, writeEventLog, type EventToWrite } from '../core/measure/event-log';
import { EV, eventTypeName } from '../core/measure/event-types';
import { SevLaunchDigest, sevLaunchMeasurement } from '../core/measure/sev-measurement';
import { snpLaunchDigest, type SnpPage } from '../core/measure/snp-launch-digest';
import { measureMrtd, RtmrBank } from '../core/measure/tdx';
import { claim, makeResult, AR4SI, type AttestationResult } from '../core/verify/ear';
import { appraiseNitro } from '../core/verify/nitro';
import { appraiseSnp, strictSnpPolicy } from '../core/verify/snp';
import { appraiseTdxQuote, strictTdxPolicy } from '../core/verify/tdx';
import { appraiseTpmQuote } from '../core/verify/tpm';
import { decodeTpmQuote } from '../core/evidence/tpm-quote';
import { PAGE_BYTES } from '../core/crypto/memory-cipher';
import type { EvidenceInTransit, LaunchPlan } from './attacks/attack';
import type { Platform } from './platforms/platform';
import type { Misconfiguration } from './run-types';

/** What the platform measured, in the shape its verifier compares. */
export interface Measurement {
  scheme: Platform['capabilities']['measurement'];
  /** The headline value a view shows (launch digest, MRTD, PCR digest, …). */
  value: Uint8Array;
  /** Everything the evidence carries and the reference values list (RTMRs, PCRs). */
  registers: Record<string, Uint8Array>;
  /** How the values came about, step by step, for the measured-boot view (not compared by verifiers). */
  chain: MeasureStep[];
}

/** One extend of a register (or one page or blob added to a launch digest), as it happened. */
export interface MeasureStep {
  /** The register's display name: 'PCR9', 'RTMR1', 'MRTD', 'launch digest', … */
  register: string;
  /** What was measured. */
  component: string;
  /** What went into the register: the component's digest, or the PAGE_INFO's contents digest. */
  input: Uint8Array;
  /** The register after this step. */
  value: Uint8Array;
}

/** The owner's reference values and policy, as data. */
export interface OwnerPolicy {
  nonce: boolean;
  allowDebug: boolean;
  reference: Measurement;
  /** Refuse old security firmware (SNP minimum TCB, TDX minimum TEE_TCB_SVN). */
  tcbMinimum: boolean;
}

/** Who signs the evidence: the genuine platform, an attacker with its own key, or one holding the vendor's. */
export type Signer = 'platform' | 'attacker' | 'vendor-compromised';

/**
 * Which launch the evidence belongs to: this one, or an earlier good boot the host recorded. Only SEV's
 * launch measurement depends on it (its TIK comes from a fresh owner↔PSP session per launch).
 */
export type Session = 'current' | 'earlier';

const TDX_CURRENT_SVN = Uint8Array.of(5, 1, 2, 0, ...new Uint8Array(12));
const TDX_OLD_SVN = Uint8Array.of(2, 0, 0, 0, ...new Uint8Array(12));
const SNP_OLD_TCB = { bootloader: 2, tee: 0, snp: 8, microcode: 115 };
const SGX_OLD_CPUSVN = Uint8Array.of(2, 2, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
/** The security firmware version strings a vTPM's firmware logs into PCR0 (EV_S_CRTM_VERSION). */
const FIRMWARE_VERSION = {
  current: 'ccte security firmware 1.55',
  vulnerable: 'ccte security firmware 1.12',
};

// ---- run-independent material, memoised per seed (vendor PKIs, parsed roots, chip keys) ----------
// Everything here depends only on the seed (and, for SNP, on the TCB the VCEK is derived for), so a
// matrix of 180 runs computes each once instead of once per run.

function memo<K, V>(make: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      v = make(key);
      cache.set(key, v);
    }
    return v;
  };
}

const parsed = new WeakMap<Uint8Array, Certificate>();
/** Parses a DER certificate once per (cached) byte array. */
function cert(der: Uint8Array): Certificate {
  let c = parsed.get(der);
  if (!c) {
    c = parseCertificate(der);
    parsed.set(der, c);
  }
  return c;
}

/** A bundle id: the genuine platform's seed, or `attacker:<seed>` for the PKI an attacker made itself. */
const seedOf = (id: string): string | number => (id.startsWith('attacker:') ? id : Number(id));
const snpBundle = memo((key: string): DemoSnpEvidence => {
  const [seed, old] = key.split('|');
  return demoSnpEvidence(seedOf(seed), old === 'old' ? { tcb: SNP_OLD_TCB } : {});
});
const tdxBundle = memo((seed: string): DemoTdxEvidence & { attestationKey: KeyPair } => ({
  ...demoTdxEvidence(seed.startsWith('attacker:') ? seed : Number(seed)),
  attestationKey: generateKeyPair(
    'p256',
    seededDrbg(seed.startsWith('attacker:') ? seed : Number(seed)).fork('demo-tdx-qe-attestation-key'),
  ),
}));
const sgxBundle = memo((seed: string): DemoSgxEvidence & { attestationKey: KeyPair } => {
  const s = seed.startsWith('attacker:') ? seed : Number(seed);
  return {
    ...demoSgxEvidence(s),
    attestationKey: generateKeyPair('p256', seededDrbg(s).fork('demo-sgx').fork('qe-attestation-key')),
  };
});
const intelRoot = memo((seed: number) => demoIntelChain(seed).root.certificate);
const tpmAk = memo((id: string): DemoTpmAk => demoTpmAk(seedOf(id)));
const nitroChain = memo((id: string): NitroDemoChain => nitroDemoChain(seedOf(id), DEMO_NITRO_TIMESTAMP));
const ccaBundle = memo((seed: number): DemoCcaEvidence => demoCcaEvidence(seed));
const seBundle = memo((seed: string) =>
  demoIbmSeEvidence(seed.startsWith('attacker:') ? seed : Number(seed)),
);
/** The TrustZone device key: per device, no vendor PKI certifies it (DOMAIN §b2). */
const deviceKey = memo((seed: number) =>
  generateKeyPair('p256', seededDrbg(seed, 'ccte trustzone device key')),
);
/** The key the platform's firmware (Ultravisor, ESM loader) opens encrypted images with; never leaves it. */
const imageKey = memo((seed: number) =>
  generateKeyPair('p256', seededDrbg(seed, 'ccte image encryption key')),
);
/** The attacker's key pairs, from the seed's DRBG; they do not depend on the run, so they are made once. */
const attackerKeys = memo((seed: number) => {
  const drbg = seededDrbg(seed, 'ccte attacker keys');
  return {
    signing: generateKeyPair('p384', drbg.fork('key')),
    tee: generateKeyPair('p256', drbg.fork('tee-key')),
  };
});
/**
 * The Quoting Enclave's PCK-signed report vouches for its attestation key; it does not depend on the
 * quote, so a real QE makes it once when the key is provisioned and reuses it. Here: the PCK's
 * signature over an exact QE report is made once (RFC 6979 would give the same bytes again) and kept
 * per signer, keyed by the report's bytes. The attestation key still signs every quote afresh.
 */
function withQeReportOnce<S extends { signWithPck(message: Uint8Array): Uint8Array }>(signer: S): S {
  const made = new Map<string, Uint8Array>();
  return {
    ...signer,
    signWithPck: (message: Uint8Array) => {
      const id = toHex(message);
      let signature = made.get(id);
      if (!signature) {
        signature = signer.signWithPck(message);
        if (made.size >= 16) made.clear();
        made.set(id, signature);
      }
      return signature.slice();
    },
  };
}
const tdxQeSigner = memo((seed: string) => {
  const e = tdxBundle(seed);
  return withQeReportOnce(keyPairSigner(e.attestationKey, e.chain.pck.key));
});
const sgxQeSigner = memo((seed: string) => {
  const e = sgxBundle(seed);
  return withQeReportOnce(sgxKeyPairSigner(e.attestationKey, e.chain.pck.key));
});
/** Reference measurements of the good image, per profile object (a test or UI may pass a modified
 * profile under the same id) and seed. */
const references = new WeakMap<Platform, Map<number, Measurement>>();

/** The image the owner intends to run: small, deterministic, real bytes. */
export function goodPlan(): LaunchPlan {
  const part = (name: string, text: string, size: number) => {
    const bytes = new Uint8Array(size);
    bytes.set(utf8(text));
    return { name, bytes };
  };
  return {
    components: [
      part('firmware', 'ccte guest firmware (OVMF) 1.0', PAGE_BYTES),
      part('kernel', 'ccte guest kernel 6.8', 2 * PAGE_BYTES),
      part('initrd', 'ccte initrd', PAGE_BYTES),
      { name: 'cmdline', bytes: utf8('console=ttyS0 root=/dev/vda1 ro') },
      part('workload', 'ccte workload: decrypts a database with the released key', PAGE_BYTES),
    ],
    debug: false,
    firmware: 'current',
    secretInImage: false,
  };
}

function component(plan: LaunchPlan, name: string): Uint8Array {
  return plan.components.find((c) => c.name === name)?.bytes ?? new Uint8Array(0);
}

function pagesOf(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < Math.max(bytes.length, 1); o += PAGE_BYTES) {
    const page = new Uint8Array(PAGE_BYTES);
    page.set(bytes.subarray(o, o + PAGE_BYTES));
    out.push(page);
  }
  return out;
}

/** One seed's platform: its keys (from the seed), its measuring and signing, its verifier. */
export class PlatformEffects {
  /** SEV's Transport Integrity Keys, one per launch session (owner ↔ PSP Diffie–Hellman). */
  private readonly tik: Record<Session, Uint8Array>;
  /** The firmware's nonce for each launch session (capability `freshness` 'firmware-nonce-session'). */
  private readonly sessionNonce: Record<Session, Uint8Array>;

  constructor(
    readonly platform: Platform,
    readonly seed: number,
    drbg: HmacDrbg,
  ) {
    const tik = drbg.fork('sev/tik');
    this.tik = { current: tik.generate(16), earlier: tik.generate(16) };
    const fw = drbg.fork('firmware-session');
    this.sessionNonce = { current: fw.generate(32), earlier: fw.generate(32) };
  }

  /**
   * Whose key signs what the host forges (capability `evidenceKey`): where the signing key sits in the
   * host ('host-held') its forgery is signed with the genuine key; otherwise the attacker can only use
   * keys (and a chain) of its own making.
   */
  private effectiveSigner(requested: Signer): Signer {
    return requested === 'attacker' && this.caps.evidenceKey === 'host-held' ? 'platform' : requested;
  }

  /**
   * Whether the verifier anchors the evidence key in something it holds (a pinned vendor root, an
   * endorsed key, a MAC key it shares with the platform). 'device-key-no-pki': nothing does, so it can
   * only check the evidence against the key or chain that came with it (DOMAIN §c f).
   */
  private get anchored(): boolean {
    return this.caps.evidenceKey !== 'device-key-no-pki';
  }

  /**
   * The value the evidence's nonce field binds (capability `freshness`): the owner's binding, or with
   * 'firmware-nonce-session' that binding under this launch session's firmware nonce, so evidence of
   * another launch never matches, whether or not the owner sent a nonce.
   */
  private fresh(binding: Uint8Array, session: Session): Uint8Array {
    return this.caps.freshness === 'firmware-nonce-session'
      ? digest('sha512', concatBytes(this.sessionNonce[session], binding))
      : binding;
  }

  /** What the owner's verifier demands in the nonce field, or undefined if it cannot check freshness. */
  private demanded(expected: Uint8Array, policy: OwnerPolicy): Uint8Array | undefined {
    switch (this.caps.freshness) {
      case 'verifier-nonce':
        return policy.nonce ? expected : undefined;
      case 'firmware-nonce-session':
        return this.fresh(expected, 'current');
      case 'none':
        return undefined;
    }
  }

  /** The attacker's signing key (its own, not certified by anyone the owner pins); made when first used. */
  private get attackerKey(): KeyPair {
    return attackerKeys(this.seed).signing;
  }

  /** The attacker's own "TEE key", which its forged evidence binds, so a release is wrapped to it. */
  get attackerTeeKey(): KeyPair {
    return attackerKeys(this.seed).tee;
  }

  get caps(): Platform['capabilities'] {
    return this.platform.capabilities;
  }

  /** The hardware-held key an encrypted image is sealed to (IBM SE host key, PEF's ESM key). */
  get imageKey(): KeyPair {
    return imageKey(this.seed);
  }

  /** The measurement of the owner's good image (the reference values), computed once per platform and seed. */
  reference(): Measurement {
    let bySeed = references.get(this.platform);
    if (!bySeed) references.set(this.platform, (bySeed = new Map()));
    let m = bySeed.get(this.seed);
    if (!m) {
      m = this.measure(goodPlan());
      bySeed.set(this.seed, m);
    }
    return m;
  }

  /** Measures the plan with the platform's real scheme (capability `measurement`). */
  measure(plan: LaunchPlan): Measurement {
    const scheme = this.caps.measurement;
    switch (scheme) {
      case 'snp-launch-digest': {
        const pages: SnpPage[] = [];
        let gpa = 0xffc00000n;
        for (const c of plan.components) {
          for (const contents of pagesOf(c.bytes)) {
            pages.push({ type: 'normal', gpa, contents });
            gpa += BigInt(PAGE_BYTES);
          }
        }
        pages.push({ type: 'secrets', gpa: 0x801000n }, { type: 'cpuid', gpa: 0x802000n });
        const { launchDigest, updates } = snpLaunchDigest(pages);
        const names = plan.components.flatMap((c) => pagesOf(c.bytes).map((_, i) => `${c.name} page ${i}`));
        const chain = updates.map((u, i) => ({
          register: 'launch digest',
          component: names[i] ?? `${u.type} page 0x${u.gpa.toString(16)}`,
          input: u.contentsDigest,
          value: u.after,
        }));
        return { scheme, value: launchDigest, registers: {}, chain };
      }
      case 'mrtd-rtmr': {
        const { mrtd } = measureMrtd([
          { gpa: 0xffc00000n, bytes: pagesOf(component(plan, 'firmware'))[0], measured: true },
        ]);
        const rtmr = new RtmrBank();
        rtmr.extend(0, digest('sha384', utf8('ccte td configuration')), 'firmware configuration');
        rtmr.extend(1, digest('sha384', component(plan, 'kernel')), 'kernel');
        rtmr.extend(2, digest('sha384', component(plan, 'cmdline')), 'cmdline');
        rtmr.extend(2, digest('sha384', component(plan, 'initrd')), 'initrd');
        rtmr.extend(3, digest('sha384', component(plan, 'workload')), 'workload');
        const registers: Record<string, Uint8Array> = {};
        for (let i = 0; i < 4; i++) registers[`rtmr${i}`] = rtmr.read(i);
        const chain: MeasureStep[] = [
          {
            register: 'MRTD',
            component: 'firmware page 0xffc00000',
            input: digest('sha384', pagesOf(component(plan, 'firmware'))[0]),
            value: mrtd,
          },
          ...rtmr.history.map((h) => ({
            register: `RTMR${h.index}`,
            component: h.label ?? `extend ${h.index}`,
            input: h.data,
            value: h.after,
          })),
        ];
        return { scheme, value: mrtd, registers, chain };
      }
      case 'pcr-event-log': {
        const events: EventToWrite[] = [
          // The firmware logs its own version into PCR0, which is all a vTPM says about the TCB.
          {
            pcrIndex: 0,
            type: EV.EV_S_CRTM_VERSION,
            data: utf8(FIRMWARE_VERSION[plan.firmware]),
          },
          {
            pcrIndex: 0,
            type: EV.EV_EFI_PLATFORM_FIRMWARE_BLOB,
            data: new Uint8Array(16),
            digests: { sha256: digest('sha256', component(plan, 'firmware')) },
          },
          ...[0, 1, 2, 3, 4, 5, 6, 7].map((pcrIndex) => ({
            pcrIndex,
            type: EV.EV_SEPARATOR,
            data: new Uint8Array(4),
          })),
          { pcrIndex: 8, type: EV.EV_IPL, data: component(plan, 'cmdline') },
          ...['kernel', 'initrd', 'workload'].map((name) => ({
            pcrIndex: 9,
            type: EV.EV_IPL,
            data: utf8(`/boot/${name}\0`),
            digests: { sha256: digest('sha256', component(plan, name)) },
          })),
        ];
        const log = writeEventLog({ algorithms: ['sha256'], events, locality: 0 });
        const bank = replayEventLog(parseEventLog(log), ['sha256']).sha256;
        if (!bank) throw new Error('vtpm: the written event log has no sha256 bank');
        const registers: Record<string, Uint8Array> = {};
        for (let i = 0; i <= 9; i++) registers[`pcr${i}`] = bank.read(i);
        const running = new Map<number, Uint8Array>();
        const chain = events.map((e) => {
          const input = e.digests?.sha256 ?? digest('sha256', e.data);
          const value = digest('sha256', concatBytes(running.get(e.pcrIndex) ?? new Uint8Array(32), input));
          running.set(e.pcrIndex, value);
          return { register: `PCR${e.pcrIndex}`, component: eventTypeName(e.type), input, value };
        });
        return {
          scheme,
          value: digest('sha256', Uint8Array.from(Object.values(registers).flatMap((r) => [...r]))),
          registers,
          chain,
        };
      }
      case 'nitro-pcrs': {
        const pcrs = demoNitroPcrs(nitroChain(String(this.seed)).moduleId, {
          kernel: component(plan, 'kernel'),
          cmdline: new TextDecoder().decode(component(plan, 'cmdline')),
          ramdisks: [component(plan, 'initrd'), component(plan, 'workload')],
        });
        const registers: Record<string, Uint8Array> = {};
        for (const [i, v] of pcrs) registers[`pcr${i}`] = v;
        // PCR0 covers the whole enclave image file, PCR1 the kernel and bootstrap, PCR2 the application.
        const parts: [number, string, Uint8Array][] = [
          [
            0,
            'enclave image (kernel, cmdline, ramdisks)',
            concatBytes(...plan.components.map((c) => c.bytes)),
          ],
          [1, 'kernel and cmdline', concatBytes(component(plan, 'kernel'), component(plan, 'cmdline'))],
          [
            2,
            'ramdisks (initrd, workload)',
            concatBytes(component(plan, 'initrd'), component(plan, 'workload')),
          ],
        ];
        const chain = parts.map(([i, what, bytes]) => ({
          register: `PCR${i}`,
          component: what,
          input: digest('sha384', bytes),
          value: registers[`pcr${i}`],
        }));
        return { scheme, value: registers.pcr0, registers, chain };
      }
      case 'sev-launch-digest': {
        const ld = new SevLaunchDigest();
        // GCTX.LD is one SHA-256 over everything launched: the view shows the digest of the stream so far.
        const chain: MeasureStep[] = [];
        const streamed: Uint8Array[] = [];
        const step = (name: string, bytes: Uint8Array) => {
          streamed.push(bytes);
          chain.push({
            register: 'launch digest',
            component: name,
            input: digest('sha256', bytes),
            value: digest('sha256', concatBytes(...streamed)),
          });
        };
        for (const c of plan.components) {
          ld.updateData(c.bytes, c.name);
          step(c.name, c.bytes);
        }
        // SEV-ES and later also measure the initial VMSA, so the host cannot forge the first registers.
        if (this.caps.registers !== 'plaintext') {
          ld.updateVmsa(new Uint8Array(PAGE_BYTES), 'vmsa');
          step('initial VMSA', new Uint8Array(PAGE_BYTES));
        }
        return { scheme, value: ld.finish(), registers: {}, chain };
      }
      case 'none':
        return { scheme, value: new Uint8Array(0), registers: {}, chain: [] };
      default: {
        // Not yet modelled with its real scheme (MRENCLAVE, RIM/REM, SE header, TA hash, ESM blob): a
        // hash chain over the components (SHA-256 where the format's field is 32 bytes), so a changed
        // component still changes the value.
        const alg = scheme === 'mrenclave' || scheme === 'rim-rem' ? 'sha256' : 'sha384';
        let acc: Uint8Array = new Uint8Array(alg === 'sha256' ? 32 : 48);
        const chain: MeasureStep[] = [];
        for (const c of plan.components) {
          const input = digest(alg, c.bytes);
          acc = digest(alg, concatBytes(acc, input));
          chain.push({ register: scheme, component: c.name, input, value: acc });
        }
        return { scheme, value: acc, registers: {}, chain };
      }
    }
  }

  /** What REPORT_DATA must hold: hash of {nonce, tee-pubkey}, as Trustee's KBS asks for. */
  binding(
    nonce: Uint8Array | undefined,
    teeKey: { curve: KeyPair['curve']; publicKey: Uint8Array },
  ): Uint8Array {
    return runtimeDataReportData({
      nonce: nonce ? toBase64Url(nonce) : '',
      'tee-pubkey': toJwk({ curve: teeKey.curve, publicKey: teeKey.publicKey }),
    });
  }

  /**
   * Evidence in the platform's real format (capability `evidence`) binding `binding`. `signer`
   * 'attacker' signs with keys the attacker made (or, where the platform's key sits in the host, with
   * that key); 'vendor-compromised' uses keys certified by the vendor root the owner pins. Returns
   * undefined when the platform has no evidence.
   */
  evidence(
    m: Measurement,
    owners: Uint8Array,
    plan: LaunchPlan,
    requested: Signer,
    session: Session = 'current',
  ): EvidenceInTransit | undefined {
    const format = this.caps.evidence;
    const old = plan.firmware === 'vulnerable';
    const signer = this.effectiveSigner(requested);
    const binding = this.fresh(owners, session);
    // Keys and chains of the attacker's own making, where it does not hold the platform's.
    const own = signer === 'attacker';
    switch (format) {
      case 'snp-report': {
        // The chip's VCEK is derived for the running TCB: old firmware signs with the old TCB's key.
        const e = snpBundle(`${this.seed}|${old ? 'old' : 'current'}`);
        const report = encodeSnpReport({
          ...e.fields,
          measurement: m.value,
          reportData: padTo(binding, 64),
          policy: makeGuestPolicy({ smt: true, debug: plan.debug }),
        });
        const key = own ? this.attackerKey.privateKey : e.vcekKey.privateKey;
        return { format, bytes: signSnpReport(report, key), chain: [e.vcek, e.ask, e.ark] };
      }
      case 'tdx-quote': {
        // An attacker without Intel's keys runs its own PKI (a different root); with them, Intel's.
        const bundleId = own ? `attacker:${this.seed}` : String(this.seed);
        const e = tdxBundle(bundleId);
        const d = e.decoded;
        const quote = signTdxQuote(
          {
            ...d,
            body: {
              ...d.body,
              teeTcbSvn: old ? TDX_OLD_SVN : TDX_CURRENT_SVN,
              tdAttributes: plan.debug ? d.body.tdAttributes | 1n : d.body.tdAttributes & ~1n,
              mrTd: m.value,
              rtmrs: [0, 1, 2, 3].map((i) => m.registers[`rtmr${i}`]),
              reportData: padTo(binding, 64),
            },
          },
          tdxQeSigner(bundleId),
        );
        return { format, bytes: encodeTdxQuote(quote), chain: e.chainDer };
      }
      case 'sgx-quote': {
        const bundleId = own ? `attacker:${this.seed}` : String(this.seed);
        const e = sgxBundle(bundleId);
        const d = e.decoded;
        const debugBit = 1n << 1n;
        const quote = signSgxQuote(
          {
            ...d,
            body: {
              ...d.body,
              cpuSvn: old ? SGX_OLD_CPUSVN : DEMO_CPUSVN,
              flags: plan.debug ? d.body.flags | debugBit : d.body.flags & ~debugBit,
              mrEnclave: m.value,
              reportData: padTo(binding, 64),
            },
          },
          sgxQeSigner(bundleId),
        );
        return { format, bytes: encodeSgxQuote(quote), chain: [e.root] };
      }
      case 'tpm-quote': {
        // Where the AK is held by the host (a vTPM) the forger signs with it; otherwise with an AK of its own.
        const pcrs = {
          sha256: Object.fromEntries([...Array(10).keys()].map((i) => [i, m.registers[`pcr${i}`]])),
        };
        const ak = tpmAk(`${own ? 'attacker:' : ''}${this.seed}`);
        const q = tpm2Quote(ak.ak, {
          pcrs,
          nonce: binding.subarray(0, 32),
          clockInfo: { clock: 1_000_000n, resetCount: 3, restartCount: 0, safe: true },
          firmwareVersion: 0x0001002600000000n,
        });
        return { format, bytes: encodeTpmQuote(q), chain: [ak.akCertificate, ak.caCertificate] };
      }
      case 'nitro-document': {
        const chain = nitroChain(String(this.seed));
        const pcrs = new Map(
          Object.entries(m.registers).map(([k, v]): [number, Uint8Array] => [
            Number(k.slice(3)),
            // `--debug-mode`: the NSM reports every PCR but the instance's (PCR4) as zeros.
            plan.debug && k !== 'pcr4' ? new Uint8Array(48) : v,
          ]),
        );
        const document = encodeNitroDocument(
          {
            moduleId: chain.moduleId,
            digest: 'SHA384',
            timestamp: DEMO_NITRO_TIMESTAMP,
            pcrs,
            certificate: chain.enclaveCertificate,
            cabundle: chain.cabundle,
            publicKey: null,
            userData: null,
            nonce: binding,
          },
          es384Signer(own ? this.attackerKey.privateKey : chain.enclaveKey.privateKey),
          { tagged: false },
        );
        return { format, bytes: document, chain: [chain.cabundle[0]] };
      }
      case 'cca-token': {
        const genuine = ccaBundle(this.seed);
        const cpak = own ? this.attackerKey.publicKey : genuine.cpakPublicKey;
        const token = demoCcaEvidence(this.seed, {
          challenge: padTo(binding, 64),
          rim: m.value,
          rak: genuine.rak,
          // A debug launch puts the platform in a (recoverable) debug lifecycle state.
          ...(plan.debug ? { lifecycle: 0x5000 } : {}),
          ...(old ? { swComponents: genuine.claims.platform.swComponents.map(olderComponent) } : {}),
          ...(own
            ? {
                signPlatform: es384Signer(this.attackerKey.privateKey),
                cpakPublicKey: this.attackerKey.publicKey,
              }
            : {}),
        }).token;
        // The CPAK's public key goes along: a verifier with no endorsement for it has nothing else to check.
        return { format, bytes: token, chain: [cpak] };
      }
      case 'ta-hash-report': {
        // OP-TEE's attestation PTA: a hash of the TA signed by a device key that no vendor PKI certifies,
        // so the public key travels with the report and nothing says whose it is.
        const key = own ? this.attackerTeeKey : deviceKey(this.seed);
        const signed = concatBytes(padTo(m.value, 48), padTo(binding, 64));
        const signature = ecdsaSign('p256', key.privateKey, signed);
        return { format, bytes: concatBytes(signed, signature), chain: [key.publicKey] };
      }
      case 'ibm-se-attestation': {
        // Without the host key the attacker cannot open the owner's ARCB, so it MACs with a key of its own.
        const id = own ? `attacker:${this.seed}` : String(this.seed);
        const e = demoIbmSeEvidence(id === String(this.seed) ? this.seed : id, {
          nonce: binding.subarray(0, 16),
          userData: binding,
          runningImage: demoSeImage(toHex(m.value)),
        });
        // Unanchored, the MAC key travels with the evidence (nothing else tells the verifier which key).
        const macKey = seBundle(id).verifierSecrets.measurementKey;
        return { format, bytes: e.response, chain: this.anchored ? [] : [macKey] };
      }
      case 'sev-launch-measure': {
        // LAUNCH_MEASURE: HMAC-SHA256 under the TIK over the launch digest and a nonce (MNONCE). With a
        // firmware session each launch has its own TIK (owner ↔ PSP) and MNONCE is the firmware's; with a
        // verifier nonce MNONCE carries the owner's binding; with neither there is one TIK for every launch.
        const perLaunch = this.caps.freshness === 'firmware-nonce-session';
        const mnonce =
          this.caps.freshness === 'verifier-nonce'
            ? padTo(binding, 16)
            : digest('sha256', Uint8Array.from([...binding, ...m.value])).subarray(0, 16);
        const tik = this.tik[perLaunch ? session : 'current'];
        const key = own ? this.attackerKey.privateKey.subarray(0, 16) : tik;
        const meas = sevLaunchMeasurement(key, {
          apiMajor: 0,
          apiMinor: 24,
          build: 15,
          policy: plan.debug ? 0 : 1,
          launchDigest: m.value,
          mnonce,
        });
        return { format, bytes: Uint8Array.from([...meas, ...mnonce]), chain: this.anchored ? [] : [key] };
      }
      default:
        return undefined;
    }
  }

  /** The owner's appraisal with the real verifier for the format. */
  appraise(e: EvidenceInTransit, expected: Uint8Array, policy: OwnerPolicy): AttestationResult {
    const nonce = this.demanded(expected, policy);
    const ref = policy.reference;
    // The root or key the verifier trusts: its own pinned one, or (unanchored) whatever came along.
    const carried = (pinned: Certificate): Certificate[] => [
      this.anchored || e.chain.length === 0 ? pinned : cert(e.chain[e.chain.length - 1]),
    ];
    switch (e.format) {
      case 'snp-report':
        return appraiseSnp(
          e.bytes,
          e.chain.map(cert),
          strictSnpPolicy({
            trustedRoots: carried(cert(snpBundle(`${this.seed}|current`).ark)),
            referenceMeasurements: [ref.value],
            allowDebug: policy.allowDebug,
            ...(nonce ? { nonce } : {}),
            ...(policy.tcbMinimum ? { minTcb: DEMO_TCB.Milan } : {}),
          }),
        );
      case 'tdx-quote':
        return appraiseTdxQuote(
          e.bytes,
          strictTdxPolicy({
            trustedRoots: carried(intelRoot(this.seed)),
            referenceMeasurements: [ref.value],
            referenceRtmrs: {
              0: [ref.registers.rtmr0],
              1: [ref.registers.rtmr1],
              2: [ref.registers.rtmr2],
              3: [ref.registers.rtmr3],
            },
            allowDebug: policy.allowDebug,
            ...(nonce ? { nonce } : {}),
            ...(policy.tcbMinimum ? { minTeeTcbSvn: TDX_CURRENT_SVN } : {}),
          }),
        );
      case 'sgx-quote':
        return appraiseSgx(e.bytes, {
          id: 'ccte/sgx/strict',
          trustedRoots: carried(intelRoot(this.seed)),
          referenceMeasurements: [ref.value],
          allowDebug: policy.allowDebug,
          ...(nonce ? { nonce, reportData: padTo(nonce, 64) } : {}),
          ...(policy.tcbMinimum ? { minCpuSvn: DEMO_CPUSVN } : {}),
        });
      case 'tpm-quote': {
        const q = decodeTpmQuote(e.bytes);
        const refs = Object.fromEntries([...Array(10).keys()].map((i) => [i, [ref.registers[`pcr${i}`]]]));
        return appraiseTpmQuote(
          {
            attest: q.attest,
            signature: q.signature,
            akChain: e.chain.map(cert),
            pcrs: {
              sha256: Object.fromEntries([...Array(10).keys()].map((i) => [i, ref.registers[`pcr${i}`]])),
            },
          },
          {
            id: 'ccte/vtpm/strict',
            trustedRoots: carried(cert(tpmAk(String(this.seed)).caCertificate)),
            referencePcrs: { sha256: refs },
            allowDebug: policy.allowDebug,
            ...(nonce ? { nonce: nonce.subarray(0, 32) } : {}),
          },
        );
      }
      case 'nitro-document':
        return appraiseNitro(e.bytes, {
          id: 'ccte/nitro/strict',
          trustedRoots: carried(cert(nitroChain(String(this.seed)).cabundle[0])),
          referencePcrs: { 0: [ref.registers.pcr0], 1: [ref.registers.pcr1], 2: [ref.registers.pcr2] },
          allowDebug: policy.allowDebug,
          ...(nonce ? { nonce } : {}),
        });
      case 'cca-token': {
        const genuine = ccaBundle(this.seed);
        return appraiseCca(e.bytes, {
          id: 'ccte/cca/strict',
          trustedRoots: [],
          cpakPublicKeys: [this.anchored || !e.chain[0] ? genuine.cpakPublicKey : e.chain[0]],
          referenceMeasurements: [ref.value],
          allowDebug: policy.allowDebug,
          ...(nonce ? { nonce } : {}),
          ...(policy.tcbMinimum
            ? { referenceSwComponents: genuine.claims.platform.swComponents.map((c) => c.measurement) }
            : {}),
        });
      }
      case 'ta-hash-report':
        return this.appraiseTaReport(
          e,
          ref.value,
          nonce,
          this.anchored ? deviceKey(this.seed).publicKey : undefined,
        );
      case 'ibm-se-attestation': {
        const genuine = seBundle(String(this.seed));
        return appraiseIbmSe(e.bytes, {
          id: 'ccte/ibm-se/strict',
          trustedRoots: [],
          // Anchored, the key is the one the verifier sealed into its ARCB; unanchored, the one that came along.
          measurementKey: this.anchored || !e.chain[0] ? genuine.verifierSecrets.measurementKey : e.chain[0],
          image: demoSeImage(toHex(ref.value)),
          // The ARCB always carries a nonce (the UV MACs it in); TODO: freshness 'none' still checks it.
          nonce: (nonce ?? expected).subarray(0, 16),
        });
      }
      case 'sev-launch-measure':
        return this.appraiseSevMeasure(e, ref.value, policy, nonce);
      default:
        return makeResult({
          submod: e.format,
          policyId: 'ccte/unmodelled',
          checks: [
            {
              check: 'parse',
              ok: false,
              reason: `evidence format ${e.format} is not modelled in the simulation yet`,
            },
          ],
          claims: [claim('instance-identity', AR4SI.unexpectedEvidence, `no verifier wired for ${e.format}`)],
        });
    }
  }

  /**
   * A TA-hash report has no vendor anchor: the verifier can only check that the report is signed by
   * the key that came with it, that the TA hash is the reference and that the nonce is its own.
   */
  private appraiseTaReport(
    e: EvidenceInTransit,
    ta: Uint8Array,
    nonce: Uint8Array | undefined,
    pinned: Uint8Array | undefined,
  ): AttestationResult {
    const signed = e.bytes.subarray(0, 112);
    const key = e.chain[0];
    const keyOk = pinned === undefined || (key !== undefined && same(key, pinned));
    const sigOk = keyOk && key !== undefined && ecdsaVerify('p256', e.bytes.subarray(112), signed, key);
    const taOk = same(signed.subarray(0, 48), padTo(ta, 48));
    const fresh = nonce === undefined || same(signed.subarray(48, 112), padTo(nonce, 64));
    return makeResult({
      submod: 'trustzone',
      policyId: 'ccte/trustzone/ta-hash',
      checks: [
        {
          check: 'signature',
          ok: sigOk,
          reason: !keyOk
            ? 'the report is signed by a key other than the device key the verifier pinned'
            : sigOk
              ? pinned
                ? 'signed by the device key the verifier pinned'
                : 'signed by the device key carried in the report (no vendor PKI says whose key it is)'
              : 'the signature does not verify with the key in the report',
        },
        {
          check: 'freshness',
          ok: fresh,
          reason: fresh ? 'nonce as issued' : 'not the nonce the verifier issued',
        },
        {
          check: 'measurement',
          ok: taOk,
          reason: taOk ? 'TA hash as expected' : 'TA hash differs from the reference',
        },
      ],
      claims: [
        sigOk && taOk && fresh
          ? claim('executables', AR4SI.executables.approvedBoot, 'TA hash as expected')
          : claim('executables', AR4SI.executables.unrecognized, 'TA report not acceptable'),
      ],
    });
  }

  /** The owner recomputes LAUNCH_MEASURE with its copy of this session's TIK and the expected digest. */
  private appraiseSevMeasure(
    e: EvidenceInTransit,
    launchDigest: Uint8Array,
    policy: OwnerPolicy,
    nonce: Uint8Array | undefined,
  ): AttestationResult {
    const blob = e.bytes;
    const mnonce = blob.subarray(32, 48);
    // Anchored, the owner's TIK from its session with the PSP; unanchored, the key that came along.
    const tik = this.anchored || !e.chain[0] ? this.tik.current : e.chain[0];
    // A verifier nonce is carried in MNONCE; a firmware session's nonce is checked through the TIK.
    const fresh =
      this.caps.freshness !== 'verifier-nonce' || nonce === undefined || same(mnonce, padTo(nonce, 16));
    const expect = (debug: boolean) =>
      sevLaunchMeasurement(tik, {
        apiMajor: 0,
        apiMinor: 24,
        build: 15,
        policy: debug ? 0 : 1,
        launchDigest,
        mnonce,
      });
    const ok =
      same(blob.subarray(0, 32), expect(false)) ||
      (policy.allowDebug && same(blob.subarray(0, 32), expect(true)));
    return makeResult({
      submod: 'sev',
      policyId: 'ccte/sev/launch-measure',
      checks: [
        {
          check: 'signature',
          ok,
          reason: ok
            ? "the HMAC under this launch session's TIK matches the expected launch digest and policy"
            : "the HMAC under this launch session's TIK does not match the expected launch digest and policy",
        },
        {
          check: 'freshness',
          ok: fresh,
          reason: fresh ? 'MNONCE as issued (or not checked)' : 'MNONCE is not the nonce the owner issued',
        },
      ],
      claims: [
        ok && fresh
          ? claim('executables', AR4SI.executables.approvedBoot, 'launch digest as expected')
          : claim('executables', AR4SI.executables.unrecognized, 'launch measurement differs'),
      ],
    });
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function padTo(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(0, length));
  return out;
}

/** The same firmware component one release older (what a rollback installs). */
function olderComponent<T extends { type?: string; version?: string; measurement: Uint8Array }>(c: T): T {
  const version = `${c.version ?? '1.0.0'}-old`;
  return { ...c, version, measurement: digest('sha256', utf8(`ccte demo ${c.type ?? ''} ${version}`)) };
}

/** The owner's policy from the misconfiguration: strict unless told otherwise. */
export function ownerPolicy(reference: Measurement, misconfig: Misconfiguration): OwnerPolicy {
  return {
    nonce: !misconfig.noNonce,
    allowDebug: misconfig.allowDebug ?? false,
    reference,
    tcbMinimum: true,
  };
}
