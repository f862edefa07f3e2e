import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run reads for its closing `vitest: N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
  },
});
