import type { MetricFamily, MetricSample, MetricSource } from '../metrics/index.js';
import type { SwarmNode } from './node.js';

// A node's Prometheus families. Names follow CometBFT's where it has one (consensus_height,
// consensus_rounds → view, validators missing/byzantine, block interval, mempool size, peers,
// state sync), prefixed `swarmguard_`; the rest name our own parts (storage, verify batches,
// transport rejections). Values are read from the node at scrape time.

type Kind = MetricFamily['type'];
const FAMILIES: [string, Kind, string, string[]][] = [
  ['swarmguard_consensus_height', 'gauge', 'Height of the last block this node committed.', []],
  ['swarmguard_consensus_view', 'gauge', 'Current view (CometBFT: consensus_rounds); each view change adds one.', []],
  ['swarmguard_consensus_view_changes_total', 'counter', 'Views this node left since it started (view changes).', []],
  ['swarmguard_consensus_in_view_change', 'gauge', '1 while this node is between views.', []],
  ['swarmguard_consensus_validators', 'gauge', 'Validators in the set.', []],
  ['swarmguard_consensus_missing_validators', 'gauge', 'Peers not connected or suspected by the failure detector.', []],
  ['swarmguard_consensus_byzantine_validators_total', 'counter', 'Evidence of Byzantine behaviour seen (equivocation).', []],
  ['swarmguard_consensus_block_interval_seconds', 'gauge', 'Seconds between the last two blocks committed here.', []],
  ['swarmguard_consensus_blocks_total', 'counter', 'Blocks committed since start.', []],
  ['swarmguard_consensus_txs_total', 'counter', 'Transactions committed since start.', []],
  ['swarmguard_consensus_signatures_verified_total', 'counter', 'Signatures the replica verified (votes, certificates, transactions it had not verified before).', []],
  ['swarmguard_consensus_dropped_total', 'counter', 'Frames and transactions the replica dropped, by reason.', ['reason']],
  ['swarmguard_mempool_size', 'gauge', 'Transactions waiting to be proposed.', []],
  ['swarmguard_p2p_peers', 'gauge', 'Connected peers.', []],
  ['swarmguard_p2p_peer_phi', 'gauge', 'Phi-accrual suspicion of each peer (over the threshold: suspected).', ['peer']],
  ['swarmguard_p2p_inbox_dropped_total', 'counter', 'Peer frames dropped before the replica: wrong sender, inbox full, or from a penalized peer.', ['reason']],
  ['swarmguard_p2p_peer_penalties_total', 'counter', 'Times a peer was cut off for sending frames no honest validator sends.', []],
  ['swarmguard_p2p_transport_total', 'counter', 'Transport counters (frames, bytes, rejections, drops) by name.', ['counter']],
  ['swarmguard_statesync_syncing', 'gauge', '1 while this node is more than two blocks behind the highest height a peer named.', []],
  ['swarmguard_statesync_network_height', 'gauge', 'Highest height a peer named.', []],
  ['swarmguard_storage_writes_total', 'counter', 'Synced writes (each a Ready batch; the store may group them).', []],
  ['swarmguard_storage_write_seconds_total', 'counter', 'Seconds spent waiting for synced writes.', []],
  ['swarmguard_storage_write_seconds_last', 'gauge', 'Seconds the last synced write took.', []],
  ['swarmguard_verify_batches_total', 'counter', 'Client-signature verify batches.', []],
  ['swarmguard_verify_batch_items_total', 'counter', 'Client signatures verified in those batches.', []],
  ['swarmguard_staking_epoch', 'gauge', 'Staking epoch of the validator state (with a staking genesis).', []],
  ['swarmguard_staking_jailed_validators', 'gauge', 'Validators jailed now.', []],
  ['swarmguard_staking_tokens_burned_total', 'counter', 'Tokens burned by slashing since genesis.', []],
  ['swarmguard_staking_duty_transactions_total', 'counter', 'Transactions this node sent on its own account, by kind (evidence, record) and refused.', ['kind']],
];

/** Flattens nested numeric stats into `a_b_c` names (transport counters, dropped-by-reason maps). */
function flatten(value: unknown, prefix: string, out: [string, number][]): void {
  if (typeof value === 'number') out.push([prefix, value]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}_${k}` : k, out);
}

/** The node's metrics as a source for `registerMetrics`. */
export function nodeMetrics(node: SwarmNode): MetricSource {
  const families = FAMILIES.map(([name, type, help, labelNames]) => ({ name, type, help, labelNames }));
  let viewsSeen = -1;
  let viewChanges = 0;
  return {
    families,
    *collect(): Iterable<MetricSample> {
      const s = node.status();
      const c = node.counters;
      if (viewsSeen >= 0 && s.view > viewsSeen) viewChanges += s.view - viewsSeen;
      viewsSeen = s.view;
      const one = (name: string, value: number): MetricSample => ({ name, labels: {}, value });
      const connected = s.peers.filter((p) => p.connected).length;
      const missing = s.peers.length ? s.peers.filter((p) => !p.connected || p.suspected).length : 0;
      yield one('swarmguard_consensus_height', s.height);
      yield one('swarmguard_consensus_view', s.view);
      yield one('swarmguard_consensus_view_changes_total', viewChanges);
      yield one('swarmguard_consensus_in_view_change', s.inViewChange ? 1 : 0);
      yield one('swarmguard_consensus_validators', node.genesis.validators.length);
      yield one('swarmguard_consensus_missing_validators', missing);
      yield one('swarmguard_consensus_byzantine_validators_total', c.evidence);
      yield one('swarmguard_consensus_block_interval_seconds', c.blockIntervalSeconds);
      yield one('swarmguard_consensus_blocks_total', c.blocksCommitted);
      yield one('swarmguard_consensus_txs_total', c.txsCommitted);
      const totals = node.replicaTotals();
      yield one('swarmguard_consensus_signatures_verified_total', totals.verified);
      for (const [reason, value] of Object.entries(totals.dropped)) yield { name: 'swarmguard_consensus_dropped_total', labels: { reason }, value };
      yield one('swarmguard_mempool_size', s.pending);
      yield one('swarmguard_p2p_peers', connected);
      for (const p of s.peers) yield { name: 'swarmguard_p2p_peer_phi', labels: { peer: String(p.id) }, value: Number.isFinite(p.phi) ? p.phi : 1e6 };
      const inbox = node.inbox.counters;
      yield { name: 'swarmguard_p2p_inbox_dropped_total', labels: { reason: 'wrongSender' }, value: inbox.framesWrongSender };
      yield { name: 'swarmguard_p2p_inbox_dropped_total', labels: { reason: 'inboxFull' }, value: inbox.framesInboxFull };
      yield { name: 'swarmguard_p2p_inbox_dropped_total', labels: { reason: 'penalized' }, value: inbox.framesFromPenalized };
      yield one('swarmguard_p2p_peer_penalties_total', inbox.penalties);
      const transport: [string, number][] = [];
      flatten(node.transportStats(), '', transport);
      for (const [counter, value] of transport) yield { name: 'swarmguard_p2p_transport_total', labels: { counter }, value };
      yield one('swarmguard_statesync_syncing', s.syncing ? 1 : 0);
      yield one('swarmguard_statesync_network_height', s.networkHeight);
      yield one('swarmguard_storage_writes_total', c.storageWrites);
      yield one('swarmguard_storage_write_seconds_total', c.storageWriteSecondsTotal);
      yield one('swarmguard_storage_write_seconds_last', c.storageWriteSecondsLast);
      yield one('swarmguard_verify_batches_total', c.verifyBatches);
      yield one('swarmguard_verify_batch_items_total', c.verifyBatchItems);
      if (node.staking && node.duties) {
        const state = node.staking.machine.state;
        let jailed = 0;
        for (const v of state.validators.values()) if (v.jailed) jailed++;
        yield one('swarmguard_staking_epoch', state.epoch);
        yield one('swarmguard_staking_jailed_validators', jailed);
        yield one('swarmguard_staking_tokens_burned_total', Number(state.burned));
        const d = node.duties.counters;
        yield { name: 'swarmguard_staking_duty_transactions_total', labels: { kind: 'evidence' }, value: d.evidenceSent };
        yield { name: 'swarmguard_staking_duty_transactions_total', labels: { kind: 'record' }, value: d.recordsSent };
        yield { name: 'swarmguard_staking_duty_transactions_total', labels: { kind: 'refused' }, value: d.refused };
      }
    },
  };
}
