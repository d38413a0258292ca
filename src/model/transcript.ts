/**
 * The transcript: everything that crosses a trust boundary in one run, in order, with the real bytes
 * and the domains that could read them in the clear. Machines emit; this collects; views and
 * outcome.ts only read. Serialises to stable JSON (bytes as lowercase hex), so the same seed gives a
 * byte-identical transcript.
 */
import { toHex } from '../core/crypto/bytes';
import type { Domain } from './platforms/platform';

/** Who acts: the four trust domains, plus a device on the host's bus and the vendor's PKI. */
export type Actor = Domain | 'device' | 'vendor';

export type EventKind =
  | 'launch'
  | 'measure'
  | 'page-write'
  | 'page-read'
  | 'page-remap'
  | 'page-replay'
  | 'registers'
  | 'cpuid'
  | 'dma'
  | 'shared-io'
  | 'nonce'
  | 'evidence'
  | 'verdict'
  | 'token'
  | 'secret'
  | 'fault'
  | 'refusal'
  | 'halt';

export interface TranscriptEvent {
  /** 0, 1, 2, … in order of occurrence. */
  seq: number;
  kind: EventKind;
  from: Actor;
  to: Actor;
  /** One line for a timeline or an arrow label. */
  title: string;
  /** The real bytes that crossed, as lowercase hex (absent for events that carry none). */
  bytes?: string;
  /** Domains that could read `bytes` in plaintext (the rest saw ciphertext, abort values or nothing). */
  plaintextTo: Actor[];
  /** The attack that caused or injected this event, when one did. */
  attack?: string;
  /** Small facts a view or the judge needs (addresses, check names, statuses), all JSON scalars. */
  detail?: Record<string, string | number | boolean>;
}

export type NewEvent = Omit<TranscriptEvent, 'seq' | 'bytes'> & { bytes?: Uint8Array };

export class Transcript {
  private readonly list: TranscriptEvent[] = [];

  add(e: NewEvent): TranscriptEvent {
    const { bytes, ...rest } = e;
    const event: TranscriptEvent = {
      seq: this.list.length,
      ...rest,
      ...(bytes ? { bytes: toHex(bytes) } : {}),
    };
    this.list.push(event);
    return event;
  }

  get events(): readonly TranscriptEvent[] {
    return this.list;
  }

  /** The events up to and including `seq`: stepping back is replaying a prefix. */
  upTo(seq: number): readonly TranscriptEvent[] {
    return this.list.slice(0, seq + 1);
  }

  toJSON(): TranscriptEvent[] {
    return this.list.map((e) => ({ ...e, plaintextTo: [...e.plaintextTo] }));
  }
}
