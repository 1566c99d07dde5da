#!/usr/bin/env node
// Bundle budget: the gzip size of every .js file in dist/assets, added up,
// must stay at or under 80 KB. Run after `npm run build`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 80 * 1024;
const assets = fileURLToPath(new URL('../dist/assets/', import.meta.url));

let names;
try {
  names = readdirSync(assets).filter((n) => n.endsWith('.js') && statSync(join(assets, n)).isFile());
} catch {
  console.error(`check-bundle: ${assets} not found; run "npm run build" first`);
  process.exit(1);
}
if (names.length === 0) {
  console.error(`check-bundle: no .js files in ${assets}`);
  process.exit(1);
}

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
let total = 0;
for (const name of names.sort()) {
  const raw = readFileSync(join(assets, name));
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`  ${name}: ${kb(raw.length)} raw, ${kb(gz)} gzip`);
}
const verdict = total <= BUDGET_BYTES ? 'ok' : 'OVER BUDGET';
console.log(`check-bundle: ${names.length} file(s), ${kb(total)} gzip of JavaScript (budget ${kb(BUDGET_BYTES)}): ${verdict}`);
process.exit(total <= BUDGET_BYTES ? 0 : 1);
