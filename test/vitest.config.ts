import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // What a test prints (a seed to reproduce it, sizes, counts) shows only when it fails: a green
    // run reads as a list of passed files.
    silent: 'passed-only',
    // Skipped suites are named after the summary (SkippedSummary); the JSON report is what .ci/run
    // reads for its closing `vitest: N passed, N failed` line and its refusal of skipped tests.
    reporters: ['default', fileURLToPath(new URL('./_support/skippedSummary.ts', import.meta.url)), ['json', { outputFile: '.vitest/report.json' }]],
  },
});
