import { describe, expect, it } from 'vitest';
import { mldsa44 } from '../../src/index.js';
import { packMlDsaBatch, verifyMlDsaPacked } from '../../src/sig/index.js';

// The pool's packed form of ML-DSA batch items (src/sig/mldsaPacked.ts); the pool's own tests
// (test/pool/mldsa.test.ts) check the booleans end to end.

describe('packMlDsaBatch and verifyMlDsaPacked', () => {
  const a = mldsa44.generateKeyPair(new Uint8Array(32).fill(1));
  const b = mldsa44.generateKeyPair(new Uint8Array(32).fill(2));
  const item = (key: typeof a, message: string, context?: Uint8Array) => ({ signature: mldsa44.sign(message, key.secretKey, { context }), message, publicKey: key.publicKey, context });

  it('groups items by public key in the order keys first appear, and leaves out wrong lengths', () => {
    const items = [item(a, 'a0'), item(b, 'b0'), item(a, 'a1', new Uint8Array([7, 8])), { ...item(b, 'b1'), signature: new Uint8Array(10) }, item(b, 'b2'), item(a, 'a2')];
    const { packed, index, count } = packMlDsaBatch(items, 'ML-DSA-44', () => undefined);
    expect(count).toBe(6);
    expect(index).toEqual([0, 2, 5, 1, 4]);
    // signature ‖ public key ‖ |context| ‖ context ‖ message
    const third = packed[1];
    expect(third.length).toBe(2420 + 1312 + 1 + 2 + 2);
    expect(third.subarray(0, 2420)).toEqual(items[2].signature);
    expect(third.subarray(2420, 3732)).toEqual(a.publicKey);
    expect(Array.from(third.subarray(3732))).toEqual([2, 7, 8, ...new TextEncoder().encode('a1')]);
    expect(verifyMlDsaPacked('ML-DSA-44', packed)).toEqual([true, true, true, true, true]);
  });

  it('a packed item whose context length runs past its end, or that is too short, verifies as false', () => {
    const [good] = packMlDsaBatch([item(a, 'm')], 'ML-DSA-44', () => undefined).packed;
    const overlong = good.slice();
    overlong[3732] = 255;
    expect(verifyMlDsaPacked('ML-DSA-44', [good, overlong, good.subarray(0, 3732), new Uint8Array(0)])).toEqual([true, false, false, false]);
  });
});
