import { describe, expect, it } from 'vitest';
import { CHANNEL, parseSyncMessage, PlayerSync, type SyncMessage } from '../../../src/ui/player/sync';

describe('presenter/audience sync messages', () => {
  it('accepts the two message types', () => {
    expect(parseSyncMessage({ type: 'step', scenario: 'a-b', step: 3 })).toEqual({
      type: 'step',
      scenario: 'a-b',
      step: 3,
    });
    expect(parseSyncMessage({ type: 'answer', scenario: 'a', stepId: 'dump', answer: 2 })).toEqual({
      type: 'answer',
      scenario: 'a',
      stepId: 'dump',
      answer: 2,
    });
    expect(parseSyncMessage({ type: 'answer', scenario: 'a', stepId: '4', answer: 'out-of-scope' })).toEqual({
      type: 'answer',
      scenario: 'a',
      stepId: '4',
      answer: 'out-of-scope',
    });
  });

  it('drops extra properties', () => {
    expect(parseSyncMessage({ type: 'step', scenario: 'a', step: 1, html: '<img onerror=x>' })).toEqual({
      type: 'step',
      scenario: 'a',
      step: 1,
    });
  });

  it('ignores malformed messages', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'step',
      42,
      [],
      { type: 'step' },
      { type: 'step', scenario: 'a', step: 0 },
      { type: 'step', scenario: 'a', step: 1.5 },
      { type: 'step', scenario: 'a', step: '2' },
      { type: 'step', scenario: 'a', step: 1e9 },
      { type: 'step', scenario: 'A B', step: 1 },
      { type: 'step', scenario: '<script>', step: 1 },
      { type: 'jump', scenario: 'a', step: 1 },
      { type: 'answer', scenario: 'a', stepId: '', answer: 1 },
      { type: 'answer', scenario: 'a', stepId: 'x'.repeat(101), answer: 1 },
      { type: 'answer', scenario: 'a', stepId: 's', answer: -1 },
      { type: 'answer', scenario: 'a', stepId: 's', answer: 'stolen' },
      { type: 'answer', scenario: 'a', stepId: 's', answer: null },
      { type: 'answer', scenario: 'a', stepId: 3, answer: 1 },
    ];
    for (const m of bad) expect(parseSyncMessage(m)).toBeNull();
  });

  it('passes only valid messages between two ends of the channel', async () => {
    const got: SyncMessage[] = [];
    const receiver = new PlayerSync((m) => got.push(m));
    const sender = new PlayerSync(() => undefined);
    const raw = new BroadcastChannel(CHANNEL);
    raw.postMessage({ type: 'step', scenario: 'a', step: -1 });
    sender.post({ type: 'step', scenario: 'a', step: 2 });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([{ type: 'step', scenario: 'a', step: 2 }]);
    raw.close();
    sender.close();
    receiver.close();
  });
});
