import { describe, expect, it } from 'vitest';
import { commitProofRate } from '../../src/bench/commitProof.js';

// The bench function's fixture, not its figure: its proofs must verify (it throws otherwise) and
// `bytes` must be the encoded size. Rates are measured by the bench, never asserted here.
describe('commitProofRate', () => {
  it('verifies real fast-path proofs of its fixture and reports their encoded size', () => {
    const { proofsPerSec, bytes } = commitProofRate(4, 5, true);
    expect(Number.isFinite(proofsPerSec) && proofsPerSec > 0).toBe(true);
    // Version, header, index, path of 3 hashes (leaf 0 of 5), then 4 PREPARE frames.
    expect(bytes).toBe(1 + 77 + 4 + 1 + 3 * 32 + 2 + 4 * (4 + 112));
  }, 20_000);

  it('verifies real hybrid (Ed25519 + ML-DSA-65) proofs: each vote frame carries both signatures', () => {
    const { proofsPerSec, bytes } = commitProofRate(4, 5, false, true, 'ed25519+mldsa65');
    expect(Number.isFinite(proofsPerSec) && proofsPerSec > 0).toBe(true);
    // 2f+1 = 3 COMMIT frames of 48 + 64 + 3,309 bytes.
    expect(bytes).toBe(1 + 77 + 4 + 1 + 3 * 32 + 2 + 3 * (4 + 48 + 64 + 3309));
  }, 20_000);
});
