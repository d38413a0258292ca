import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/model/explore';
import {
  SPEEDS,
  clampStep,
  eventAt,
  handleTimelineKey,
  intervalMs,
  keyAction,
  move,
  nearestSpeed,
  playFrom,
  stepOf,
  tick,
} from '../../../src/ui/lib/timeline';

const run = explore({ platform: 'sev-snp', attacks: ['memory-dump'], misconfiguration: {}, seed: 1 });
const total = run.events.length;

describe('timeline arithmetic', () => {
  it('offers 0.5×, 1×, 2×, 4×; 1× is one event a second', () => {
    expect(SPEEDS).toEqual([0.5, 1, 2, 4]);
    expect(SPEEDS.map(intervalMs)).toEqual([2000, 1000, 500, 250]);
    expect(intervalMs(0)).toBe(1000);
    expect(intervalMs(Number.NaN)).toBe(1000);
    expect(nearestSpeed(3.9)).toBe(4);
    expect(nearestSpeed(0.1)).toBe(0.5);
    expect(nearestSpeed(1)).toBe(1);
  });

  it('moves within 0 … total', () => {
    expect(move('start', 5, total)).toBe(0);
    expect(move('end', 5, total)).toBe(total);
    expect(move('back', 5, total)).toBe(4);
    expect(move('back', 0, total)).toBe(0);
    expect(move('forward', 5, total)).toBe(6);
    expect(move('forward', total, total)).toBe(total);
    expect(move('forward', 0, 0)).toBe(0);
    expect(clampStep(-3, total)).toBe(0);
    expect(clampStep(99, total)).toBe(total);
    expect(clampStep(2.6, total)).toBe(3);
    expect(clampStep(Number.NaN, total)).toBe(0);
  });

  it('plays one step a tick and stops at the end; play at the end starts again', () => {
    const seen: number[] = [];
    for (let s: number | null = 0; s !== null; s = tick(s, total)) seen.push(s);
    expect(seen).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(tick(total, total)).toBeNull();
    expect(playFrom(total, total)).toBe(0);
    expect(playFrom(3, total)).toBe(3);
  });

  it('maps ← → Space Home End, and nothing else', () => {
    expect(keyAction('ArrowLeft')).toBe('back');
    expect(keyAction('ArrowRight')).toBe('forward');
    expect(keyAction(' ')).toBe('toggle');
    expect(keyAction('Home')).toBe('start');
    expect(keyAction('End')).toBe('end');
    expect(keyAction('a')).toBeNull();
    expect(keyAction('Enter')).toBeNull();
  });

  it('handles a key on a control: acts and prevents the default, but leaves Space to a button', () => {
    const press = (key: string, tagName: string) => {
      const acted: string[] = [];
      let prevented = false;
      const e = {
        key,
        currentTarget: { tagName } as unknown as EventTarget,
        preventDefault: () => (prevented = true),
      };
      const result = handleTimelineKey(e, (a) => acted.push(a));
      return { result, acted, prevented };
    };
    expect(press('ArrowRight', 'BUTTON')).toEqual({ result: 'forward', acted: ['forward'], prevented: true });
    expect(press(' ', 'INPUT')).toEqual({ result: 'toggle', acted: ['toggle'], prevented: true });
    expect(press(' ', 'BUTTON')).toEqual({ result: null, acted: [], prevented: false });
    expect(press('Tab', 'INPUT')).toEqual({ result: null, acted: [], prevented: false });
  });

  it('shows the event that has just happened at each step, and jumps to an event as the latest', () => {
    expect(eventAt(0, run.events)).toBeNull();
    expect(eventAt(1, run.events)).toBe(run.events[0]);
    expect(eventAt(total, run.events)).toBe(run.events[total - 1]);
    expect(eventAt(total + 5, run.events)).toBe(run.events[total - 1]);
    for (const e of run.events) expect(eventAt(stepOf(e.seq), run.events)).toBe(e);
  });
});
