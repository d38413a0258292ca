/**
 * The player's arithmetic: speeds, where each control moves the step, which key does what, and the
 * event a step shows. `step` counts the events that have happened (0 … total), so the event "at"
 * step s is events[s − 1]. Pure: the Timeline view owns the timer and the DOM.
 */
import type { TranscriptEvent } from '../../model/transcript';

/** Playback speeds, in events per second. */
export const SPEEDS: readonly number[] = [0.5, 1, 2, 4];

export type Move = 'start' | 'back' | 'forward' | 'end';
export type KeyAction = Move | 'toggle';

/** Milliseconds between two steps while playing at `speed` events per second (1× = one a second). */
export function intervalMs(speed: number): number {
  const s = Number.isFinite(speed) && speed > 0 ? speed : 1;
  return Math.round(1000 / s);
}

/** The nearest of SPEEDS to `speed`, so a stray value still selects an option. */
export function nearestSpeed(speed: number): number {
  return SPEEDS.reduce((best, s) => (Math.abs(s - speed) < Math.abs(best - speed) ? s : best), SPEEDS[1]);
}

export function clampStep(step: number, total: number): number {
  if (!Number.isFinite(step)) return 0;
  return Math.max(0, Math.min(Math.max(0, total), Math.round(step)));
}

/** Where a control moves the step. */
export function move(m: Move, step: number, total: number): number {
  const s = clampStep(step, total);
  switch (m) {
    case 'start':
      return 0;
    case 'back':
      return Math.max(0, s - 1);
    case 'forward':
      return Math.min(total, s + 1);
    case 'end':
      return Math.max(0, total);
  }
}

/** The step after one tick of playback, or null when playback has reached the end and stops. */
export function tick(step: number, total: number): number | null {
  const s = clampStep(step, total);
  return s >= total ? null : s + 1;
}

/** The step playback starts from: from the beginning again when it is pressed at the end. */
export function playFrom(step: number, total: number): number {
  const s = clampStep(step, total);
  return s >= total ? 0 : s;
}

/** The keyboard shortcuts while the timeline has focus: ← → step, Space plays or pauses, Home/End jump. */
export function keyAction(key: string): KeyAction | null {
  switch (key) {
    case 'ArrowLeft':
      return 'back';
    case 'ArrowRight':
      return 'forward';
    case ' ':
    case 'Spacebar':
      return 'toggle';
    case 'Home':
      return 'start';
    case 'End':
      return 'end';
    default:
      return null;
  }
}

/** The part of a keydown event the timeline's handler reads. */
export interface TimelineKey {
  key: string;
  currentTarget: EventTarget | null;
  preventDefault(): void;
}

/**
 * A keydown on any control of a timeline: a shortcut's action goes to `act` (and the browser's own
 * handling is prevented), except Space on a button, which presses that button. Returns the action.
 */
export function handleTimelineKey(e: TimelineKey, act: (action: KeyAction) => void): KeyAction | null {
  const action = keyAction(e.key);
  if (!action) return null;
  if (action === 'toggle' && (e.currentTarget as { tagName?: string } | null)?.tagName === 'BUTTON')
    return null;
  e.preventDefault();
  act(action);
  return action;
}

/** The event that happened last at `step` (events[step − 1]), or null at step 0. */
export function eventAt(step: number, events: readonly TranscriptEvent[]): TranscriptEvent | null {
  const s = clampStep(step, events.length);
  return s > 0 ? events[s - 1] : null;
}

/** The step at which `seq` has just happened (jumping to an event shows it as the latest). */
export function stepOf(seq: number): number {
  return seq + 1;
}
