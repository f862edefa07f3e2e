import { describe, expect, it } from 'vitest';
import { expectProvenEverywhere, provenHeight, TxLoad } from '../_support/clusterClient.js';
import { faultRuns, metric, rssBytes, useProcessCluster } from '../_support/processCluster.js';
import { waitFor } from '../_support/processes.js';
import { dataFrame, farFutureVotes, heartbeatFrame, homeKeys, RoguePeer } from '../_support/roguePeer.js';
import { Rng, testSeed } from '../_support/seed.js';
import { concat } from '../tx/fixtures.js';

// Validator 0 turns hostile: its process stops and this test speaks with its keys to node 3's
// peer port — garbage, frames over the 16 MiB limit, frames cut off mid-way, a flood of validly
// signed votes for slots and views far in the future, frames the replica cannot decode, large
// ones included. Nodes 1, 2 and 3 (a bare quorum: all three must keep working) go on committing
// under a client's load; node 3's memory stays within a stated bound, and its counters show
// every rejection.

const runs = faultRuns();
const ATTACKER = 0;
const TARGET = 3;
/** Growth of the target's resident memory the attack may cause (a node at rest here holds 100-140 MiB; its peer inbox alone is allowed 256 MiB, the attack stays far below that). */
const RSS_GROWTH_BOUND = 192 * 2 ** 20;

describe('a hostile validator on a node process’s peer port', () => {
  const ctx = useProcessCluster({ restoreEach: false });

  it('garbage, oversize, truncated and undecodable frames and a far-future flood: memory bounded, commits go on, rejections counted', async () => {
    const seed = testSeed('hostile peer');
    console.log(`[seed] hostile peer: SWARMGUARD_SEED=${seed}`);
    const rng = new Rng(seed);
    const honest = [1, 2, 3];
    expect((await ctx.cluster.terminate(ATTACKER)).status.code).toBe(0);
    const keys = await homeKeys(ctx.cluster.homes[ATTACKER]);
    // The target's own listener, not a proxy: nothing stands between it and the attacker.
    const target = ctx.cluster.mesh.proxy(ATTACKER, TARGET).target;
    const load = new TxLoad({ targets: () => honest.map((i) => ctx.cluster.url(i)), set: ctx.cluster.validatorSet, seed });
    const pid = (ctx.cluster.process(TARGET) as { pid: number }).pid;
    let peakRss = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, await rssBytes(pid));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await waitFor(() => load.proven.size > 0, { timeoutMs: 30_000, what: 'commits by nodes 1, 2, 3 alone' });
      const before = await ctx.cluster.metrics(TARGET);
      const baseRss = await rssBytes(pid);

      // Streams that are not frames: each closes its connection at the first bad header.
      const streams: [string, Uint8Array][] = [
        ['random bytes', rng.bytes(64 * 1024)],
        ['a bad version', Uint8Array.of(0, 0, 0, 10, 7, 0, ...rng.bytes(8))],
        ['a length below the header', Uint8Array.of(0, 0, 0, 1, 1)],
        ['a length over the limit', Uint8Array.of(0x40, 0, 0, 0, 1, 0, ...rng.bytes(1024))],
        ['an unknown frame kind', Uint8Array.of(0, 0, 0, 4, 1, 9, 0, 0)],
      ];
      for (const [what, bytes] of streams) {
        const peer = await RoguePeer.connect(target, keys.networkSeed);
        await peer.write(bytes);
        expect(await peer.closedWithin(10_000), `node ${TARGET} closes a connection carrying ${what}`).toBe(true);
      }
      // A frame cut off: the attacker hangs up in the middle of it.
      const cut = await RoguePeer.connect(target, keys.networkSeed);
      await cut.write(heartbeatFrame());
      await cut.write(dataFrame(rng.bytes(4096)).subarray(0, 1000));
      await new Promise((resolve) => setTimeout(resolve, 200));
      cut.destroy();

      // One established connection, then the flood.
      const peer = await RoguePeer.connect(target, keys.networkSeed);
      await peer.write(heartbeatFrame());
      const votes = farFutureVotes(keys.consensusSeed, ATTACKER, ctx.cluster.validatorSet, 10_000 * runs.loadScale, rng);
      for (let k = 0; k < votes.length; k += 500) {
        expect(await peer.write(concat(...votes.slice(k, k + 500).map(dataFrame)))).toBe(true);
      }
      // Frames the replica cannot decode, under the attacker's own sender id (so they reach the
      // replica and are charged to it): a few of 8 MiB, then small ones until it is cut off.
      const junk = (size: number) => {
        const body = new Uint8Array(size);
        body.set(rng.bytes(Math.min(size, 4096)));
        body.set([1, 1 + rng.int(9), ATTACKER, 0]);
        return dataFrame(body);
      };
      for (let k = 0; k < 4 * runs.loadScale; k++) expect(await peer.write(junk(8 * 2 ** 20))).toBe(true);
      for (let k = 0; k < 200; k++) await peer.write(junk(64 + rng.int(512)));
      // Cut off now (32 such frames are the limit), it is not read for a while.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await peer.write(concat(...votes.slice(0, 100).map(dataFrame)))).toBe(true);
      const attackedAt = Math.max(...(await Promise.all(honest.map((i) => ctx.cluster.status(i)))).map((s) => s.height));

      // Commits go on with the target taking part: the three must all vote for any block now.
      await ctx.cluster.waitForHeight(attackedAt + 5, honest, 60_000);
      await waitFor(() => provenHeight(load.proven) > attackedAt, { timeoutMs: 60_000, what: 'commit proofs after the attack' });
      // The target is not left believing the network is far ahead of it (the flood named heights of 10^9).
      await ctx.cluster.waitReady([TARGET]);
      const status = await ctx.cluster.status(TARGET);
      expect(status.syncing).toBe(false);
      expect(status.networkHeight).toBeLessThan(attackedAt + 1000);

      sampling = false;
      await sampler;
      console.log(`node ${TARGET} RSS: ${mib(baseRss)} MiB before the attack, at most ${mib(peakRss)} MiB during it (bound: +${mib(RSS_GROWTH_BOUND)} MiB)`);
      expect(peakRss - baseRss).toBeLessThanOrEqual(RSS_GROWTH_BOUND);

      const after = await ctx.cluster.metrics(TARGET);
      const delta = (name: string, labels: string) => metric(after, name, labels) - metric(before, name, labels);
      const transport = (counter: string) => delta('swarmguard_p2p_transport_total', `counter="${counter}"`);
      const dropped = (reason: string) => delta('swarmguard_consensus_dropped_total', `reason="${reason}"`);
      const counts = {
        oversize: transport('rejected_oversize'),
        badVersion: transport('rejected_badVersion'),
        malformed: transport('rejected_malformed'),
        truncated: transport('rejected_truncated'),
        futureDropped: dropped('outOfWindow') + dropped('stale') + dropped('invalid'),
        undecodable: dropped('malformed'),
        penalized: delta('swarmguard_p2p_inbox_dropped_total', 'reason="penalized"'),
        penalties: delta('swarmguard_p2p_peer_penalties_total', ''),
      };
      console.log(`node ${TARGET} counted: ${JSON.stringify(counts)}`);
      expect(counts.oversize).toBeGreaterThanOrEqual(1);
      expect(counts.badVersion).toBeGreaterThanOrEqual(1);
      expect(counts.malformed).toBeGreaterThanOrEqual(2);
      expect(counts.truncated).toBeGreaterThanOrEqual(1);
      expect(counts.undecodable).toBeGreaterThanOrEqual(1);
      expect(counts.penalties).toBeGreaterThanOrEqual(1);
      expect(counts.penalized).toBeGreaterThanOrEqual(1);
      // Every flooded vote was dropped by the replica, or unread once the attacker was cut off.
      expect(counts.futureDropped + counts.penalized).toBeGreaterThanOrEqual(votes.length + 100);
      peer.destroy();
    } finally {
      sampling = false;
      await sampler;
      await load.stop();
    }
    // Validator 0 honest again: it restarts and catches up; every proof holds on all four.
    await ctx.cluster.start(ATTACKER);
    await ctx.cluster.waitReady([0, 1, 2, 3]);
    await expectProvenEverywhere(ctx.cluster, load);
  });
});

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
