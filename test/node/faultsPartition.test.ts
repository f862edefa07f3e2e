import { describe, expect, it } from 'vitest';
import { expectProvenEverywhere, TxLoad } from '../_support/clusterClient.js';
import { faultRuns, getJson, useProcessCluster } from '../_support/processCluster.js';
import { Chaos, waitFor } from '../_support/processes.js';
import type { PartitionMode } from '../_support/proxyMesh.js';
import { testSeed } from '../_support/seed.js';

// Four validator processes, every link through a fault proxy: the primary cut off from the
// others, then a minority of one, each under a client's load, each healed. Seeded: the seed picks
// the partition mode and the pauses (printed; SWARMGUARD_SEED=… replays).

const MODES: PartitionMode[] = ['blackhole', 'hold', 'cut+refuse'];
const runs = faultRuns();

describe('partitions between validator processes', () => {
  // Each scenario starts from four running nodes, whatever an earlier failure left.
  const ctx = useProcessCluster({ restoreEach: true });

  const urls = (nodes: number[]) => nodes.map((i) => ctx.cluster.url(i));
  const all = () => Array.from({ length: ctx.cluster.n }, (_, i) => i);

  for (let round = 0; round < runs.rounds; round++) {
    it(`primary partitioned away: a view change, commits resume; healed, it catches up (round ${round + 1})`, async () => {
      const seed = testSeed(`primary partition round ${round + 1}`);
      console.log(`[seed] primary partition round ${round + 1}: SWARMGUARD_SEED=${seed}`);
      const chaos = new Chaos(seed);
      const before = await ctx.cluster.primary();
      const others = all().filter((i) => i !== before.primary);
      const mode = chaos.pick(MODES);
      const load = new TxLoad({ targets: () => urls(others), set: ctx.cluster.validatorSet, seed });
      try {
        await chaos.pause(300, 1500 * runs.loadScale);
        const cutAt = Math.max(...(await Promise.all(others.map((i) => ctx.cluster.status(i)))).map((s) => s.height));
        ctx.cluster.mesh.isolate(before.primary, mode);
        // The others time out on the silent primary and move to a view it does not lead.
        const after = await waitFor(
          async () => {
            const p = await ctx.cluster.primary(others);
            return p.view > before.view && p.primary !== before.primary ? p : null;
          },
          { timeoutMs: 30_000, intervalMs: 200, what: `a view change away from primary ${before.primary} (${mode})` },
        );
        // Commits resume in the new view: blocks above the cut, proposed there, and proofs for them.
        const [s] = await ctx.cluster.waitForHeight(cutAt + 3, others, 30_000);
        const block = await getJson<{ view: number }>(`${ctx.cluster.url(others[0])}/v1/blocks/${s.archivedHeight}`);
        expect(block.view).toBeGreaterThanOrEqual(after.view);
        await waitFor(() => [...load.proven.values()].some((c) => c.height > cutAt + 1), { timeoutMs: 30_000, what: 'a commit proof from the new view' });
        await chaos.pause(200, 1000 * runs.loadScale);
        ctx.cluster.mesh.heal();
        const healedAt = Math.max(...(await Promise.all(others.map((i) => ctx.cluster.status(i)))).map((s) => s.archivedHeight));
        await ctx.cluster.sameChain(all(), healedAt);
        await ctx.cluster.waitReady(all());
        const old = await ctx.cluster.status(before.primary);
        expect(old.view).toBeGreaterThanOrEqual(after.view);
      } finally {
        ctx.cluster.mesh.heal();
        await load.stop();
      }
      expect(load.proven.size).toBeGreaterThan(0);
      await expectProvenEverywhere(ctx.cluster, load);
    });

    it(`a minority partition heals: the minority catches up to the same chain (round ${round + 1})`, async () => {
      const seed = testSeed(`minority partition round ${round + 1}`);
      console.log(`[seed] minority partition round ${round + 1}: SWARMGUARD_SEED=${seed}`);
      const chaos = new Chaos(seed);
      const { primary } = await ctx.cluster.primary();
      const minority = chaos.pick(all().filter((i) => i !== primary));
      const majority = all().filter((i) => i !== minority);
      const mode = chaos.pick(MODES);
      const load = new TxLoad({ targets: () => urls(majority), set: ctx.cluster.validatorSet, seed });
      try {
        await chaos.pause(200, 1000 * runs.loadScale);
        ctx.cluster.mesh.partition([minority], majority, mode);
        const cutAt = (await ctx.cluster.status(minority)).height;
        // The majority (a quorum) goes on committing without it.
        await ctx.cluster.waitForHeight(cutAt + 5, majority, 30_000);
        await chaos.pause(500, 2000 * runs.loadScale);
        const behind = await ctx.cluster.status(minority);
        ctx.cluster.mesh.heal();
        const healedAt = Math.max(...(await Promise.all(majority.map((i) => ctx.cluster.status(i)))).map((s) => s.archivedHeight));
        expect(behind.height).toBeLessThan(healedAt);
        const same = await ctx.cluster.sameChain(all(), healedAt);
        expect(same.height).toBeGreaterThanOrEqual(healedAt);
        await ctx.cluster.waitReady(all());
      } finally {
        ctx.cluster.mesh.heal();
        await load.stop();
      }
      const check = await expectProvenEverywhere(ctx.cluster, load);
      console.log(`minority ${minority}: ${load.proven.size} proven transactions; unarchived after a checkpoint jump, per node: ${check.unarchived.join(', ')}`);
    });
  }
});
