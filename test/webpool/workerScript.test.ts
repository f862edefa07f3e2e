import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { webWorkerSource } from '../../src/webpool/generated/workerSource.js';

// The browser pool's worker script, as it ships (scripts/buildWebWorker.mjs): one self-contained
// module (a Blob URL or a page's own URL has no sibling modules to import), without the embedded
// WASM (workers are posted the page's compiled module). Its behaviour is tested in Chromium
// (test/browser/pool.test.ts).

const dist = (path: string) => readFileSync(fileURLToPath(new URL(`../../dist/src/webpool/${path}`, import.meta.url)), 'utf8');
const shipped = dist('worker.min.js');

describe('the Web Worker script', () => {
  it('is the same script as a Blob source and as the file swarmguard/pool/worker.js', () => {
    expect(shipped).toBe(webWorkerSource);
  });

  it('imports nothing, embeds no WASM, and stays small', () => {
    expect(webWorkerSource).not.toMatch(/\bimport\s*[\s{*("'.]|\bexport\s*[{*]/);
    // Every WASM module starts with \0asm: "AGFzbQ" in base64.
    expect(webWorkerSource).not.toContain('AGFzbQ');
    expect(webWorkerSource.length).toBeLessThan(40_000);
    expect(webWorkerSource).toContain('onmessage');
  });

  it('stays out of the type declarations (typed string, not a 21 kB literal type)', () => {
    expect(dist('generated/workerSource.d.ts')).toMatch(/export declare const webWorkerSource: string;/);
  });
});
