// `npm run bundles`: the bytes a browser page pays for each way of importing swarmguard
// (bench/pageSizes.ts says how they are measured), as the Markdown table the README quotes.
// `--readme` writes the table into README.md between its bundle-size markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measurePage, PAGES } from './pageSizes.js';

const kB = (bytes: number) => (bytes / 1000).toFixed(1);

const lines = [
  '| page | module | JS min kB | JS gzip kB | WASM fetched by `init()` | WASM gzip kB | total gzip kB | budget kB |',
  '|---|---|---:|---:|---|---:|---:|---:|',
];
for (const { label, source, budget } of PAGES) {
  const { js, wasm, families } = await measurePage(source);
  const fetched = families.length === 0 ? 'none' : families.map((f) => `${f} (simd)`).join(', ');
  lines.push(`| ${label} | \`${source}\` | ${kB(js.min)} | ${kB(js.gzip)} | ${fetched} | ${kB(wasm.gzip)} | ${kB(js.gzip + wasm.gzip)} | ${budget === undefined ? '' : kB(budget)} |`);
}
const table = lines.join('\n');
console.log(table);

if (process.argv.includes('--readme')) {
  const readme = fileURLToPath(new URL('../../README.md', import.meta.url)); // from dist/bench/
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bundle sizes: npm run bundles -- --readme -->';
  const end = '<!-- end of bundle sizes -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
  console.error('README.md: table written');
}
