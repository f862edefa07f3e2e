import { median, table } from '../harness.js';
import type { Reference } from './inProcessReference.js';
import type { PhaseResult } from './phase.js';
import type { RunResult, RunSettings } from './run.js';
import type { StateSyncResult } from './stateSync.js';

// The tables `bench cluster` prints: the figures the issue sets targets for (medians over the
// runs, each run's value beside), and CPU and memory per process.

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const sec = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'not reached');
const share = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)} %` : '-');

function latencyRow(label: string, phases: PhaseResult[], target: string): (string | number)[] {
  const p50 = median(phases.map((p) => p.p50));
  const p99 = median(phases.map((p) => p.p99));
  const rate = median(phases.map((p) => p.rate));
  const samples = phases.reduce((a, p) => a + p.samples, 0);
  return [`${label} (${int(rate)} tx/s offered; ${int(samples)} proofs)`, `${ms(p50)} / ${ms(p99)} ms`, phases.map((p) => `${ms(p.p50)}/${ms(p.p99)}`).join('  '), target];
}

export function clusterReport(s: RunSettings & { syncBlocks: number | null }, runs: RunResult[], refs: Reference[] | null, sync: StateSyncResult | null): { text: string; results: unknown } {
  const committed = median(runs.map((r) => r.saturation.committedPerSec));
  const offered = median(runs.map((r) => r.saturation.rate));
  const proofs = runs.flatMap((r) => [r.saturation, r.at50, r.at90]).reduce((a, p) => ({ ok: a.ok + p.load.proofsVerified, bad: a.bad + p.load.proofsFailed }), { ok: 0, bad: 0 });
  const unconfirmed = runs.flatMap((r) => [r.saturation, r.at50, r.at90]).reduce((a, p) => a + p.load.unconfirmed, 0);
  const rec = (pick: (r: RunResult) => number) => [sec(median(runs.map(pick))), runs.map((r) => sec(pick(r))).join('  ')];
  const figures: (string | number)[][] = [
    [`committed tx/s at saturation (offered ${int(offered)} tx/s${runs.every((r) => r.saturated) ? '' : ', NOT above capacity in every run'})`, int(committed), runs.map((r) => int(r.saturation.committedPerSec)).join('  '), '≥ 6,000'],
    [
      'committed tx per CPU-second at saturation (all processes; ×2 cores bounds tx/s)',
      int(median(runs.map((r) => r.saturation.committedPerSec / r.saturation.processes.reduce((a, p) => a + p.cpu, 0)))),
      runs.map((r) => int(r.saturation.committedPerSec / r.saturation.processes.reduce((a, p) => a + p.cpu, 0))).join('  '),
      '≥ 3,000',
    ],
    ...(refs ?? []).map((ref) => [`  ÷ ${ref.mode} n=4 (${int(ref.txPerSec)} tx/s, runs ${ref.runs.map(int).join(' ')})`, share(committed / ref.txPerSec), '', '≥ 60 %']),
    ...(refs ? [] : [['  ÷ in-process n=4: skipped in --quick', '-', '', '≥ 60 %']]),
    latencyRow('p50 / p99 submit-to-proof at 50 %', runs.map((r) => r.at50), 'p99 ≤ 250 ms'),
    latencyRow('p50 / p99 submit-to-proof at 90 %', runs.map((r) => r.at90), ''),
    [`commit proofs checked by the load generator (verifyCommitProof vs genesis)`, `${proofs.ok} of ${proofs.ok + proofs.bad}`, unconfirmed ? `${unconfirmed} sampled without proof` : '', 'all'],
    ['recovery: kill -9 of a backup mid-load, restart → its RPC up (s)', ...rec((r) => r.recovery.startSeconds), ''],
    ['recovery: restart → it commits again (s)', ...rec((r) => r.recovery.commitSeconds), '≤ 5 s'],
    ['recovery: restart → at the others\' height (s)', ...rec((r) => r.recovery.caughtUpSeconds), ''],
    ...(sync
      ? [
          [`state sync: ${int(sync.blocksBehind)} blocks of 100 (${int(sync.txsBehind)} txs) behind, restart → network height (s)`, sec(sync.syncSeconds), `RPC up after ${sec(sync.startSeconds)}`, '≤ 15 s (10,000 blocks)'],
          [`state sync: what it did`, `checkpoint ${int(sync.checkpoint)}`, `${int(sync.blocksReplayed)} blocks (${int(sync.txsReplayed)} txs) replayed, ${int(sync.signaturesVerified)} signatures verified`, ''],
        ]
      : [['state sync: skipped in --quick (add --sync-blocks N to run it)', '-', '', '≤ 15 s (10,000 blocks)']]),
  ];
  const names = runs[0].saturation.processes.map((p) => p.name);
  const use = (pick: (r: RunResult) => PhaseResult, i: number, field: 'cpu' | 'rssMiB' | 'peakMiB') => median(runs.map((r) => pick(r).processes[i]?.[field] ?? Number.NaN));
  const perProcess = names.map((name, i) => [
    name,
    use((r) => r.saturation, i, 'cpu').toFixed(2),
    use((r) => r.at50, i, 'cpu').toFixed(2),
    use((r) => r.at90, i, 'cpu').toFixed(2),
    int(use((r) => r.saturation, i, 'rssMiB')),
    int(use((r) => r.at90, i, 'peakMiB')),
  ]);
  const total = (pick: (r: RunResult) => PhaseResult) => median(runs.map((r) => pick(r).processes.reduce((a, p) => a + p.cpu, 0))).toFixed(2);
  perProcess.push(['all', total((r) => r.saturation), total((r) => r.at50), total((r) => r.at90), '', '']);
  const undrained = runs.flatMap((r, i) => r.undrained.map((p) => `run ${i + 1} ${p}`));
  const text = [
    table(['figure', 'median', 'each run', 'target'], figures),
    '',
    table(['process', 'CPU at saturation (cores)', 'at 50 %', 'at 90 %', 'RSS at saturation (MiB)', 'peak RSS (MiB)'], perProcess),
    '',
    `(${s.nodes} node processes on loopback: mutual TLS, LevelDB with synced writes, blocks of 1,000, W = ${s.pipeline} in flight. One load-generator process: ` +
      `2,000 accounts' transactions signed before the timing, offered open loop at the set rate to the primary as binary batches, ` +
      `the accounts split over 2 clients taking turns every 5 ms, one request in flight each. Phases of ${s.seconds} s, the first ${s.warmup} s not measured; ` +
      `commits counted on a backup (swarmguard_consensus_txs_total); latency from the moment a sampled transaction fell due to its commit proof ` +
      `(a ?wait= long-poll), so time queued in the generator behind a slow node counts. Medians over ${runs.length} run(s), each on a fresh cluster.` +
      `${refs ? ` In-process rows: bench consensus's own, one round after each run's cluster stopped.` : ''}` +
      `${sync ? ` State sync (blocks of 100): once, on a cluster of its own, --sync-blocks ${s.syncBlocks}.` : ''}` +
      `${undrained.length ? ` Backlog not drained within 2 min after: ${undrained.join(', ')}.` : ''})`,
  ].join('\n');
  const strip = (p: PhaseResult) => ({ ...p, load: { ...p.load, latencies: undefined } });
  return {
    text,
    results: {
      settings: s,
      committedPerSec: committed,
      inProcess: refs,
      runs: runs.map((r) => ({ ...r, saturation: strip(r.saturation), at50: strip(r.at50), at90: strip(r.at90) })),
      stateSync: sync,
    },
  };
}
