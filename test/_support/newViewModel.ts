// An exhaustive model checker of the new-view rule (decideNewView), for one undecided slot — the
// replica votes for h+1 only after committing h, so a view change has exactly one to decide.
//
// The model: n = 3f+1 replicas, f of them Byzantine, views 0..depth-1, two candidate blocks A < B.
// In each view every honest replica either stays silent or PREPAREs one block the view allows
// (any block when the slot is free — a Byzantine primary may propose different ones to different
// replicas — else only the block the view's NEW-VIEW chose), and may have collected a prepared
// certificate for it (only if n - f PREPAREs can exist: its own kind plus the f Byzantine ones)
// and then sent a COMMIT. A block could have committed in a view on the slow path (n - f COMMITs:
// at least n - 2f honest ones) or on the fast path (all n PREPAREs: every honest replica's).
// At each view change every honest replica reports what it holds — its highest prepared
// certificate and its latest PREPARE — and each Byzantine replica reports anything it could
// sign or show: no report for the slot (a lower committed height), any certificate that exists,
// any PREPARE of its own from any earlier view. The new primary, Byzantine or slowed by the
// network, decides from any n - f of the view changes; the model checks every such choice with
// the real decideNewView and requires that a block that could have committed is always the one
// chosen. The next view then allows what the decision allows, for each decision reachable.
//
// States are kept up to symmetry: honest replicas are interchangeable, so a state is the multiset
// of what they hold (highest certificate, latest PREPARE), the certificates that exist (what a
// Byzantine replica can show) and the blocks that could have committed.
import { decideNewView, MessageType, type NewViewDecision, type Quorums, quorums, type ViewChange, type Vote } from '../../src/consensus/index.js';
import { multisets, subMultisets } from './multisets.js';

/** A new-view rule: decideNewView, or a weakened one the checker must catch. */
export type NewViewRule = (vcs: ViewChange[], q: Quorums) => NewViewDecision;
const realRule: NewViewRule = (vcs, q) => decideNewView(vcs, q, () => new Uint8Array(32));

const DIGESTS = [new Uint8Array(32).fill(0xa0), new Uint8Array(32).fill(0xb0)];
const NONE = -1;

/** A (view, block) pair as one number: view * 2 + block, or NONE. */
type Mark = number;
const mark = (view: number, block: number): Mark => view * 2 + block;
const viewOf = (m: Mark) => m >> 1;
const blockOf = (m: Mark) => m & 1;

/** What one honest replica holds for the slot: its highest prepared certificate and its latest PREPARE. */
interface Holding {
  prepared: Mark;
  latest: Mark;
}

interface State {
  honest: Holding[];
  /** Bit (view * 2 + block): a prepared certificate for it can exist. */
  certs: number;
  /** Bit block: it could have committed in some earlier view. */
  committed: number;
}

/** One honest replica's move in a view: silent, or PREPARE of `block` with a certificate collected or not, and a COMMIT sent or not. */
interface Move {
  block: number;
  level: 0 | 1 | 2 | 3; // 0 silent, 1 prepare, 2 + certificate, 3 + commit
}

export interface ModelReport {
  n: number;
  f: number;
  depth: number;
  /** Distinct (state, view) pairs explored. */
  states: number;
  /** decideNewView calls: one per choice of n - f view changes and Byzantine reports. */
  decisions: number;
  /** Descriptions of decisions that replaced a block that could have committed (empty when the rule holds). */
  violations: string[];
}

const key = (s: State) => `${s.honest.map((h) => `${h.prepared},${h.latest}`).sort().join(';')}|${s.certs}|${s.committed}`;

function vote(type: MessageType, sender: number, view: number, block: number): Vote {
  return { type, sender, view, seq: 1, digest: DIGESTS[block] } as unknown as Vote;
}

/** A view change for slot 1 above genesis, as decideNewView reads it (the structure was checked by isValidViewChange). */
function viewChange(sender: number, newView: number, prepared: Mark, latest: Mark, lowBase: boolean): ViewChange {
  return {
    kind: 'viewchange',
    sender,
    newView,
    committed: { height: lowBase ? -1 : 0, hash: new Uint8Array(32), cert: [] },
    prepared: prepared === NONE ? [] : [vote(MessageType.Prepare, sender, viewOf(prepared), blockOf(prepared))],
    latest: latest === NONE ? null : vote(MessageType.Prepare, sender, viewOf(latest), blockOf(latest)),
    ahead: [],
    blocks: [],
  } as unknown as ViewChange;
}

export function checkNewViewRule(n: number, depth: number, rule: NewViewRule = realRule): ModelReport {
  const q = quorums(n);
  const f = q.f;
  const honestCount = n - f;
  const report: ModelReport = { n, f, depth, states: 0, decisions: 0, violations: [] };
  const moves = (allowed: number[]): Move[] => [{ block: 0, level: 0 }, ...allowed.flatMap((block) => [1, 2, 3].map((level) => ({ block, level }) as Move))];

  /** The states after view `view`, from `state` with the view allowing `allowed` blocks. */
  function* playView(state: State, view: number, allowed: number[]): Generator<State> {
    // Group identical holdings; each group takes a multiset of moves.
    const groups = new Map<string, Holding[]>();
    for (const h of state.honest) groups.set(`${h.prepared},${h.latest}`, [...(groups.get(`${h.prepared},${h.latest}`) ?? []), h]);
    const list = [...groups.values()];
    const options = moves(allowed);
    function* assign(g: number, acc: [Holding, Move][]): Generator<[Holding, Move][]> {
      if (g === list.length) {
        yield acc;
        return;
      }
      for (const ms of multisets(options, list[g].length)) yield* assign(g + 1, [...acc, ...list[g].map((h, i) => [h, ms[i]] as [Holding, Move])]);
    }
    for (const pairs of assign(0, [])) {
      const votes = [0, 0];
      const commits = [0, 0];
      for (const [, m] of pairs) {
        if (m.level >= 1) votes[m.block]++;
        if (m.level === 3) commits[m.block]++;
      }
      // A certificate needs n - f PREPAREs: the honest ones plus at most f Byzantine.
      const certPossible = votes.map((v) => v + f >= q.quorum);
      if (pairs.some(([, m]) => m.level >= 2 && !certPossible[m.block])) continue;
      let certs = state.certs;
      let committed = state.committed;
      for (const b of [0, 1]) {
        if (certPossible[b] && votes[b] > 0) certs |= 1 << mark(view, b);
        if (commits[b] + f >= q.quorum || votes[b] === honestCount) committed |= 1 << b;
      }
      const honest = pairs.map(([h, m]) => ({
        prepared: m.level >= 2 ? mark(view, m.block) : h.prepared,
        latest: m.level >= 1 ? mark(view, m.block) : h.latest,
      }));
      yield { honest, certs, committed };
    }
  }

  /** Every decision a primary of view `next` can reach from `state`; records violations. */
  function decisions(state: State, next: number): Set<number> {
    const reached = new Set<number>();
    const certMarks = [...Array(2 * next).keys()].filter((m) => state.certs & (1 << m));
    const prepareMarks = [...Array(2 * next).keys()];
    // A Byzantine report: no report for the slot, or (certificate shown, own latest PREPARE).
    const byzOptions: { prepared: Mark; latest: Mark; low: boolean }[] = [{ prepared: NONE, latest: NONE, low: true }];
    for (const p of [NONE, ...certMarks]) for (const l of [NONE, ...prepareMarks]) byzOptions.push({ prepared: p, latest: l, low: false });
    for (let byzIn = 0; byzIn <= f; byzIn++) {
      for (const honestIn of subMultisets(state.honest, q.quorum - byzIn, (h) => `${h.prepared},${h.latest}`)) {
        for (const byz of multisets(byzOptions, byzIn)) {
          const vcs = [
            ...honestIn.map((h, i) => viewChange(i, next, h.prepared, h.latest, false)),
            ...byz.map((b, i) => viewChange(honestCount + i, next, b.prepared, b.latest, b.low)),
          ];
          // Honest reports first or last must not matter: the rule reads a set.
          if (report.decisions % 2 === 1) vcs.reverse();
          report.decisions++;
          const d = rule(vcs, q);
          const chosen = d.digest === null ? NONE : DIGESTS.findIndex((x) => x.every((v, i) => v === d.digest?.[i]));
          reached.add(chosen);
          for (const b of [0, 1]) {
            if (state.committed & (1 << b) && chosen !== b) {
              report.violations.push(`n=${n} view ${next}: block ${'AB'[b]} could have committed, the rule chose ${chosen === NONE ? 'none' : 'AB'[chosen]} (${d.rule}) from honest ${JSON.stringify(honestIn)} and Byzantine ${JSON.stringify(byz)}`);
            }
          }
        }
      }
    }
    return reached;
  }

  let frontier = new Map<string, { state: State; allowed: number[] }>();
  const start: State = { honest: Array.from({ length: honestCount }, () => ({ prepared: NONE, latest: NONE })), certs: 0, committed: 0 };
  frontier.set(key(start), { state: start, allowed: [0, 1] });
  for (let view = 0; view < depth; view++) {
    const next = new Map<string, { state: State; allowed: number[] }>();
    for (const { state, allowed } of frontier.values()) {
      for (const after of playView(state, view, allowed)) {
        if (after.committed === 3) report.violations.push(`n=${n} view ${view}: both blocks could have committed`);
        const afterKey = key(after);
        if (next.has(`${afterKey}|done`)) continue;
        next.set(`${afterKey}|done`, { state: after, allowed: [] });
        report.states++;
        if (report.violations.length > 10) return report;
        if (view + 1 === depth) {
          decisions(after, view + 1);
          continue;
        }
        for (const chosen of decisions(after, view + 1)) {
          const allowedNext = chosen === NONE ? [0, 1] : [chosen];
          next.set(`${afterKey}|${allowedNext.join('')}`, { state: after, allowed: allowedNext });
        }
      }
    }
    frontier = new Map([...next].filter(([k]) => !k.endsWith('|done')));
  }
  return report;
}
