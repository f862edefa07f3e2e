// What a browser app pays for each way of importing swarmguard: esbuild bundles a one-line module
// for the browser platform from the built package (through its exports map, as an app's bundler
// would), minified; the table gives the bytes, the bytes after gzip (zlib's default level), and
// how much of the minified output is the embedded WASM (both builds, base64). `npm run bundles`.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

const CASES: [label: string, source: string][] = [
  ['root, everything', `export * from 'swarmguard';`],
  ['hash only', `export * from 'swarmguard/hash';`],
  ['sha256 only', `export { sha256 } from 'swarmguard/hash';`],
  ['sig only', `export * from 'swarmguard/sig';`],
  ['merkle', `export * from 'swarmguard/merkle';`],
  ['resilience, breaker only', `export { CircuitBreaker } from 'swarmguard/resilience';`],
  ['resilience, everything', `export * from 'swarmguard/resilience';`],
  ['consensus', `export * from 'swarmguard/consensus';`],
  ['consensus/wire', `export * from 'swarmguard/consensus/wire';`],
  ['storage (MemoryStorage)', `export { MemoryStorage } from 'swarmguard/storage';`],
  ['sim', `export * from 'swarmguard/sim';`],
  ['validators', `export * from 'swarmguard/validators';`],
];

const kB = (bytes: number) => (bytes / 1000).toFixed(1);

const rows: string[][] = [];
for (const [label, source] of CASES) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const wasm = Object.entries(output.inputs)
    .filter(([input]) => /\/wasm\/generated\/(?:scalar|simd)\.js$/.test(input))
    .reduce((sum, [, i]) => sum + i.bytesInOutput, 0);
  rows.push([label, `\`${source}\``, kB(code.length), kB(gzipSync(code).length), kB(wasm)]);
}

console.log('| import | module | min kB | min+gzip kB | of min: WASM base64 kB |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
