import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLevelStorage } from '../../src/node/index.js';
import { expectProvenEverywhere, TxLoad } from '../_support/clusterClient.js';
import { faultRuns, getJson, useProcessCluster, runCli } from '../_support/processCluster.js';
import { Chaos } from '../_support/processes.js';
import { testSeed } from '../_support/seed.js';

// What a node does with its disk between runs: a graceful SIGTERM under load (and over slow
// links) leaves everything it committed durable, and it resumes there; a store with one damaged
// block is refused with the height named, and `node reset` lets the node state-sync anew.

const runs = faultRuns();
const DAMAGES = ['flip', 'truncate', 'delete'] as const;

describe('a node process and its store across restarts', () => {
  // Each scenario starts from four running nodes, whatever an earlier failure left.
  const ctx = useProcessCluster({ restoreEach: true });

  const all = () => Array.from({ length: ctx.cluster.n }, (_, i) => i);
  const tipOfOthers = async (i: number) => Math.max(...(await Promise.all(all().filter((j) => j !== i).map((j) => ctx.cluster.status(j)))).map((s) => s.archivedHeight));

  for (let round = 0; round < runs.rounds; round++) {
    it(`over slow links, SIGTERM under load exits 0 with its commits durable; restarted, it resumes there (round ${round + 1})`, async () => {
      const seed = testSeed(`SIGTERM round ${round + 1}`);
      console.log(`[seed] SIGTERM round ${round + 1}: SWARMGUARD_SEED=${seed}`);
      const chaos = new Chaos(seed);
      for (const i of all()) for (const j of all()) if (i !== j) ctx.cluster.mesh.slow(i, j, chaos.between(10, 60), chaos.between(0, 30), seed);
      const load = new TxLoad({ targets: () => ctx.cluster.running().map((i) => ctx.cluster.url(i)), set: ctx.cluster.validatorSet, seed });
      const victim = chaos.pick(all());
      try {
        await chaos.pause(500, 2000 * runs.loadScale);
        const stopped = await ctx.cluster.terminate(victim);
        expect(stopped.status).toEqual({ code: 0, signal: null });
        expect(stopped.stoppedAt).not.toBeNull();
        // The graceful stop finished its writes: all it had committed is on disk.
        expect(await ctx.cluster.archiveTip(victim)).toBe(stopped.stoppedAt);
        await chaos.pause(200, 1500 * runs.loadScale);
        const { height } = await ctx.cluster.start(victim);
        expect(height).toBeGreaterThanOrEqual(stopped.stoppedAt as number);
        await ctx.cluster.sameChain(all(), await tipOfOthers(victim));
        // Its block at the height it stopped at is the network's.
        const [mine, theirs] = await Promise.all(
          [victim, (victim + 1) % ctx.cluster.n].map((i) => getJson<{ hash: string }>(`${ctx.cluster.url(i)}/v1/blocks/${stopped.stoppedAt}`)),
        );
        expect(mine.hash).toBe(theirs.hash);
      } finally {
        for (const i of all()) for (const j of all()) if (i !== j) ctx.cluster.mesh.slow(i, j, 0);
        await load.stop();
      }
      expect(load.proven.size).toBeGreaterThan(0);
      await expectProvenEverywhere(ctx.cluster, load);
    });

    it(`a damaged block is refused with its height; after node reset the node resyncs (round ${round + 1})`, async () => {
      const seed = testSeed(`damaged store round ${round + 1}`);
      console.log(`[seed] damaged store round ${round + 1}: SWARMGUARD_SEED=${seed}`);
      const chaos = new Chaos(seed);
      const load = new TxLoad({ targets: () => ctx.cluster.running().map((i) => ctx.cluster.url(i)), set: ctx.cluster.validatorSet, seed });
      const victim = chaos.pick(all());
      try {
        await ctx.cluster.waitForHeight((await tipOfOthers(victim)) + 5, all(), 30_000);
        expect((await ctx.cluster.terminate(victim)).status.code).toBe(0);
        // One record of its archive, damaged through the store itself (LevelDB stays consistent).
        const storage = await openLevelStorage(join(ctx.cluster.homes[victim], 'data'), { createIfMissing: false });
        const stored = new Set<number>();
        const resumes = new Set<number>();
        for await (const [key] of storage.entries({ gte: 'chain/', lt: 'chain/\uffff' })) stored.add(Number(key.slice('chain/'.length)));
        for await (const [key] of storage.entries({ gte: 'gap/', lt: 'gap/\uffff' })) resumes.add(Number(key.slice('gap/'.length)));
        // A block inside a run the archive holds whole (not where it resumed after a state-sync
        // jump): the block after it names it, so even a lost one is noticed.
        const height = chaos.pick([...stored].filter((h) => stored.has(h + 1) && !resumes.has(h) && !resumes.has(h + 1)));
        const key = `chain/${String(height).padStart(16, '0')}`;
        const damage = chaos.pick(DAMAGES);
        const record = (await storage.get(key)) as Uint8Array;
        if (damage === 'flip') record[chaos.between(0, record.length - 1)] ^= 1 << chaos.between(0, 7);
        if (damage === 'delete') await storage.write([{ type: 'del', key }]);
        else await storage.write([{ type: 'put', key, value: damage === 'flip' ? record : record.subarray(0, chaos.between(0, record.length - 1)) }]);
        await storage.close();

        const refused = await ctx.cluster.startRefused(victim);
        expect(refused.status.code).toBe(1);
        const message = refused.lines.join('\n');
        console.log(`node ${victim}, ${damage} of block ${height}: exit ${refused.status.code}, "${message}"`);
        expect(message).toMatch(new RegExp(`(block at|misses the block at) height ${height}\\b`));
        expect(message).toMatch(damage === 'delete' ? /the stored chain misses the block/ : /refusing to serve this store/);

        const reset = await runCli(['node', 'reset', '--home', ctx.cluster.homes[victim]]);
        expect(reset.status.code).toBe(0);
        const { height: started } = await ctx.cluster.start(victim);
        expect(started).toBeLessThan(await tipOfOthers(victim));
        await ctx.cluster.sameChain(all(), await tipOfOthers(victim));
        await ctx.cluster.waitReady(all());
      } finally {
        await load.stop();
      }
      await expectProvenEverywhere(ctx.cluster, load);
    });
  }
});
