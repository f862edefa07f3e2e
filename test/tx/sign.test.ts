import { createHash } from 'node:crypto';
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { ed25519, features, init } from '../../src/index.js';
import {
  decodeTransaction,
  signTransaction,
  type Transaction,
  TransactionSignatureError,
  TX_CONTEXT,
  transactionId,
  transactionIds,
  transactionSigningBytes,
  verifyTransactions,
  WrongChainError,
} from '../../src/tx/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { concat, encodeByHand, expectTxError, PUBLIC, SECRET, utf8 } from './fixtures.js';

const BAD_SIGNATURE = 'ERR_TX_BAD_SIGNATURE';

/** The same transaction's bytes with its chain id replaced and its signature kept. */
function moveToChain(tx: Transaction, chainId: string): Uint8Array {
  const chain = utf8(chainId);
  const rest = tx.bytes.subarray(2 + tx.bytes[1]);
  return concat([1, chain.length], chain, rest);
}

// Transactions sign and verify on the default backend: run everything on each build in turn.
for (const backend of ['scalar', 'simd'] as const) {
  describe(`transaction signatures (${backend})`, () => {
    beforeAll(async () => {
      await init({ backend });
    });

    it('runs on that backend', () => {
      expect(features().backend).toBe(backend);
    });

    it('signs TX_CONTEXT, then the chain id, then the rest of the body: @noble/curves gives the same signature and verifies it', () => {
      const rng = new Rng(testSeed(`tx signatures vs @noble/curves (${backend})`));
      for (let i = 0; i < 60; i++) {
        const secretKey = rng.bytes(32);
        const chainId = ['main', 'test-net', 'é'.repeat(32), 'c'][rng.int(4)];
        const tx = signTransaction({ chainId, nonce: 1 + rng.int(2 ** 30) * 2 ** 20, payload: rng.bytes(rng.int(300)) }, secretKey);
        const message = transactionSigningBytes(tx);
        const chain = utf8(chainId);
        expect(message.subarray(0, 17)).toEqual(TX_CONTEXT);
        expect(message[17]).toBe(chain.length);
        expect(message.subarray(18, 18 + chain.length)).toEqual(chain);
        expect(message.subarray(17)).toEqual(tx.bytes.subarray(1, tx.bytes.length - 64));
        expect(tx.sender).toEqual(noble.getPublicKey(secretKey));
        expect(bytesToHex(tx.signature)).toBe(bytesToHex(noble.sign(message, secretKey)));
        expect(noble.verify(tx.signature, message, tx.sender)).toBe(true);
        // Neither the body without the context nor the whole encoding is what was signed.
        expect(noble.verify(tx.signature, message.subarray(17), tx.sender)).toBe(false);
        expect(noble.verify(tx.signature, tx.bytes.subarray(0, tx.bytes.length - 64), tx.sender)).toBe(false);
        expect(decodeTransaction(tx.bytes, { chainId }).nonce).toBe(tx.nonce);
      }
    });

    it('accepts what @noble/curves signs over the hand-written layout', () => {
      const bytes = encodeByHand({ chain: utf8('net-7'), nonce: 2n ** 40n, payload: utf8('by hand') });
      const tx = decodeTransaction(bytes, { chainId: 'net-7' });
      expect([tx.chainId, tx.nonce, tx.sender]).toEqual(['net-7', 2 ** 40, PUBLIC]);
      expect(verifyTransactions([tx])).toEqual([true]);
    });

    it('a signature from chain A fails on chain B, whatever the length of B', () => {
      const tx = signTransaction({ chainId: 'chain-a', nonce: 5, payload: utf8('transfer 10') }, SECRET);
      expectTxError(() => decodeTransaction(tx.bytes, { chainId: 'chain-b' }), WrongChainError, 'ERR_TX_WRONG_CHAIN');
      for (const other of ['chain-b', 'chain-a ', 'chain', 'CHAIN-A', 'x'.repeat(64)]) {
        const moved = moveToChain(tx, other);
        expect(decodeTransaction(moved, { verify: false, chainId: other }).chainId).toBe(other);
        expectTxError(() => decodeTransaction(moved, { chainId: other }), TransactionSignatureError, BAD_SIGNATURE, undefined, other);
      }
      expect(decodeTransaction(moveToChain(tx, 'chain-a'), { chainId: 'chain-a' }).bytes).toEqual(tx.bytes);
    });

    it('is not valid as a plain Ed25519 signature of the payload, nor is one of those a transaction signature', () => {
      const payload = utf8('pay 5 to bob');
      const tx = signTransaction({ chainId: 'main', nonce: 1, payload }, SECRET);
      expect(ed25519.verify(tx.signature, payload, PUBLIC)).toBe(false);
      const bare = tx.bytes.slice();
      bare.set(ed25519.sign(bare.subarray(1, bare.length - 64), SECRET), bare.length - 64); // signed without the context
      expectTxError(() => decodeTransaction(bare), TransactionSignatureError, BAD_SIGNATURE);
    });

    it('signs the same with a key pair as with its secret key; a pair that does not match signs what no node accepts', () => {
      const fields = { chainId: 'main', nonce: 3, payload: utf8('pair') };
      const pair = ed25519.generateKeyPair(SECRET);
      expect(signTransaction(fields, pair).bytes).toEqual(signTransaction(fields, SECRET).bytes);
      const stranger = ed25519.generateKeyPair(new Uint8Array(32).fill(9)).publicKey;
      const mismatched = signTransaction(fields, { secretKey: SECRET, publicKey: stranger });
      expect(mismatched.sender).toEqual(stranger);
      expectTxError(() => decodeTransaction(mismatched.bytes), TransactionSignatureError, BAD_SIGNATURE);
    });

    it('verifyTransactions finds exactly the bad ones in one batch, as one-by-one decoding does', () => {
      const rng = new Rng(testSeed(`verifyTransactions (${backend})`));
      const txs: Transaction[] = [];
      const bad = new Set<number>();
      for (let i = 0; i < 70; i++) {
        const tx = signTransaction({ chainId: 'main', nonce: i + 1, payload: rng.bytes(rng.int(100)) }, rng.bytes(32));
        if (rng.int(6) === 0) {
          const bytes = tx.bytes.slice();
          bytes[rng.int(bytes.length - 1) + 1] ^= 1 << rng.int(8);
          try {
            txs.push(decodeTransaction(bytes, { verify: false }));
            bad.add(txs.length - 1);
          } catch {
            // The flip broke the layout (a length, the nonce, the chain id's UTF-8): not a candidate.
          }
        } else {
          txs.push(tx);
        }
      }
      const result = verifyTransactions(txs);
      expect(result).toEqual(txs.map((_, i) => !bad.has(i)));
      expect(result).toEqual(
        txs.map((tx) => {
          try {
            decodeTransaction(tx.bytes);
            return true;
          } catch (err) {
            expect(err).toBeInstanceOf(TransactionSignatureError);
            return false;
          }
        }),
      );
      expect(verifyTransactions([])).toEqual([]);
    });

    it("verifyTransactions checks the sender and signature in the bytes, not the object's fields", () => {
      const alice = signTransaction({ chainId: 'main', nonce: 1, payload: utf8('alice pays') }, SECRET);
      const mallory = ed25519.generateKeyPair(new Uint8Array(32).fill(3));
      // Bytes in Alice's name with a broken signature, in an object whose fields carry Mallory's
      // key and her valid signature over those bytes: the bytes (what executes, what the id
      // names) are not signed by the sender they name.
      const bytes = alice.bytes.slice();
      bytes[bytes.length - 1] ^= 0x40;
      const forged: Transaction = { ...alice, bytes, sender: mallory.publicKey, signature: ed25519.sign(transactionSigningBytes(alice), mallory.secretKey) };
      expect(verifyTransactions([alice, forged])).toEqual([true, false]);
      // Objects whose bytes are not laid out as a transaction answer false.
      expect(verifyTransactions([{ ...alice, bytes: alice.bytes.subarray(0, 50) }, { ...alice, bytes: new Uint8Array(0) }])).toEqual([false, false]);
    });
  });
}

describe('transaction ids', () => {
  afterAll(async () => {
    await init();
  });

  it('are SHA-256 of the signed encoding, one by one or many at once, and differ when anything signed differs', () => {
    const a = signTransaction({ chainId: 'main', nonce: 1, payload: utf8('x') }, SECRET);
    const b = signTransaction({ chainId: 'main', nonce: 2, payload: utf8('x') }, SECRET);
    const c = signTransaction({ chainId: 'mainx', nonce: 1, payload: utf8('x') }, SECRET);
    const ids = transactionIds([a.bytes, b.bytes, c.bytes]);
    expect(ids.map(bytesToHex)).toEqual([a, b, c].map((tx) => createHash('sha256').update(tx.bytes).digest('hex')));
    expect(ids.map(bytesToHex)).toEqual([a, b, c].map((tx) => bytesToHex(transactionId(tx.bytes))));
    expect(new Set(ids.map(bytesToHex)).size).toBe(3);
    expect(transactionIds([])).toEqual([]);
  });

  it('signing is deterministic: the same fields and key give the same bytes and id', () => {
    const fields = { chainId: 'main', nonce: 11, payload: utf8('again') };
    expect(signTransaction(fields, SECRET).bytes).toEqual(signTransaction(fields, SECRET).bytes);
  });
});
