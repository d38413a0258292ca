/** The one shape every machine emits: a fact that crossed a trust boundary, for the transcript. */
import type { NewEvent } from '../transcript';

export interface Fact {
  type: 'FACT';
  event: NewEvent;
}

export function fact(event: NewEvent): Fact {
  return { type: 'FACT', event };
}
