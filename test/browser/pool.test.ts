import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool/index.js';
import { type BrowserPage, chromiumPath, missingChromiumReason, openBuiltApp, openPage } from '../_support/browser.js';
import { testSeed } from '../_support/seed.js';
import type { Crash, Equality } from './pages/pool.js';
import { badPoolCalls, type ErrorReport, refusal } from './pages/poolCalls.js';

// The Web Worker pool (`swarmguard/pool` in browsers) in headless Chromium, on a page as an app
// bundles it with esbuild (and, at the end, an app built by Vite): results equal to inline on both backends, in a cross-origin-isolated
// page (SharedArrayBuffer) and in an ordinary one (transferred ArrayBuffers); workers that die;
// close; abort; the Node pool's argument errors; a strict Content-Security-Policy.

const PAGE = 'test/browser/pages/pool.ts';
const bundles = { '/crashing-worker.js': 'test/browser/pages/crashingWorker.ts' };
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const shippedWorker = fileURLToPath(new URL('../../dist/src/webpool/worker.min.js', import.meta.url));

describe.skipIf(chromiumPath === null)(`in Chromium: the Web Worker pool ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
  const pages: Record<'isolated' | 'plain', BrowserPage> = {} as never;
  beforeAll(async () => {
    pages.isolated = await openPage(PAGE, { bundles, headers: ISOLATED });
    pages.plain = await openPage(PAGE, { bundles });
  }, 60_000);
  afterAll(async () => {
    await pages.isolated?.close();
    await pages.plain?.close();
  });

  const modes = [
    ['isolated', 'cross-origin-isolated page: batches in SharedArrayBuffers', 'shared'],
    ['plain', 'ordinary page: each shard transferred to its worker and back', 'transfer'],
  ] as const;
  for (const [page, title, buffers] of modes) {
    for (const backend of ['simd', 'scalar'] as const) {
      it(`${title}; ${backend}: every operation equals inline on seeded random batches`, async () => {
        const r = await pages[page].call<Equality>('equalsInline', backend, testSeed(`browser pool ${page} ${backend}`));
        expect(r).toMatchObject({ backend, buffers, crossOriginIsolated: page === 'isolated', wrong: [], checked: 26, inputsIntact: true });
        expect(r.shards).toBeGreaterThan(26);
      }, 120_000);
    }
  }

  for (const [how, title] of [
    ['terminate', 'terminated by the page (no event: seen through its Web Lock)'],
    ['throw', 'an uncaught error in the worker (the error event)'],
    ['close', 'self.close() in the worker (no event: seen through its Web Lock)'],
  ] as const) {
    it(`a worker that dies mid-batch, ${title}: the batch fails with WorkerCrashedError, the worker is replaced`, async () => {
      const r = await pages.plain.call<Crash>('crashMidBatch', how);
      expect(r.error).toMatchObject({ name: 'WorkerCrashedError', code: 'ERR_WORKER_CRASHED' });
      expect(r.error?.message).toMatch(/^a pool worker died while running merkleRoot: /);
      expect(r).toMatchObject({ workers: how === 'terminate' ? 1 : 2, recovered: true });
    }, 60_000);
  }

  it('close() lets the batch in flight finish, ends the workers, and refuses later calls with PoolClosedError', async () => {
    const r = await pages.isolated.call<{ drained: boolean; workers: number; after: ErrorReport; closeAgain: ErrorReport | null }>('closeDrains');
    expect(r).toMatchObject({ drained: true, workers: 0, closeAgain: null });
    expect(r.after).toEqual({ name: 'PoolClosedError', code: 'ERR_POOL_CLOSED', message: 'the pool is closed', kind: 'PoolClosedError' });
  }, 60_000);

  it('an AbortSignal: queued shards never start, a running shard has its worker replaced, an aborted signal rejects at once', async () => {
    const r = await pages.plain.call<Record<string, unknown>>('aborts');
    const aborted = { name: 'AbortError', code: 'ERR_TASK_ABORTED', message: 'the pool task was aborted' };
    expect(r).toMatchObject({ runningOk: true, replaced: true, afterOk: true, queuedError: { ...aborted, cause: 'Error: no longer needed' }, runningError: aborted, already: aborted });
  }, 60_000);

  it('refuses bad arguments with exactly the Node pool errors (class, code, message), before any work', async () => {
    const r = await pages.plain.call<{ refusals: [string, ErrorReport | null][]; workerUrl: ErrorReport[]; untouched: boolean }>('argumentErrors');
    const node = createPool({ threads: 1, inlineBelow: 0 });
    try {
      const expected: [string, ErrorReport | null][] = [];
      for (const [label, call] of badPoolCalls(node, createPool)) expected.push([label, await refusal(call)]);
      expect(expected.every(([, e]) => e !== null && /^(TypeError|RangeError)$/.test(e.kind))).toBe(true);
      expect(r.refusals).toEqual(expected);
    } finally {
      await node.close();
    }
    expect(r.untouched).toBe(true);
    expect(r.workerUrl).toEqual([
      { name: 'ArgumentTypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'createPool: options.workerUrl must be a string or a URL, got a number (5)', kind: 'TypeError' },
      { name: 'ArgumentRangeError', code: 'ERR_OUT_OF_RANGE', message: 'createPool: options.workerUrl must not be empty', kind: 'RangeError' },
    ]);
  }, 60_000);

  it('a workerUrl that does not load fails the batch with PoolWorkerMissingError naming it', async () => {
    const r = await pages.plain.call<{ first: ErrorReport }>('startWith', '/no-such-worker.js');
    expect(r.first).toMatchObject({ name: 'PoolWorkerMissingError', code: 'ERR_POOL_WORKER_MISSING' });
    expect(r.first.message).toMatch(/could not start \(workerUrl \/no-such-worker\.js\)/);
  }, 60_000);

  it('the pages logged no error', () => {
    expect(pages.isolated.errors).toEqual([]);
    expect(pages.plain.errors.filter((e) => !/no-such-worker/.test(e))).toEqual([]);
  });
});

// A CSP with worker-src 'self' refuses blob: workers: the default pool says why; the shipped
// worker file (swarmguard/pool/worker.js) served by the page and given as workerUrl runs.
describe.skipIf(chromiumPath === null)(`in Chromium: the pool under a strict Content-Security-Policy ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
  it("worker-src 'self': the Blob URL worker is refused with PoolWorkerMissingError; workerUrl pointing at the shipped file works", async () => {
    const csp = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
    const page = await openPage(PAGE, { headers: { 'content-security-policy': csp, ...ISOLATED }, files: { '/pool-worker.js': shippedWorker } });
    try {
      const refused = await page.call<{ first: ErrorReport }>('startWith');
      expect(refused.first).toMatchObject({ name: 'PoolWorkerMissingError', code: 'ERR_POOL_WORKER_MISSING' });
      expect(refused.first.message).toMatch(/worker-src blob:, or pass workerUrl/);
      expect(await page.call('startWith', '/pool-worker.js')).toEqual({ first: true, buffers: 'shared' });
    } finally {
      await page.close();
    }
  }, 60_000);
});

// The same pool in an app built by `vite build` with its defaults: the worker script travels
// inside the package's JavaScript (a Blob URL), so the app configures nothing for it.
describe('Vite builds a page that hashes on the pool', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'swarmguard-vite-pool-'));
    const { build } = await import('vite');
    await build({ root: fileURLToPath(new URL('apps/pool', import.meta.url)), logLevel: 'silent', configFile: false, build: { outDir: out, emptyOutDir: true } });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('from the browser entry (Web Workers), with no Node-only code; the worker file copied as an asset', () => {
    const assets = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    const worker = assets.filter((f) => readFileSync(join(out, 'assets', f), 'utf8') === readFileSync(shippedWorker, 'utf8'));
    expect(worker).toHaveLength(1);
    const js = assets.map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    expect(js).toContain('swarmguard-pool-');
    expect(/\b(?:node:\w+|worker_threads|piscina)\b/.exec(js)?.[0]).toBeUndefined();
  });

  it.skipIf(chromiumPath === null)(`runs in Chromium: sha256Many and merkleRoot on two workers equal inline, from the Blob URL and from the app's copy of swarmguard/pool/worker.js ${chromiumPath === null ? missingChromiumReason : ''}`, async () => {
    const page = await openBuiltApp(out);
    try {
      for (const fromFile of [false, true]) {
        const r = await page.call<{ shards: number }>('hashOnPool', fromFile);
        expect(r, `worker from file: ${fromFile}`).toMatchObject({ buffers: 'transfer', sha256Many: true, merkleRoot: true });
        expect(r.shards).toBeGreaterThan(2);
      }
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
