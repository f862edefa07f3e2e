import {
  type Block,
  blockHash,
  type CommittedBlock,
  DecodeError,
  decodeMessage,
  encodeBlock,
  encodePrePrepare,
  type HashFunction,
  type Message,
  MessageType,
  type Outbound,
  quorums,
  recipients,
  type Reply,
  type Signer,
  signNewView,
  signViewChange,
  signVote,
  type TxRootFunction,
} from '../consensus/index.js';
import { type Fault, isTxAttack, type TxAttack } from './faults.js';
import type { Prng } from './prng.js';
import { TxTamperer } from './txAttacks.js';
import { Flooder } from './flood.js';
import { sha256 } from '../hash/index.js';

export interface Addressed {
  to: number;
  bytes: Uint8Array;
}

/** A PRE-PREPARE whose transactions the adversary tampered with (`TX_ATTACKS`): the frame and its block's digest. */
export interface TamperedProposal {
  attack: TxAttack;
  frame: Uint8Array;
  digest: Uint8Array;
}

/**
 * A Byzantine validator: it runs the honest replica (so it knows the protocol state) and then
 * rewrites what it sends according to its behaviours. It holds only its own key.
 */
export class ByzantineAdversary {
  private readonly recorded: Uint8Array[] = [];
  /** Its own recent PRE-PREPAREs by slot, to propose a slot again with another block. */
  private readonly proposed = new Map<number, Uint8Array>();
  /** Peers that said (in a FETCH) which slot they are at: slot by peer. */
  private readonly behind = new Map<number, number>();
  /** The transaction attacks it mounts as primary, and what it mounts them with. */
  private readonly attacks: TxAttack[];
  private readonly tamperer: TxTamperer | null;
  private readonly flooder: Flooder | null;
  /** The PRE-PREPARE it sent for each `view:seq` (tampered or not): a retransmission sends the same one again. */
  private readonly tampered = new Map<string, { seq: number; frame: Uint8Array }>();

  constructor(
    readonly id: number,
    readonly n: number,
    readonly behaviours: Fault[],
    private readonly signer: Signer,
    private readonly rng: Prng,
    private readonly hash: HashFunction,
    private readonly txRoot: TxRootFunction,
    private readonly genesis: Uint8Array,
    /** Told of each tampered proposal once, when first made. */
    private readonly onTamper: (p: TamperedProposal) => void,
  ) {
    this.attacks = behaviours.filter(isTxAttack);
    this.tamperer = this.attacks.length ? new TxTamperer(rng.fork()) : null;
    this.flooder = this.has('flood') ? new Flooder(id, n, signer, rng.fork(), genesis) : null;
  }

  /**
   * Its replies to clients: with `forge-replies`, each carries another result (with its matching
   * hash), half of them under another replica's id; a client must count neither.
   */
  replies(replies: readonly Reply[]): Reply[] {
    if (!this.has('forge-replies')) return [...replies];
    return replies.map((reply) => {
      const result = this.rng.bytes(8);
      const replica = this.rng.chance(0.5) ? (this.id + 1 + this.rng.int(this.n - 1)) % this.n : this.id;
      return { ...reply, replica, result, resultHash: sha256(result) };
    });
  }

  has(b: Fault): boolean {
    return this.behaviours.includes(b);
  }

  /** Frames it received, kept for replays; with `equivocate-primary`, whoever asks to catch up is noted. */
  observe(bytes: Uint8Array): void {
    if (this.has('equivocate-primary') && bytes[1] === MessageType.Fetch) {
      const m = decodeOrNull(bytes);
      if (m?.kind === 'fetch' && m.sender !== this.id) this.behind.set(m.sender, m.from);
    }
    if (!this.has('replay')) return;
    if (this.recorded.length < 512) this.recorded.push(bytes);
    else this.recorded[this.rng.int(512)] = bytes;
  }

  /** Its own replica committed `blocks` (it runs the honest code, so it knows what is committed). */
  committed(blocks: readonly CommittedBlock[]): void {
    this.tamperer?.observe(blocks);
  }

  /** Rewrites one step's outgoing messages. */
  rewrite(messages: Outbound[]): Addressed[] {
    if (this.has('silence')) return [];
    const out: Addressed[] = [];
    for (const m of messages) {
      let bytes = this.tamperer && m.bytes[1] === MessageType.PrePrepare ? this.tamper(m.bytes) : m.bytes;
      if (this.has('censor') && bytes[1] === MessageType.PrePrepare) bytes = this.censor(bytes);
      if (this.has('equivocate-primary') && bytes[1] === MessageType.PrePrepare) this.remember(bytes);
      for (const to of recipients(m.to, this.id, this.n)) out.push(...this.mangle(to, bytes));
    }
    return out;
  }

  /**
   * Its own proposal, half the time with the transactions of its block tampered with by one of its
   * attacks (honest ones first let blocks commit, so there is something to replay); a slot
   * proposed again (retransmission) gets the same frame again.
   */
  private tamper(preprepare: Uint8Array): Uint8Array {
    const m = decodeMessage(preprepare);
    if (m.kind !== 'preprepare' || m.sender !== this.id) return preprepare;
    const { view, seq } = m.vote;
    const slot = `${view}:${seq}`;
    const decided = this.tampered.get(slot);
    if (decided) return decided.frame;
    const attack = this.rng.pick(this.attacks);
    const txs = this.rng.chance(0.5) ? (this.tamperer as TxTamperer).tamper(attack, m.block.txs) : null;
    let frame = preprepare;
    if (txs) {
      const tampered = this.propose(view, seq, { height: m.block.height, parent: m.block.parent, txRoot: this.txRoot(txs), txs });
      frame = tampered.frame;
      this.onTamper({ attack, frame, digest: tampered.digest });
    }
    this.tampered.set(slot, { seq, frame });
    for (const [key, t] of this.tampered) if (t.seq <= seq - 64) this.tampered.delete(key);
    return frame;
  }

  /**
   * Its own proposal with every transaction taken out: a valid, empty block. Backups vote for it
   * and commit it; only the per-request timer notices that the requests waiting never get in.
   */
  private censor(preprepare: Uint8Array): Uint8Array {
    const m = decodeMessage(preprepare);
    if (m.kind !== 'preprepare' || m.sender !== this.id || m.block.txs.length === 0) return preprepare;
    const slot = `${m.vote.view}:${m.vote.seq}:censored`;
    const decided = this.tampered.get(slot);
    if (decided) return decided.frame;
    const frame = this.propose(m.vote.view, m.vote.seq, { height: m.block.height, parent: m.block.parent, txRoot: this.txRoot([]), txs: [] }).frame;
    this.tampered.set(slot, { seq: m.vote.seq, frame });
    return frame;
  }

  /** A PRE-PREPARE for `block` in (view, seq), signed: what passes every check but the block's own. */
  private propose(view: number, seq: number, block: Block): { frame: Uint8Array; digest: Uint8Array } {
    const digest = blockHash(block, this.hash);
    const vote = signVote(this.signer, MessageType.Prepare, this.id, view, seq, digest);
    return { frame: encodePrePrepare(this.id, vote, encodeBlock(block)), digest };
  }

  /** Unprompted mischief on a clock tick. */
  onTick(view: number, height: number): Addressed[] {
    if (this.has('silence')) return [];
    const out: Addressed[] = [];
    if (this.has('replay') && this.recorded.length && this.rng.chance(0.3)) {
      out.push({ to: this.rng.pick(this.peers()), bytes: this.rng.pick(this.recorded) });
    }
    if (this.has('malformed') && this.rng.chance(0.3)) out.push({ to: this.rng.pick(this.peers()), bytes: this.garbage() });
    if (this.has('fake-viewchange') && this.rng.chance(0.1)) out.push(...this.fakeViewChange(view, height));
    if (this.flooder) out.push(...this.flooder.frames(view, height));
    // A replica catching up gets the slot it asks for proposed again with yet another block: only
    // one that forgot its vote there (recovering from a damaged disk, say) would vote for it.
    for (const [peer, slot] of this.behind) {
      const proposal = this.proposed.get(slot);
      if (proposal) out.push({ to: peer, bytes: this.otherProposal(proposal, true) });
    }
    this.behind.clear();
    return out;
  }

  private remember(preprepare: Uint8Array): void {
    const m = decodeMessage(preprepare);
    if (m.kind !== 'preprepare') return;
    this.proposed.set(m.vote.seq, preprepare);
    for (const seq of this.proposed.keys()) if (seq <= m.vote.seq - 64) this.proposed.delete(seq);
  }

  private peers(): number[] {
    return [...Array(this.n).keys()].filter((i) => i !== this.id);
  }

  private mangle(to: number, bytes: Uint8Array): Addressed[] {
    const type = bytes[1];
    if (this.has('withhold-commit') && (type === MessageType.Commit || (type === MessageType.PrePrepare && to === (this.id + 1) % this.n))) return [];
    if (this.has('equivocate-primary') && type === MessageType.PrePrepare && to % 2 === 0) {
      return [{ to, bytes: this.otherProposal(bytes) }];
    }
    if (this.has('equivocate-votes') && (type === MessageType.Prepare || type === MessageType.Commit) && this.rng.chance(0.5)) {
      const v = decodeMessage(bytes);
      if (v.kind === 'vote') return [{ to, bytes: signVote(this.signer, v.type, this.id, v.view, v.seq, this.rng.bytes(32)) }];
    }
    if (this.has('bad-signatures') && this.rng.chance(0.3)) {
      const bad = bytes.slice();
      bad[bad.length - 1 - this.rng.int(Math.min(64, bad.length))] ^= 1 << this.rng.int(8);
      return [{ to, bytes: bad }];
    }
    if (this.has('malformed') && this.rng.chance(0.1)) return [{ to, bytes: bytes.subarray(0, this.rng.int(bytes.length)) }];
    return [{ to, bytes }];
  }

  /** A second, different block for the same (view, seq), properly signed: equivocation (`fresh`: a random one each time). */
  private otherProposal(bytes: Uint8Array, fresh = false): Uint8Array {
    const m = decodeMessage(bytes);
    if (m.kind !== 'preprepare') return bytes;
    const keep = fresh ? this.rng.int(m.block.txs.length + 1) : Math.max(0, m.block.txs.length - 1);
    const txs = m.block.txs.slice(0, keep).reverse();
    const block = { height: m.block.height, parent: m.block.parent, txRoot: this.txRoot(txs), txs };
    return this.propose(m.vote.view, m.vote.seq, block).frame;
  }

  private garbage(): Uint8Array {
    const junk = this.rng.bytes(this.rng.int(200));
    if (junk.length > 2 && this.rng.chance(0.5)) {
      junk[0] = 1; // a valid version byte, so deeper decoding paths are exercised
      junk[1] = 1 + this.rng.int(8);
    }
    return junk;
  }

  /** VIEW-CHANGE and NEW-VIEW claiming certificates it does not have (signed by itself for others). */
  private fakeViewChange(view: number, height: number): Addressed[] {
    const newView = view + 1 + this.rng.int(3);
    const digest = this.rng.bytes(32);
    const forged = [...Array(this.n).keys()].slice(0, quorums(this.n).quorum).map((i) => {
      const bytes = signVote(this.signer, MessageType.Prepare, i, view, height + 1, digest);
      return bytes;
    });
    const block = { height: height + 1, parent: this.genesis, txRoot: this.txRoot([]), txs: [] };
    const vc = signViewChange(this.signer, this.id, {
      newView,
      committed: { height: 0, hash: this.genesis, cert: [] },
      prepared: forged,
      latest: signVote(this.signer, MessageType.Prepare, this.id, view, height + 1, digest),
      blocks: [encodeBlock(block)],
    });
    const out: Addressed[] = this.peers().map((to) => ({ to, bytes: vc }));
    if (newView % this.n === this.id) out.push(...this.peers().map((to) => ({ to, bytes: signNewView(this.signer, this.id, newView, [vc, vc, vc]) })));
    return out;
  }
}

/** A frame received from anyone (another Byzantine replica sends garbage too), or null. */
function decodeOrNull(bytes: Uint8Array): Message | null {
  try {
    return decodeMessage(bytes);
  } catch (err) {
    if (err instanceof DecodeError) return null;
    throw err;
  }
}
