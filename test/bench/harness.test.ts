import { describe, expect, it } from 'vitest';
import { packageOf } from '../../src/bench/dependencies.js';
import { measure } from '../../src/bench/harness.js';

describe('bench harness', () => {
  it('names the package to install for a skipped comparison library, not its module path', () => {
    expect(packageOf('@noble/hashes/sha2.js')).toBe('@noble/hashes');
    expect(packageOf('@noble/curves/ed25519.js')).toBe('@noble/curves');
    expect(packageOf('cockatiel')).toBe('cockatiel');
    expect(packageOf('hash-wasm/dist/index.umd.js')).toBe('hash-wasm');
  });

  it('a quick look times a plain loop per round and reports one figure per round', () => {
    let calls = 0;
    const lines: string[] = [];
    const [m] = measure([{ name: 'count', fn: () => calls++ }], { runs: 3, maxTime: 0.01, quick: true, progress: (l) => lines.push(l) });
    expect(m.runs).toHaveLength(3);
    expect(m.hz).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(3);
    expect(lines).toHaveLength(3);
  });
});
