/**
 * Writes the built site (dist/) as one zip a trainer can carry into a room with no network:
 * dist/ccte-offline.zip, holding the site under `ccte/`. Unzip and serve the folder with any static
 * server (`npx vite preview --outDir ccte`, `python3 -m http.server`), or open it from a browser that
 * allows module scripts from files. Run after `vite build` (npm run build does).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync } from 'fflate';

const dist = new URL('../dist/', import.meta.url).pathname;
const target = join(dist, 'ccte-offline.zip');
const files = {};
function add(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (path === target || name.endsWith('.map')) continue;
    if (statSync(path).isDirectory()) add(path);
    else files[`ccte/${relative(dist, path).split(sep).join('/')}`] = readFileSync(path);
  }
}
add(dist);
if (!files['ccte/index.html']) {
  console.error('zip-site: dist/index.html is missing; run vite build first');
  process.exit(1);
}
// A fixed timestamp keeps the archive byte-identical for the same build.
const zip = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
writeFileSync(target, zip);
console.log(
  `zip-site: wrote ${relative(process.cwd(), target)} (${Object.keys(files).length} files, ${(zip.length / 1024).toFixed(0)} KiB)`,
);
