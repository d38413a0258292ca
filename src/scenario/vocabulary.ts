/**
 * The words a scenario file may use, as runtime lists the schema (schema.ts), the loader (load.ts) and
 * the runner (run.ts) share. Each list is derived from an object that `satisfies` a record over the
 * model's own union type, so adding an event kind, an outcome or a misconfiguration to the model fails
 * to compile here until the list has it too: the lists cannot drift from the simulation.
 */
import { CHECKS, CLAIMS, type Status } from '../core/verify/ear';
import type { HostViewKind } from '../model/explore-types';
import type { Outcome } from '../model/outcome';
import type { Misconfiguration } from '../model/run-types';
import type { EventKind } from '../model/transcript';

const EVENT_KIND_SET = {
  launch: true,
  measure: true,
  'page-write': true,
  'page-read': true,
  'page-remap': true,
  'page-replay': true,
  registers: true,
  cpuid: true,
  dma: true,
  'shared-io': true,
  nonce: true,
  evidence: true,
  verdict: true,
  token: true,
  secret: true,
  fault: true,
  refusal: true,
  halt: true,
} as const satisfies Record<EventKind, true>;

/** Every transcript event kind (src/model/transcript.ts `EventKind`), for `runTo.after` and `event` expectations. */
export const EVENT_KINDS = Object.keys(EVENT_KIND_SET) as EventKind[];

const OUTCOME_MEANING = {
  leaked: 'the attack got the secret (or made the guest act on tampered state) and the owner did not notice',
  detected: "the attack worked on the host's side, but the owner's verifier noticed and withheld the secret",
  prevented: 'the platform stopped the attack',
  'out-of-scope': "the attack works, but the platform's declared threat model excludes it",
  'not-applicable': 'the platform has no such surface',
} as const satisfies Record<Outcome, string>;

/** The judged outcomes of an attack (src/model/outcome.ts), in the order the matrix explains them. */
export const OUTCOMES = Object.keys(OUTCOME_MEANING) as Outcome[];
export const OUTCOME_DESCRIPTION = OUTCOMES.map((o) => `${o}: ${OUTCOME_MEANING[o]}`).join('; ');

const VERDICT_STATUS_SET = {
  affirming: true,
  warning: true,
  contraindicated: true,
  none: true,
} as const satisfies Record<Status, true>;

/** EAR statuses of the verifier's result. */
export const VERDICT_STATUSES = Object.keys(VERDICT_STATUS_SET) as Status[];

const HOST_VIEW_MEANING = {
  plaintext: 'the host reads the guest data in the clear',
  ciphertext: 'the host reads encrypted bytes',
  'abort-values': 'the host reads all-ones abort values (SGX)',
  fault: 'the read faults (the ownership table or the hypervisor refuses it)',
} as const satisfies Record<HostViewKind, string>;

/** What the host gets when it reads a guest page (explore-types.ts `HostViewKind`). */
export const HOST_VIEW_KINDS = Object.keys(HOST_VIEW_MEANING) as HostViewKind[];
export const HOST_VIEW_DESCRIPTION = HOST_VIEW_KINDS.map((k) => `${k}: ${HOST_VIEW_MEANING[k]}`).join('; ');

/** The owner's possible mistakes (run-types.ts `Misconfiguration`), each with what it means. */
export const MISCONFIGURATIONS = {
  noNonce: 'The owner sends no fresh nonce, so old evidence can be replayed.',
  allowDebug: "The owner's appraisal policy accepts debug-enabled guests.",
  secretBeforeAttestation:
    'The secret is provisioned before (or without) attestation: in the image, the command line or the disk.',
} as const satisfies Record<keyof Misconfiguration, string>;

export const MISCONFIGURATION_KEYS = Object.keys(MISCONFIGURATIONS) as (keyof Misconfiguration)[];

/** AR4SI claim names and verifier check names, as the verifier reports them (src/core/verify/ear.ts). */
export const CLAIM_NAMES: readonly string[] = CLAIMS;
export const CHECK_NAMES: readonly string[] = CHECKS;
