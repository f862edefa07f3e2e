import {
  type Block,
  blockHash,
  type CommittedBlock,
  decodeMessage,
  encodeBlock,
  encodePrePrepare,
  type HashFunction,
  MessageType,
  type Outbound,
  recipients,
  type Reply,
  type SchemeFormat,
  schemeFormat,
  type Signer,
  signVote,
  type TxRootFunction,
} from '../consensus/index.js';
import { type Fault, isTxAttack, type TxAttack } from './faults.js';
import { decodeOrNull, type Lie, Liar, SelectiveViewChange } from './lies.js';
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
  /** Lies in structure (lies.ts): `fake-viewchange`, `subset-newview`, `transfer-lies`, `selective-viewchange`. */
  private readonly liar: Liar | null;
  private readonly selective: SelectiveViewChange | null;
  /** Whether its lies need material (votes and VIEW-CHANGEs it sees): decoding them is not free. */
  private readonly gathers: boolean;
  /** The network's scheme: the signature length and version byte its garbage imitates. */
  private readonly format: SchemeFormat;

  constructor(
    readonly id: number,
    readonly n: number,
    readonly behaviours: Fault[],
    private readonly signer: Signer,
    private readonly rng: Prng,
    private readonly hash: HashFunction,
    private readonly txRoot: TxRootFunction,
    genesis: Uint8Array,
    /** Told of each tampered proposal once, when first made. */
    private readonly onTamper: (p: TamperedProposal) => void,
  ) {
    this.attacks = behaviours.filter(isTxAttack);
    this.format = schemeFormat(signer.scheme ?? 'ed25519');
    this.tamperer = this.attacks.length ? new TxTamperer(rng.fork()) : null;
    this.flooder = this.has('flood') ? new Flooder(id, n, signer, rng.fork(), genesis) : null;
    const lies = behaviours.some((b) => b === 'fake-viewchange' || b === 'selective-viewchange' || b === 'subset-newview' || b === 'transfer-lies');
    this.liar = lies ? new Liar(id, n, signer, rng.fork(), genesis, hash, txRoot) : null;
    this.selective = this.liar && this.has('selective-viewchange') ? new SelectiveViewChange(id, n, rng.fork(), this.liar) : null;
    this.gathers = this.has('fake-viewchange') || this.has('subset-newview');
  }

  /** How many frames carried each lie it told. */
  get lies(): Partial<Record<Lie, number>> {
    return this.liar?.counts ?? {};
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
    if (this.gathers) this.liar?.observe(bytes);
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
    this.liar?.committed(blocks);
  }

  /** Rewrites one step's outgoing messages. */
  rewrite(messages: Outbound[]): Addressed[] {
    if (this.has('silence')) return [];
    const out: Addressed[] = [];
    for (const m of messages) {
      // Its own genuine PREPAREs and VIEW-CHANGEs are material for its lies too.
      if (this.gathers) this.liar?.observe(m.bytes);
      if (this.has('subset-newview') && m.bytes[1] === MessageType.NewView && this.holdNewView(m.bytes)) continue;
      let bytes = this.tamperer && m.bytes[1] === MessageType.PrePrepare ? this.tamper(m.bytes) : m.bytes;
      if (this.has('censor') && bytes[1] === MessageType.PrePrepare) bytes = this.censor(bytes);
      if (this.has('equivocate-primary') && bytes[1] === MessageType.PrePrepare) this.remember(bytes);
      if (this.has('transfer-lies') && bytes[1] === MessageType.Transfer) bytes = (this.liar as Liar).transfer(bytes);
      let to = recipients(m.to, this.id, this.n);
      if (this.selective) to = this.selective.route(bytes, to);
      for (const peer of to) out.push(...this.mangle(peer, bytes));
    }
    return out;
  }

  /** Its core's NEW-VIEW: held back for the one `subset-newview` builds (true), unless it is not a NEW-VIEW after all. */
  private holdNewView(bytes: Uint8Array): boolean {
    const m = decodeOrNull(bytes);
    if (m?.kind !== 'newview') return false;
    (this.liar as Liar).holdNewView(m.view);
    return true;
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
    if (this.has('silence') || this.selective?.silent) return [];
    const out: Addressed[] = [];
    if (this.has('subset-newview')) out.push(...(this.liar as Liar).releaseNewView());
    if (this.has('replay') && this.recorded.length && this.rng.chance(0.3)) {
      out.push({ to: this.rng.pick(this.peers()), bytes: this.rng.pick(this.recorded) });
    }
    if (this.has('malformed') && this.rng.chance(0.3)) out.push({ to: this.rng.pick(this.peers()), bytes: this.garbage() });
    if (this.has('fake-viewchange') && this.rng.chance(0.1)) out.push(...(this.liar as Liar).fakeViewChange(view));
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
      // A bit of the signature (either half of a hybrid one: Ed25519, then ML-DSA-65).
      const bad = bytes.slice();
      bad[bad.length - 1 - this.rng.int(Math.min(this.format.signatureBytes, bad.length))] ^= 1 << this.rng.int(8);
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
      junk[0] = this.format.wireVersion; // the network's version byte, so deeper decoding paths are exercised
      junk[1] = 1 + this.rng.int(8);
    }
    return junk;
  }
}
