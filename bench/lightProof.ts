// The light client's own work on a 4-validator commit proof (decode, verify under the trusted set,
// compare with the trusted header), timed in Node and in headless Chromium: `npm run bench:light`.
// Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_PATH), driven by playwright-core; the page
// is lightProof.page.ts bundled for the browser by esbuild through the package's exports map.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleForBrowser } from '../src/bench/browser/bundle.js';
import { measure, type ProofRow } from './lightProof.page.js';

async function inChromium(): Promise<ProofRow[] | string> {
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (executablePath === undefined) return 'no Chromium (install Debian\'s chromium, or set CHROMIUM_PATH)';
  const page = fileURLToPath(new URL('./lightProof.page.js', import.meta.url));
  const script = await bundleForBrowser(esbuild, { entry: page });
  const server = createServer((req, res) => {
    if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module">import { measure } from "/page.js"; window.measure = measure;</script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await tab.waitForFunction(() => typeof (window as unknown as { measure?: unknown }).measure === 'function');
    return await tab.evaluate(() => (window as unknown as { measure: () => Promise<ProofRow[]> }).measure());
  } finally {
    await browser.close();
    server.close();
  }
}

const node = await measure();
const browser = await inChromium();
const ms = (v: number) => (v * 1000).toFixed(0) + ' µs';
console.log('| 4-validator commit proof | bytes | Node | Chromium |\n|---|---:|---:|---:|');
for (let i = 0; i < node.length; i++) console.log(`| ${node[i].proof} | ${node[i].bytes} | ${ms(node[i].ms)} | ${typeof browser === 'string' ? '–' : ms(browser[i].ms)} |`);
if (typeof browser === 'string') console.log(`Chromium: ${browser}`);
