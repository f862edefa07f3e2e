import {
  type Block,
  blockHash,
  decodeMessage,
  defaultTxRoot,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  type Ready,
  signNewView,
  signViewChange,
  signVote,
  type ValidatorSet,
  type Vote,
  type VoteType,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request, TEST_CHAIN } from './requests.js';
import { type Envelope, TestNetwork } from './testNetwork.js';

// Scripted view changes on n = 4 (f = 1) where honest replicas sign votes for two blocks at one
// height in two views. The honest replicas are real replicas; the Byzantine ones are not run at
// all: the script signs their frames with their keys. The network (the filter) is the
// adversary's too: it delays what it likes, as an asynchronous network may.

const txRoot = defaultTxRoot();

/** A TestNetwork that keeps every frame its live replicas send, by sender. */
class RecordingNetwork extends TestNetwork {
  readonly sent: Uint8Array[][] = [];

  override apply(from: number, ready: Ready): Ready {
    (this.sent[from] ??= []).push(...ready.messages.map((m) => m.bytes));
    return super.apply(from, ready);
  }

  /** The votes (PREPARE, COMMIT, and the PREPARE inside a PRE-PREPARE) replica `i` signed. */
  votesOf(i: number): Vote[] {
    const votes: Vote[] = [];
    for (const bytes of this.sent[i] ?? []) {
      const m = decodeMessage(bytes);
      const v = m.kind === 'preprepare' ? m.vote : m;
      if (v.kind === 'vote' && v.sender === i && (v.type === MessageType.Prepare || v.type === MessageType.Commit)) votes.push(v);
    }
    return votes;
  }

  /** Replica `i`'s vote of `type` in `view` at height 1 (its frame), or throws. */
  voteOf(i: number, type: VoteType, view: number): Vote {
    const v = this.votesOf(i).find((x) => x.type === type && x.view === view && x.seq === 1);
    if (!v) throw new Error(`replica ${i} sent no vote of type ${type} in view ${view}`);
    return v;
  }

  /** The first VIEW-CHANGE replica `i` sent for `view`. */
  viewChangeOf(i: number, view: number): Uint8Array {
    const frame = (this.sent[i] ?? []).find((bytes) => {
      const m = decodeMessage(bytes);
      return m.kind === 'viewchange' && m.sender === i && m.newView === view;
    });
    if (!frame) throw new Error(`replica ${i} sent no VIEW-CHANGE for view ${view}`);
    return frame;
  }

  /** Validator `b`'s vote, signed by the script. */
  forgeVote(b: number, type: VoteType, view: number, digest: Uint8Array): Uint8Array {
    return signVote(this.signers[b], type, b, view, 1, digest);
  }

  /** Validator `b`'s PRE-PREPARE of `block` in `view`. */
  forgeProposal(b: number, view: number, block: Block): Uint8Array {
    return encodePrePrepare(b, this.forgeVote(b, MessageType.Prepare, view, blockHash(block, nodeSha256)), encodeBlock(block));
  }

  /** Validator `b`'s VIEW-CHANGE for `view` claiming it voted for nothing above genesis: a lie once it voted at height 1. */
  forgeEmptyViewChange(b: number, view: number): Uint8Array {
    const genesis = (this.replicas.find((r) => r !== null) as NonNullable<(typeof this.replicas)[number]>).genesisHash();
    return signViewChange(this.signers[b], b, { newView: view, committed: { height: 0, hash: genesis, cert: [] }, prepared: [], latest: null, blocks: [] });
  }

  forgeNewView(b: number, view: number, viewChanges: Uint8Array[]): Uint8Array {
    return signNewView(this.signers[b], b, view, viewChanges);
  }

  /** Hands `bytes` to each replica of `to` directly (not through the filter). */
  inject(to: number[], bytes: Uint8Array): void {
    for (const i of to) this.step(i, { type: 'message', bytes });
  }

  set(): ValidatorSet {
    return { chainId: TEST_CHAIN, validators: this.validators };
  }
}

/** A PREPARE, COMMIT or PRE-PREPARE of view 0. */
function voteOfView0(e: Envelope): boolean {
  const type = e.bytes[1];
  if (type !== MessageType.Prepare && type !== MessageType.Commit && type !== MessageType.PrePrepare) return false;
  const m = decodeMessage(e.bytes);
  return m.kind === 'preprepare' ? m.vote.view === 0 : m.kind === 'vote' && m.view === 0;
}

/** Height 1's two candidate blocks: X holds alice's transaction, Y alice's and bob's. */
function candidates(net: RecordingNetwork): { x: Block; y: Block; t1: Uint8Array; t2: Uint8Array } {
  const genesis = net.replica(net.replicas.findIndex((r) => r !== null)).genesisHash();
  const t1 = request('alice', 1);
  const t2 = request('bob', 1);
  const block = (txs: Uint8Array[]): Block => ({ height: 1, parent: genesis, txRoot: txRoot(txs), txs });
  return { x: block([t1]), y: block([t1, t2]), t1, t2 };
}

export interface CrossViewRun {
  net: RecordingNetwork;
  x: Block;
  y: Block;
  digestX: Uint8Array;
  digestY: Uint8Array;
}

/**
 * One Byzantine validator (0, the primary of view 0), within the fault threshold. It proposes X
 * to replicas 1 and 2 only; the network delays everything replica 2 sends and every vote of view
 * 0 to replica 3. Replica 2 sees 2f+1 PREPAREs (0, 1, 2), prepares X and sends COMMIT(view 0, X);
 * no one else prepares it. Replicas 1 and 3 time out; replica 1, the next primary, installs view
 * 1 from its own VIEW-CHANGE, replica 3's and validator 0's, which leaves its PREPARE out. X then
 * has one report (replica 1's), fewer than f+1, and no prepared certificate: the slot is free,
 * replica 1 proposes Y, and replica 2 — honest code throughout — PREPAREs and COMMITs Y in view 1.
 */
export function honestCommitsTwiceWithinThreshold(): CrossViewRun {
  const net = new RecordingNetwork(4);
  net.crash(0);
  const { x, y, t1, t2 } = candidates(net);
  net.submit(t1);
  net.submit(t2);
  net.filter = (e) => e.from !== 2 && !(e.to === 3 && voteOfView0(e));
  net.inject([1, 2], net.forgeProposal(0, 0, x));
  net.inject([1, 2, 3], net.forgeEmptyViewChange(0, 1));
  net.deliver();
  net.run(50);
  // Replica 1 enters view 1 when its timer and replica 3's fire; the network then lets replica 2 speak, but not its old votes.
  for (let t = 0; t < 3000 && !(net.replica(1).status().view === 1 && !net.replica(1).status().inViewChange); t += 50) net.run(50);
  net.filter = (e) => !(voteOfView0(e) && (e.from === 2 || e.to === 3));
  net.run(500);
  return { net, x, y, digestX: blockHash(x, nodeSha256), digestY: blockHash(y, nodeSha256) };
}

/**
 * Two Byzantine validators (0 and 1, the primaries of views 0 and 1): more than f. Validator 0
 * proposes X to replicas 2 and 3; validator 1 PREPAREs X to replica 2 only, and the network keeps
 * the view-0 votes of 2 and 3 from each other. Replica 2 prepares X and sends COMMIT(view 0, X);
 * replica 3 has PREPAREd X without preparing it. Both time out; validator 1 installs view 1 from
 * replica 3's VIEW-CHANGE and two empty ones of its own side (X has one report, the slot is free),
 * proposes Y, and the Byzantine validators COMMIT Y with the honest ones, which commit Y. Kept
 * aside by the adversary: COMMIT(view 0, X) of 0 and 1 (with replica 2's, a commit certificate of
 * X) and the PREPAREs of X from all four (a fast-path certificate of X).
 */
export function crossViewFork(): CrossViewRun & { commitX: Uint8Array[]; fastX: Uint8Array[]; commitY: (signers: number[]) => Uint8Array[] } {
  const net = new RecordingNetwork(4);
  net.crash(0);
  net.crash(1);
  const { x, y, t1, t2 } = candidates(net);
  const digestX = blockHash(x, nodeSha256);
  const digestY = blockHash(y, nodeSha256);
  net.submit(t1);
  net.submit(t2);
  net.filter = (e) => !(voteOfView0(e) && (e.from === 2 || e.from === 3));
  const proposalX = net.forgeProposal(0, 0, x);
  const prepareX1 = net.forgeVote(1, MessageType.Prepare, 0, digestX);
  net.inject([2, 3], proposalX);
  net.inject([2], prepareX1);
  net.deliver();
  for (let t = 0; t < 3000 && !(net.replica(2).status().inViewChange && net.replica(3).status().inViewChange); t += 50) net.run(50);
  const newView = net.forgeNewView(1, 1, [net.forgeEmptyViewChange(0, 1), net.forgeEmptyViewChange(1, 1), net.viewChangeOf(3, 1)]);
  net.inject([2, 3], newView);
  net.inject([2, 3], net.forgeProposal(1, 1, y));
  net.run(100);
  net.inject([2, 3], net.forgeVote(0, MessageType.Commit, 1, digestY));
  net.inject([2, 3], net.forgeVote(1, MessageType.Commit, 1, digestY));
  net.run(100);

  const commitX = [net.forgeVote(0, MessageType.Commit, 0, digestX), net.forgeVote(1, MessageType.Commit, 0, digestX), net.voteOf(2, MessageType.Commit, 0).bytes];
  const preprepare = decodeMessage(proposalX);
  if (preprepare.kind !== 'preprepare') throw new Error('not a PRE-PREPARE');
  const fastX = [preprepare.vote.bytes, prepareX1, net.voteOf(2, MessageType.Prepare, 0).bytes, net.voteOf(3, MessageType.Prepare, 0).bytes];
  const commitY = (signers: number[]) => signers.map((i) => (i < 2 ? net.forgeVote(i, MessageType.Commit, 1, digestY) : net.voteOf(i, MessageType.Commit, 1).bytes));
  return { net, x, y, digestX, digestY, commitX, fastX, commitY };
}
