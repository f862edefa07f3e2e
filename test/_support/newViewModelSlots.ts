// An exhaustive model checker of the new-view rule (decideNewView) for W pipelined slots: the
// one-slot checker (newViewModel.ts) with a block tree, commit heights and a decided chain.
//
// The model: n = 3f+1 replicas, f of them Byzantine, views 0..depth-1, slots 1..W above genesis
// and a small tree of real blocks (hashed with sha256, so a body's hash is its digest and the rule
// follows real parent links): A and B at slot 1, AA and AB (children of A) and BA at slot 2, and
// for W = 3 AAA and ABA at slot 3. In each view every honest replica
// - may first commit a block with a commit certificate (catching up, ancestors included);
// - PREPAREs at most one block per slot, a chain: the first slot above its committed height a
//   child of its committed head, each next one a child of its PREPARE at the slot before. In a view
//   entered by NEW-VIEW nothing is proposed at or below the decision's base, its chain's slots
//   allow only the chosen block and the slots after it are free; a Byzantine primary may propose
//   different blocks to different replicas;
// - may collect a prepared certificate for each of them (possible only with ≥ f+1 honest PREPAREs:
//   n - f with the Byzantine ones), and sends COMMIT at slot s only holding certificates of the
//   view for every slot from its committed height + 1 to s;
// - may, at the end of the view, commit a block with a commit certificate. (A replica committing
//   in the middle of a view from that view's certificates and then PREPAREing the next slot from
//   its new head is not modelled apart: had it PREPAREd the committed block there instead — a
//   vote that only adds to a block that committed anyway — the model reaches the same holdings.)
// Blocks that could have committed off one chain (two at one slot, or one whose ancestor at a
// committed slot is another) are reported as violations of their own.
// A block could have committed (a commit certificate exists) on the slow path (≥ f+1 honest
// COMMITs eligible: n - f with the Byzantine ones; the adversary makes every one that can exist
// exist) or the fast path (every honest replica PREPAREd it: all n PREPAREs).
// At each view change an honest replica reports its committed height and, per slot above it, its
// highest prepared certificate and its latest PREPARE. The Byzantine replicas among the n - f
// view changes the new primary decides from report any committed block with a commit certificate,
// any prepared certificate that exists and any PREPARE of their own from an earlier view, per slot.
// Reductions that keep this exact for a rule of decideNewView's shape: a Byzantine replica can send
// any report an honest one can, so only sets with all f Byzantine replicas in them need checking;
// their reports share one committed height (a lower one only reports slots at or below the base,
// which are decided); per slot only one of them shows a certificate (the rule reads the highest;
// two certificates of one view and slot cannot both exist). With `byzantine: 'reduced'` they vote
// only in the last view (a vote for X counted at a lower view either still lets X win at the
// higher one or changes nothing), only for blocks an honest report in the set votes for at that
// slot (f votes alone never reach f + 1), and show only certificates above the honest ones in the
// set (the rule reads the highest): each leaves out only reports that reach no other decision.
// Each decision must keep every block that could have committed above its base at its slot, and
// its base must descend from every one at or below it. The next view allows what it decided.
// States are kept up to symmetry: the multiset of honest holdings, the certificates that exist and
// the blocks that could have committed.
import { type Block, blockHash, decideNewView, genesisParent, MessageType, type NewViewDecision, type Quorums, quorums, type ViewChange, type Vote } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { groupBy, multisets, product, subMultisets } from './multisets.js';

/** A new-view rule: decideNewView, or a weakened one the checker must catch. */
export type SlotsRule = (vcs: ViewChange[], q: Quorums) => NewViewDecision;
const realSlotsRule: SlotsRule = (vcs, q) => decideNewView(vcs, q, sha256);

export interface SlotsModelOptions {
  /** Pipeline depth: 2 or 3 slots. */
  slots: 2 | 3;
  rule?: SlotsRule;
  /** Byzantine reports: every vote and certificate ('all', the default), or only those that can change a decision ('reduced'). */
  byzantine?: 'all' | 'reduced';
  /** False: a weakened protocol where COMMIT at s needs only the certificate at s, not its ancestors'. */
  commitNeedsAncestors?: boolean;
  /** False: a weakened protocol where a replica PREPAREs any block at a slot, not only a child of its PREPARE at the slot before. */
  parentRule?: boolean;
}

export interface SlotsModelReport {
  n: number;
  f: number;
  depth: number;
  slots: number;
  /** Distinct states after a view (honest holdings, certificates, committable blocks), summed over views. */
  states: number;
  /** Decisions checked: one per (state, choice of n - f view changes and Byzantine reports). */
  decisions: number;
  /** Distinct sets of reports the rule was run on. */
  ruleCalls: number;
  /** Descriptions of safety violations (empty when the rule holds). */
  violations: string[];
}

const TREE: [name: string, parent: string | null][] = [['A', null], ['B', null], ['AA', 'A'], ['AB', 'A'], ['BA', 'B'], ['AAA', 'AA'], ['ABA', 'AB']];
const GENESIS = -1;
const NONE = -1;

interface ModelBlock {
  name: string;
  height: number;
  /** Index of the parent, or GENESIS. */
  parent: number;
  body: Block;
  digest: Uint8Array;
}

/** One honest replica: committed height and head, and per slot 1..W (index s - 1) its highest certificate and latest PREPARE as marks (view * blocks + block). */
interface Holding {
  c: number;
  head: number;
  prepared: number[];
  latest: number[];
}

interface State {
  honest: Holding[];
  /** Marks of the prepared certificates that exist. */
  certs: number[];
  /** Blocks that could have committed. */
  commits: number[];
}

/** What a view allows: nothing at or below `base`, only `fixed[i]` at base + 1 + i, any block after. */
interface Allowed {
  base: number;
  fixed: number[];
}

/** Half of a set of view changes, by sender index, with a key naming its reports. */
interface ReportSet {
  key: string;
  text: (() => string)[];
  vcs: ((sender: number) => ViewChange)[];
}

/** A decision as block indices: its base (height and block) and its chain. */
interface Decided extends Allowed {
  baseBlock: number;
}

/** One honest replica's move in a view: catch up to (c, head), then PREPARE `chain` from c + 1, with a certificate where `certified`. */
interface Move {
  c: number;
  head: number;
  chain: number[];
  certified: boolean[];
}

const holdingKey = (h: Holding) => `${h.c}.${h.head}.${h.prepared.join(',')}.${h.latest.join(',')}`;
const stateKey = (s: State) => `${s.honest.map(holdingKey).sort().join(';')}|${s.certs.join(',')}|${s.commits.join(',')}`;
const allowedKey = (a: Allowed) => `${a.base}:${a.fixed.join(',')}`;

export function checkNewViewSlots(n: number, depth: number, options: SlotsModelOptions): SlotsModelReport {
  const W = options.slots;
  const rule = options.rule ?? realSlotsRule;
  const commitNeedsAncestors = options.commitNeedsAncestors ?? true;
  const parentRule = options.parentRule ?? true;
  const q = quorums(n);
  const f = q.f;
  const honestCount = n - f;
  const report: SlotsModelReport = { n, f, depth, slots: W, states: 0, decisions: 0, ruleCalls: 0, violations: [] };

  // The block tree, hash-linked.
  const genesisHash = genesisParent(sha256);
  const blocks: ModelBlock[] = [];
  for (const [name, parentName] of TREE) {
    const parent = parentName === null ? GENESIS : blocks.findIndex((b) => b.name === parentName);
    const height = parent === GENESIS ? 1 : blocks[parent].height + 1;
    if (height > W) continue;
    const txs = [new TextEncoder().encode(name)];
    const body: Block = { height, parent: parent === GENESIS ? genesisHash : blocks[parent].digest, txRoot: sha256(txs[0]), txs };
    blocks.push({ name, height, parent, body, digest: blockHash(body, sha256) });
  }
  const NB = blocks.length;
  const byHash = new Map(blocks.map((b, i) => [b.digest.join(','), i]));
  const atSlot = (s: number) => blocks.flatMap((b, i) => (b.height === s ? [i] : []));
  const children = (parent: number) => blocks.flatMap((b, i) => (b.parent === parent ? [i] : []));
  const heightOf = (x: number) => (x === GENESIS ? 0 : blocks[x].height);
  const ancestor = (x: number, h: number): number => {
    while (heightOf(x) > h) x = blocks[x].parent;
    return x;
  };
  const mark = (view: number, block: number) => view * NB + block;
  const name = (m: number) => (m === NONE ? 'none' : `${blocks[m % NB].name} (view ${Math.floor(m / NB)})`);
  const describeReports = (c: number, head: number, reports: [number, number][]) =>
    [`committed ${c}${head === GENESIS ? '' : ` (${blocks[head].name})`}`, ...reports.map(([p, l], i) => `slot ${c + i + 1}: cert ${name(p)}, latest ${name(l)}`)].join(', ');
  const reportsOf = (h: Holding) => h.prepared.slice(h.c).map((p, i): [number, number] => [p, h.latest[h.c + i]]);
  const describe = (h: Holding) => describeReports(h.c, h.head, reportsOf(h));

  /** Catch-up targets of a replica at (c, head): blocks with a commit certificate above it, on its chain. */
  const catchUps = (c: number, head: number, commits: readonly number[]) => [
    { c, head },
    ...commits.filter((x) => blocks[x].height > c && ancestor(x, c) === head).map((x) => ({ c: blocks[x].height, head: x })),
  ];

  function movesOf(h: Holding, allowed: Allowed, commits: readonly number[]): Move[] {
    const moves: Move[] = [];
    for (const { c, head } of catchUps(h.c, h.head, commits)) {
      moves.push({ c, head, chain: [], certified: [] });
      if (c < allowed.base) continue;
      const extend = (parent: number, chain: number[], certified: boolean[]) => {
        const s = c + chain.length + 1;
        if (s > W) return;
        const fixed = allowed.fixed[s - allowed.base - 1];
        for (const x of parentRule ? children(parent) : atSlot(s)) {
          if (fixed !== undefined && x !== fixed) continue;
          for (const cert of [false, true]) {
            const move = { c, head, chain: [...chain, x], certified: [...certified, cert] };
            moves.push(move);
            extend(x, move.chain, move.certified);
          }
        }
      };
      extend(head, [], []);
    }
    return moves;
  }

  const erase = (h: Holding): Holding => ({ ...h, prepared: h.prepared.map((p, i) => (i < h.c ? NONE : p)), latest: h.latest.map((l, i) => (i < h.c ? NONE : l)) });

  /** Conflicting commits (two blocks at one slot, or not on one chain) are themselves a violation. */
  function checkCommits(commits: readonly number[], view: number): void {
    for (const x of commits) {
      for (const y of commits) {
        if (blocks[x].height < blocks[y].height && ancestor(y, blocks[x].height) !== x) report.violations.push(`n=${n} view ${view}: ${blocks[x].name} and ${blocks[y].name} could both have committed`);
        if (x < y && blocks[x].height === blocks[y].height) report.violations.push(`n=${n} view ${view}: ${blocks[x].name} and ${blocks[y].name} could both have committed`);
      }
    }
  }

  /** One option of a replica in a view, with what it adds up to: the blocks it votes for, certifies and may COMMIT, and what it then holds. */
  function outcome(h: Holding, m: Move, view: number) {
    const prepared = [...h.prepared];
    const latest = [...h.latest];
    m.chain.forEach((x, j) => {
      latest[m.c + j] = mark(view, x);
      if (m.certified[j]) prepared[m.c + j] = mark(view, x);
    });
    const holding = erase({ c: m.c, head: m.head, prepared, latest });
    return {
      votes: m.chain,
      certified: m.chain.filter((_, i) => m.certified[i]),
      eligible: m.chain.filter((_, i) => (commitNeedsAncestors ? m.certified.slice(0, i + 1).every(Boolean) : m.certified[i])),
      holding,
      key: holdingKey(holding),
    };
  }

  /** The states after the votes of view `view` from `state`, the view allowing `allowed`, each with its key (repeats included). */
  function* playView(state: State, view: number, allowed: Allowed): Generator<{ key: string; state: State }> {
    const list = groupBy(state.honest, holdingKey);
    const picks = list.map((g) => [...multisets(movesOf(g[0], allowed, state.commits).map((m) => outcome(g[0], m, view)), g.length)]);
    const votes = new Int32Array(NB);
    const eligible = new Int32Array(NB);
    const at = new Array<number>(picks.length).fill(0);
    for (;;) {
      const outcomes = picks.flatMap((p, i) => p[at[i]]);
      votes.fill(0);
      eligible.fill(0);
      for (const o of outcomes) {
        for (const x of o.votes) votes[x]++;
        for (const x of o.eligible) eligible[x]++;
      }
      // A certificate needs n - f PREPAREs: the honest ones plus at most f Byzantine.
      if (outcomes.every((o) => o.certified.every((x) => votes[x] + f >= q.quorum))) {
        const certs = [...state.certs];
        const commits = new Set(state.commits);
        for (let x = 0; x < NB; x++) {
          const certPossible = votes[x] > 0 && votes[x] + f >= q.quorum;
          if (certPossible) certs.push(mark(view, x));
          if ((certPossible && eligible[x] + f >= q.quorum) || votes[x] === honestCount) commits.add(x);
        }
        const commitList = [...commits].sort((a, b) => a - b);
        yield { key: `${outcomes.map((o) => o.key).sort().join(';')}|${certs.join(',')}|${commitList.join(',')}`, state: { honest: outcomes.map((o) => o.holding), certs, commits: commitList } };
      }
      let i = 0;
      while (i < at.length && ++at[i] === picks[i].length) at[i++] = 0;
      if (i === at.length) return;
    }
  }

  /** The states after `during` when, at the end of the view, each replica may commit what could now have committed. */
  function* catchUpEnd(during: State): Generator<{ key: string; state: State }> {
    const context = `|${during.certs.join(',')}|${during.commits.join(',')}`;
    const picks = groupBy(during.honest, holdingKey).map((g) => [...multisets(catchUps(g[0].c, g[0].head, during.commits), g.length)].map((ups) => ups.map((u) => erase({ ...g[0], ...u }))));
    for (const honest of product(picks)) {
      const flat = honest.flat();
      yield { key: flat.map(holdingKey).sort().join(';') + context, state: { ...during, honest: flat } };
    }
  }

  const memo = new Map<string, Decided>();

  function viewChange(sender: number, next: number, c: number, head: number, reports: [prepared: number, latest: number][]): ViewChange {
    const vote = (m: number): Vote => ({ kind: 'vote', type: MessageType.Prepare, sender, view: Math.floor(m / NB), seq: blocks[m % NB].height, digest: blocks[m % NB].digest }) as unknown as Vote;
    const slots = reports.map(([p, l]) => ({ prepared: p === NONE ? [] : [vote(p)], latest: l === NONE ? null : vote(l) }));
    while (slots.length > 1 && slots[slots.length - 1].prepared.length === 0 && slots[slots.length - 1].latest === null) slots.pop();
    const named = [...new Set(reports.flat().filter((m) => m !== NONE).map((m) => m % NB))];
    return {
      kind: 'viewchange',
      sender,
      newView: next,
      committed: { height: c, hash: head === GENESIS ? genesisHash : blocks[head].digest, cert: [] },
      prepared: slots[0]?.prepared ?? [],
      latest: slots[0]?.latest ?? null,
      ahead: slots.slice(1),
      blocks: named.map((x) => blocks[x].body),
    } as unknown as ViewChange;
  }

  /** Runs the rule on one set of reports (memoized: the rule reads a set) and checks it against the committable blocks. */
  function decide(state: State, key: string, vcs: ((sender: number) => ViewChange)[], why: () => string): Allowed {
    let decided = memo.get(key);
    if (!decided) {
      report.ruleCalls++;
      const d = rule(vcs.map((make, i) => make(i)), q);
      const base = d.base.height === 0 ? GENESIS : byHash.get(d.base.hash.join(','));
      if (base === undefined) throw new Error(`unknown base ${d.base.height}`);
      const fixed = d.slots.map((slot) => {
        const x = byHash.get(slot.digest.join(','));
        if (x === undefined || blocks[x].height !== slot.seq) throw new Error(`unknown choice at slot ${slot.seq}`);
        return x;
      });
      decided = { base: d.base.height, baseBlock: base, fixed };
      if (memo.size > 2_000_000) memo.clear();
      memo.set(key, decided);
    }
    report.decisions++;
    const { base, baseBlock, fixed } = decided;
    for (const x of state.commits) {
      const s = blocks[x].height;
      const kept = s > base ? fixed[s - base - 1] === x : ancestor(baseBlock, s) === x;
      if (!kept && report.violations.length < 20) {
        const chain = fixed.map((y) => blocks[y].name).join(',') || 'none';
        report.violations.push(`n=${n}: ${blocks[x].name} could have committed at slot ${s}; the rule decided base ${base}${baseBlock === GENESIS ? '' : ` (${blocks[baseBlock].name})`}, chain ${chain} from ${why()}`);
      }
    }
    return { base, fixed };
  }

  /** The Byzantine halves of the view-change sets for `state` beside `honestIn`: f reports sharing a committed height. */
  const byzantineCache = new Map<string, ReportSet[]>();
  function byzantineSets(state: State, next: number, honestIn: Holding[]): ReportSet[] {
    const reduced = options.byzantine === 'reduced';
    // Per slot, what the honest reports in the set show: the blocks they vote for, their highest certificate's view.
    const honestVotes: number[][] = [];
    const honestCertView: number[] = [];
    for (let s = 1; s <= W; s++) {
      const covering = reduced ? honestIn.filter((h) => h.c < s) : [];
      honestVotes.push([...new Set(covering.flatMap((h) => (h.latest[s - 1] === NONE ? [] : [h.latest[s - 1] % NB])))].sort((a, b) => a - b));
      honestCertView.push(Math.max(-1, ...covering.map((h) => (h.prepared[s - 1] === NONE ? -1 : Math.floor(h.prepared[s - 1] / NB)))));
    }
    const cacheKey = `${next}|${state.certs.join(',')}|${state.commits.join(',')}|${honestVotes.join(';')}|${honestCertView.join(',')}`;
    const cached = byzantineCache.get(cacheKey);
    if (cached) return cached;
    const sets: ReportSet[] = [];
    if (byzantineCache.size > 10_000) byzantineCache.clear();
    byzantineCache.set(cacheKey, sets);
    const voteViews = reduced ? [next - 1] : Array.from({ length: next }, (_, v) => v);
    for (const claim of [GENESIS, ...state.commits]) {
      const c = heightOf(claim);
      // Per slot above the claim: the certificate one of them shows, and each one's latest vote.
      const perSlot = [];
      for (let s = c + 1; s <= W; s++) {
        const certOptions = [NONE, ...state.certs.filter((m) => blocks[m % NB].height === s && Math.floor(m / NB) < next && Math.floor(m / NB) > honestCertView[s - 1])];
        const voteOptions = [NONE, ...voteViews.flatMap((v) => (reduced ? honestVotes[s - 1] : atSlot(s)).map((x) => mark(v, x)))];
        const combos = [];
        for (const cert of certOptions) for (const latest of multisets(voteOptions, f)) combos.push({ cert, latest });
        perSlot.push(combos);
      }
      for (const slots of product(perSlot)) {
        const set: ReportSet = { key: '', text: [], vcs: [] };
        for (let b = 0; b < f; b++) {
          const reports = slots.map((slot): [number, number] => [b === 0 ? slot.cert : NONE, slot.latest[b]]);
          set.key += `/b${claim}.${reports.join(',')}`;
          set.text.push(() => describeReports(c, claim, reports));
          set.vcs.push((sender) => viewChange(sender, next, c, claim, reports));
        }
        sets.push(set);
      }
    }
    return sets;
  }

  // What a set of f + 1 honest reports reaches against every Byzantine half, for a given view,
  // certificates and commits: many states share such a set, and its decisions were checked once.
  const reachedBySubset = new Map<string, Allowed[]>();

  /** Every decision a primary of view `next` can reach from `state`. */
  function decisions(state: State, next: number): Allowed[] {
    const reached = new Map<string, Allowed>();
    const context = `|${next}|${state.certs.join(',')}|${state.commits.join(',')}`;
    for (const honestIn of subMultisets(state.honest, q.quorum - f, holdingKey)) {
      const reportsKey = honestIn.map(holdingKey).sort().join('/');
      const honestKey = reportsKey + context;
      let decided = reachedBySubset.get(honestKey);
      if (!decided) {
        const byzSets = byzantineSets(state, next, honestIn);
        const honestVcs = honestIn.map((h): ((sender: number) => ViewChange) => {
          const reports = reportsOf(h);
          return (sender) => viewChange(sender, next, h.c, h.head, reports);
        });
        const own = new Map<string, Allowed>();
        for (const byz of byzSets) {
          const why = () => `view ${next}'s view changes: honest [${honestIn.map(describe).join(' | ')}] and Byzantine [${byz.text.map((t) => t()).join(' | ')}]`;
          const allowed = decide(state, reportsKey + byz.key, [...honestVcs, ...byz.vcs], why);
          own.set(allowedKey(allowed), allowed);
        }
        decided = [...own.values()];
        if (reachedBySubset.size > 1_000_000) reachedBySubset.clear();
        reachedBySubset.set(honestKey, decided);
      }
      for (const a of decided) reached.set(allowedKey(a), a);
    }
    return [...reached.values()];
  }

  let frontier = new Map<string, { state: State; allowed: Allowed }>();
  const start: State = { honest: Array.from({ length: honestCount }, () => ({ c: 0, head: GENESIS, prepared: Array(W).fill(NONE), latest: Array(W).fill(NONE) })), certs: [], commits: [] };
  frontier.set(stateKey(start), { state: start, allowed: { base: 0, fixed: [] } });
  for (let view = 0; view < depth; view++) {
    const next = new Map<string, { state: State; allowed: Allowed }>();
    const seen = new Set<string>();
    const seenDuring = new Set<string>();
    for (const { state, allowed } of frontier.values()) {
      for (const { key: duringKey, state: during } of playView(state, view, allowed)) {
        if (seenDuring.has(duringKey)) continue;
        seenDuring.add(duringKey);
        for (const { key: afterKey, state: after } of catchUpEnd(during)) {
          if (seen.has(afterKey)) continue;
          seen.add(afterKey);
          report.states++;
          checkCommits(after.commits, view);
          const reachable = decisions(after, view + 1);
          if (report.violations.length > 0) return report;
          if (view + 1 < depth) for (const a of reachable) next.set(`${afterKey}|${allowedKey(a)}`, { state: after, allowed: a });
        }
      }
    }
    frontier = next;
  }
  return report;
}
