/**
 * Keeps a presenter's window and the audience window on the same step (and the same answers) through
 * a BroadcastChannel, which only reaches same-origin windows of this browser. Messages are still
 * checked on receipt: anything malformed is ignored.
 *
 *   { type: 'step', scenario: '<id>', step: 3 }                          // 1-based
 *   { type: 'answer', scenario: '<id>', stepId: 'dump', answer: 1 }      // a choice's index
 *   { type: 'answer', scenario: '<id>', stepId: 'snp', answer: 'prevented' }
 */
import { isAnswer, type Answer } from './progress';
import { isId, MAX_STEP } from './route';

export const CHANNEL = 'ccte-player';

export type SyncMessage =
  | { type: 'step'; scenario: string; step: number }
  | { type: 'answer'; scenario: string; stepId: string; answer: Answer };

const MAX_STEP_ID = 100;

/** The message in `data`, or null when it is not a valid one. */
export function parseSyncMessage(data: unknown): SyncMessage | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const m = data as Record<string, unknown>;
  if (typeof m.scenario !== 'string' || !isId(m.scenario)) return null;
  if (m.type === 'step') {
    const step = m.step;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 1 || step > MAX_STEP) return null;
    return { type: 'step', scenario: m.scenario, step };
  }
  if (m.type === 'answer') {
    const { stepId, answer } = m;
    if (typeof stepId !== 'string' || stepId === '' || stepId.length > MAX_STEP_ID) return null;
    if (!isAnswer(answer)) return null;
    return { type: 'answer', scenario: m.scenario, stepId, answer };
  }
  return null;
}

/** One window's end of the channel; a no-op where BroadcastChannel is missing. */
export class PlayerSync {
  private channel: BroadcastChannel | null = null;

  constructor(onmessage: (m: SyncMessage) => void) {
    if (typeof BroadcastChannel !== 'function') return;
    this.channel = new BroadcastChannel(CHANNEL);
    this.channel.onmessage = (e: MessageEvent<unknown>) => {
      const m = parseSyncMessage(e.data);
      if (m) onmessage(m);
    };
  }

  post(m: SyncMessage): void {
    try {
      this.channel?.postMessage(m);
    } catch {
      // a closed channel: the other window simply stays where it is
    }
  }

  close(): void {
    this.channel?.close();
    this.channel = null;
  }
}
