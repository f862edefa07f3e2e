import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { bytesToHex } from '../../src/bytes/index.js';
import { type CommittedBlock, decodeVote } from '../../src/consensus/index.js';
import { ForkDetectedError, type ForkEvidence, LightClient } from '../../src/light/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { certifiedChain } from '../_support/certifiedChain.js';
import { Gateway, headerJson } from '../_support/gateway.js';
import { testSeed } from '../_support/seed.js';
import { splitBrainFork } from '../_support/splitBrain.js';

// Two sources on two sides of a real fork (f+1 Byzantine validators ran a replica on each side of
// a partition, test/_support/splitBrain.ts): however the client meets the second side — a witness
// check, a pushed header, a transaction's proof — it reports the fork with both certificates and
// the validators that signed both (exactly the Byzantine ones), keeps the evidence, and trusts
// nothing more, after a reopen too. It never picks a side.

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c.close();
});

async function sides(n: number, seed: number) {
  const fork = splitBrainFork(n, seed);
  const [a, b] = await Promise.all(fork.committed.map((side) => Gateway.start([...fork.prefix, side[0]])));
  closing.push(a, b);
  return { fork, a, b, blockA: fork.committed[0][0], blockB: fork.committed[1][0] };
}

function expectEvidence(e: ForkEvidence, height: number, trusted: [Gateway, CommittedBlock], conflicting: [Gateway, CommittedBlock], byzantine: number[]): void {
  expect(e.height).toBe(height);
  for (const [side, [g, block]] of [[e.trusted, trusted], [e.conflicting, conflicting]] as const) {
    expect(side.source).toBe(g.url);
    expect(bytesToHex(side.hash)).toBe(bytesToHex(block.hash));
    expect(side.certificate.map(bytesToHex).sort()).toEqual(block.cert.map(bytesToHex).sort());
  }
  expect(e.culprits.map((c) => c.validator)).toEqual(byzantine);
  for (const c of e.culprits) {
    const [first, second] = [decodeVote(c.first), decodeVote(c.second)];
    expect([first.sender, second.sender, first.seq, second.seq]).toEqual([c.validator, c.validator, height, height]);
    expect(bytesToHex(first.digest)).toBe(bytesToHex(trusted[1].hash));
    expect(bytesToHex(second.digest)).toBe(bytesToHex(conflicting[1].hash));
  }
}

describe('light client: forks between sources', () => {
  for (const n of [4, 7]) {
    const seed = testSeed(`light fork n=${n}`);
    it(`n = ${n}, seed ${seed}: a witness check finds it; evidence kept; every operation refused, after a reopen too`, async () => {
      const { fork, a, b, blockA, blockB } = await sides(n, seed);
      const storage = new MemoryStorage();
      const client = await LightClient.open({ validatorSet: fork.set, sources: [a.url, b.url], storage });
      const reported: ForkEvidence[] = [];
      client.onFork((e) => reported.push(e));
      const error = await client.sync().catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ForkDetectedError);
      expect(error).toMatchObject({ name: 'ForkDetectedError', code: 'ERR_LIGHT_FORK' });
      const evidence = (error as ForkDetectedError).evidence;
      expectEvidence(evidence, fork.height, [a, blockA], [b, blockB], fork.byzantine);
      expect(reported).toEqual([evidence]);
      expect(client.fork).toBe(evidence);
      expect(client.height).toBe(fork.height); // what it trusted before stays; nothing of the other side was stored
      await expect(client.sync()).rejects.toBeInstanceOf(ForkDetectedError);
      await expect(client.header(1)).rejects.toBeInstanceOf(ForkDetectedError);
      await expect(client.verifyTransaction(blockA.block.txs[0])).rejects.toBeInstanceOf(ForkDetectedError);
      expect(() => client.follow()).toThrow(ForkDetectedError);
      await client.close();
      const stored = storage.records({ gte: 'light/header/', lt: 'light/header/~' }).map(([, v]) => bytesToHex(v.subarray(86, 118)));
      expect(stored).not.toContain(bytesToHex(blockB.hash));
      // Reopened on what the store held (a MemoryStorage is closed with its client: copy its records).
      const again = new MemoryStorage();
      await again.write(storage.records().map(([key, value]) => ({ type: 'put', key, value })));
      const reopened = await LightClient.open({ validatorSet: fork.set, sources: [a.url], storage: again });
      closing.push(reopened);
      expect(reopened.fork?.culprits.map((c) => c.validator)).toEqual(fork.byzantine);
      await expect(reopened.sync()).rejects.toMatchObject({ code: 'ERR_LIGHT_FORK' });
    });
  }

  it('a header pushed on the stream from the other side', async () => {
    const { fork, a, b, blockA, blockB } = await sides(4, testSeed('light fork stream'));
    const client = await LightClient.open({ validatorSet: fork.set, sources: [a.url, b.url], WebSocket });
    closing.push(client);
    await client.header(fork.height); // from a, the first source
    const found = new Promise<ForkEvidence>((resolve) => client.onFork(resolve));
    client.follow();
    while (b.subscribers.length === 0) await new Promise((r) => setTimeout(r, 10));
    b.push(headerJson(blockB));
    expectEvidence(await found, fork.height, [a, blockA], [b, blockB], fork.byzantine);
    // It stops following: both streams close.
    while (a.subscribers.length + b.subscribers.length > 0) await new Promise((r) => setTimeout(r, 10));
  });

  it("a transaction's proof from the other side", async () => {
    const { fork, a, b, blockA, blockB } = await sides(4, testSeed('light fork proof'));
    const client = await LightClient.open({ validatorSet: fork.set, sources: [b.url, a.url] });
    closing.push(client);
    await client.header(fork.height);
    // Sources asked in order: b first gave the trusted header; now a proves its own side's transaction.
    const onlyA = await LightClient.open({ validatorSet: fork.set, sources: [a.url] });
    closing.push(onlyA);
    expect(await onlyA.verifyTransaction(blockA.block.txs[0])).toMatchObject({ status: 'committed', height: fork.height, source: a.url });
    const error = (await client.verifyTransaction(blockA.block.txs[0]).catch((err: unknown) => err)) as ForkDetectedError;
    expect(error).toBeInstanceOf(ForkDetectedError);
    expectEvidence(error.evidence, fork.height, [b, blockB], [a, blockA], fork.byzantine);
  });

  it('a branch met through a broken parent link: the source is asked for the parent, and the fork found there', async () => {
    const chain = certifiedChain(3);
    const branch = certifiedChain(3, { client: 'branch' }); // the same set and chain: every validator signed both
    const a = await Gateway.start(chain.blocks.slice(0, 2));
    const b = await Gateway.start(branch.blocks);
    closing.push(a, b);
    const client = await LightClient.open({ validatorSet: chain.set, sources: [a.url, b.url] });
    closing.push(client);
    await client.header(2);
    const lies: string[] = [];
    client.onLie((l) => lies.push(l.reason));
    const error = (await client.header(3).catch((err: unknown) => err)) as ForkDetectedError;
    expect(error).toBeInstanceOf(ForkDetectedError);
    expect(error.evidence.height).toBe(2);
    expectEvidence(error.evidence, 2, [a, chain.blocks[1]], [b, branch.blocks[1]], [0, 1, 2, 3]);
    expect(lies).toEqual([]);
  });
});
