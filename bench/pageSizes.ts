// What a browser page pays for swarmguard. Each page below is a one-line module bundled by esbuild
// for the browser from the built package (through its exports map, as an app's bundler resolves
// it), minified, with code splitting: the WASM builds stay chunks of their own, which `init()`
// fetches. A page's bytes are its JavaScript (the entry and the chunks it imports statically)
// plus the builds `init()` fetches on a SIMD engine (every current browser): the simd build of
// each kernel family its kept modules use. Gzip at zlib's default level, per file as served.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/** The package's folder (this file runs from bench/ under vitest, from dist/bench/ otherwise). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return `${dir}/`;
}

const root = packageRoot();

export interface Page {
  label: string;
  source: string;
  /**
   * Gzip bytes (JavaScript and WASM together) the page may cost, set at its size when last cut;
   * test/browser/pageSizes.test.ts fails past 10 % over. The hash-only page's keeps it under the
   * 40 kB newcomers were promised, the breaker-only page's under 10 kB.
   */
  budget?: number;
}

/** The pages `npm run bundles` measures; those with a budget are held to it. */
export const PAGES: readonly Page[] = [
  { label: 'hash only', source: "export * from 'swarmguard/hash';", budget: 35_500 },
  { label: 'Ed25519 + VRF', source: "export { ed25519, vrf, init, features } from 'swarmguard/sig';", budget: 19_000 },
  { label: 'ML-DSA only', source: "export { mldsa65, init, features } from 'swarmguard/sig';", budget: 12_000 },
  { label: 'signatures, all', source: "export * from 'swarmguard/sig';" },
  { label: 'breaker only', source: "export { CircuitBreaker } from 'swarmguard/resilience';", budget: 7_000 },
  // It carries ML-DSA-65 verification for hybrid networks, but loads the pq family's WASM only for one (init({ families: ['pq'] })).
  { label: 'light client', source: "export * from 'swarmguard/light';", budget: 66_000 },
  { label: 'sha256 only', source: "export { sha256, init } from 'swarmguard/hash';" },
  { label: 'Merkle', source: "export * from 'swarmguard/merkle';" },
  { label: 'resilience, all', source: "export * from 'swarmguard/resilience';" },
  { label: 'consensus', source: "export * from 'swarmguard/consensus';" },
  { label: 'consensus wire', source: "export * from 'swarmguard/consensus/wire';" },
  { label: 'MemoryStorage', source: "export { MemoryStorage } from 'swarmguard/storage';" },
  { label: 'simulator', source: "export * from 'swarmguard/sim';" },
  { label: 'validators', source: "export * from 'swarmguard/validators';" },
  { label: 'Web Worker pool', source: "export { createPool } from 'swarmguard/pool';" },
  { label: 'the root, all', source: "export * from 'swarmguard';" },
];

export interface PageSize {
  /** The page's JavaScript: its entry chunk and every chunk it imports statically. */
  js: { min: number; gzip: number };
  /** The simd builds `init()` fetches, one per family the page uses. */
  wasm: { min: number; gzip: number };
  families: string[];
}

/**
 * The families whose WASM a bundle's `init()` fetches: those whose `defaultOf('<family>')` sits in
 * a module the bundle keeps (src/wasm/load.ts: asking for a family's default is what registers it).
 */
function familiesUsed(metafile: Metafile, output: string): string[] {
  const kept = Object.entries(metafile.outputs[output].inputs).filter(([, i]) => i.bytesInOutput > 0);
  const found = kept.flatMap(([input]) => [...readFileSync(join(root, input), 'utf8').matchAll(/\bdefaultOf\('(\w+)'\)/g)].map((m) => m[1]));
  return [...new Set(found)].sort();
}

export async function measurePage(source: string): Promise<PageSize> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js', sourcefile: 'page.js' },
    bundle: true,
    splitting: true,
    outdir: join(root, 'page'),
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = new Map(result.outputFiles.map((f) => [f.path.slice(root.length), f.contents]));
  const outputs = result.metafile.outputs;
  const sum = (files: string[]) => ({ min: files.reduce((n, f) => n + (bytes.get(f)?.length ?? 0), 0), gzip: files.reduce((n, f) => n + gzipSync(bytes.get(f) ?? new Uint8Array()).length, 0) });
  const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint !== undefined) as string;
  const js = new Set<string>();
  const visit = (o: string) => {
    if (js.has(o)) return;
    js.add(o);
    for (const i of outputs[o].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  const families = [...js].flatMap((o) => familiesUsed(result.metafile, o));
  const simdChunk = (family: string) => Object.keys(outputs).find((o) => Object.keys(outputs[o].inputs).some((i) => i.endsWith(`wasm/generated/${family}Simd.js`)));
  const wasm = families.map(simdChunk).filter((o): o is string => o !== undefined);
  return { js: sum([...js]), wasm: sum(wasm), families: [...new Set(families)].sort() };
}
