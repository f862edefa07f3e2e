import { describe, expect, it } from 'vitest';
import { encodeBlockHeader, verifyCommitCertificates } from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

function committed(fastPath: boolean) {
  const net = new TestNetwork(4, { fastPath, batchTimeout: 5 });
  for (let nonce = 1; nonce <= 9; nonce++) net.submit(request('alice', nonce));
  net.deliver();
  net.run(50);
  const set = { chainId: TEST_CHAIN, validators: net.validators };
  return { set, items: net.commits[0].map((c) => ({ header: encodeBlockHeader(c.block), certificate: c.cert })) };
}

describe('verifyCommitCertificates', () => {
  it('accepts every block a replica committed, slow path and fast path', () => {
    for (const fast of [false, true]) {
      const { set, items } = committed(fast);
      expect(items.length).toBeGreaterThan(1);
      expect(verifyCommitCertificates(items, set, { hash: nodeSha256 })).toEqual(items.map(() => null));
    }
  });

  it('names the failure of each bad item and leaves the good ones alone', () => {
    const { set, items } = committed(false);
    const flipped = items[1].certificate.map((f, i) => (i === 0 ? Uint8Array.from(f, (b, j) => (j === f.length - 1 ? b ^ 1 : b)) : f));
    const swapped = { header: items[0].header, certificate: items[1].certificate };
    const verdicts = verifyCommitCertificates(
      [items[0], { ...items[1], certificate: flipped }, swapped, { header: new Uint8Array(3), certificate: [] }, { ...items[2], certificate: items[2].certificate.slice(0, 2) }],
      set,
      { hash: nodeSha256 },
    );
    expect(verdicts).toEqual([null, 'bad-signature', 'wrong-height', 'malformed', 'too-few-signatures']);
    expect(verifyCommitCertificates(items, { ...set, chainId: 'another-chain' }, { hash: nodeSha256 }).every((v) => v === 'bad-signature')).toBe(true);
  });

  it('checks its arguments', () => {
    const { set } = committed(false);
    expect(() => verifyCommitCertificates('x' as never, set)).toThrow(/verifyCommitCertificates: items must be an array/);
    expect(() => verifyCommitCertificates([{ header: 1, certificate: [] } as never], set)).toThrow(/verifyCommitCertificates: items\[0\]\.header/);
  });
});
