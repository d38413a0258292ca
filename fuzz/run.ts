/**
 * `npm run fuzz [-- count]`: runs every fuzz/*.fuzz.ts target (default 100,000 inputs each) one after
 * another and fails if any of them found a crash, a hang or a rejection without an offset.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const count = process.argv[2] ?? '100000';
const seed = process.argv[3] ?? '1';
const targets = readdirSync(dir)
  .filter((f) => f.endsWith('.fuzz.ts'))
  .sort();
let failed = 0;
for (const t of targets) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${t}`, count, seed], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`fuzz: ${targets.length} targets, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
