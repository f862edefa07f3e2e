import { type CommittedBlock, quorums, Replica, type ValidatorSet } from '../../src/consensus/index.js';
import { request, TEST_CHAIN } from './requests.js';
import { Rng } from './seed.js';
import { TestNetwork } from './testNetwork.js';

// A fork built from real replicas by f+1 Byzantine validators, the way more than f of them can
// break PBFT: split brain. The network commits a common prefix together; then the honest
// replicas are cut into two halves of f (a partition the adversary keeps up) and each Byzantine
// validator runs one honest replica on each side, from the same durable state and the same key.
// On each side its Byzantine primary proposes another block (each side's clients sent other
// transactions) and its Byzantine backups vote for it, so f+1 Byzantine and f honest replicas —
// 2f+1, a quorum — commit it there. Every replica runs the protocol's own code; only the network
// and the doubled Byzantine replicas are the adversary's.

export interface SplitBrainFork {
  n: number;
  byzantine: number[];
  /** The honest replicas of each side. */
  sides: [number[], number[]];
  set: ValidatorSet;
  /** The first height the sides committed differently. */
  height: number;
  /** The blocks both sides committed before it (heights 1 to height − 1). */
  prefix: CommittedBlock[];
  /** What each side's honest replicas committed at `height`, replica by replica. */
  committed: [CommittedBlock[], CommittedBlock[]];
}

const TICK_MS = 10;

/** Ticks every live replica of `net` every 10 ms for `ms`, delivering what is queued after each tick in an order drawn from `rng`. */
function runShuffled(net: TestNetwork, rng: Rng, ms: number): void {
  for (let t = 0; t < ms; t += TICK_MS) {
    net.now += TICK_MS;
    for (let i = 0; i < net.n; i++) if (net.replicas[i]) net.step(i, { type: 'tick', now: net.now });
    while (net.queue.length) {
      const [e] = net.queue.splice(rng.int(net.queue.length), 1);
      if (net.replicas[e.to] && net.filter(e)) net.step(e.to, { type: 'message', bytes: e.bytes });
    }
  }
}

/** Picks `k` distinct items of `items` with `rng`. */
function sample(rng: Rng, items: number[], k: number): number[] {
  const pool = items.slice();
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(...pool.splice(rng.int(pool.length), 1));
  return out;
}

/**
 * The split-brain fork of `n` validators drawn from `seed`: f+1 Byzantine (the primary of view 0
 * and f others), the honest halves, the common prefix (0 to 3 blocks), each side's transactions
 * and every delivery order.
 */
export function splitBrainFork(n: number, seed: number): SplitBrainFork {
  const rng = new Rng(seed);
  const { f } = quorums(n);
  const ids = [...Array(n).keys()];
  const byzantine = [0, ...sample(rng, ids.slice(1), f)].sort((x, y) => x - y);
  const honest = ids.filter((i) => !byzantine.includes(i));
  const left = sample(rng, honest, f).sort((x, y) => x - y);
  const right = honest.filter((i) => !left.includes(i));

  const one = new TestNetwork(n);
  const prefix = rng.int(4);
  for (let nonce = 1; nonce <= prefix; nonce++) {
    one.submit(request('prefix', nonce));
    runShuffled(one, rng, 100);
  }
  if (one.heights().some((h) => h !== prefix)) throw new Error(`seed ${seed}: the common prefix did not commit (${one.heights().join(', ')})`);

  // The second world: every replica restored from what it persisted, so both start alike.
  const two = new TestNetwork(n);
  two.now = one.now;
  for (const i of ids) two.replicas[i] = Replica.restore(two.config(i), one.durable(i));
  for (const i of right) one.crash(i);
  for (const i of left) two.crash(i);
  const sides: [TestNetwork, TestNetwork] = [one, two];
  sides.forEach((net, side) => {
    const txs = 1 + rng.int(4);
    for (let k = 0; k < txs; k++) net.submit(request(`side-${side}`, k + 1, `fork-${k}`, `${seed}/${side}`));
    runShuffled(net, rng, 200);
  });

  const height = prefix + 1;
  const at = (net: TestNetwork, replicas: number[]) =>
    replicas.map((i) => {
      const block = net.commits[i].find((c) => c.height === height);
      if (!block) throw new Error(`seed ${seed}: replica ${i} did not commit height ${height}`);
      return block;
    });
  return {
    n,
    byzantine,
    sides: [left, right],
    set: { chainId: TEST_CHAIN, validators: one.validators },
    height,
    prefix: one.commits[left[0]].filter((c) => c.height < height),
    committed: [at(one, left), at(two, right)],
  };
}
