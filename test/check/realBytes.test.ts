import { describe, expect, it } from 'vitest';
import { isBytes } from '../../src/check/index.js';
import { createBackend, merkleRoot } from '../../src/index.js';
import { expectRefusal, type Refusal } from '../_support/refusals.js';

// Regression: a Proxy of a Uint8Array passed `instanceof Uint8Array`, so it reached the copies
// into WASM, which read its elements through the handler. A handler calling swarmguard there grew
// (and so moved) the linear memory being copied into: blake3 gave a wrong digest, ed25519.verify
// said false for a valid signature and blake3Many trapped. Only real typed arrays are accepted
// now, refused before any of the handler's code runs.

/** A Proxy of `target` whose first few property reads first run `meddle`. */
function hostile(target: Uint8Array, meddle: () => void): { proxy: Uint8Array; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(target, {
    get(t, key) {
      if (++reads <= 3) meddle();
      const value = Reflect.get(t, key, t) as unknown;
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
  return { proxy, reads: () => reads };
}

describe('isBytes', () => {
  it('is true for Uint8Arrays and Buffers, false for a Proxy of one and for other views', () => {
    expect(isBytes(new Uint8Array(4))).toBe(true);
    expect(isBytes(Buffer.from('abc'))).toBe(true);
    expect(isBytes(new Uint8Array(8).subarray(2, 4))).toBe(true);
    const proxy = new Proxy(new Uint8Array(4), {});
    expect(proxy instanceof Uint8Array).toBe(true); // what let it through before
    expect(isBytes(proxy)).toBe(false);
    expect(isBytes(new Int8Array(4))).toBe(false);
    expect(isBytes(new DataView(new ArrayBuffer(4)))).toBe(false);
    expect(isBytes({ length: 4 })).toBe(false);
  });
});

for (const name of ['scalar', 'simd'] as const) {
  describe(`a Proxy posing as a Uint8Array is refused before its handler runs (${name})`, () => {
    const api = createBackend(name);
    const pair = api.ed25519.generateKeyPair(new Uint8Array(32).fill(7));
    const message = new Uint8Array(1000).fill(3);
    const signature = api.ed25519.sign(message, pair.secretKey);
    let grow = 4 << 20;
    // Each call hashes and signs a message larger than the last: both instances' memories grow.
    const meddle = () => {
      grow += 4 << 20;
      const big = new Uint8Array(grow);
      api.blake3(big);
      api.ed25519.sign(big, pair.secretKey);
    };

    it('by every entry point that copies bytes into WASM, naming the function and the argument', () => {
      const m = hostile(message, meddle);
      const s = hostile(signature, meddle);
      const k = hostile(pair.publicKey, meddle);
      const says = 'posing as a Uint8Array';
      const rows: Refusal[] = [
        ['blake3', () => api.blake3(m.proxy), 'type', 'blake3', 'input', says],
        ['blake3Many', () => api.blake3Many([message, m.proxy]), 'type', 'blake3Many', 'messages[1]', says],
        ['sha256', () => api.sha256(m.proxy), 'type', 'sha256', 'input', says],
        ['sha256Many', () => api.sha256Many([m.proxy]), 'type', 'sha256Many', 'messages[0]', says],
        ['sha256Pairs', () => api.sha256Pairs(hostile(new Uint8Array(64), meddle).proxy), 'type', 'sha256Pairs', 'pairs', says],
        ['hasher update', () => api.blake3.create().update(m.proxy), 'type', 'blake3.create().update', 'input', says],
        ['verify: message', () => api.ed25519.verify(signature, m.proxy, pair.publicKey), 'type', 'ed25519.verify', 'message', says],
        ['verify: signature', () => api.ed25519.verify(s.proxy, message, pair.publicKey), 'type', 'ed25519.verify', 'signature', says],
        ['verify: publicKey', () => api.ed25519.verify(signature, message, k.proxy), 'type', 'ed25519.verify', 'publicKey', says],
        ['sign', () => api.ed25519.sign(m.proxy, pair.secretKey), 'type', 'ed25519.sign', 'message', says],
        [
          'verifyBatch',
          () => api.ed25519.verifyBatch([{ signature, message, publicKey: pair.publicKey }, { signature, message: m.proxy, publicKey: pair.publicKey }]),
          'type',
          'ed25519.verifyBatch',
          'items[1].message',
          says,
        ],
        ['merkleRoot', () => merkleRoot([message, m.proxy], { backend: name }), 'type', 'merkleRoot', 'leaves[1]', says],
      ];
      for (const [label, call, kind, where, argument, text] of rows) expectRefusal(call, kind, where, argument, text, label);
      expect([m.reads(), s.reads(), k.reads()]).toEqual([0, 0, 0]);
    });

    it('the real arrays behind them give the right answers after all that', () => {
      expect(api.ed25519.verify(signature, message, pair.publicKey)).toBe(true);
      expect(api.blake3Many([message, message]).map((d) => Buffer.from(d).toString('hex'))).toEqual(
        Array(2).fill(Buffer.from(api.blake3(message)).toString('hex')),
      );
    });
  });
}
