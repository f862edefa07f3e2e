import { describe, expect, it } from 'vitest';
import { checkProof, expectProvenEverywhere, submit, TxFactory, TxLoad } from '../_support/clusterClient.js';
import { faultRuns, useProcessCluster } from '../_support/processCluster.js';
import { Chaos } from '../_support/processes.js';
import { testSeed } from '../_support/seed.js';

// kill -9 of validator processes while a client submits: a random node, then the primary, each at
// a seeded moment, each restarted once the others have gone on without it. Afterwards every
// transaction whose commit proof the client received is committed on every node, every node holds
// the same chain, and the restarted nodes reached it by state sync from their peers.

const runs = faultRuns();

describe('kill -9 of validator processes under load', () => {
  // Each scenario starts from four running nodes, whatever an earlier failure left.
  const ctx = useProcessCluster({ restoreEach: true });

  const all = () => Array.from({ length: ctx.cluster.n }, (_, i) => i);

  /** Kills node i, lets the others commit past it, restarts it and waits until it caught up. */
  async function killAndRestart(i: number, chaos: Chaos): Promise<void> {
    const status = await ctx.cluster.kill9(i);
    expect(status.signal).toBe('SIGKILL');
    // What it had made durable (it may be ahead of the others: its COMMITs died with it).
    const durable = await ctx.cluster.archiveTip(i);
    const others = all().filter((j) => j !== i);
    // The others go on (through a view change when it led): blocks it never saw.
    await ctx.cluster.waitForHeight(durable + 3, others, 30_000);
    await chaos.pause(100, 1500 * runs.loadScale);
    const restartAt = Math.max(...(await Promise.all(others.map((j) => ctx.cluster.status(j)))).map((s) => s.archivedHeight));
    // It resumes from its disk, below what the others hold, and reaches their chain only by
    // fetching the blocks (or a certified checkpoint) committed while it was dead: state sync.
    // (The height its start line prints may already include blocks fetched while it started.)
    expect(durable).toBeLessThan(restartAt);
    const { height: started } = await ctx.cluster.start(i);
    expect(started).toBeGreaterThanOrEqual(durable);
    await ctx.cluster.sameChain(all(), restartAt);
    await ctx.cluster.waitReady(all());
  }

  for (let round = 0; round < runs.rounds; round++) {
    it(`a random node, then the primary, killed at seeded moments; restarted, they catch up (round ${round + 1})`, async () => {
      const seed = testSeed(`kill -9 round ${round + 1}`);
      console.log(`[seed] kill -9 round ${round + 1}: SWARMGUARD_SEED=${seed}`);
      const chaos = new Chaos(seed);
      const load = new TxLoad({ targets: () => ctx.cluster.running().map((i) => ctx.cluster.url(i)), set: ctx.cluster.validatorSet, seed });
      const victims: number[] = [];
      try {
        await chaos.pause(200, 2000 * runs.loadScale);
        victims.push(chaos.pick(all()));
        await killAndRestart(victims[0], chaos);
        await chaos.pause(200, 2000 * runs.loadScale);
        victims.push((await ctx.cluster.primary()).primary);
        await killAndRestart(victims[1], chaos);
        await chaos.pause(200, 1000 * runs.loadScale);
      } finally {
        await load.stop();
      }
      expect(load.proven.size).toBeGreaterThan(0);
      const check = await expectProvenEverywhere(ctx.cluster, load);
      console.log(`killed ${victims.join(' then ')}: ${load.proven.size} proven of ${load.accepted} accepted; unarchived after a checkpoint jump, per node: ${check.unarchived.join(', ')}`);
    });
  }

  // A client may reach one validator only. With the primary dead, forwarding to it does nothing
  // and one backup's complaint does not move the view (f+1 must): the backup passes the waiting
  // transaction to its peers as it complains, their timers run too, and the next primary commits it.
  it('the primary killed: a transaction sent to one backup only commits, after the backups leave its view', async () => {
    const { primary, view } = await ctx.cluster.primary();
    await ctx.cluster.kill9(primary);
    const backup = all().find((i) => i !== primary) as number;
    const tx = new TxFactory(ctx.cluster.validatorSet.chainId, testSeed('one backup')).next();
    const [answer] = await submit(ctx.cluster.url(backup), [tx]);
    expect(answer.accepted).toBe(true);
    const deadline = Date.now() + 40_000;
    let check = await checkProof(ctx.cluster.url(backup), tx.id, ctx.cluster.validatorSet, 5_000);
    while (check.state === 'absent' && Date.now() < deadline) check = await checkProof(ctx.cluster.url(backup), tx.id, ctx.cluster.validatorSet, 5_000);
    expect(check.state).toBe('proven');
    expect((await ctx.cluster.primary(all().filter((i) => i !== primary))).view).toBeGreaterThan(view);
  }, 60_000);
});
