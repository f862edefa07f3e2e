import { describe, expect, it } from 'vitest';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';
import { type SignatureCheck, wasmEd25519Signer, wasmEd25519Verifier } from '../../src/consensus/index.js';
import { nodeEd25519Signer, nodeEd25519Verifier } from '../../src/node/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

describe('Signer and Verifier implementations', () => {
  it('node:crypto and WASM signers derive the same key and signature from a seed', () => {
    const rng = new Rng(testSeed('consensus signers'));
    for (let i = 0; i < 8; i++) {
      const seed = rng.bytes(32);
      const a = nodeEd25519Signer(seed);
      const b = wasmEd25519Signer(seed);
      const m = rng.bytes(rng.int(200));
      expect(b.publicKey).toEqual(a.publicKey);
      expect(b.sign(m)).toEqual(a.sign(m));
    }
  });

  it('node:crypto and WASM verifiers agree on batches with forged, swapped and malformed items', () => {
    const rng = new Rng(testSeed('consensus verifiers'));
    const signers = [0, 1, 2].map(() => nodeEd25519Signer(rng.bytes(32)));
    const checks: SignatureCheck[] = [];
    for (let i = 0; i < 40; i++) {
      const s = signers[rng.int(3)];
      const message = rng.bytes(1 + rng.int(150));
      checks.push({ publicKey: s.publicKey, message, signature: s.sign(message) });
    }
    checks[3] = { ...checks[3], signature: checks[4].signature };
    checks[9] = { ...checks[9], message: rng.bytes(5) };
    checks[11] = { ...checks[11], publicKey: new Uint8Array(31) };
    checks[17] = { ...checks[17], signature: new Uint8Array(63) };
    const node = nodeEd25519Verifier().verifyBatch(checks);
    const wasm = wasmEd25519Verifier().verifyBatch(checks);
    expect(wasm).toEqual(node);
    expect(node.filter((x) => !x).length).toBe(4);
    expect(wasmEd25519Verifier().verifyBatch([])).toEqual([]);
  });

  it('runs a network whose replicas verify with the WASM batch verifier', () => {
    const net = new TestNetwork(4, { batchTimeout: 5, verifier: wasmEd25519Verifier() });
    for (let s = 1; s <= 8; s++) net.submit(request('wasm', s));
    net.deliver();
    expect(net.heights()).toEqual([2, 2, 2, 2]);
  });

  it('the node:crypto signer refuses a seed that is not 32 bytes, naming itself and the argument', () => {
    expect(() => nodeEd25519Signer(new Uint8Array(31))).toThrow(ArgumentRangeError);
    expect(() => nodeEd25519Signer(new Uint8Array(31))).toThrow('nodeEd25519Signer: seed must be 32 bytes, got 31');
    expect(() => nodeEd25519Signer('seed' as never)).toThrow(ArgumentTypeError);
  });
});
