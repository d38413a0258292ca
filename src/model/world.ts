/**
 * The effects the machines call: measuring a launch plan with the platform's real scheme, signing
 * evidence in its real format, appraising it with the real verifier, wrapping and unwrapping the
 * secret, and the guest memory the host attacks. Machines decide *what happens next*; this module is
 * where the bytes come from. All randomness is drawn from forks of the run's seeded DRBG.
 */
import { utf8 } from '../core/crypto/bytes';
import type { HmacDrbg } from '../core/crypto/drbg';
import { generateKeyPair, type KeyPair } from '../core/crypto/ecdsa';
import { digest } from '../core/crypto/hash';
import { runtimeDataReportData } from '../core/broker/kbs';
import { toBase64Url, toJwk } from '../core/broker/jws';
import { demoSnpEvidence, DEMO_TCB } from '../core/evidence/amd-chain';
import { demoTdxEvidence } from '../core/evidence/intel-chain';
import {
  demoNitroEvidence,
  demoNitroPcrs,
  nitroDemoChain,
  nitroDemoRootDer,
} from '../core/evidence/nitro-chain';
import { es384Signer } from '../core/evidence/nitro-document';
import { makeGuestPolicy, signSnpReport } from '../core/evidence/snp-report';
import { demoTpmEvidence } from '../core/evidence/tpm-quote';
import { parseCertificate } from '../core/evidence/x509';
import { parseEventLog, replayEventLog, writeEventLog } from '../core/measure/event-log';
import { EV } from '../core/measure/event-types';
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

const TDX_CURRENT_SVN = Uint8Array.of(5, 1, 2, 0, ...new Uint8Array(12));
const TDX_OLD_SVN = Uint8Array.of(2, 0, 0, 0, ...new Uint8Array(12));
const SNP_OLD_TCB = { bootloader: 2, tee: 0, snp: 8, microcode: 115 };

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
  /** SEV's Transport Integrity Key, shared by the owner and the PSP through the launch session. */
  private readonly tik: Uint8Array;
  private readonly attackerKey: KeyPair;
  private nitroModuleId?: string;

  constructor(
    readonly platform: Platform,
    readonly seed: number,
    drbg: HmacDrbg,
  ) {
    this.tik = drbg.fork('sev/tik').generate(16);
    this.attackerKey = generateKeyPair('p384', drbg.fork('attacker/key'));
  }

  get caps(): Platform['capabilities'] {
    return this.platform.capabilities;
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
        const { launchDigest } = snpLaunchDigest(pages);
        return { scheme, value: launchDigest, registers: {} };
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
        return { scheme, value: mrtd, registers };
      }
      case 'pcr-event-log': {
        const events = [
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
        return {
          scheme,
          value: digest('sha256', Uint8Array.from(Object.values(registers).flatMap((r) => [...r]))),
          registers,
        };
      }
      case 'nitro-pcrs': {
        this.nitroModuleId ??= nitroDemoChain(this.seed).moduleId;
        const pcrs = demoNitroPcrs(this.nitroModuleId, {
          kernel: component(plan, 'kernel'),
          cmdline: new TextDecoder().decode(component(plan, 'cmdline')),
          ramdisks: [component(plan, 'initrd'), component(plan, 'workload')],
        });
        const registers: Record<string, Uint8Array> = {};
        for (const [i, v] of pcrs) registers[`pcr${i}`] = v;
        return { scheme, value: registers.pcr0, registers };
      }
      case 'sev-launch-digest': {
        const ld = new SevLaunchDigest();
        for (const c of plan.components) ld.updateData(c.bytes, c.name);
        // SEV-ES and later also measure the initial VMSA, so the host cannot forge the first registers.
        if (this.caps.registers !== 'plaintext') ld.updateVmsa(new Uint8Array(PAGE_BYTES), 'vmsa');
        return { scheme, value: ld.finish(), registers: {} };
      }
      case 'none':
        return { scheme, value: new Uint8Array(0), registers: {} };
      default: {
        // Not yet modelled with its real scheme (MRENCLAVE, RIM/REM, SE header, TA hash, ESM blob):
        // a SHA-384 chain over the components, so a changed component still changes the value.
        let acc: Uint8Array = new Uint8Array(48);
        for (const c of plan.components)
          acc = digest('sha384', Uint8Array.from([...acc, ...digest('sha384', c.bytes)]));
        return { scheme, value: acc, registers: {} };
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
   * 'attacker' signs with a key the attacker made; 'vendor-compromised' uses the vendor's signing path.
   * Returns undefined when the platform has no evidence, or when its format is not modelled yet.
   */
  evidence(
    m: Measurement,
    binding: Uint8Array,
    plan: LaunchPlan,
    signer: Signer,
  ): EvidenceInTransit | undefined {
    const format = this.caps.evidence;
    const old = plan.firmware === 'vulnerable';
    switch (format) {
      case 'snp-report': {
        const e = demoSnpEvidence(this.seed, {
          measurement: m.value,
          reportData: binding,
          policy: makeGuestPolicy({ smt: true, debug: plan.debug }),
          ...(old ? { tcb: SNP_OLD_TCB } : {}),
        });
        const report =
          signer === 'attacker' ? signSnpReport(e.report, this.attackerKey.privateKey) : e.report;
        return { format, bytes: report, chain: [e.vcek, e.ask, e.ark] };
      }
      case 'tdx-quote': {
        // An attacker without Intel's keys runs its own PKI (a different root); with them, Intel's.
        const e = demoTdxEvidence(signer === 'attacker' ? `attacker:${this.seed}` : this.seed, {
          reportData: binding,
          mrTd: m.value,
          rtmrs: [0, 1, 2, 3].map((i) => m.registers[`rtmr${i}`]),
          debug: plan.debug,
          teeTcbSvn: old ? TDX_OLD_SVN : TDX_CURRENT_SVN,
        });
        return { format, bytes: e.quote, chain: e.chainDer };
      }
      case 'tpm-quote': {
        // The vTPM's AK is held by the host, so even "the attacker's key" is the genuine AK.
        const pcrs = {
          sha256: Object.fromEntries([...Array(10).keys()].map((i) => [i, m.registers[`pcr${i}`]])),
        };
        const e = demoTpmEvidence(this.seed, { pcrs, nonce: binding.subarray(0, 32) });
        return { format, bytes: e.quote, chain: [e.akCertificate, e.akCaCertificate] };
      }
      case 'nitro-document': {
        const pcrs = new Map(
          Object.entries(m.registers).map(([k, v]): [number, Uint8Array] => [Number(k.slice(3)), v]),
        );
        const e = demoNitroEvidence(this.seed, {
          pcrs,
          nonce: binding,
          debug: plan.debug,
          ...(signer === 'attacker' ? { sign: es384Signer(this.attackerKey.privateKey) } : {}),
        });
        return { format, bytes: e.document, chain: [e.root] };
      }
      case 'sev-launch-measure': {
        // LAUNCH_MEASURE: HMAC-SHA256 under the TIK over the launch digest and a firmware nonce
        // (MNONCE). It carries no verifier nonce: freshness comes from the launch session itself.
        const mnonce = digest('sha256', Uint8Array.from([...binding, ...m.value])).subarray(0, 16);
        const key = signer === 'attacker' ? this.attackerKey.privateKey.subarray(0, 16) : this.tik;
        const meas = sevLaunchMeasurement(key, {
          apiMajor: 0,
          apiMinor: 24,
          build: 15,
          policy: plan.debug ? 0 : 1,
          launchDigest: m.value,
          mnonce,
        });
        return { format, bytes: Uint8Array.from([...meas, ...mnonce]), chain: [] };
      }
      default:
        return undefined;
    }
  }

  /** The owner's appraisal with the real verifier for the format. */
  appraise(e: EvidenceInTransit, expected: Uint8Array, policy: OwnerPolicy): AttestationResult {
    const nonce = policy.nonce ? expected : undefined;
    const ref = policy.reference;
    switch (e.format) {
      case 'snp-report':
        return appraiseSnp(
          e.bytes,
          e.chain.map(parseCertificate),
          strictSnpPolicy({
            trustedRoots: [parseCertificate(demoSnpEvidence(this.seed).ark)],
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
            trustedRoots: [demoTdxEvidence(this.seed).chain.root.certificate],
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
      case 'tpm-quote': {
        const q = decodeTpmQuote(e.bytes);
        const refs = Object.fromEntries([...Array(10).keys()].map((i) => [i, [ref.registers[`pcr${i}`]]]));
        return appraiseTpmQuote(
          {
            attest: q.attest,
            signature: q.signature,
            akChain: e.chain.map(parseCertificate),
            pcrs: {
              sha256: Object.fromEntries([...Array(10).keys()].map((i) => [i, ref.registers[`pcr${i}`]])),
            },
          },
          {
            id: 'ccte/vtpm/strict',
            trustedRoots: [
              parseCertificate(
                demoTpmEvidence(this.seed, {
                  pcrs: { sha256: { 0: new Uint8Array(32) } },
                  nonce: new Uint8Array(0),
                }).akCaCertificate,
              ),
            ],
            referencePcrs: { sha256: refs },
            allowDebug: policy.allowDebug,
            ...(nonce ? { nonce: nonce.subarray(0, 32) } : {}),
          },
        );
      }
      case 'nitro-document':
        return appraiseNitro(e.bytes, {
          id: 'ccte/nitro/strict',
          trustedRoots: [parseCertificate(nitroDemoRootDer())],
          referencePcrs: { 0: [ref.registers.pcr0], 1: [ref.registers.pcr1], 2: [ref.registers.pcr2] },
          allowDebug: policy.allowDebug,
          ...(nonce ? { nonce } : {}),
        });
      case 'sev-launch-measure':
        return this.appraiseSevMeasure(e.bytes, ref.value, policy);
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

  /** The owner recomputes LAUNCH_MEASURE with its copy of the TIK and the expected digest. */
  private appraiseSevMeasure(
    blob: Uint8Array,
    launchDigest: Uint8Array,
    policy: OwnerPolicy,
  ): AttestationResult {
    const mnonce = blob.subarray(32, 48);
    const expect = (debug: boolean) =>
      sevLaunchMeasurement(this.tik, {
        apiMajor: 0,
        apiMinor: 24,
        build: 15,
        policy: debug ? 0 : 1,
        launchDigest,
        mnonce,
      });
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
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
            ? 'the HMAC under the TIK matches the expected launch digest and policy'
            : 'the HMAC under the TIK does not match the expected launch digest and policy',
        },
      ],
      claims: [
        ok
          ? claim('executables', AR4SI.executables.approvedBoot, 'launch digest as expected')
          : claim('executables', AR4SI.executables.unrecognized, 'launch measurement differs'),
      ],
    });
  }
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
