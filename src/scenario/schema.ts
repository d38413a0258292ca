/**
 * The JSON Schema (draft 2020-12) of a workshop scenario: the single source of truth for its shape.
 * It matches docs/scenario-format.md and types.ts; `npm run schema` writes it to
 * static/scenario.schema.json for editors (a unit test keeps the two equal), and load.ts validates
 * every file against it. Platform and attack ids come from the model's registries, so a new platform
 * or attack is in the schema as soon as it is registered. `additionalProperties: false` everywhere, so
 * a misspelt key is an error rather than silently ignored.
 */
import type { Schema } from '@cfworker/json-schema';
import { ATTACKS } from '../model/attacks';
import { PLATFORMS } from '../model/platforms';
import { LEVELS, SCENARIO_VIEWS } from './types';
import {
  CHECK_NAMES,
  CLAIM_NAMES,
  EVENT_KINDS,
  HOST_VIEW_DESCRIPTION,
  HOST_VIEW_KINDS,
  MISCONFIGURATIONS,
  OUTCOME_DESCRIPTION,
  OUTCOMES,
  VERDICT_STATUSES,
} from './vocabulary';

/** Scenario ids and topics: lowercase words of letters and digits joined by single hyphens. */
export const ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** The longest id the player accepts in a URL. */
export const MAX_ID_LENGTH = 80;

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

const VIEW_MEANING: Record<(typeof SCENARIO_VIEWS)[number], string> = {
  map: 'the trust-domain map',
  boot: 'the measured-boot chain',
  attestation: 'the attestation flow and payload inspector',
  memory: 'guest memory as the guest and the host see it',
  matrix: 'the platform × attack threat matrix',
  statechart: "the four domains' state machines",
};

export const SCENARIO_SCHEMA: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Confidential Computing Threat Explorer workshop scenario',
  description:
    'A workshop scenario: a story told step by step on the live simulation, with questions and expectations that `ccte scenario check` verifies. Format: docs/scenario-format.md.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'summary', 'level', 'duration', 'topics', 'objectives', 'sources', 'steps'],
  properties: {
    id: {
      ...ref('Id'),
      description: 'Stable id, equal to the file name without .yaml (scenarios/<id>.yaml).',
    },
    title: { ...ref('Text'), description: 'The scenario title, one line.' },
    summary: {
      ...ref('Text'),
      description: 'Two or three sentences for the scenario index.',
    },
    level: ref('Level'),
    duration: {
      type: 'integer',
      minimum: 1,
      maximum: 240,
      description: 'How long the scenario takes in a workshop, in minutes (1–240).',
    },
    topics: {
      type: 'array',
      uniqueItems: true,
      items: { ...ref('Id'), title: 'topic' },
      description: 'Lowercase topic ids the index page filters on, e.g. memory-encryption, attestation.',
    },
    objectives: {
      type: 'array',
      minItems: 1,
      items: ref('Text'),
      description: 'What the audience will be able to explain afterwards (at least one).',
    },
    sources: {
      type: 'array',
      minItems: 1,
      items: ref('Source'),
      description: 'Where the facts come from (at least one).',
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: ref('Step'),
      description: 'The steps, in order (at least one).',
    },
  },
  $defs: {
    Id: {
      title: 'id',
      type: 'string',
      pattern: ID_PATTERN,
      maxLength: MAX_ID_LENGTH,
      description: 'Lowercase letters and digits in words joined by single hyphens, e.g. snp-memory-dump.',
    },
    Text: {
      title: 'text',
      description: 'Plain text (English), or per language: { en: "…", zh-CN: "…" } with en required.',
      if: { type: 'object' },
      then: {
        type: 'object',
        additionalProperties: false,
        required: ['en'],
        properties: {
          en: { type: 'string', minLength: 1, description: 'English (required).' },
          'zh-CN': { type: 'string', minLength: 1, description: 'Simplified Chinese (optional).' },
        },
      },
      else: { type: 'string', minLength: 1 },
    },
    Markdown: {
      ...ref('Text'),
      description:
        'Markdown text, plain or per language ({ en, zh-CN }). Raw HTML is refused; links must be http:, https:, mailto: or a #anchor.',
    },
    Level: {
      title: 'level',
      type: 'string',
      enum: [...LEVELS],
      description: 'Audience level: beginner, intermediate or advanced.',
    },
    View: {
      title: 'view',
      type: 'string',
      enum: [...SCENARIO_VIEWS],
      description: `The explorer view the step shows: ${SCENARIO_VIEWS.map((v) => `${v} (${VIEW_MEANING[v]})`).join(', ')}.`,
    },
    PlatformId: {
      title: 'platform',
      type: 'string',
      enum: PLATFORMS.map((p) => p.id),
      description: `A simulated platform: ${PLATFORMS.map((p) => `${p.id} (${p.name})`).join(', ')}.`,
    },
    AttackId: {
      title: 'attack',
      type: 'string',
      enum: ATTACKS.map((a) => a.id),
      description: `An attack: ${ATTACKS.map((a) => `${a.id} (${a.title})`).join(', ')}.`,
    },
    Outcome: {
      title: 'outcome',
      type: 'string',
      enum: [...OUTCOMES],
      description: `What an attack achieved, as the simulation judges it — ${OUTCOME_DESCRIPTION}.`,
    },
    VerdictStatus: {
      title: 'verdict status',
      type: 'string',
      enum: [...VERDICT_STATUSES],
      description:
        "The EAR status of the owner's verifier: affirming, warning, contraindicated, or none (also when nothing was appraised).",
    },
    EventKind: {
      title: 'event kind',
      type: 'string',
      enum: [...EVENT_KINDS],
      description: 'A transcript event kind.',
    },
    ClaimName: {
      title: 'claim',
      type: 'string',
      enum: [...CLAIM_NAMES],
      description: "An AR4SI trustworthiness claim of the verifier's result.",
    },
    CheckName: {
      title: 'check',
      type: 'string',
      enum: [...CHECK_NAMES],
      description: 'One of the checks the verifier runs, in order.',
    },
    HostViewKind: {
      title: 'host view',
      type: 'string',
      enum: [...HOST_VIEW_KINDS],
      description: `What the host gets reading the page — ${HOST_VIEW_DESCRIPTION}.`,
    },
    PageAddress: {
      title: 'guest page address',
      type: 'string',
      pattern: '^0x[0-9a-f]+$',
      description:
        "A guest-physical page address in lowercase hex, e.g. '0x1000' (the simulated guest has 0x0, 0x1000 (the secret), 0x2000, 0x3000 (shared I/O)).",
    },
    Source: {
      title: 'source',
      description: 'Where facts come from: a title and, where it is online, its URL.',
      type: 'object',
      additionalProperties: false,
      required: ['title'],
      properties: {
        title: { type: 'string', minLength: 1, description: 'What the source is, e.g. a specification.' },
        url: {
          title: 'URL',
          type: 'string',
          pattern: '^https?://\\S+$',
          description: 'Where to read it (http or https).',
        },
      },
    },
    Misconfiguration: {
      title: 'misconfiguration',
      type: 'object',
      additionalProperties: false,
      description:
        "The owner's mistakes in this run. When given, it replaces the previous step's misconfiguration as a whole ({} clears it).",
      properties: Object.fromEntries(
        Object.entries(MISCONFIGURATIONS).map(([key, meaning]) => [
          key,
          { type: 'boolean', description: meaning },
        ]),
      ),
    },
    Setup: {
      title: 'setup',
      type: 'object',
      additionalProperties: false,
      description:
        "What changes in the simulated system; anything left out keeps the previous step's value. First step's defaults: platform sev-snp, attacks [], no misconfiguration, seed 1.",
      properties: {
        platform: ref('PlatformId'),
        attacks: {
          type: 'array',
          uniqueItems: true,
          items: ref('AttackId'),
          description: 'The attacks injected, in order ([] for none). Replaces the previous list.',
        },
        misconfiguration: ref('Misconfiguration'),
        seed: {
          type: 'integer',
          minimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
          description: 'The seed every simulated key and nonce is drawn from (a whole number ≥ 0).',
        },
      },
    },
    RunTo: {
      title: 'runTo',
      description:
        'How far the simulation runs: end (the default), a transcript position (0 = nothing has happened yet), or { after: <event kind> } for just after the first event of that kind.',
      if: { type: 'object' },
      then: {
        type: 'object',
        additionalProperties: false,
        required: ['after'],
        properties: { after: ref('EventKind') },
      },
      else: {
        if: { type: 'string' },
        then: { const: 'end' },
        else: { type: 'integer', minimum: 0 },
      },
    },
    Focus: {
      title: 'focus',
      type: 'object',
      additionalProperties: false,
      description: 'What the step points the audience at inside its view.',
      properties: {
        page: { ...ref('PageAddress'), description: "Memory view: a guest page, e.g. '0x1000'." },
        field: {
          type: 'string',
          minLength: 1,
          description: 'Payload inspector: an evidence field by its specification name, e.g. MEASUREMENT.',
        },
        event: {
          type: 'integer',
          minimum: 0,
          description: 'A transcript event by its sequence number (opens it in the payload inspector).',
        },
        register: {
          type: 'string',
          minLength: 1,
          description: 'Boot view: a measurement register, e.g. RTMR1, PCR9.',
        },
        cell: {
          type: 'object',
          additionalProperties: false,
          required: ['platform', 'attack'],
          description: 'Matrix view: a cell.',
          properties: { platform: ref('PlatformId'), attack: ref('AttackId') },
        },
      },
    },
    Question: {
      title: 'question',
      type: 'object',
      description:
        "Asked before the step's outcome is revealed: type choice (multiple choice) or predict (the audience predicts an attack's outcome; the answer must be what the simulation shows).",
      required: ['type'],
      properties: {
        type: {
          title: 'question type',
          type: 'string',
          enum: ['choice', 'predict'],
          description: 'choice: multiple choice; predict: predict the outcome of an attack.',
        },
      },
      allOf: [
        {
          if: { required: ['type'], properties: { type: { const: 'choice' } } },
          then: ref('ChoiceQuestion'),
        },
        {
          if: { required: ['type'], properties: { type: { const: 'predict' } } },
          then: ref('PredictQuestion'),
        },
      ],
    },
    ChoiceQuestion: {
      title: 'choice question',
      type: 'object',
      additionalProperties: false,
      required: ['type', 'prompt', 'choices', 'answer', 'explanation'],
      properties: {
        type: { const: 'choice' },
        prompt: { ...ref('Markdown'), description: 'The question (Markdown).' },
        choices: {
          type: 'array',
          minItems: 2,
          items: ref('Text'),
          description: 'The choices, in the order shown (at least two).',
        },
        answer: {
          type: 'integer',
          minimum: 0,
          description: 'The index into choices of the right answer (0 = the first).',
        },
        explanation: { ...ref('Markdown'), description: 'Why that is the answer (Markdown).' },
      },
    },
    PredictQuestion: {
      title: 'predict question',
      type: 'object',
      additionalProperties: false,
      required: ['type', 'prompt', 'attack', 'answer', 'explanation'],
      properties: {
        type: { const: 'predict' },
        prompt: { ...ref('Markdown'), description: 'The question (Markdown).' },
        attack: {
          ...ref('AttackId'),
          description: "The attack whose outcome the audience predicts; it must be among the step's attacks.",
        },
        answer: {
          ...ref('Outcome'),
          description: 'The outcome the simulation shows (checked by ccte scenario check).',
        },
        explanation: { ...ref('Markdown'), description: 'Why that is the outcome (Markdown).' },
      },
    },
    Expectation: {
      title: 'expectation',
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      description:
        "One claim about the simulation that ccte scenario check verifies; exactly one key. `event` is checked at the step's runTo point, everything else against the whole run.",
      properties: {
        outcome: {
          type: 'object',
          additionalProperties: false,
          required: ['attack', 'is'],
          description: "The judged outcome of one of the step's attacks.",
          properties: { attack: ref('AttackId'), is: ref('Outcome') },
        },
        verdict: {
          type: 'object',
          additionalProperties: false,
          required: ['is'],
          description: "The status of the owner's verifier result (none when nothing was appraised).",
          properties: { is: ref('VerdictStatus') },
        },
        claim: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'is'],
          description:
            "The value of an AR4SI claim in the verifier's result, e.g. { name: executables, is: 33 }.",
          properties: {
            name: ref('ClaimName'),
            is: {
              type: 'integer',
              minimum: -128,
              maximum: 127,
              description: 'The AR4SI value (−128 to 127).',
            },
          },
        },
        check: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'ok'],
          description: "Whether one of the verifier's checks passed.",
          properties: { name: ref('CheckName'), ok: { type: 'boolean' } },
        },
        released: {
          type: 'boolean',
          description: 'Whether the key broker released the secret to the guest.',
        },
        launchRefused: {
          type: 'boolean',
          description: 'Whether the platform refused to launch the guest.',
        },
        memory: {
          type: 'object',
          additionalProperties: false,
          required: ['page', 'host'],
          description: 'What the host gets reading a guest page, and whether the secret is visible in it.',
          properties: {
            page: ref('PageAddress'),
            host: ref('HostViewKind'),
            secretVisible: {
              type: 'boolean',
              description: "Whether the secret's bytes appear in what the host reads from the page.",
            },
          },
        },
        boot: {
          type: 'object',
          additionalProperties: false,
          required: ['register', 'matches'],
          description: "Whether a measurement register's final value equals the owner's reference value.",
          properties: {
            register: { type: 'string', minLength: 1, description: 'e.g. RTMR1, PCR9, MRTD.' },
            matches: { type: 'boolean' },
          },
        },
        event: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'present'],
          description: "Whether an event of this kind has happened by the step's runTo point.",
          properties: { kind: ref('EventKind'), present: { type: 'boolean' } },
        },
        matrix: {
          type: 'object',
          additionalProperties: false,
          required: ['platform', 'attack', 'is'],
          description:
            "A threat-matrix cell: the attack alone on the platform, with the step's seed and misconfiguration.",
          properties: { platform: ref('PlatformId'), attack: ref('AttackId'), is: ref('Outcome') },
        },
      },
    },
    Step: {
      title: 'step',
      description:
        'One step of the story: what changes in the simulation (setup), how far it runs (runTo), which view shows it and what to point at (focus), what the audience reads, an optional question, and what the simulation must show (expect).',
      type: 'object',
      additionalProperties: false,
      required: ['title', 'view', 'narrative'],
      properties: {
        id: {
          type: 'string',
          minLength: 1,
          maxLength: MAX_ID_LENGTH,
          description:
            "A stable id within the scenario, for links and progress (default: the step's number).",
        },
        title: { ...ref('Text'), description: 'The step title.' },
        setup: ref('Setup'),
        runTo: ref('RunTo'),
        view: ref('View'),
        focus: ref('Focus'),
        narrative: { ...ref('Markdown'), description: 'What the audience reads (Markdown).' },
        notes: { ...ref('Markdown'), description: 'Presenter-only speaker notes (Markdown).' },
        question: ref('Question'),
        expect: {
          type: 'array',
          items: ref('Expectation'),
          description: 'What the simulation must show at this step; checked by ccte scenario check.',
        },
      },
    },
  },
};
