import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { ed25519, vrf } from '../../src/index.js';
import { epochSeedInput, fallbackEpochSeed, proveEpochSeed, verifyEpochSeed } from '../../src/validators/index.js';
import { detached, expectRefusals } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

const tag = (text: string) => new TextEncoder().encode(`swarmguard/validators/${text}/v1\0`);

function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

describe('epoch seeds', () => {
  it('alpha is tag ‖ previous seed ‖ u64 epoch, big-endian', () => {
    const previous = new Uint8Array(32).map((_, i) => i);
    const epoch = 2 ** 40 + 258;
    expect(epochSeedInput(previous, epoch)).toEqual(new Uint8Array([...tag('epoch-seed'), ...previous, ...u64(epoch)]));
    expect(epochSeedInput(previous, 0).subarray(-8)).toEqual(new Uint8Array(8));
  });

  it('a proof verifies to SHA-256(output tag ‖ beta), the same on every call; ELL2, not TAI', () => {
    const rng = new Rng(testSeed('epoch seed round trip'));
    for (let i = 0; i < 8; i++) {
      const { secretKey, publicKey } = ed25519.generateKeyPair(rng.bytes(32));
      const previous = rng.bytes(32);
      const epoch = rng.int(1_000_000);
      const proof = proveEpochSeed(previous, epoch, secretKey);
      expect(proof).toHaveLength(80);
      expect(proveEpochSeed(previous, epoch, secretKey)).toEqual(proof);
      const beta = vrf.verify(proof, epochSeedInput(previous, epoch), publicKey, { suite: 'ELL2' });
      expect(beta).not.toBeNull();
      expect(vrf.verify(proof, epochSeedInput(previous, epoch), publicKey, { suite: 'TAI' })).toBeNull();
      const seed = verifyEpochSeed(proof, previous, epoch, publicKey);
      expect(seed).toEqual(nobleSha256(new Uint8Array([...tag('epoch-seed-output'), ...(beta as Uint8Array)])));
      expect(seed).not.toEqual(fallbackEpochSeed(previous, epoch));
    }
  });

  it('a mutated proof, another key, another previous seed or another epoch gives null', () => {
    const rng = new Rng(testSeed('epoch seed mutations'));
    for (let i = 0; i < 6; i++) {
      const { secretKey, publicKey } = ed25519.generateKeyPair(rng.bytes(32));
      const previous = rng.bytes(32);
      const epoch = 1 + rng.int(1000);
      const proof = proveEpochSeed(previous, epoch, secretKey);
      expect(verifyEpochSeed(proof, previous, epoch, publicKey)).not.toBeNull();
      const flipped = proof.slice();
      flipped[rng.int(80)] ^= 1 << rng.int(8);
      expect(verifyEpochSeed(flipped, previous, epoch, publicKey)).toBeNull();
      expect(verifyEpochSeed(proof, previous, epoch, ed25519.getPublicKey(rng.bytes(32)))).toBeNull();
      const otherPrevious = previous.slice();
      otherPrevious[rng.int(32)] ^= 1 << rng.int(8);
      expect(verifyEpochSeed(proof, otherPrevious, epoch, publicKey)).toBeNull();
      expect(verifyEpochSeed(proof, previous, epoch + 1, publicKey)).toBeNull();
      expect(verifyEpochSeed(proof, previous, epoch - 1, publicKey)).toBeNull();
      // Lengths that came off the chain wrong are a failed check, not a thrown error.
      expect(verifyEpochSeed(proof, previous, epoch, publicKey.subarray(1))).toBeNull();
      expect(verifyEpochSeed(proof.subarray(0, 79), previous, epoch, publicKey)).toBeNull();
      expect(verifyEpochSeed(new Uint8Array([...proof, 0]), previous, epoch, publicKey)).toBeNull();
    }
  });

  it('the fallback is SHA-256(fallback tag ‖ previous seed ‖ u64 epoch): anyone computes it', () => {
    const previous = new Uint8Array(32).fill(9);
    for (const epoch of [0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      expect(fallbackEpochSeed(previous, epoch)).toEqual(nobleSha256(new Uint8Array([...tag('epoch-seed-fallback'), ...previous, ...u64(epoch)])));
    }
    expect(fallbackEpochSeed(previous, 1)).not.toEqual(fallbackEpochSeed(previous, 2));
  });

  it('replicas that replay the same chain of proofs and withheld proofs reach the same seeds', () => {
    const rng = new Rng(testSeed('epoch seed chain'));
    const keys = Array.from({ length: 4 }, () => ed25519.generateKeyPair(rng.bytes(32)));
    const genesis = rng.bytes(32);
    // What the chain records per epoch: the last proposer and its proof, or none (withheld).
    const chain: { proposer: number; proof: Uint8Array | null }[] = [];
    let seed = genesis;
    for (let epoch = 0; epoch < 12; epoch++) {
      const proposer = rng.int(keys.length);
      // Epoch 0 withheld and epoch 1 proven, so both paths are always in the chain; the rest drawn.
      const withheld = epoch === 0 || (epoch > 1 && rng.int(4) === 0);
      const proof = withheld ? null : proveEpochSeed(seed, epoch, keys[proposer].secretKey);
      chain.push({ proposer, proof });
      seed = proof === null ? fallbackEpochSeed(seed, epoch) : (verifyEpochSeed(proof, seed, epoch, keys[proposer].publicKey) as Uint8Array);
    }
    const replay = () =>
      chain.reduce((previous, { proposer, proof }, epoch) => (proof === null ? fallbackEpochSeed(previous, epoch) : (verifyEpochSeed(proof, previous, epoch, keys[proposer].publicKey) as Uint8Array)), genesis);
    expect(replay()).toEqual(seed);
    expect(replay()).toEqual(seed);
    expect(chain.some((e) => e.proof === null) && chain.some((e) => e.proof !== null)).toBe(true);
  });

  it('refuses bad keys, seeds and epochs, naming the function and the argument', () => {
    const { secretKey, publicKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(1));
    const previous = new Uint8Array(32);
    const proof = proveEpochSeed(previous, 0, secretKey);
    expectRefusals([
      ['input seed a string', () => epochSeedInput('seed' as never, 0), 'type', 'epochSeedInput', 'previousSeed'],
      ['input seed of 31 bytes', () => epochSeedInput(new Uint8Array(31), 0), 'range', 'epochSeedInput', 'previousSeed', 'must be 32 bytes, got 31'],
      ['input epoch negative', () => epochSeedInput(previous, -1), 'range', 'epochSeedInput', 'epoch'],
      ['input epoch a bigint', () => epochSeedInput(previous, 1n as never), 'type', 'epochSeedInput', 'epoch'],
      ['prove key of 64 bytes', () => proveEpochSeed(previous, 0, new Uint8Array(64)), 'range', 'proveEpochSeed', 'secretKey', 'must be 32 bytes, got 64'],
      ['prove key detached', () => proveEpochSeed(previous, 0, detached()), 'type', 'proveEpochSeed', 'secretKey', 'detached'],
      ['prove seed missing', () => proveEpochSeed(undefined as never, 0, secretKey), 'type', 'proveEpochSeed', 'previousSeed'],
      ['prove epoch fractional', () => proveEpochSeed(previous, 1.5, secretKey), 'range', 'proveEpochSeed', 'epoch'],
      ['verify key a string', () => verifyEpochSeed(proof, previous, 0, 'key' as never), 'type', 'verifyEpochSeed', 'publicKey'],
      ['verify proof an array', () => verifyEpochSeed([...proof] as never, previous, 0, publicKey), 'type', 'verifyEpochSeed', 'proof'],
      ['verify seed of 33 bytes', () => verifyEpochSeed(proof, new Uint8Array(33), 0, publicKey), 'range', 'verifyEpochSeed', 'previousSeed'],
      ['verify epoch past 2^53', () => verifyEpochSeed(proof, previous, 2 ** 53, publicKey), 'range', 'verifyEpochSeed', 'epoch'],
      ['fallback seed empty', () => fallbackEpochSeed(new Uint8Array(0), 0), 'range', 'fallbackEpochSeed', 'previousSeed'],
      ['fallback epoch NaN', () => fallbackEpochSeed(previous, Number.NaN), 'range', 'fallbackEpochSeed', 'epoch'],
      ['fallback epoch a string', () => fallbackEpochSeed(previous, '3' as never), 'type', 'fallbackEpochSeed', 'epoch'],
    ]);
  });
});
