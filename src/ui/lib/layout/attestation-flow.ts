/**
 * Layout of the attestation view: RATS roles (RFC 9334) as swim-lanes, the run's messages as arrows
 * between them, one row per message, in time order down the page.
 *
 * Lanes, left to right: Attester (guest + platform), Relying Party (the owner's key broker), Verifier
 * (the owner's appraiser), Endorser (the vendor's PKI), Reference Value Provider (the owner, who built
 * the image). The transcript speaks of trust domains, not roles; this module maps one onto the other:
 *
 * | event                                   | background-check (as simulated)    | passport                          |
 * | --------------------------------------- | ---------------------------------- | --------------------------------- |
 * | measure (platform → platform)           | Attester ↺                         | Attester ↺                        |
 * | nonce (owner → guest)                   | Relying Party → Attester           | Verifier → Attester               |
 * | evidence (platform → guest)             | Attester ↺ (signs, hands to guest) | Attester ↺                        |
 * | evidence (host/guest/platform → owner)  | Attester → Relying Party, via host | Attester → Verifier, via host     |
 * |   implied: forward                      | Relying Party → Verifier           | —                                 |
 * |   implied: endorsements                 | Endorser → Verifier                | Endorser → Verifier               |
 * |   implied: reference values             | Ref. Value Provider → Verifier     | Ref. Value Provider → Verifier    |
 * | verdict (owner → owner)                 | Verifier → Relying Party           | Verifier → Attester (result)      |
 * |   implied: present                      | —                                  | Attester → Relying Party          |
 * | token (owner → guest)                   | Relying Party → Attester           | Verifier → Attester               |
 * | secret (owner → guest/platform)         | Relying Party → Attester           | Relying Party → Attester          |
 * | secret (host → host, an attack)         | Attester ↺, at the host            | Attester ↺, at the host           |
 *
 * Other actors map by domain: platform, guest, host and device to the Attester (the host only ever
 * relays for it, and is marked `via`), vendor to the Endorser, owner by the kind of message. Implied
 * messages are the ones RATS has but the simulation does not put in its transcript (the owner's
 * verifier holds the vendor's roots and the reference values from the start, and its key broker calls
 * it directly); they carry no seq of their own and appear together with the event they belong to.
 *
 * The simulation runs the background-check model; the passport layout re-draws the same events in
 * passport order. Pure: numbers and SVG path strings (d3 scale and line), no DOM.
 */
import { line, scaleBand } from 'd3';
import type { VerdictView } from '../../../model/explore-types';
import type { Actor, TranscriptEvent } from '../../../model/transcript';
import { fitText } from './boot-chain';

export type Lane = 'attester' | 'relying-party' | 'verifier' | 'endorser' | 'rvp';
export const LANES: readonly Lane[] = ['attester', 'relying-party', 'verifier', 'endorser', 'rvp'];

export type FlowModel = 'background-check' | 'passport';

export type FlowKind =
  | 'measure'
  | 'nonce'
  | 'sign'
  | 'evidence'
  | 'forward'
  | 'endorsements'
  | 'reference-values'
  | 'result'
  | 'present'
  | 'token'
  | 'secret';

/** Transcript event kinds the view draws. */
export const FLOW_EVENT_KINDS = new Set(['measure', 'nonce', 'evidence', 'verdict', 'token', 'secret']);

export interface FlowMessageBase {
  /** Unique within a layout. */
  key: string;
  kind: FlowKind;
  from: Lane;
  to: Lane;
  /** The transcript event this is, or (implied messages) belongs to. */
  seq: number;
  /** Not a transcript event of its own: RATS has it, the simulation does it implicitly. */
  implied: boolean;
  /** The transcript event whose bytes show this message, when there is one. */
  inspect: number | null;
  /** The untrusted host carried it. */
  via: 'host' | null;
  /** Happened inside the host (an attack acting alone), drawn at the Attester. */
  atHost: boolean;
  attack: string | null;
  /** The event's title, or a reason for implied messages (the verifier's check). */
  title: string;
  /** For verdicts: the EAR status and whether the owner accepted it. */
  status: string | null;
  accepted: boolean | null;
}

export interface FlowMessage extends FlowMessageBase {
  /** Row top, and the y of the arrow. */
  y: number;
  arrowY: number;
  x1: number;
  x2: number;
  self: boolean;
  path: string;
  /** Arrowhead triangle at the receiving end. */
  head: string;
  label: string;
  labelX: number;
  labelY: number;
  /** The latest event at this step. */
  current: boolean;
}

export interface LaneLayout {
  id: Lane;
  /** Band start and width; x is the lifeline. */
  left: number;
  width: number;
  x: number;
}

export interface FlowLayout {
  model: FlowModel;
  width: number;
  height: number;
  rowHeight: number;
  /** Label font size in px (smaller below 480 px). */
  fontSize: number;
  lanes: LaneLayout[];
  messages: FlowMessage[];
  /** How many messages the whole run has in this model (the view shows those up to step). */
  total: number;
}

export interface FlowInput {
  events: readonly TranscriptEvent[];
  verdict: VerdictView | null;
  /** How many events have happened (0 … events.length). */
  step: number;
  model: FlowModel;
  width: number;
  /** The arrow label for a message (default: the event's title). */
  label?: (m: FlowMessageBase) => string;
}

export const ROW_HEIGHT = 44;
const TOP = 6;
/** Average advance of a label character, in em (bold labels are wider). */
const CHAR_EM = 0.6;
const BOLD_EM = 0.66;

/** The lane of an actor that is not the owner (whose lane depends on the message). */
export function laneOfActor(actor: Actor): Lane {
  return actor === 'vendor' ? 'endorser' : actor === 'owner' ? 'relying-party' : 'attester';
}

function base(e: TranscriptEvent, kind: FlowKind, from: Lane, to: Lane): FlowMessageBase {
  return {
    key: `e${e.seq}`,
    kind,
    from,
    to,
    seq: e.seq,
    implied: false,
    inspect: e.bytes ? e.seq : null,
    via: e.from === 'host' && e.to !== 'host' ? 'host' : null,
    atHost: e.from === 'host' && e.to === 'host',
    attack: e.attack ?? null,
    title: e.title,
    status: typeof e.detail?.status === 'string' ? e.detail.status : null,
    accepted: typeof e.detail?.accepted === 'boolean' ? e.detail.accepted : null,
  };
}

function implied(
  anchor: TranscriptEvent,
  kind: FlowKind,
  from: Lane,
  to: Lane,
  title: string,
  inspect: number | null,
): FlowMessageBase {
  return {
    key: `e${anchor.seq}-${kind}`,
    kind,
    from,
    to,
    seq: anchor.seq,
    implied: true,
    inspect,
    via: null,
    atHost: false,
    attack: null,
    title,
    status: null,
    accepted: null,
  };
}

/**
 * The RATS messages of a whole run in `model`, in order, without positions (see the table above).
 * `verdict` supplies the reasons shown with the implied endorsement and reference-value messages.
 */
export function flowMessages(
  events: readonly TranscriptEvent[],
  verdict: VerdictView | null,
  model: FlowModel,
): FlowMessageBase[] {
  const out: FlowMessageBase[] = [];
  const passport = model === 'passport';
  const check = (name: string) => verdict?.checks.find((c) => c.check === name) ?? null;
  let appraised = false;
  for (const e of events) {
    if (!FLOW_EVENT_KINDS.has(e.kind)) continue;
    const owner = e.from === 'owner';
    switch (e.kind) {
      case 'measure':
        out.push(base(e, 'measure', 'attester', 'attester'));
        break;
      case 'nonce':
        out.push(
          base(
            e,
            'nonce',
            owner ? (passport ? 'verifier' : 'relying-party') : laneOfActor(e.from),
            laneOfActor(e.to),
          ),
        );
        break;
      case 'evidence': {
        if (e.to !== 'owner') {
          out.push(base(e, 'sign', laneOfActor(e.from), laneOfActor(e.to)));
          break;
        }
        out.push(base(e, 'evidence', laneOfActor(e.from), passport ? 'verifier' : 'relying-party'));
        if (!passport) {
          out.push(
            implied(
              e,
              'forward',
              'relying-party',
              'verifier',
              'The key broker forwards the evidence to its verifier',
              e.bytes ? e.seq : null,
            ),
          );
        }
        break;
      }
      case 'verdict': {
        if (!appraised) {
          appraised = true;
          const chain = check('chain');
          if (chain) out.push(implied(e, 'endorsements', 'endorser', 'verifier', chain.reason, null));
          const measurement = check('measurement');
          if (measurement) {
            out.push(implied(e, 'reference-values', 'rvp', 'verifier', measurement.reason, null));
          }
        }
        out.push(base(e, 'result', 'verifier', passport ? 'attester' : 'relying-party'));
        if (passport) {
          out.push(
            implied(
              e,
              'present',
              'attester',
              'relying-party',
              'The attester presents the attestation result to the key broker',
              e.bytes ? e.seq : null,
            ),
          );
        }
        break;
      }
      case 'token':
        out.push(
          base(
            e,
            'token',
            owner ? (passport ? 'verifier' : 'relying-party') : laneOfActor(e.from),
            e.to === 'owner' ? 'relying-party' : laneOfActor(e.to),
          ),
        );
        break;
      case 'secret':
        out.push(
          base(e, 'secret', laneOfActor(e.from), e.to === 'owner' ? 'relying-party' : laneOfActor(e.to)),
        );
        break;
    }
  }
  return out;
}

const segment = line<[number, number]>();

/** Positions of the messages of `input.events` up to `input.step`, for a container `width` px wide. */
export function layoutFlow(input: FlowInput): FlowLayout {
  const width = Math.max(280, input.width);
  const band = scaleBand<Lane>().domain(LANES).range([0, width]).paddingInner(0);
  const bw = band.bandwidth();
  const lanes = LANES.map((id): LaneLayout => {
    const left = band(id) ?? 0;
    return { id, left, width: bw, x: left + bw / 2 };
  });
  const xOf = (l: Lane) => lanes[LANES.indexOf(l)].x;
  const all = flowMessages(input.events, input.verdict, input.model);
  const step = Math.max(0, Math.min(input.step, input.events.length));
  const shown = all.filter((m) => m.seq < step);
  const labelOf = input.label ?? ((m: FlowMessageBase) => m.title);
  const fontSize = width < 480 ? 11 : 12;
  const messages = shown.map((m, i): FlowMessage => {
    const y = TOP + i * ROW_HEIGHT;
    const arrowY = y + 30;
    const x1 = xOf(m.from);
    const x2 = xOf(m.to);
    const self = m.from === m.to;
    let path: string;
    let head: string;
    if (self) {
      const loop = Math.min(22, bw / 2 - 4);
      path =
        segment([
          [x1, arrowY - 5],
          [x1 + loop, arrowY - 5],
          [x1 + loop, arrowY + 5],
          [x1 + 6, arrowY + 5],
        ]) ?? '';
      head = `M${x1},${arrowY + 5}l7,-4v8z`;
    } else {
      const dir = x2 > x1 ? 1 : -1;
      path =
        segment([
          [x1, arrowY],
          [x2 - dir * 7, arrowY],
        ]) ?? '';
      head = `M${x2},${arrowY}l${-dir * 8},-4.5v9z`;
    }
    // The label sits on the row above its arrow, from the arrow's left end, moved left to fit.
    const full = labelOf(m);
    const current = m.seq === step - 1;
    const charPx = fontSize * (current || m.attack ? BOLD_EM : CHAR_EM);
    const textPx = full.length * charPx;
    const start = self ? x1 + 6 : Math.min(x1, x2) + 6;
    const labelX = Math.max(4, Math.min(start, width - 4 - textPx));
    const label = fitText(full, width - 4 - labelX, charPx);
    return {
      ...m,
      y,
      arrowY,
      x1,
      x2,
      self,
      path,
      head,
      label,
      labelX,
      labelY: y + 16,
      current,
    };
  });
  return {
    model: input.model,
    width,
    height: TOP * 2 + Math.max(1, messages.length) * ROW_HEIGHT,
    rowHeight: ROW_HEIGHT,
    fontSize,
    lanes,
    messages,
    total: all.length,
  };
}
