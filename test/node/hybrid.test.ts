import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { decodeCommitProof, decodeVote, verifyCommitProof } from '../../src/consensus/index.js';
import { LightClient, validatorSetFromGenesis } from '../../src/light/index.js';
import { MemoryNetwork } from '../../src/net/index.js';
import { genesisJson, genesisValidatorSet, openLevelStorage, startRpc, SwarmNode } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { transactionId } from '../../src/tx/index.js';
import { expectRefusal } from '../_support/refusals.js';
import { clusterTx, NodeCluster, seedOf } from '../_support/nodeCluster.js';

// A network whose genesis says 'ed25519+mldsa65', end to end in one process: four nodes over
// mutual TLS with LevelDB stores sign every consensus message with Ed25519 and ML-DSA-65; commit
// proofs, the stores' opening check and a light client verify both halves of every signature.

describe("a four-node cluster whose genesis signs with 'ed25519+mldsa65'", () => {
  let cluster: NodeCluster;
  let dir: string;

  beforeAll(async () => {
    cluster = await NodeCluster.start(4, { signatures: 'ed25519+mldsa65' });
    dir = await mkdtemp(join(tmpdir(), 'swarmguard-hybrid-light-'));
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('commits blocks with hybrid certificates, and each node proves a transaction against the hybrid set', async () => {
    const txs = Array.from({ length: 12 }, (_, k) => clusterTx('hera', k + 1));
    for (let k = 0; k < txs.length; k += 4) expect((await cluster.node(k % 4).submit(txs.slice(k, k + 4))).every((o) => o.accepted)).toBe(true);
    const last = transactionId(txs[11]);
    expect(await cluster.node(0).txs.waitFor(last, 15_000)).toBe(true);
    await cluster.waitForHeight(cluster.node(0).status().height, 15_000);
    const set = genesisValidatorSet(cluster.genesis);
    expect(set.signatures).toBe('ed25519+mldsa65');
    for (let i = 0; i < 4; i++) {
      const s = await cluster.node(i).txStatus(last);
      if (s.status !== 'committed') throw new Error(`node ${i}: ${s.status}`);
      const block = await cluster.node(i).block(s.height);
      const proof = decodeCommitProof(s.proof);
      expect(proof.certificate.every((frame) => frame.length === 3421 && frame[0] === 2)).toBe(true);
      expect(verifyCommitProof(proof, block!.block.txs[s.index], set)).toMatchObject({ ok: true, height: s.height });
      // The Ed25519 halves alone, under an Ed25519 set of the same keys, prove nothing.
      const edSet = { chainId: set.chainId, validators: cluster.genesis.validators.map((v) => v.consensusKey) };
      expect(verifyCommitProof(proof, block!.block.txs[s.index], edSet)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(new Set(cluster.nodes.map((n) => n!.status().lastHash)).size).toBe(1);
    const c = (await cluster.node(0).block(1))!;
    expect(c.cert.map((f) => decodeVote(f).signature.length)).toEqual(c.cert.map(() => 64 + 3309));
  });

  it('a light client holding only genesis.json follows the chain and verifies a transaction, and trusts its store again after a restart', async () => {
    const rpc = await startRpc(cluster.node(1), { port: 0 });
    try {
      const tx = clusterTx('iris', 1);
      expect((await cluster.node(1).submit([tx]))[0].accepted).toBe(true);
      const validatorSet = validatorSetFromGenesis(JSON.parse(JSON.stringify(genesisJson(cluster.genesis))));
      expect(validatorSet).toEqual(genesisValidatorSet(cluster.genesis));
      const sources = [`http://127.0.0.1:${rpc.address.port}`];
      let client = await LightClient.open({ validatorSet, sources, storage: await openLevelStorage(dir) });
      const verdict = await client.verifyTransaction(tx, { waitMs: 15_000 });
      expect(verdict).toMatchObject({ status: 'committed', id: bytesToHex(transactionId(tx)) });
      const height = (verdict as { height: number }).height;
      await client.sync();
      expect(client.height).toBeGreaterThanOrEqual(height);
      await client.close();
      client = await LightClient.open({ validatorSet, sources, storage: await openLevelStorage(dir) });
      expect(client.height).toBeGreaterThanOrEqual(height);
      expect(client.validatorSet.signatures).toBe('ed25519+mldsa65');
      await client.close();
    } finally {
      await rpc.server.close();
    }
  });

  it('restarts a node from its disk (its store re-verifies hybrid certificates) and it catches up', async () => {
    const before = cluster.node(2).status().height;
    await cluster.stop(2);
    const txs = Array.from({ length: 8 }, (_, k) => clusterTx('juno', k + 1));
    await cluster.node(0).submit(txs);
    expect(await cluster.node(0).txs.waitFor(transactionId(txs[7]), 15_000)).toBe(true);
    const node = await cluster.restart(2);
    expect(node.startedFrom.checkedBlocks).toBe(before);
    await cluster.waitForHeight(cluster.node(0).status().height, 20_000);
  });

  it("refuses to start without the ML-DSA-65 seed, with another validator's, with one on an Ed25519 genesis, or with staking", async () => {
    const start = (mldsa65Seed: Uint8Array | undefined, genesis = cluster.genesis) =>
      SwarmNode.start({ genesis, consensusSeed: seedOf('consensus', 3), ...(mldsa65Seed ? { mldsa65Seed } : {}), storage: new MemoryStorage(), transport: new MemoryNetwork({ size: 4 }).transport(3) });
    const failure = async (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);
    const none = await failure(start(undefined));
    expectRefusal(() => { throw none; }, 'type', 'SwarmNode.start', 'options.mldsa65Seed');
    const other = await failure(start(seedOf('mldsa65', 2)));
    expectRefusal(() => { throw other; }, 'range', 'SwarmNode.start', 'options.mldsa65Seed', 'must be the seed of the ML-DSA-65 key genesis');
    const { signatures: _, ...edGenesis } = cluster.genesis;
    const onEd = await failure(start(seedOf('mldsa65', 3), { ...edGenesis, validators: edGenesis.validators.map(({ mldsa65Key: __, ...v }) => v) }));
    expectRefusal(() => { throw onEd; }, 'range', 'SwarmNode.start', 'options.mldsa65Seed', "is for 'ed25519+mldsa65' networks");
    const staking = await failure(start(seedOf('mldsa65', 3), { ...cluster.genesis, staking: {} as never }));
    expectRefusal(() => { throw staking; }, 'range', 'SwarmNode.start', 'options.genesis.staking', "needs genesis signatures 'ed25519'");
  });
});
