import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bindEd25519, ED25519_SLICE_BYTES } from '../../src/sig/ed25519.js';
import { bindMlDsa } from '../../src/sig/mldsa.js';
import { instantiate } from '../../src/wasm/index.js';

// Regressions: a long message to ed25519.sign or .verify was copied whole into WASM, and linear
// memory never shrinks, so one 2 GiB verify left the shared instance at 2 GiB for good. Long
// messages are now streamed into SHA-512 through a window of ED25519_SLICE_BYTES. And verifyBatch
// now verifies a message longer than a whole batch's bytes (16 MiB) alone, streamed, so its
// memory is bounded too and it agrees with `verify` for any message `verify` takes. ML-DSA's
// verifyBatch cut its batches after passing the byte bound, not before: a message just under it
// and a long one went into WASM together.
// The literal cases need GiBs: `npm run test:extreme` (SWARMGUARD_EXTREME=1) runs the last two
// suites at 4,096 × 1 MiB and 2 GiB; `npm test` runs them at a size that still crosses every bound.

const MiB = 1 << 20;
const EXTREME = process.env.SWARMGUARD_EXTREME === '1';

/** `length` bytes of a fixed pattern (no two slices alike). */
function pattern(length: number, salt: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4096) out[i] = (i / 4096 + salt) & 255;
  for (let i = 1; i < length; i++) out[i] ^= (i * 31 + salt) & 255;
  return out;
}

function nodeSignature(seed: Uint8Array, message: Uint8Array): Buffer {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return nodeSign(null, message, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

for (const backend of ['scalar', 'simd'] as const) {
  describe(`Ed25519 over long messages (${backend})`, () => {
    it('sign and verify stream a 3.5 MiB message: node:crypto\'s signature, and memory grows by a slice, not the message', () => {
      const wasm = instantiate('sig', backend);
      const ed25519 = bindEd25519(wasm);
      const pair = ed25519.generateKeyPair(new Uint8Array(32).fill(9));
      const before = wasm.u8.length;
      const message = pattern(3.5 * MiB + 77, 1);
      const signature = ed25519.sign(message, pair.secretKey);
      expect(Buffer.from(signature).equals(nodeSignature(pair.secretKey, message))).toBe(true);
      expect(ed25519.verify(signature, message, pair.publicKey)).toBe(true);
      expect(ed25519.verify(signature, message, pair.publicKey, { strict: true })).toBe(true);
      const grown = wasm.u8.length - before;
      expect(grown, `memory grew by ${grown} bytes`).toBeLessThanOrEqual(ED25519_SLICE_BYTES + 64 * 1024);
      // Every slice counts: a change in the last byte, or in the first of a later slice, fails.
      for (const at of [message.length - 1, ED25519_SLICE_BYTES, 2 * ED25519_SLICE_BYTES - 1]) {
        message[at] ^= 1;
        expect(ed25519.verify(signature, message, pair.publicKey), `byte ${at} flipped`).toBe(false);
        expect(ed25519.verify(signature, message, pair.publicKey, { strict: true }), `byte ${at} flipped, strict`).toBe(false);
        message[at] ^= 1;
      }
      // Just over and at the slice: the streamed and the one-call paths agree with node:crypto.
      for (const length of [ED25519_SLICE_BYTES, ED25519_SLICE_BYTES + 1, 2 * ED25519_SLICE_BYTES]) {
        const m = message.subarray(0, length);
        const sig = ed25519.sign(m, pair.secretKey);
        expect(Buffer.from(sig).equals(nodeSignature(pair.secretKey, m)), `${length} bytes`).toBe(true);
        expect(ed25519.verify(sig, m, pair.publicKey), `${length} bytes`).toBe(true);
      }
    });

    it('verifyBatch equals items.map(verify) past the batch byte bound, its memory bounded by it', () => {
      const wasm = instantiate('sig', backend);
      const ed25519 = bindEd25519(wasm);
      const pair = ed25519.generateKeyPair(new Uint8Array(32).fill(4));
      const other = ed25519.generateKeyPair(new Uint8Array(32).fill(5));
      const six = pattern(6 * MiB, 2); // three of these: just over one batch's 16 MiB
      const long = pattern(24 * MiB + 3, 3); // longer than a whole batch: verified alone
      const sixSig = ed25519.sign(six, pair.secretKey);
      const longSig = ed25519.sign(long, pair.secretKey);
      const before = wasm.u8.length;
      const items = [
        { signature: sixSig, message: six, publicKey: pair.publicKey },
        { signature: longSig, message: long, publicKey: pair.publicKey },
        { signature: sixSig, message: six, publicKey: other.publicKey }, // wrong key
        { signature: sixSig, message: six, publicKey: pair.publicKey },
        { signature: longSig, message: long, publicKey: other.publicKey }, // wrong key, long
        { signature: sixSig, message: six, publicKey: pair.publicKey },
        { signature: longSig, message: 'short', publicKey: pair.publicKey },
      ];
      const batch = ed25519.verifyBatch(items);
      const grown = wasm.u8.length - before;
      expect(batch).toEqual(items.map((item) => ed25519.verify(item.signature, item.message, item.publicKey)));
      expect(batch).toEqual([true, true, false, true, false, true, false]);
      // A batch holds at most 16 MiB of messages (and ~7 KiB of work per item): the 24 MiB one never sits whole in memory.
      expect(grown, `memory grew by ${grown} bytes`).toBeLessThanOrEqual(18 * MiB);
    });
  });
}

for (const backend of ['scalar', 'simd'] as const) {
  it(`mldsa65.verifyBatch cuts a batch before the item that would pass its byte bound (${backend})`, () => {
    const wasm = instantiate('pq', backend);
    const mldsa65 = bindMlDsa(wasm, 'ML-DSA-65');
    // Signed on an instance of their own, so this one's memory shows only what verifyBatch needs.
    const signer = bindMlDsa(instantiate('pq', backend), 'ML-DSA-65');
    const { publicKey, secretKey } = signer.generateKeyPair(new Uint8Array(32).fill(6));
    const under = pattern(16 * MiB - 1, 4); // just under the 16 MiB bound
    const long = pattern(20 * MiB, 5);
    const items = [under, long].map((message) => ({ message, publicKey, signature: signer.sign(message, secretKey, { deterministic: true }) }));
    const before = wasm.u8.length;
    const batch = mldsa65.verifyBatch(items);
    const grown = wasm.u8.length - before;
    expect(batch).toEqual([true, true]);
    expect(batch).toEqual(items.map((item) => mldsa65.verify(item.signature, item.message, item.publicKey)));
    // Together they would need 36 MiB; apart, what the longer one alone needs.
    expect(grown, `memory grew by ${grown} bytes`).toBeLessThanOrEqual(21 * MiB);
  });
}

/** `length` bytes, quickly even for GiBs: 1 MiB of the pattern, then copies of it shifted by one byte each. */
function large(length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(pattern(Math.min(length, MiB), 7));
  for (let at = MiB; at < length; at += MiB - 1) out.copyWithin(at, 1, Math.min(MiB, length - at + 1));
  return out;
}

for (const backend of ['scalar', 'simd'] as const) {
  describe(`Ed25519 at ${EXTREME ? 'full size' : 'reduced size (SWARMGUARD_EXTREME=1: full size)'} (${backend})`, () => {
    it(`verifyBatch of ${EXTREME ? '4,096 × 1 MiB' : '48 × 512 KiB'} items equals items.map(verify)`, () => {
      const [count, size] = EXTREME ? [4096, MiB] : [48, MiB / 2];
      const wasm = instantiate('sig', backend);
      const ed25519 = bindEd25519(wasm);
      const pairs = [1, 2, 3].map((i) => ed25519.generateKeyPair(new Uint8Array(32).fill(i)));
      const messages = [0, 1, 2, 3].map((i) => pattern(size, 10 + i));
      const signatures = messages.map((m, i) => ed25519.sign(m, pairs[i % 3].secretKey));
      // Views of four messages, a wrong key on every seventh item.
      const items = Array.from({ length: count }, (_, i) => {
        const signer = (i % 4) % 3;
        return { signature: signatures[i % 4], message: messages[i % 4], publicKey: pairs[i % 7 === 6 ? (signer + 1) % 3 : signer].publicKey };
      });
      const batch = ed25519.verifyBatch(items);
      expect(batch).toEqual(items.map((item) => ed25519.verify(item.signature, item.message, item.publicKey)));
      expect(batch.filter((ok) => !ok).length).toBe(Math.floor(count / 7));
      expect(wasm.u8.length, 'memory').toBeLessThanOrEqual(64 * MiB);
    });

    it(`sign and verify of a ${EXTREME ? '2 GiB' : '40 MiB'} message leave the instance within a slice of where it was`, () => {
      const wasm = instantiate('sig', backend);
      const ed25519 = bindEd25519(wasm);
      const pair = ed25519.generateKeyPair(new Uint8Array(32).fill(8));
      const message = large(EXTREME ? 2 ** 31 : 40 * MiB);
      const before = wasm.u8.length;
      const signature = ed25519.sign(message, pair.secretKey);
      expect(ed25519.verify(signature, message, pair.publicKey)).toBe(true);
      expect(ed25519.verifyBatch([{ signature, message, publicKey: pair.publicKey }])).toEqual([true]);
      message[message.length - 1] ^= 1;
      expect(ed25519.verify(signature, message, pair.publicKey)).toBe(false);
      const grown = wasm.u8.length - before;
      expect(grown, `memory grew by ${grown} bytes`).toBeLessThanOrEqual(ED25519_SLICE_BYTES + 64 * 1024);
    });
  });
}
