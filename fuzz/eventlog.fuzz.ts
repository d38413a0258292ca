/**
 * Fuzzes the TCG event log parser with mutated real logs from
 * tests/fixtures/real/tpm, the golden log our writer produced, and random bytes:
 * `npx tsx fuzz/eventlog.fuzz.ts [count] [seed]`. Exits 1 on any crash, hang or rejection without an offset.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseEventLog } from '../src/core/measure/event-log';
import { fuzzMain } from './harness';

const real = new URL('../tests/fixtures/real/tpm/', import.meta.url);
const golden = new URL('../tests/fixtures/golden/eventlog-small.bin', import.meta.url);
const seeds = [
  ...readdirSync(real)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(new URL(f, real)))),
  new Uint8Array(readFileSync(golden)),
];

fuzzMain({
  name: 'eventlog',
  seeds,
  // Replay of accepted logs (mostly hashing) is covered by the seeded property tests in
  // tests/unit/measure; here the parser alone, so that 100,000 inputs take seconds, not minutes.
  parse: parseEventLog,
});
