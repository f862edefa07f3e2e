import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BenchUnavailableError, required } from '../dependencies.js';
import { table } from '../harness.js';
import { bundleForBrowser } from './bundle.js';
import type { BenchContext, BenchReport, BenchSuite } from '../suite.js';
import type { PageConfig, PageReport, PageRow } from './page.js';

// `swarmguard bench browser`: the hash and signature races in headless Chromium. The page module
// (page.ts) and each comparison library found installed are bundled for the browser with
// esbuild, served on 127.0.0.1 cross-origin isolated (so timers are fine-grained), run in
// Chromium driven by playwright-core, and the page's rows come back here as a table.
// Needs: a Chromium binary (`CHROMIUM_PATH`, else Debian's /usr/bin/chromium), and the dev
// dependencies playwright-core and esbuild; the comparison libraries are optional as elsewhere.

/** What each comparison library contributes to the page, bundled on its own so a missing one is only skipped. */
const LIBRARIES: Record<string, string> = {
  'hash-wasm': `export { createBLAKE3, createSHA256 } from 'hash-wasm';`,
  '@noble/hashes': `export { blake3 } from '@noble/hashes/blake3.js'; export { sha256 } from '@noble/hashes/sha2.js';`,
  '@noble/curves': `export { ed25519 } from '@noble/curves/ed25519.js';`,
};

/** The baseline each group's ratio is taken against, and the target the issue set, where one was. */
const BASELINES: Record<string, string> = { BLAKE3: 'hash-wasm', 'SHA-256': 'hash-wasm', 'Ed25519 sign': '@noble/curves', 'Ed25519 verify': '@noble/curves', verifyBatch: '@noble/curves', 'pool: ': 'swarmguard simd inline' };

function chromium(): string {
  const asked = process.env.CHROMIUM_PATH;
  // A path the user set must exist: falling back to another binary would measure something else.
  if (asked) {
    if (!existsSync(asked)) throw new BenchUnavailableError(`CHROMIUM_PATH is ${asked}, which does not exist`);
    return asked;
  }
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (found === undefined) throw new BenchUnavailableError("bench browser needs Chromium: install Debian's `chromium` package (apt-get install chromium) or set CHROMIUM_PATH");
  return found;
}

type Esbuild = typeof import('esbuild');

/** Chromium, and the packages that drive it and bundle the page; a `BenchUnavailableError` naming what is missing. */
async function drivers(): Promise<{ executablePath: string; launcher: typeof import('playwright-core').chromium; esbuild: Esbuild }> {
  const executablePath = chromium();
  const { chromium: launcher } = await required<typeof import('playwright-core')>('playwright-core', 'bench browser');
  return { executablePath, launcher, esbuild: await required<Esbuild>('esbuild', 'bench browser') };
}

/** The page script (page.js beside this file in dist/, page.ts when run from the sources) and the libraries found. */
async function scripts(esbuild: Esbuild, progress: (line: string) => void): Promise<{ files: Map<string, string>; libraries: Record<string, string> }> {
  const here = fileURLToPath(import.meta.url);
  const files = new Map<string, string>([['/page.js', await bundleForBrowser(esbuild, { entry: here.replace(/suite\.(ts|js)$/, 'page.$1') })]]);
  const libraries: Record<string, string> = {};
  for (const [name, source] of Object.entries(LIBRARIES)) {
    try {
      const path = `/lib/${name.replace(/[^a-z0-9-]/g, '_')}.js`;
      files.set(path, await bundleForBrowser(esbuild, { source, resolveDir: fileURLToPath(new URL('.', import.meta.url)) }));
      libraries[name] = path;
    } catch {
      progress(`  (skipping ${name}: not installed — npm install ${name} to include it)`);
    }
  }
  files.set('/boot.js', 'import * as m from "/page.js"; window.__page = m; window.__ready = true;');
  files.set('/', '<!doctype html><meta charset="utf-8"><title>swarmguard bench</title><script type="module" src="/boot.js"></script>');
  return { files, libraries };
}

function format(report: PageReport, quick: boolean): string {
  const groups = [...new Set(report.rows.map((r) => r.group))];
  const rows: string[][] = [];
  for (const group of groups) {
    const members = report.rows.filter((r) => r.group === group);
    const baselineName = Object.entries(BASELINES).find(([prefix]) => group.startsWith(prefix))?.[1];
    // verifyBatch is compared with the best single verify of its baseline library: the per-signature cost a user would otherwise pay.
    const baseline = group.startsWith('verifyBatch')
      ? report.rows.find((r) => r.group.startsWith('Ed25519 verify') && r.subject === baselineName)
      : members.find((r) => r.subject === baselineName);
    for (const r of members) rows.push([group, r.subject, `${formatRate(r)} ${r.unit}`, baseline ? `${(r.rate / baseline.rate).toFixed(2)}×` : '']);
  }
  const head = `Chromium ${/Chrome\/([\d.]+)/.exec(report.userAgent)?.[1] ?? '?'} (headless), ${report.cores} cores, cross-origin isolated: ${report.crossOriginIsolated}, WASM SIMD: ${report.features.simd}${quick ? ' — quick run' : ''}`;
  return `${head}\n\n${table(['operation', 'subject', 'rate (median)', 'vs hash-wasm / @noble / inline'], rows)}`;
}

function formatRate(r: PageRow): string {
  return r.rate >= 100 ? Math.round(r.rate).toLocaleString('en-US') : r.rate.toFixed(1);
}

const suite: BenchSuite = {
  name: 'browser',
  description: 'hashing and Ed25519 in headless Chromium: swarmguard simd and scalar against hash-wasm, @noble and WebCrypto, side by side in one page; the Web Worker pool against inline',
  async preflight() {
    await drivers();
  },
  async run(context: BenchContext): Promise<BenchReport> {
    const { executablePath, launcher, esbuild } = await drivers();
    const { files, libraries } = await scripts(esbuild, context.progress);
    const server = createServer((req, res) => {
      const body = files.get(new URL(req.url ?? '/', 'http://x').pathname);
      // Cross-origin isolation: performance.now() at 5 µs instead of 100 µs, and SharedArrayBuffer.
      // …except the page at /?plain, where the pool race runs again with transferred buffers.
      if (!req.url?.endsWith('?plain')) {
        res.setHeader('cross-origin-opener-policy', 'same-origin');
        res.setHeader('cross-origin-embedder-policy', 'require-corp');
      }
      if (body === undefined) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': body.startsWith('<!doctype') ? 'text/html' : 'text/javascript' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await launcher.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const open = async (path: string) => {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
        await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
        return page;
      };
      const page = await open('/');
      const config: PageConfig = { runs: context.runs, minMs: Math.max(20, context.maxTime * 200), quick: context.quick, libraries };
      context.progress(`  running in Chromium (${context.runs} rounds of ≥ ${config.minMs} ms per subject)…`);
      const report = await page.evaluate((c) => (window as unknown as { __page: { run(c: PageConfig): Promise<PageReport> } }).__page.run(c), config);
      await page.close();
      context.progress('  the pool race again in a page that is not cross-origin isolated…');
      const plain = await open('/?plain');
      const transferred = await plain.evaluate((c) => (window as unknown as { __page: { runPool(c: PageConfig): Promise<PageRow[]> } }).__page.runPool(c), config);
      report.rows.push(...transferred.map((r) => ({ ...r, group: `${r.group}, not isolated` })));
      return { text: format(report, context.quick), results: { ...report, medianOf: context.runs, minMs: config.minMs } };
    } finally {
      await browser.close();
      server.close();
    }
  },
};

export default suite;
