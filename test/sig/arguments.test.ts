import { describe, expect, it } from 'vitest';
import { createBackend, ed25519, vrf } from '../../src/index.js';
import { detached, expectRefusal, expectRefusals, holes, type Refusal } from '../_support/refusals.js';

const seed = new Uint8Array(32).fill(7);

for (const name of ['scalar', 'simd'] as const) {
  describe(`signature argument errors (${name})`, () => {
    const api = createBackend(name);
    const { secretKey, publicKey } = api.ed25519.generateKeyPair(seed);
    const signature = api.ed25519.sign('m', secretKey);
    const item = { signature, message: 'm', publicKey };

    it('ed25519 functions name themselves and the argument', () => {
      const e = api.ed25519;
      const rows: Refusal[] = [
        ['seed string', () => e.generateKeyPair('seed' as never), 'type', 'ed25519.generateKeyPair', 'seed'],
        ['seed 16 bytes', () => e.generateKeyPair(new Uint8Array(16)), 'range', 'ed25519.generateKeyPair', 'seed', 'must be 32 bytes, got 16'],
        ['seed detached', () => e.generateKeyPair(detached()), 'type', 'ed25519.generateKeyPair', 'seed', 'detached'],
        ['getPublicKey array', () => e.getPublicKey([1, 2] as never), 'type', 'ed25519.getPublicKey', 'secretKey', 'got an array'],
        ['getPublicKey 33 bytes', () => e.getPublicKey(new Uint8Array(33)), 'range', 'ed25519.getPublicKey', 'secretKey', 'got 33'],
        ['sign number message', () => e.sign(42 as never, secretKey), 'type', 'ed25519.sign', 'message'],
        ['sign detached message', () => e.sign(detached(), secretKey), 'type', 'ed25519.sign', 'message', 'detached'],
        ['sign string key', () => e.sign('m', 'key' as never), 'type', 'ed25519.sign', 'secretKey'],
        ['sign 31-byte key', () => e.sign('m', new Uint8Array(31)), 'range', 'ed25519.sign', 'secretKey', 'must be 32 bytes, got 31'],
        ['sign 64-byte key', () => e.sign('m', new Uint8Array(64)), 'range', 'ed25519.sign', 'secretKey', 'got 64'],
        ['verify string signature', () => e.verify('sig' as never, 'm', publicKey), 'type', 'ed25519.verify', 'signature'],
        ['verify detached signature', () => e.verify(detached(64), 'm', publicKey), 'type', 'ed25519.verify', 'signature', 'detached'],
        ['verify number message', () => e.verify(signature, 5 as never, publicKey), 'type', 'ed25519.verify', 'message'],
        ['verify null key', () => e.verify(signature, 'm', null as never), 'type', 'ed25519.verify', 'publicKey', 'got null'],
        ['verify options null', () => e.verify(signature, 'm', publicKey, null as never), 'type', 'ed25519.verify', 'options'],
        ['verify strict 1', () => e.verify(signature, 'm', publicKey, { strict: 1 as never }), 'type', 'ed25519.verify', 'options.strict'],
      ];
      expectRefusals(rows);
    });

    it('verifyBatch refuses non-arrays, holes, bad items by their path, and bad options', () => {
      const v = api.ed25519.verifyBatch;
      const where = 'ed25519.verifyBatch';
      const rows: Refusal[] = [
        ['string', () => v('x' as never), 'type', where, 'items', 'must be an array'],
        ['holes', () => v(holes(3)), 'type', where, 'items[0]', 'must be an object, got undefined'],
        ['hole in the middle', () => v([item, , item] as never), 'type', where, 'items[1]'],
        ['null item', () => v([null as never]), 'type', where, 'items[0]', 'got null'],
        ['no signature', () => v([item, item, { message: 'm', publicKey } as never]), 'type', where, 'items[2].signature', 'must be a Uint8Array, got undefined'],
        ['number signature', () => v([{ ...item, signature: 1 as never }]), 'type', where, 'items[0].signature'],
        ['detached signature', () => v([{ ...item, signature: detached(64) }]), 'type', where, 'items[0].signature', 'detached'],
        ['number message', () => v([{ ...item, message: 5 as never }]), 'type', where, 'items[0].message'],
        ['detached message', () => v([{ ...item, message: detached() }]), 'type', where, 'items[0].message', 'detached'],
        ['number key', () => v([{ ...item, publicKey: 5 as never }]), 'type', where, 'items[0].publicKey'],
        ['options 5', () => v([item], 5 as never), 'type', where, 'options'],
        ['random 5', () => v([item], { random: 5 as never }), 'type', where, 'options.random', 'must be a function'],
      ];
      expectRefusals(rows);
    });

    it('vrf functions name themselves and the argument', () => {
      const pi = api.vrf.prove('a', secretKey);
      const undecodable = pi.slice();
      undecodable.fill(0xff, 48); // s >= q
      const rows: Refusal[] = [
        ['prove string key', () => api.vrf.prove('a', 'k' as never), 'type', 'vrf.prove', 'secretKey'],
        ['prove 31-byte key', () => api.vrf.prove('a', new Uint8Array(31)), 'range', 'vrf.prove', 'secretKey', 'must be 32 bytes, got 31'],
        ['prove detached key', () => api.vrf.prove('a', detached()), 'type', 'vrf.prove', 'secretKey', 'detached'],
        ['prove number alpha', () => api.vrf.prove(5 as never, secretKey), 'type', 'vrf.prove', 'alpha'],
        ['prove options null', () => api.vrf.prove('a', secretKey, null as never), 'type', 'vrf.prove', 'options'],
        ['prove unknown suite', () => api.vrf.prove('a', secretKey, { suite: 'SSWU' as never }), 'range', 'vrf.prove', 'options.suite', "must be one of 'TAI', 'ELL2', got 'SSWU'"],
        ['prove number suite', () => api.vrf.prove('a', secretKey, { suite: 3 as never }), 'type', 'vrf.prove', 'options.suite'],
        ['verify null key', () => api.vrf.verify(pi, 'a', null as never), 'type', 'vrf.verify', 'publicKey'],
        ['verify string proof', () => api.vrf.verify('pi' as never, 'a', publicKey), 'type', 'vrf.verify', 'proof'],
        ['verify detached alpha', () => api.vrf.verify(pi, detached(), publicKey), 'type', 'vrf.verify', 'alpha', 'detached'],
        ['verify unknown suite', () => api.vrf.verify(pi, 'a', publicKey, { suite: 'x' as never }), 'range', 'vrf.verify', 'options.suite'],
        ['proofToHash 79 bytes', () => api.vrf.proofToHash(new Uint8Array(79)), 'range', 'vrf.proofToHash', 'proof', 'must be 80 bytes, got 79'],
        ['proofToHash undecodable', () => api.vrf.proofToHash(undecodable), 'range', 'vrf.proofToHash', 'proof', 'does not decode'],
        ['proofToHash null', () => api.vrf.proofToHash(null as never), 'type', 'vrf.proofToHash', 'proof'],
      ];
      expectRefusals(rows);
    });
  });
}

describe('signature argument errors on the default backend', () => {
  it('are the same as on a bound backend', () => {
    expectRefusal(() => ed25519.verifyBatch(holes(3)), 'type', 'ed25519.verifyBatch', 'items[0]');
    expectRefusal(() => vrf.prove('a', new Uint8Array(31)), 'range', 'vrf.prove', 'secretKey', 'must be 32 bytes, got 31');
  });

  it('empty but live signatures and keys are invalid, not refused', () => {
    const empty = new Uint8Array(0);
    expect(ed25519.verify(empty, 'm', empty)).toBe(false);
    expect(ed25519.verifyBatch([{ signature: empty, message: empty, publicKey: empty }])).toEqual([false]);
    expect(vrf.verify(new Uint8Array(80), '', empty)).toBeNull();
  });
});
