import { afterEach, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { consensusDomain, domainSigner, MessageType, signVote } from '../../src/consensus/index.js';
import { nodeEd25519Signer, nodeSha256, parseGenesis, startRpc } from '../../src/node/index.js';
import { signTransaction, transactionId } from '../../src/tx/index.js';
import { decodeStakingResult, stakingPayload } from '../../src/validators/index.js';
import { clusterChain, NodeCluster, seedOf } from '../_support/nodeCluster.js';

// A network with a staking genesis: the nodes run the validator state machine around the
// key-value store, serve it over RPC, record commits and turn the replica's equivocation reports
// into evidence transactions on their own — a validator that double-votes is slashed and jailed
// with nobody submitting anything by hand.

const alice = seedOf('staker', 0);
const alicePublic = nodeEd25519Signer(alice).publicKey;
const staking = {
  accounts: [{ account: alicePublic, balance: 50_000n }],
  validators: Array.from({ length: 4 }, () => ({ operator: null, selfBond: 1_000n, commission: 500 })),
  params: { epochBlocks: 64, reconfigure: false },
};

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('node with a staking genesis', () => {
  let cluster: NodeCluster | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
  });

  it('executes staking transactions, serves them over RPC and records commits', async () => {
    cluster = await NodeCluster.start(4, { kind: 'memory', staking });
    const node = cluster.node(0);
    const validator = bytesToHex(cluster.genesis.validators[1].consensusKey);
    const tx = signTransaction({ chainId: clusterChain(), nonce: 1, payload: stakingPayload.delegate(cluster.genesis.validators[1].consensusKey, 5_000n) }, alice);
    const [outcome] = await node.submit([tx.bytes]);
    expect(outcome.accepted).toBe(true);
    await node.txs.waitFor(transactionId(tx.bytes), 10_000);
    const status = await node.txStatus(transactionId(tx.bytes));
    expect(status.status === 'committed' && decodeStakingResult(status.result)).toEqual({ ok: true });
    const rpc = await startRpc(node, { port: 0 });
    try {
      const base = `http://127.0.0.1:${rpc.address.port}`;
      const account = (await (await fetch(`${base}/v1/staking/${bytesToHex(alicePublic)}`)).json()) as Record<string, unknown>;
      expect(account).toMatchObject({ balance: '45000', delegations: [{ validator, shares: '5000', tokens: '5000' }] });
      const set = (await (await fetch(`${base}/v1/validators`)).json()) as { committee: { members: unknown[] }; validators: { operator: string; tokens: string }[]; supply: Record<string, string> };
      expect(set.committee.members).toHaveLength(4);
      expect(set.validators.find((v) => v.operator === validator)?.tokens).toBe('6000');
      expect(set.supply.held).toBe(set.supply.expected);
      expect((await fetch(`${base}/v1/staking/zz`)).status).toBe(400);
    } finally {
      await rpc.server.close();
    }
    // Each node records the certificates of its share of the blocks that held real transactions.
    await until('a recorded commit', () => cluster?.nodes.some((n) => (n?.duties?.counters.recordsSent ?? 0) > 0) ?? false);
    await until('the record executed', () => node.staking?.machine.state.recordedHeights.size !== 0);
    // Every node computed the same validator state.
    const height = Math.min(...cluster.nodes.map((n) => n?.staking?.machine.state.height ?? 0));
    await cluster.waitForHeight(node.status().height);
    if (height > 0) expect(new Set(cluster.nodes.map((n) => bytesToHex(n?.staking?.stateRoot() ?? new Uint8Array(0)))).size).toBe(1);
  });

  it('slashes and jails a validator that double-votes, from evidence the nodes send themselves', async () => {
    cluster = await NodeCluster.start(4, { kind: 'memory', staking, absent: [3] });
    const node = cluster.node(0);
    // Progress first, so the offender's votes land in the honest replicas' window.
    const tx = signTransaction({ chainId: clusterChain(), nonce: 1, payload: stakingPayload.transfer(cluster.genesis.validators[0].consensusKey, 1n) }, alice);
    await node.submit([tx.bytes]);
    await node.txs.waitFor(transactionId(tx.bytes), 10_000);
    const set = { chainId: clusterChain(), validators: cluster.genesis.validators.map((v) => v.consensusKey) };
    const offender = domainSigner(nodeEd25519Signer(seedOf('consensus', 3)), consensusDomain(set, nodeSha256));
    const seq = node.status().height + 1;
    const view = node.status().view;
    const network = cluster.memoryNetwork;
    if (!network) throw new Error('memory cluster');
    const transport = network.transport(3);
    transport.broadcast(signVote(offender, MessageType.Prepare, 3, view, seq, nodeSha256(new TextEncoder().encode('one'))));
    transport.broadcast(signVote(offender, MessageType.Prepare, 3, view, seq, nodeSha256(new TextEncoder().encode('two'))));
    const operator = String.fromCharCode(...cluster.genesis.validators[3].consensusKey);
    await until('the offender jailed', () => node.staking?.machine.state.validators.get(operator)?.jailed === true);
    // 20 % of its 1,000 at the infraction, burned once although several nodes sent the evidence.
    expect(node.staking?.machine.state.validators.get(operator)?.tokens).toBe(800n);
    expect(node.staking?.machine.state.burned).toBe(200n);
    expect(cluster.nodes.reduce((sum, n) => sum + (n?.duties?.counters.evidenceSent ?? 0), 0)).toBeGreaterThan(0);
  });

  it('a node restarted from its disk rebuilds the same validator state (TLS, LevelDB)', async () => {
    cluster = await NodeCluster.start(4, { staking, consensus: { checkpointInterval: 4 } });
    const send = async (nonce: number, payload: Uint8Array) => {
      const tx = signTransaction({ chainId: clusterChain(), nonce, payload }, alice);
      const [outcome] = await (cluster as NodeCluster).node(0).submit([tx.bytes]);
      expect(outcome.accepted).toBe(true);
      await (cluster as NodeCluster).node(0).txs.waitFor(transactionId(tx.bytes), 10_000);
    };
    const validators = cluster.genesis.validators.map((v) => v.consensusKey);
    await send(1, stakingPayload.delegate(validators[1], 700n));
    await cluster.stop(3);
    for (let nonce = 2; nonce <= 6; nonce++) await send(nonce, stakingPayload.delegate(validators[nonce % 4], 100n));
    const restarted = await cluster.restart(3);
    // The network is idle now: the restarted node asks its peers as they come back, and may adopt
    // a checkpoint (its archive then starts there), so this waits on the replica, not the archive.
    await until('node 3 at the same height', () => restarted.status().height === cluster?.node(0).status().height && restarted.staking?.machine.state.height === cluster?.node(0).staking?.machine.state.height, 20_000);
    expect(bytesToHex(restarted.staking?.stateRoot() ?? new Uint8Array(0))).toBe(bytesToHex(cluster.node(0).staking?.stateRoot() ?? new Uint8Array(1)));
    expect(restarted.staking?.machine.state.delegations.size).toBe(cluster.node(0).staking?.machine.state.delegations.size);
  });

  it('checks the staking section of genesis.json', () => {
    const json = (staking: unknown) => ({
      chainId: 'x',
      validators: Array.from({ length: 4 }, (_, i) => ({ consensusKey: 'aa'.repeat(31) + `0${i}`, networkKey: 'bb'.repeat(31) + `0${i}`, p2p: `127.0.0.1:${100 + i}` })),
      staking,
    });
    const good = { accounts: [{ account: 'cc'.repeat(32), balance: '18446744073709551615' }], validators: Array(4).fill({ selfBond: '10', commission: 5 }), params: { epochBlocks: 128, epochReward: '5' } };
    const parsed = parseGenesis(json(good));
    expect(parsed.staking?.accounts[0].balance).toBe(2n ** 64n - 1n);
    expect(parsed.staking?.params).toMatchObject({ epochBlocks: 128, epochReward: 5n, reconfigure: false });
    for (const [bad, message] of [
      [{ ...good, validators: good.validators.slice(1) }, /one entry per genesis validator \(4\), got 3/],
      [{ ...good, accounts: [{ account: 'cc', balance: '1' }] }, /accounts\[0\]\.account must be 64 hex digits/],
      [{ ...good, accounts: [{ account: 'cc'.repeat(32), balance: '18446744073709551616' }] }, /balance must be a decimal string from 0 to 2\^64/],
      [{ ...good, params: { reconfigure: true } }, /reconfigure must be false/],
      [{ ...good, params: { epochs: 3 } }, /params\.epochs is not a staking rule/],
      [{ ...good, params: { epochBlocks: 0 } }, /params\.epochBlocks/],
    ] as [unknown, RegExp][]) {
      expect(() => parseGenesis(json(bad))).toThrow(message);
    }
  });
});
