/**
 * The explorer's UI strings in English: the source catalogue. Every other catalogue has exactly these
 * keys, with the same kind of value (a string, or a function with the same parameters), which the
 * type `Messages` (derived from this object) and tests/unit/ui/i18n.test.ts enforce.
 *
 * One section per component (and `outcomes`, `common`, `language` shared). Functions take plain
 * values and format numbers with this catalogue's locale. Only `import type` here: the catalogues
 * go into the main bundle and must not pull in the model or D3.
 *
 * Text the simulation produces (event titles, explanations, the verifier's reasons) and platform
 * (product) names are not here: they stay English in every language. Attack titles are (attackTitles).
 */
import type { Outcome } from '../../model/outcome';
import type { EvidenceKind } from '../../model/byoe';
import type { HostViewKind, MachineName } from '../../model/explore-types';
import type { Comparison } from '../lib/layout/boot-chain';
import type { FlowKind, FlowModel, Lane } from '../lib/layout/attestation-flow';
import type { NodeId, RegionId } from '../lib/layout/trust-map';
import type { ReadVerdict } from '../lib/memory-view';
import type { SortOrder } from '../lib/matrix-view';
import type { MisconfigurationId, ProblemWords, ViewId } from '../state/url-state';
import type { Level } from '../../scenario/types';
import { formatNumber, formatSize } from './format';

const num = (n: number) => formatNumber('en', n);
const plural = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${num(n)} ${many}`);

/** The words of an attestation-flow message's short label (drawn beside its arrow). */
export interface FlowLabelParts {
  seq: number;
  implied: boolean;
  /** The message kind, already in words. */
  kind: string;
  atHost: boolean;
  /** A verdict's EAR status (verdicts only), and whether the owner refused it. */
  status: string | null;
  refused: boolean;
  via: boolean;
  attack: string | null;
  /** The event's title (every message but the verdict). */
  title: string | null;
}

/** The words of an attestation-flow message's accessible description. */
export interface FlowDescriptionParts {
  seq: number;
  implied: boolean;
  kind: string;
  from: string;
  to: string;
  via: boolean;
  accepted: boolean | null;
  title: string;
  attack: string | null;
  inspectable: boolean;
}

const regions = {
  platform: 'Platform',
  host: 'Host',
  guest: 'Guest / tenant',
  owner: 'Owner / relying party',
} satisfies Record<RegionId, string>;
const nodes = { device: 'Device', vendor: 'Vendor PKI' } satisfies Record<NodeId, string>;
const actorName = (a: string): string =>
  a === 'device' || a === 'vendor' ? nodes[a] : (regions[a as RegionId] ?? a);

const problems = {
  tooLong: (length: number, max: number) =>
    `the link's state is ${length} characters long (at most ${max}); ignoring it`,
  unreadable: 'the link’s state could not be read; using the defaults',
  repeated: (key: string) => `${key} appears more than once; using its first value`,
  platform: (value: string, fallback: string) => `unknown platform ${value}; showing ${fallback}`,
  attack: (value: string) => `unknown attack ${value} ignored`,
  misconfig: (value: string, known: string) => `unknown misconfiguration ${value} ignored (known: ${known})`,
  notInteger: (name: string, value: string, max: number) =>
    `${name} ${value} is not a whole number from 0 to ${max}; using the default`,
  view: (value: string, fallback: string) => `unknown view ${value}; showing the ${fallback} view`,
  page: (value: string) => `page ${value} is not a guest address like 0x1000; ignored`,
  lang: (value: string, known: string) => `unknown language ${value} ignored (known: ${known})`,
  setting: (key: string) => `unknown setting ${key} ignored`,
} satisfies ProblemWords;

export const en = {
  /** Words several components use. */
  common: {
    /** Between a label and what it labels ("Label: value"). */
    colon: ': ',
    /** A sentence's final full stop. */
    end: '.',
  },

  /** The judged outcomes, as badges, legend entries and accessible names. */
  outcomes: {
    leaked: 'leaked',
    detected: 'detected',
    prevented: 'prevented',
    'out-of-scope': 'out of scope',
    'not-applicable': 'not applicable',
  } satisfies Record<Outcome, string>,
  /** One sign per outcome, drawn in the matrix cells (never colour alone). */
  outcomeLetters: {
    leaked: 'L',
    detected: 'D',
    prevented: 'P',
    'out-of-scope': 'O',
    'not-applicable': '–',
  } satisfies Record<Outcome, string>,

  /** The language switcher. */
  language: {
    label: 'Language',
  },

  /**
   * The attacks' titles, by id. English must equal each attack file's own `title` (a test checks it):
   * the model keeps its words; this lets other languages show theirs.
   */
  attackTitles: {
    'memory-dump': 'Host administrator dumps guest memory',
    'register-snoop': 'Hypervisor reads guest registers at a VM exit',
    'page-remap-replay': 'Host remaps and replays guest pages',
    'cpuid-lie': 'Hypervisor lies in CPUID answers',
    'tampered-boot': 'Operator boots a tampered kernel',
    'forged-evidence': 'Host forges attestation evidence',
    'replayed-evidence': 'Host replays old evidence for a tampered guest',
    'tcb-rollback': 'Host rolls back security firmware',
    'debug-policy': 'Host launches the guest with debug enabled',
    'malicious-dma': 'Malicious device reads guest memory by DMA',
    'shared-io-snoop': 'Host snoops shared I/O buffers',
    'side-channel': 'Host runs a side-channel attack',
    'denial-of-service': 'Host denies service to the guest',
    'vendor-root-compromise': 'Attacker holds the vendor root key',
    'early-secret': 'Secret provisioned before attestation',
  },
  app: {
    title: 'Confidential Computing Threat Explorer',
    tagline: "See who can read what when a workload runs on someone else's computer.",
    modelLanguage:
      'Simulation messages (event titles, explanations and the verifier’s reasons) are in English.',
    controls: 'Scenario',
    platform: 'Platform',
    attacks: 'Attacks to inject',
    misconfig: 'Owner misconfigurations',
    misconfigNames: {
      noNonce: 'Verifier sends no nonce',
      allowDebug: 'Policy allows debug',
      secretBeforeAttestation: 'Secret provisioned before attestation',
    } satisfies Record<MisconfigurationId, string>,
    seed: 'Seed',
    views: 'Views',
    viewNames: {
      map: 'Trust domains',
      boot: 'Measured boot',
      attestation: 'Attestation',
      memory: 'Memory',
      matrix: 'Threat matrix',
      statechart: 'Statecharts',
    } satisfies Record<ViewId, string>,
    running: 'Simulating…',
    outcomes: 'What the attacks achieved',
    attackOutcome: (attack: string) => `${attack}:`,
    noAttack: 'No attack injected: the run shows the protocol as intended.',
    released: 'The key broker released the secret to the guest.',
    notReleased: 'The key broker did not release the secret.',
    refused: 'The platform refused the launch:',
    linkProblems: 'Some of this link could not be used:',
    problems,
    dismiss: 'Dismiss',
    inspector: 'Payload inspector',
    inspectorHeading: (seq: number, title: string) => `Payload inspector: #${seq} ${title}`,
    closeInspector: 'Close inspector',
    byoe: 'Bring your own evidence',
    byoeResult: 'Your evidence',
    error: 'The simulation failed:',
  },

  timeline: {
    label: 'Timeline',
    start: 'To start',
    back: 'Step back',
    play: 'Play',
    pause: 'Pause',
    forward: 'Step forward',
    end: 'To end',
    speed: 'Speed',
    speedOption: (s: number) => `${num(s)}×`,
    scrubber: 'Step',
    valueText: (step: number, total: number, title: string | null) =>
      `Step ${num(step)} of ${num(total)}: ${title ?? 'nothing has happened yet'}`,
    position: (step: number, total: number) => `${num(step)} / ${num(total)}`,
    events: 'Events',
    attack: (id: string) => `attack: ${id}`,
    keys: 'Keys: ← → step, Space play/pause, Home / End',
  },

  trustDomainMap: {
    label: (platform: string, step: number, total: number) =>
      `Trust domains on ${platform}: who sent what to whom, step ${num(step)} of ${num(total)}`,
    regions,
    short: { platform: 'Platform', host: 'Host', guest: 'Guest', owner: 'Owner' } satisfies Record<
      RegionId,
      string
    >,
    nodes,
    components: {
      cpu: 'CPU',
      'security-processor': 'Security processor',
      'root-of-trust': 'Root of trust',
      hypervisor: 'Hypervisor',
      'host-admin': 'Host admin',
      devices: 'Devices',
      firmware: 'Firmware',
      kernel: 'Kernel',
      workload: 'Workload',
      verifier: 'Verifier',
      'key-broker': 'Key broker',
    },
    trusted: 'trusted',
    untrusted: 'not trusted',
    reach: 'attacker’s reach',
    reachShort: 'attacker',
    nodeInReach: (name: string) => `${name} · attacker`,
    sawSecret: '⚠ saw the secret',
    attack: (id: string) => `attack: ${id}`,
    arrow: (
      a: { seq: number; from: string; to: string; self: boolean; attack?: string },
      title: string,
      latest: boolean,
    ) =>
      `Step ${num(a.seq + 1)}${latest ? ' (latest)' : ''}: ${title}. ` +
      (a.self ? `Within ${actorName(a.from)}.` : `From ${actorName(a.from)} to ${actorName(a.to)}.`) +
      (a.attack ? ` Caused by the attack ${a.attack}.` : ''),
    stepLabel: (seq: number, title: string) => `${seq + 1} · ${title}`,
    none: 'Nothing has happened yet: step forward to see the first message.',
    seesHeading: 'sees in plaintext',
    seesNothing: 'nothing yet',
    secretTag: 'contains the secret',
    alarm: (domain: string, seq: number, title: string) =>
      `${domain} saw the secret in plaintext (step ${num(seq + 1)}: ${title}), and the owner does not trust it.`,
    legend: {
      label: 'Legend',
      message: 'message (latest is thick)',
      attack: 'caused by an attack (dashed)',
      faded: 'earlier steps are faded',
      secret: 'hatched: an untrusted domain saw the secret',
    },
  },

  bootChain: {
    label: 'Measured boot chain',
    none: 'This platform measures nothing: there is no boot chain to show.',
    notYet:
      'Nothing has been measured yet at this step: the platform measures the launch image when it starts it.',
    intro:
      'Each box is one step: the platform folds the input’s digest into the register, and the box shows the running value after it. An extend cannot be undone, so one changed input changes every later value.',
    headline: 'The evidence carries',
    value: 'value',
    reference: 'reference',
    final: 'final',
    comparison: {
      matches: '✓ matches',
      differs: '✗ differs',
      'no-reference': 'no reference value',
    } satisfies Record<Comparison, string>,
    steps: (n: number) => plural(n, 'step', 'steps'),
    changed: '✗ changed input',
    after: '✗ differs: follows a change',
    same: 'same as reference',
    start: 'reset value',
    hash: (algorithm: string) => `hash: ${algorithm}`,
    step: (n: number) => `Step ${num(n)}`,
    component: 'measured:',
    input: 'input digest',
    afterValue: 'register after this step',
    full: 'show all',
    less: 'show less',
    copy: 'copy',
    copied: 'copied',
    copyFailed: 'copy failed',
    /** An action on a value: "copy: RTMR1 final". */
    valueAction: (action: string, owner: string, label: string) => `${action}: ${owner} ${label}`,
    /** Starts with the node's visible text (label, short value, note), then says where it is. */
    nodeLabel: (
      n: { label: string; short: string; index: number; component: string },
      register: string,
      total: number,
      note: string,
    ) =>
      `${n.label} ${n.short} ${note}: ${register} step ${num(n.index + 1)} of ${num(total)}, ${n.component}`,
    hint: 'Hover, focus or select a step to see its input digest.',
  },

  attestationFlow: {
    label: 'Attestation messages between RATS roles',
    model: 'Attestation model',
    models: {
      'background-check': 'Background-check (as simulated)',
      passport: 'Passport',
    } satisfies Record<FlowModel, string>,
    passportNote:
      'The simulation runs the background-check model. This passport view re-draws the same messages in passport order: the verifier returns its result to the attester, which presents it to the relying party.',
    backgroundNote:
      'Background-check model: the attester sends its evidence to the relying party, which has its verifier appraise it before releasing the secret.',
    lanes: {
      attester: { name: 'Attester', short: 'Attester', role: 'guest + platform' },
      'relying-party': { name: 'Relying party', short: 'Relying party', role: 'key broker (owner)' },
      verifier: { name: 'Verifier', short: 'Verifier', role: 'appraiser (owner)' },
      endorser: { name: 'Endorser', short: 'Endorser', role: 'vendor PKI' },
      rvp: { name: 'Reference value provider', short: 'Ref. value provider', role: 'image builder (owner)' },
    } satisfies Record<Lane, { name: string; short: string; role: string }>,
    kinds: {
      measure: 'Launch measured',
      nonce: 'Nonce',
      sign: 'Evidence signed',
      evidence: 'Evidence',
      forward: 'Evidence forwarded',
      endorsements: 'Endorsements (certificate chain)',
      'reference-values': 'Reference values',
      result: 'Attestation result',
      present: 'Result presented',
      token: 'Result token',
      secret: 'Secret release',
    } satisfies Record<FlowKind, string>,
    short: (m: FlowLabelParts) =>
      (m.implied ? m.kind : `#${m.seq} ${m.atHost ? `${m.kind} at the host` : m.kind}`) +
      (m.status ? `: ${m.status}${m.refused ? ' (not accepted)' : ''}` : '') +
      (m.via ? ' · via host' : '') +
      (m.attack ? ` · ⚠ ${m.attack}` : '') +
      (m.implied ? ' (implied, not in the transcript)' : '') +
      (m.title !== null ? ` — ${m.title}` : ''),
    describe: (m: FlowDescriptionParts) =>
      `${m.implied ? '' : `#${m.seq} `}${m.kind}, from ${m.from} to ${m.to}${m.via ? ', via host' : ''}` +
      `${m.accepted === null ? '' : m.accepted ? ' (accepted)' : ' (not accepted)'}: ${m.title}` +
      `${m.attack ? `. attack: ${m.attack}` : ''}${m.inspectable ? '. Enter to inspect its bytes' : ''}`,
    shown: (n: number, total: number) => `${num(n)} of ${num(total)} messages so far`,
    nothingYet: 'Nothing has crossed yet: step forward to see the messages.',
    noMessages: 'This run exchanged no attestation messages.',
  },

  payloadInspector: {
    region: (title: string) => `Payload: ${title}`,
    bytes: (n: number) => plural(n, 'byte', 'bytes'),
    empty: 'No bytes crossed in this event.',
    invalid: 'These bytes are not valid hex, so there is nothing to show.',
    grid: 'Hex dump: arrow keys move through the bytes, Enter selects the field under the cursor',
    offsetHeading: 'Offset',
    byteAt: (offset: string) => `byte ${offset}: not in an annotated field`,
    noFields: 'No field layout for these bytes: raw hex only.',
    fields: 'Fields',
    keyField: 'key field',
    name: 'Name',
    length: 'Length',
    description: 'Description',
    select: (name: string) => `Highlight ${name} in the hex view`,
    clear: 'Clear highlight',
    /** A byte range [from, to] (inclusive offsets, in hex) and its length. */
    range: (from: string, to: string, n: number) => `${from}–${to} (${plural(n, 'byte', 'bytes')})`,
    highlighted: (range: string) => `Highlighted: ${range}`,
    verdict: 'Verifier’s appraisal',
    checks: 'Checks, in the order the verifier ran them',
    claims: 'Claims (AR4SI)',
    ok: '✓ passed',
    failed: '✗ failed',
    showBytes: (range: string, field?: string) => `Show ${field ? `${field}, ` : ''}bytes ${range}`,
    value: (value: string) => `value ${value}`,
    copy: 'copy hex',
    copied: 'copied',
    copyFailed: 'copy failed',
  },

  memoryInspector: {
    label: 'Guest memory inspector',
    protection: 'Host reads of private memory:',
    noTable: 'no ownership table',
    noMemory: 'There is no guest memory to inspect: the guest never ran in this run.',
    refused: 'The platform refused the launch:',
    notYet: (seq: number) =>
      `At this step the guest has not stored the secret yet (it does at event #${seq}). The pages below show memory as the run left it.`,
    pages: 'Pages',
    gpaHpa: (gpa: string, hpa: string) => `GPA ${gpa} → HPA ${hpa}`,
    kind: { private: 'private', shared: 'shared' },
    owner: (owner: string, validated: boolean, gpa: string | null) =>
      `owner ${owner}, ${validated ? 'validated' : 'not validated'}${gpa ? `, assigned GPA ${gpa}` : ''}`,
    noEntry: 'no entry',
    guestTitle: 'As the guest sees it',
    guestNote: 'plaintext (the guest reads its own memory through the CPU)',
    hostTitle: 'As the host sees it',
    hostKind: {
      plaintext: 'plaintext: the host reads the frame as it is',
      ciphertext:
        'ciphertext: the memory controller encrypts the frame with a key only the guest’s context uses',
      'abort-values': 'abort values: the CPU returns a fixed pattern for reads of protected memory',
      fault: 'the read faults',
    } satisfies Record<HostViewKind, string>,
    faultMessage: 'The host’s read faults:',
    marked: (offset: string, length: number) =>
      `Marked: the secret (${plural(length, 'byte', 'bytes')}) at offset ${offset}`,
    notHere: 'The secret is not stored in this page.',
    hostMarked: 'Marked: the secret’s bytes',
    notAtLocation:
      'The bytes at the secret’s location are not the secret any more (the page changed after it was stored).',
    alsoAt: (offsets: string[], also: boolean) =>
      `Marked: the secret’s bytes ${also ? 'also ' : ''}appear at ${offsets.join(', ')}`,
    verdict: {
      secret: 'The host can read the secret',
      ciphertext: 'The host sees only ciphertext — the secret’s bytes do not appear',
      'abort-values': 'The host reads only abort values{uniform} — the secret’s bytes do not appear',
      fault: 'The host’s read faults — it gets no bytes, and the secret’s bytes do not appear',
      plaintext: 'The host reads this page in plaintext, but the secret’s bytes are not in it',
      empty: 'The host got no bytes — the secret’s bytes do not appear',
      'no-secret': 'This run has no secret to look for',
    } satisfies Record<ReadVerdict, string>,
    foundAt: (offsets: string[]) => ` (its bytes are at offset ${offsets.join(', ')})`,
    uniform: (byte: string) => ` (every byte is ${byte})`,
    rows: (shown: number, total: number) => `Showing ${num(shown)} of ${num(total)} rows.`,
    showAll: (total: number) => `show all ${num(total)} rows`,
    showFirst: (n: number) => `show the first ${num(n)} rows`,
    attacker: 'What the attacker got',
    noAttacker: 'No attack has read guest memory or registers yet at this step.',
    chooseRead: 'Read',
    event: (seq: number, attack: string | undefined, kind: string, bytes: number) =>
      `event #${seq} · ${attack ?? ''} · ${kind} · ${plural(bytes, 'byte', 'bytes')}`,
    attackerVerdict: {
      secret: 'These bytes contain the secret',
      'no-secret-bytes': 'These bytes do not contain the secret',
      empty: 'This read carried no bytes (the attacker learnt only what the guest did next)',
    },
    hexLabel: (what: string) => `Hex dump: ${what}`,
  },

  threatMatrix: {
    gridLabel: 'Threat matrix: platforms (rows) by attacks (columns)',
    keyboardHelp:
      'Arrow keys move between cells, Home and End go to the ends of a row (with Ctrl, of the grid), Enter or Space selects.',
    sortRows: 'Order platforms',
    sortColumns: 'Order attacks',
    sortOrder: { default: 'Default', name: 'By name', leaked: 'Most leaks first' } satisfies Record<
      SortOrder,
      string
    >,
    outcomeFilter: 'Show outcomes',
    query: 'Filter by name',
    queryPlaceholder: 'e.g. sev, dma',
    exportGroup: 'Download',
    exportAs: (format: string) => `Download the matrix as ${format}`,
    legend: 'Legend',
    starting: 'Starting the simulations…',
    computing: (done: number, total: number) => `Computing ${num(done)} / ${num(total)} cells…`,
    failed: (reason: string) => `The matrix could not be computed: ${reason}`,
    noMatch: (query: string) => `No platform or attack matches “${query}”.`,
    /** A cell's accessible name: "AMD SEV-SNP × Host administrator dumps guest memory: prevented". */
    cell: (platform: string, attack: string, outcome: string) => `${platform} × ${attack}: ${outcome}`,
    dimmed: ' (dimmed by the outcome filter)',
    detailsHeading: 'Selected cell',
    noSelection: 'Select a cell (click it, or move with the arrow keys and press Enter) to see why.',
    decisiveEvents: 'Decisive events',
    noEvents: 'No transcript event decided this cell.',
    sources: 'Sources',
    exportTitle: 'Threat matrix',
    exportCaption: (seed: number, flags: string) =>
      `Confidential Computing Threat Explorer · seed ${seed}${flags ? ` · ${flags}` : ''}`,
  },

  statechart: {
    label: 'Statecharts of the four trust-domain machines',
    intro:
      'Each machine’s states and transitions, read from its XState definition. The highlighted state is where the machine is at this step; the thick arrow is the transition that brought it there.',
    machines: {
      platform: 'Platform',
      host: 'Host',
      guest: 'Guest',
      owner: 'Owner',
    } satisfies Record<MachineName, string>,
    chart: (machine: string) => `${machine} statechart`,
    states: 'States',
    transitions: 'Transitions',
    active: '● active',
    now: 'Now:',
    notStarted: 'not started at this step',
    since: (at: number) => (at === 0 ? 'from the start' : `since event #${at - 1}`),
    lastTaken: 'Last transition:',
    noneTaken: 'none yet',
    anyState: 'any state',
    initial: 'initial',
    final: 'final',
    /** A state box's accessible name after its visible text; `internal` are its stay-put transitions. */
    stateLabel: (
      box: { id: string; any: boolean; initial: boolean; final: boolean },
      internal: string[],
      active: boolean,
      status?: string,
    ) =>
      [
        box.any ? 'any state (transitions the machine takes from whichever state it is in)' : box.id,
        box.initial ? 'initial state' : '',
        box.final ? 'final state' : '',
        internal.length ? `stays on ${internal.join(', ')}` : '',
        active ? `active at this step${status && status !== 'active' ? ` (machine ${status})` : ''}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    edgeLabel: (from: string, to: string, labels: string[], taken: boolean) =>
      `${from} to ${to} on ${labels.join(' or ')}${taken ? '; last taken' : ''}`,
    details: 'State details',
    entry: 'entry actions',
    exit: 'exit actions',
    on: 'transitions',
    stays: 'stays',
    noActions: 'no actions',
    noTransitions: 'none (no event leaves this state)',
    hint: 'Focus or click a state to see its actions.',
  },

  evidenceDrop: {
    intro:
      'A TPM event log (binary_bios_measurements), an SEV-SNP attestation report with its VCEK (and ASK/ARK, optional), or an AWS Nitro attestation document (CBOR or base64). Add the PCR values your TPM reported (JSON or tpm2_pcrread output) to compare the log with them.',
    zone: 'Drop evidence files here, or choose files',
    zoneHint: 'Enter or Space opens the file picker; several files at once are fine.',
    dropping: 'Release to read these files',
    reading: 'Reading and appraising…',
    privacy: 'Files are read in this page and never uploaded.',
    filesHeading: 'Files read',
    errorsHeading: 'Problems',
    notesHeading: (n: number) => `Notes (${num(n)})`,
    noFiles: 'No files yet.',
    problem: 'problem, see below',
    done: (n: number, problems: number) =>
      `${plural(n, 'file', 'files')} read${problems ? `, ${plural(problems, 'problem', 'problems')}` : ''}.`,
    size: (bytes: number) => formatSize('en', bytes),
    tooLarge: (max: string) => `larger than ${max}: not read`,
    failed: (message: string) => `The files could not be read: ${message}`,
    kinds: {
      'event-log': 'TCG event log',
      'snp-report': 'SEV-SNP report',
      certificates: 'certificates',
      'nitro-document': 'Nitro document',
      'pcr-values': 'PCR values',
      unknown: 'not recognised',
    } satisfies Record<EvidenceKind, string>,
  },
  /** The top navigation (Root.svelte), on every page but the audience's. */
  nav: {
    sections: 'Sections',
    explorer: 'Explorer',
    workshops: 'Workshops',
    loading: 'Loading the workshops…',
    loadFailed: 'The workshops could not be loaded:',
  },

  /** Words the workshop pages share (Workshops, ScenarioIndex, Player). */
  workshops: {
    title: 'Workshops',
    levels: { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' } satisfies Record<
      Level,
      string
    >,
    minutes: (n: number) => `${num(n)} min`,
    linkProblems: 'Some of this link could not be used:',
    dismiss: 'Dismiss',
    /** The workshop link's problems (src/ui/player/route.ts); values arrive quoted. */
    problems: {
      unreadable: 'the link could not be read',
      repeated: (key: string) => `${key} appears more than once; using its first value`,
      tooLong: (length: number, max: number) =>
        `the link is ${num(length)} characters long (at most ${num(max)}); showing the index`,
      noValue: (key: string) => `${key} takes no value; ignored`,
      topic: (value: string) => `topic ${value} is not a topic id; showing every topic`,
      level: (value: string, known: string) =>
        `unknown level ${value} (known: ${known}); showing every level`,
      setting: (key: string) => `unknown setting ${key} ignored`,
      noScenario: 'this link names no scenario; here are all of them',
      notId: (value: string) => `${value} is not a scenario id; here are all of them`,
      step: (value: string) => `step ${value} is not a step number from 1; resuming instead`,
      mode: (value: string, known: string) => `unknown mode ${value} (known: ${known}) ignored`,
      source: (value: string) => `unknown source ${value} ignored`,
      fileGone: (id: string, openFile: string) =>
        `the scenario file ${id} is not open in this browser session any more; open it again with “${openFile}”`,
      unknownScenario: (id: string) => `there is no workshop scenario ${id}; here are the ones there are`,
    },
  },

  /** The list of workshop scenarios (ScenarioIndex.svelte). */
  scenarioIndex: {
    intro:
      'Guided scenarios on the live simulation: each step sets up the system, points at what matters and asks you to predict before it reveals the outcome.',
    filters: 'Find a scenario',
    topic: 'Topic',
    allTopics: 'All topics',
    level: 'Level',
    allLevels: 'All levels',
    search: 'Search',
    searchHint: 'Title, summary, topic or objective',
    count: (shown: number, total: number) =>
      shown === total ? plural(total, 'scenario', 'scenarios') : `${num(shown)} of ${num(total)} scenarios`,
    none: 'No scenario matches these filters.',
    clear: 'Show all scenarios',
    duration: 'Duration',
    levelLabel: 'Level',
    topics: 'Topics',
    objectives: (n: number) => plural(n, 'learning objective', 'learning objectives'),
    steps: (n: number) => plural(n, 'step', 'steps'),
    notStarted: 'Not started',
    progress: (seen: number, steps: number, correct: number, questions: number) =>
      `${num(seen)}/${num(steps)} steps` + (questions ? `, quiz ${num(correct)}/${num(questions)}` : ''),
    completed: 'Completed',
    progressLabel: 'Your progress',
    openFile: 'Open a scenario file…',
    openFileHint:
      'Preview your own scenario YAML: it is read in this browser only, never uploaded, and forgotten when the browser session ends.',
    yourFile: 'Your scenario file',
    fileProblems: (file: string, n: number) =>
      `${file}: ${plural(n, 'problem', 'problems')}, so it cannot be played`,
    fileWarnings: (file: string, n: number) =>
      `${file} opened, with ${plural(n, 'warning', 'warnings')}: check that the text reads as you meant`,
    tooLarge: (n: number, max: number) =>
      `the file is ${num(n)} bytes; at most ${num(max)} bytes can be opened`,
    unreadable: 'the file could not be read',
    reading: 'Reading the file…',
    broken: 'Scenario files with problems',
    brokenIntro: 'These shipped files did not load, so they are not listed above:',
  },

  /** The scenario player (Player.svelte). */
  player: {
    fromFile: (f: string) => `from your file ${f}`,
    about: 'What you will be able to explain',
    sources: 'Sources',
    stepOf: (k: number, n: number) => `Step ${num(k)} of ${num(n)}`,
    steps: 'Steps',
    progress: 'Progress through the scenario',
    previous: 'Previous step',
    next: 'Next step',
    shortcuts: 'Keys: ← → or N P to step, Home and End for the first and last step.',
    noTranslation: 'This step has no Chinese version yet; it is shown in English.',
    simulating: 'Simulating…',
    failed: 'The simulation failed:',
    system: (platform: string, attacks: string[]) =>
      `${platform}${attacks.length ? ` · attacks: ${attacks.join(', ')}` : ' · no attack'}`,
    position: (k: number, n: number, latest: string | null) =>
      k === 0
        ? `Shown: the start of the run, before any of its ${num(n)} events.`
        : `Shown: the first ${num(k)} of ${num(n)} events${latest ? ` — the latest, ${latest}` : ''}.`,
    missing: (kind: string) => `This run has no ${kind} event, so the step shows its end.`,
    lookAt: 'Look at',
    focusNames: { page: 'page', field: 'field', event: 'event', register: 'register', cell: 'cell' },
    hidden: 'Make your prediction first: the simulation’s outcome appears once you have answered.',
    reveal: 'What the simulation shows',
    notInRun: (attack: string) => `${attack} is not injected in this step’s run.`,
    openInExplorer: 'Open this step in the explorer',
    score: (c: number, a: number, t: number) =>
      `Quiz: ${num(c)} correct, ${num(a)} answered, of ${plural(t, 'question', 'questions')}`,
    finished: 'You have reached the end of this scenario.',
    restart: 'Start again',
    back: 'Back to the workshops',
    presenter: 'Presenter',
    notes: 'Speaker notes',
    noNotes: 'No notes for this step.',
    nextUp: 'Next',
    lastStep: 'This is the last step.',
    timer: 'Time',
    of: (m: number) => `of ${num(m)} min`,
    pause: 'Pause timer',
    resume: 'Resume timer',
    reset: 'Reset timer',
    openAudience: 'Open audience window',
    blocked: 'The browser blocked the new window. Open this link in another window instead:',
    audienceLink: 'audience view',
    synced: 'Windows of this scenario in presenter or audience mode follow each other.',
  },

  /** A step's question (Question.svelte). */
  question: {
    heading: 'Your turn',
    predict: 'Predict the outcome',
    submit: 'Answer',
    pick: 'Choose an answer first.',
    correct: 'Correct.',
    wrong: 'Not quite.',
    theAnswer: 'The answer:',
    yours: 'your answer',
    outcomes: {
      leaked: 'Leaked — the attacker gets the secret',
      detected: 'Detected — the owner’s verifier notices, and the secret is withheld',
      prevented: 'Prevented — the platform stops it',
      'out-of-scope': 'Out of scope — it works, and the platform never claimed to stop it',
      'not-applicable': 'Not applicable — the attack has nothing to act on here',
    } satisfies Record<Outcome, string>,
  },

  /**
   * embed.html (Embed.svelte). It also uses app.viewNames, app.running, app.error, app.noAttack,
   * app.dismiss, outcomes, player.stepOf and the timeline section (EmbedTimeline.svelte).
   */
  embed: {
    problems: 'Some of this embed’s settings could not be used:',
    notShown: (reason: string) => `${reason}; it is not shown`,
    loadingView: 'Loading the view…',
    loadingScenario: 'Loading the scenario…',
    viewFailed: 'The view could not be loaded:',
    open: 'Open in the full explorer',
    opensNew: '(opens in a new tab)',
  },

  /** The explorer's "Copy embed code" button (CopyEmbed.svelte); the embed's title uses app.viewNames. */
  copyEmbed: {
    copy: 'Copy embed code',
    copied: 'Embed code copied: paste it into your page’s HTML.',
    manual: 'Copy this embed code into your page’s HTML:',
  },
};

/** Every catalogue has this shape: the same keys, and functions with the same parameters. */
export type Messages = typeof en;
