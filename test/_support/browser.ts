import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser } from '../../src/bench/browser/bundle.js';
import { vectorsDir } from './vectors.js';

// Real-browser tests: headless Chromium from Debian's `chromium` package, driven by
// playwright-core (which never downloads a browser). A page module (TypeScript under test/) is
// bundled by esbuild for the browser platform the way an app's bundler would bundle it — the
// package is imported by name (`swarmguard`, `swarmguard/hash`…) and resolved through the
// exports map to dist/ — served with anything else the page asks for on 127.0.0.1, and its
// exported functions are called from the test with serializable arguments.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's. Null when it is not installed. */
export const chromiumPath: string | null = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p)) ?? null;

/** Why browser suites skip where Chromium is missing (CI installs it, so they never skip there). */
export const missingChromiumReason = 'skipped: no Chromium binary (/usr/bin/chromium from Debian\'s `chromium` package, or CHROMIUM_PATH)';

export interface PageOptions {
  /** Further modules bundled on their own (e.g. Web Worker scripts), by the URL path they are served at. */
  bundles?: Record<string, string>;
  /** Files served as they are, by URL path (read on each request, never copied). */
  files?: Record<string, string>;
  /** Answers requests the page makes that nothing else serves. */
  handler?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Extra response headers for every answer (e.g. a Content-Security-Policy). */
  headers?: Record<string, string>;
  /** esbuild `define`s for the page bundles. */
  define?: Record<string, string>;
}

export interface BrowserPage {
  readonly page: Page;
  /** `http://127.0.0.1:PORT` the page was served from. */
  readonly origin: string;
  /** Calls the page module's export `name` with `args` in the page; resolves to its (awaited) result. */
  call<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  /** Messages the page logged with console.error, and uncaught page errors. */
  readonly errors: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.wasm': 'application/wasm' };

/** Bundles `entry` (a path under test/ or src/) for the browser; throws esbuild's errors. */
function bundle(entry: string, define?: Record<string, string>): Promise<string> {
  return bundleForBrowser(esbuild, { entry: join(root, entry), define });
}

let browser: Promise<Browser> | null = null;
let users = 0;

/** One Chromium per test file, shared by its pages and closed with the last of them. */
async function launch(): Promise<Browser> {
  if (chromiumPath === null) throw new Error(missingChromiumReason);
  if (browser === null) {
    const { chromium } = await import('playwright-core');
    browser = chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }
  return browser;
}

/**
 * Serves and opens a page whose script is `entry` bundled; its exports become callable. The
 * page's `/vectors/…` paths read `../shared/vectors` in place.
 */
export async function openPage(entry: string, options: PageOptions = {}): Promise<BrowserPage> {
  const scripts = new Map<string, string>([['/page.js', await bundle(entry, options.define)]]);
  for (const [path, module] of Object.entries(options.bundles ?? {})) scripts.set(path, await bundle(module, options.define));
  // The boot script is a file, not inline, so a page under test may carry a strict script-src CSP.
  scripts.set('/boot.js', 'import * as m from "/page.js"; window.__page = m; window.__ready = true;');
  const html = '<!doctype html><meta charset="utf-8"><title>swarmguard</title><script type="module" src="/boot.js"></script>';
  return open((path) => (path === '/' ? { type: 'text/html', body: html } : scripts.has(path) ? { type: 'text/javascript', body: scripts.get(path) as string } : null), options);
}

/**
 * Serves a built app's folder (`index.html` at `/`) and opens it; the app sets `window.__page`
 * (its callable functions) and `window.__ready`.
 */
export async function openBuiltApp(dir: string, options: PageOptions = {}): Promise<BrowserPage> {
  return open((path) => {
    const file = join(dir, path === '/' ? 'index.html' : normalize(path).replace(/^([/\\]*\.\.)+/, ''));
    return existsSync(file) && statSync(file).isFile() ? { type: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) } : null;
  }, options);
}

type Route = (path: string) => { type: string; body: string | Buffer } | null;

async function open(route: Route, options: PageOptions): Promise<BrowserPage> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);
    const send = (type: string, body: string | Buffer) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const found = route(path);
    if (found !== null) return send(found.type, found.body);
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const file = options.files?.[path] ?? (path.startsWith('/vectors/') ? join(vectorsDir, normalize(path.slice('/vectors/'.length)).replace(/^(\.\.[/\\])+/, '')) : undefined);
    if (file !== undefined && existsSync(file)) return send(TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    if (options.handler?.(req, res)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  users++;
  const context = await (await launch()).newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true, undefined, { timeout: 30_000 });
  return {
    page,
    origin,
    errors,
    call: <T>(name: string, ...args: unknown[]) =>
      page.evaluate(([n, a]) => (window as unknown as { __page: Record<string, (...x: unknown[]) => unknown> }).__page[n as string](...(a as unknown[])), [name, args] as const) as Promise<T>,
    async close() {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (--users === 0 && browser !== null) {
        const b = browser;
        browser = null;
        await (await b).close();
      }
    },
  };
}
