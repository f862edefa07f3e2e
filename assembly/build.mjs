// Builds the WASM from assembly/ and embeds it, so the published package needs no compiler:
// - the shipped builds, one per kernel family (hash: assembly/hash.ts; sig: assembly/sig.ts; pq:
//   assembly/pq.ts) and
//   target (scalar, simd), in base64 (simd deflated first), as the modules
//   src/wasm/generated/<family><Target>.ts, each loaded on its own: a page fetches only the
//   families it uses, on the one target it runs;
// - their kernel signatures, as the `HashKernels` and `SigKernels` interfaces of
//   src/wasm/generated/kernels.ts, taken from the typings asc writes beside each build
//   (`--bindings raw`: it knows every parameter's name and AssemblyScript type) and checked here
//   against the compiled module's exports;
// - the test build (every family + assembly/testing/index.ts, the kernels only tests call) as
//   build/testing/{scalar,simd}.wasm, with `TestKernels` in build/testing/kernels.d.ts.
// With --if-stale it does nothing when every output carries the fingerprint of the sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = ['scalar', 'simd'];
/** Each family's entry, and the name of its typed face in kernels.ts. */
const families = {
  hash: { entry: join(root, 'assembly/hash.ts'), face: 'HashKernels', what: 'SHA-256, SHA-512, BLAKE3 and Merkle' },
  sig: { entry: join(root, 'assembly/sig.ts'), face: 'SigKernels', what: 'Ed25519 and ECVRF' },
  pq: { entry: join(root, 'assembly/pq.ts'), face: 'PqKernels', what: 'ML-DSA-44/65/87' },
};
const builds = Object.keys(families).flatMap((family) => targets.map((target) => ({ family, target, name: `${family}${target[0].toUpperCase()}${target.slice(1)}` })));
const outDir = join(root, 'src/wasm/generated');
const testDir = join(root, 'build/testing');
const testEntry = join(root, 'assembly/testing/index.ts');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') || e.name.endsWith('.mjs') ? [p] : [];
  }).sort();
}

function fingerprint() {
  const h = createHash('sha256');
  for (const f of [join(root, 'asconfig.json'), ...sourceFiles(join(root, 'assembly'))]) {
    h.update(f.slice(root.length)).update('\0').update(readFileSync(f)).update('\0');
  }
  h.update(JSON.parse(readFileSync(join(root, 'node_modules/assemblyscript/package.json'), 'utf8')).version);
  return h.digest('hex');
}

function embeddedFingerprint(file) {
  if (!existsSync(file)) return null;
  const m = /fingerprint: ([0-9a-f]{64})/.exec(readFileSync(file, 'utf8'));
  return m ? m[1] : null;
}

const fp = fingerprint();
const stamped = [...builds.map((b) => join(outDir, `${b.name}.ts`)), join(outDir, 'kernels.ts'), join(testDir, 'kernels.d.ts')];
const fresh = stamped.every((f) => embeddedFingerprint(f) === fp) && targets.every((t) => existsSync(join(testDir, `${t}.wasm`)));
if (process.argv.includes('--if-stale') && fresh) process.exit(0);

// Write-then-rename, so a concurrent build or test never reads a half-written file.
function writeAtomic(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/** Compiles `entries` for `target`; returns the outputs asc wrote, by file name. */
async function compile(target, entries, outFile) {
  const outputs = new Map();
  const args = [...entries, '--config', join(root, 'asconfig.json'), '--target', target, '--outFile', outFile, '--bindings', 'raw'];
  const { error, stderr } = await asc.main(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    writeFile(name, contents) {
      outputs.set(name.split(/[\\/]/).pop(), contents);
    },
  });
  if (error) {
    console.error(`asc failed for target ${target}: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
  return outputs;
}

/**
 * The exported functions of a build, from asc's typings: each with its JSDoc (source path and
 * AssemblyScript parameter types) and its TypeScript signature. Checked against the module.
 */
function kernelSignatures(dts, wasm, label) {
  const body = /declare namespace __AdaptedExports \{\n([\s\S]*?)\n\}/.exec(dts)?.[1];
  if (body === undefined) throw new Error(`${label}: asc typings without the exports namespace`);
  const kernels = new Map();
  for (const m of body.matchAll(/( {2}\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)? {2}export function (\w+)(\([^)]*\): \w+);/g)) {
    kernels.set(m[2], `${m[1] ?? ''}  ${m[2]}${m[3]};`);
  }
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).filter((e) => e.kind === 'function').map((e) => e.name);
  const typed = [...kernels.keys()];
  if (exported.length !== typed.length || exported.some((name) => !kernels.has(name))) {
    throw new Error(`${label}: typings (${typed.join(', ')}) do not match the module's exports (${exported.join(', ')})`);
  }
  return kernels;
}

function sameSignatures(a, b, label) {
  if ([...a].join('\n') !== [...b].join('\n')) throw new Error(`${label}: scalar and simd builds export different kernels`);
}

mkdirSync(outDir, { recursive: true });
mkdirSync(testDir, { recursive: true });
const header = (what) => `// Generated by assembly/build.mjs from assembly/ (${what}); do not edit.\n// fingerprint: ${fp}\n`;

/**
 * Builds shipped deflated (zlib format) before base64: base64 hides the byte patterns gzip finds
 * in a module (the simd build's base64 gzips to 60 kB, its deflate's base64 to 39 kB). Browsers
 * inflate with DecompressionStream, which every engine with WASM SIMD has except Firefox 89–112;
 * the scalar build is the fallback for engines without SIMD, which mostly lack DecompressionStream
 * too (Safari < 16.4, Firefox < 89), so it ships as it is.
 */
const DEFLATED = { scalar: false, simd: true };

/** The module embedding one build; typed `string`, so its declaration is not the literal. */
function embeddedModule(family, target, bytes) {
  const deflated = DEFLATED[target];
  const base64 = (deflated ? deflateSync(bytes, { level: 9 }) : bytes).toString('base64');
  return (
    `${header(`${family} family, target ${target}`)}\n` +
    `/** The ${family} family's ${target} build (${bytes.length} bytes) in base64${deflated ? ', deflated first (zlib format)' : ''}. */\n` +
    `export const base64: string = '${base64}';\n` +
    '/** Whether `base64` holds the build deflated (zlib format) rather than as it is. */\n' +
    `export const deflated: boolean = ${deflated};\n`
  );
}

/** Kernel signatures by family, then target. */
const shipped = Object.fromEntries(Object.keys(families).map((family) => [family, {}]));
for (const { family, target, name } of builds) {
  const outputs = await compile(target, [families[family].entry], join(root, 'build', `${name}.wasm`));
  const bytes = Buffer.from(outputs.get(`${name}.wasm`));
  shipped[family][target] = kernelSignatures(outputs.get(`${name}.d.ts`), bytes, name);
  writeAtomic(join(root, 'build', `${name}.wasm`), bytes);
  // The text file's name comes from asconfig.json's target (build/<target>.wat).
  if (outputs.has(`${target}.wat`)) writeAtomic(join(root, 'build', `${name}.wat`), outputs.get(`${target}.wat`));
  writeAtomic(join(outDir, `${name}.ts`), embeddedModule(family, target, bytes));
  console.error(`built ${name}.wasm (${bytes.length} bytes)`);
}
for (const family of Object.keys(families)) sameSignatures(shipped[family].scalar, shipped[family].simd, `shipped ${family} build`);
/** Every shipped kernel by name; a kernel in both families (scratchBase) must be the same. */
const allShipped = new Map();
for (const family of Object.keys(families)) {
  for (const [name, signature] of shipped[family].scalar) {
    if (allShipped.has(name) && allShipped.get(name) !== signature) throw new Error(`kernel ${name} differs between the families`);
    allShipped.set(name, signature);
  }
}
writeAtomic(
  join(outDir, 'kernels.ts'),
  `${header('the typings of the shipped builds')}` +
    Object.entries(families)
      .map(
        ([family, { face, what }]) =>
          `\n/** The exported kernels of the ${family} family's scalar and simd builds (${what}): every argument and result is a pointer, length, count or flag. */\n` +
          `export interface ${face} {\n${[...shipped[family].scalar.values()].join('\n')}\n}\n`,
      )
      .join(''),
);

const testing = {};
for (const target of targets) {
  const file = join(testDir, `${target}.wasm`);
  const outputs = await compile(target, [...Object.values(families).map((f) => f.entry), testEntry], file);
  const bytes = Buffer.from(outputs.get(`${target}.wasm`));
  testing[target] = kernelSignatures(outputs.get(`${target}.d.ts`), bytes, `test ${target}`);
  writeAtomic(file, bytes);
  console.error(`built testing/${target}.wasm (${bytes.length} bytes)`);
}
sameSignatures(testing.scalar, testing.simd, 'test build');
const testOnly = [...testing.scalar].filter(([name, signature]) => {
  if (!allShipped.has(name)) return true;
  if (allShipped.get(name) !== signature) throw new Error(`test build: kernel ${name} differs from the shipped one`);
  return false;
});
writeAtomic(
  join(testDir, 'kernels.d.ts'),
  `${header('the typings of the test build')}import type { HashKernels, PqKernels, SigKernels } from '../../src/wasm/generated/kernels.js';\n\n` +
    '/** The test build: every shipped kernel of every family plus the ones only tests call (assembly/testing/). */\n' +
    `export interface TestKernels extends HashKernels, SigKernels, PqKernels {\n${testOnly.map(([, signature]) => signature).join('\n')}\n}\n`,
);
