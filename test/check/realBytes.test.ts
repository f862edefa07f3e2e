import { describe, expect, it } from 'vitest';
import { isBytes } from '../../src/check/index.js';
import { type Backend, createBackend, merkleRoot } from '../../src/index.js';
import { expectRefusal, type Refusal } from '../_support/refusals.js';

// Regression: a Proxy of a Uint8Array passed `instanceof Uint8Array`, so it reached the copies
// into WASM, which read its elements through the handler. A handler calling swarmguard there grew
// (and so moved) the linear memory being copied into: blake3 gave a wrong digest, ed25519.verify
// said false for a valid signature and blake3Many trapped. Only real typed arrays are accepted
// now, refused before any of the handler's code runs. A real Uint8Array can still carry a
// `length` accessor of its own; one that called swarmguard while blake3Many packed its messages
// moved the memory under the packing, and the lost table entry made the kernel trap. Packing now
// starts over when the memory moved: the answers are the right ones.

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

/** A copy of `bytes` whose own `length` accessor, on its `at`-th read, runs `meddle` (and always tells the truth). */
function withLengthAccessor(bytes: Uint8Array, at: number, meddle: () => void): Uint8Array {
  const copy = bytes.slice();
  let reads = 0;
  Object.defineProperty(copy, 'length', {
    get() {
      if (reads++ === at) meddle();
      return bytes.length;
    },
  });
  return copy;
}

const hex = (d: Uint8Array) => Buffer.from(d).toString('hex');

for (const name of ['scalar', 'simd'] as const) {
  it(`a real Uint8Array whose length accessor calls swarmguard mid-copy gets the right answers (${name})`, () => {
    const message = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
    // Each read index is where some function reads the length (checks, batch cutting, packing):
    // every one of them gets a call that grows the instance's memory, on a fresh backend.
    for (let at = 0; at < 6; at++) {
      const fresh = (): Backend => createBackend(name);
      let api = fresh();
      const growHash = () => api.sha256(new Uint8Array((8 << 20) - 1));
      const b3 = hex(api.blake3(message));
      const s2 = hex(api.sha256(message));
      expect(api.blake3Many([message, message, withLengthAccessor(message, at, growHash)]).map(hex), `blake3Many, read ${at}`).toEqual([b3, b3, b3]);
      api = fresh();
      expect(api.sha256Many([message, withLengthAccessor(message, at, growHash), message, message]).map(hex), `sha256Many, read ${at}`).toEqual([s2, s2, s2, s2]);
      api = fresh();
      const pair = api.ed25519.generateKeyPair(new Uint8Array(32).fill(2));
      const signature = api.ed25519.sign(message, pair.secretKey);
      const growSig = () => api.ed25519.sign(new Uint8Array(1 << 20), pair.secretKey);
      const items = [message, withLengthAccessor(message, at, growSig)].map((m) => ({ signature, message: m, publicKey: pair.publicKey }));
      expect(api.ed25519.verifyBatch(items), `verifyBatch, read ${at}`).toEqual([true, true]);
      api = fresh();
      expect(api.ed25519.verify(signature, withLengthAccessor(message, at, growSig), pair.publicKey), `verify, read ${at}`).toBe(true);
    }
  });
}
