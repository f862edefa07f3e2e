import { describe, expect, it } from 'vitest';
import { senderKey } from '../../src/consensus/index.js';
import { type DecodedTx, RequestPool } from '../../src/consensus/requestPool.js';
import { parseTransaction, transactionIds } from '../../src/tx/index.js';
import { request, TEST_CHAIN } from '../_support/requests.js';

function pending(client: string, nonce: number): DecodedTx {
  const tx = parseTransaction(request(client, nonce), 65536, TEST_CHAIN);
  return { tx, key: senderKey(tx.sender), id: transactionIds([tx.bytes])[0] };
}

describe('RequestPool', () => {
  it('keeps arrival order: oldest() is the transaction waiting longest and when it arrived', () => {
    const pool = new RequestPool(10, 1 << 20);
    expect(pool.oldest()).toBeNull();
    const a = pending('alice', 1);
    expect(pool.add(a, 5, 0)).toBe('added');
    expect(pool.add(pending('bob', 1), 7, 0)).toBe('added');
    expect(pool.add(pending('alice', 2), 9, 0)).toBe('added');
    expect(pool.oldest()).toEqual({ key: a.key, nonce: 1, since: 5 });
    pool.remove(a.key, 1);
    expect(pool.oldest()).toMatchObject({ nonce: 1, since: 7 });
  });

  it('counts the bytes it holds and refuses past its byte bound', () => {
    const one = pending('carol', 1);
    const size = one.tx.bytes.length;
    const pool = new RequestPool(100, 2 * size);
    expect(pool.add(one, 0, 0)).toBe('added');
    expect(pool.add(pending('carol', 2), 0, 0)).toBe('added');
    expect(pool.bytes).toBe(2 * size);
    expect(pool.add(pending('carol', 3), 0, 0)).toBe('full');
    pool.remove(one.key, 1);
    expect(pool.bytes).toBe(size);
    expect(pool.add(pending('carol', 3), 0, 0)).toBe('added');
  });

  it('prune drops what execution overtook and re-bases the sender, whose next nonce is then admitted', () => {
    const pool = new RequestPool(100, 1 << 20);
    const dave = pending('dave', 1);
    for (let nonce = 1; nonce <= 3; nonce++) expect(pool.add(pending('dave', nonce), 0, 0)).toBe('added');
    expect(pool.add(pending('erin', 1), 0, 0)).toBe('added');
    // A checkpoint install moved dave to nonce 8 at once: his pending 1..3 can never be proposed.
    const executed = (key: string) => (key === dave.key ? 8 : 0);
    pool.prune(executed);
    expect(pool.size).toBe(1);
    expect(pool.oldest()?.key).not.toBe(dave.key);
    expect(pool.add(pending('dave', 9), 1, 8)).toBe('added');
    expect(pool.add(pending('dave', 11), 1, 8)).toBe('gap');
  });

  it('a stale top (execution overtook it without a prune) does not refuse the next nonce as a gap', () => {
    const pool = new RequestPool(100, 1 << 20);
    const frank = pending('frank', 1);
    expect(pool.add(frank, 0, 0)).toBe('added');
    expect(pool.add(pending('frank', 6), 0, 5)).toBe('added');
  });
});
