import { bytesToHex } from '../bytes/index.js';
import {
  blockHash,
  buildCommitProof,
  type CommittedBlock,
  decodeMessage,
  type Evidence,
  type HashFunction,
  MessageType,
  type Reply,
  type ValidatorSet,
  verifyCommitProof,
  type Vote,
} from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { parseTransaction, type Transaction, transactionIds } from '../tx/index.js';
import type { TxAttack } from './faults.js';

const VOTE_NAMES: Record<number, string> = { [MessageType.Prepare]: 'PREPARE', [MessageType.Commit]: 'COMMIT', [MessageType.Checkpoint]: 'CHECKPOINT' };

/**
 * The invariants checked after every step of a simulation: agreement, hash-chain integrity,
 * validity (every committed transaction is one its sender signed and submitted, and no (sender,
 * nonce) commits twice), application-state agreement, that
 * evidence only ever names Byzantine validators, that an honest replica never sends two votes
 * with different digests for one (type, view, seq), however often it crashed and recovered from a
 * damaged disk (peers might never see both, so evidence alone would not tell), and that it never
 * votes for a block whose transactions a Byzantine primary tampered with.
 */
export class InvariantChecker {
  readonly violations: string[] = [];
  private readonly hashes = new Map<number, string>();
  private readonly states = new Map<number, string>();
  /** Validator state root (hex) after each height, from the first honest replica that reported it. */
  private readonly roots = new Map<number, string>();
  private readonly chainTx = new Map<string, number>();
  /** Ids (hex) of the transactions clients signed and submitted. */
  private readonly submitted = new Set<string>();
  /** Digest (hex) of every vote an honest replica sent, by `sender:type:view:seq`. */
  private readonly votes = new Map<string, string>();
  /** Digests (hex) of the blocks Byzantine primaries tampered with, and the attack. */
  private readonly tamperedBlocks = new Map<string, TxAttack>();

  /** Result hash (hex) of each executed transaction (by id, hex), from the first honest reply. */
  private readonly results = new Map<string, string>();
  /** When an honest replica first executed each transaction (by id, hex). */
  readonly executedAt = new Map<string, number>();

  /** Commit proofs built and checked (one per committed height). */
  proofsChecked = 0;

  constructor(
    private readonly hash: HashFunction,
    private readonly genesis: Uint8Array,
    private readonly byzantine: ReadonlySet<number>,
    /** The validator set that signs each height: when given, a commit proof of one transaction per height is built and must verify against it. */
    private readonly setAt?: (height: number) => ValidatorSet,
  ) {}

  /** A client signed and sent `tx` (its signed encoding). */
  submit(tx: Uint8Array): void {
    this.submitted.add(bytesToHex(transactionIds([tx])[0]));
  }

  /** A Byzantine primary proposed the block with digest `digest`, its transactions tampered with by `attack`. */
  tampered(digest: Uint8Array, attack: TxAttack): void {
    this.tamperedBlocks.set(bytesToHex(digest), attack);
  }

  fail(message: string): void {
    if (this.violations.length < 20) this.violations.push(message);
  }

  /** Host `host`'s honest replica computed validator state root `root` right after block `height` (epochs: every height). */
  validatorRoot(host: number, height: number, root: Uint8Array): void {
    const hex = bytesToHex(root);
    const prior = this.roots.get(height);
    if (prior === undefined) this.roots.set(height, hex);
    else if (prior !== hex) this.fail(`validator state root: host ${host}'s root after height ${height} is ${hex.slice(0, 16)}, others' ${prior.slice(0, 16)}`);
  }

  /** An honest replica committed `c`; `state` is its application-state digest right after it, when known. */
  commit(replica: number, c: CommittedBlock, state: Uint8Array | null): void {
    const hex = bytesToHex(c.hash);
    if (bytesToHex(blockHash(c.block, this.hash)) !== hex) this.fail(`replica ${replica}: block ${c.height} hash does not match its header`);
    const prior = this.hashes.get(c.height);
    if (prior === undefined) this.hashes.set(c.height, hex);
    else if (prior !== hex) this.fail(`agreement: replica ${replica} committed ${hex.slice(0, 16)} at height ${c.height}, others ${prior.slice(0, 16)}`);
    const parent = c.height === 1 ? bytesToHex(this.genesis) : this.hashes.get(c.height - 1);
    if (parent !== undefined && parent !== bytesToHex(c.block.parent)) this.fail(`hash chain: replica ${replica} block ${c.height} does not link to block ${c.height - 1}`);
    if (state) {
      const stateHex = bytesToHex(state);
      const priorState = this.states.get(c.height);
      if (priorState === undefined) this.states.set(c.height, stateHex);
      else if (priorState !== stateHex) this.fail(`state agreement: replica ${replica} state after height ${c.height} differs`);
    }
    if (prior === undefined) {
      this.checkValidity(c);
      this.checkProof(replica, c);
    }
  }

  /** A light client's view: the commit proof of one transaction of the block (chosen by height) verifies against the validator set. */
  private checkProof(replica: number, c: CommittedBlock): void {
    if (!this.setAt || c.block.txs.length === 0) return;
    const index = c.height % c.block.txs.length;
    let reason: string;
    try {
      const verdict = verifyCommitProof(buildCommitProof(c, index), c.block.txs[index], this.setAt(c.height), { hash: this.hash });
      this.proofsChecked++;
      if (verdict.ok) return;
      reason = verdict.reason;
    } catch (err) {
      reason = (err as Error).message;
    }
    this.fail(`commit proof: replica ${replica}'s block ${c.height}, transaction ${index}: ${reason}`);
  }

  private checkValidity(c: CommittedBlock): void {
    const ids = transactionIds(c.block.txs);
    for (let i = 0; i < c.block.txs.length; i++) {
      let tx: Transaction;
      try {
        tx = parseTransaction(c.block.txs[i], 2 ** 32);
      } catch {
        this.fail(`validity: transaction ${i} at height ${c.height} is not a transaction`);
        continue;
      }
      const key = `${bytesToHex(tx.sender)}:${tx.nonce}`;
      // Only the sender holds its key: a transaction it did not submit was forged or altered.
      if (!this.submitted.has(bytesToHex(ids[i]))) this.fail(`validity: transaction ${key} at height ${c.height} was never signed and submitted by its sender`);
      const at = this.chainTx.get(key);
      if (at !== undefined) this.fail(`exactly-once: (sender, nonce) ${key} committed twice (heights ${at} and ${c.height})`);
      this.chainTx.set(key, c.height);
    }
  }

  /** An honest replica sends `frame` (once per frame, whatever the number of recipients). */
  sent(replica: number, frame: Uint8Array): void {
    const type = frame[1];
    let vote: Vote;
    if (type === MessageType.Prepare || type === MessageType.Commit || type === MessageType.Checkpoint) {
      const m = decodeMessage(frame);
      if (m.kind !== 'vote') return;
      vote = m;
    } else if (type === MessageType.PrePrepare) {
      const m = decodeMessage(frame);
      if (m.kind !== 'preprepare') return;
      vote = m.vote;
    } else {
      return;
    }
    if (vote.sender !== replica) return; // a vote of someone else's it passes on
    const key = `${replica}:${vote.type}:${vote.view}:${vote.seq}`;
    const digest = bytesToHex(vote.digest);
    const attack = this.tamperedBlocks.get(digest);
    if (attack) this.fail(`tampered block voted: honest replica ${replica} sent ${VOTE_NAMES[vote.type]} (view ${vote.view}, seq ${vote.seq}) for a ${attack} block`);
    const prior = this.votes.get(key);
    if (prior === undefined) this.votes.set(key, digest);
    else if (prior !== digest) this.fail(`double vote: honest replica ${replica} sent ${VOTE_NAMES[vote.type]} (view ${vote.view}, seq ${vote.seq}) for ${prior.slice(0, 16)} and ${digest.slice(0, 16)}`);
  }

  /** An honest replica executed a transaction and answers its client with `reply`. */
  executed(reply: Reply, now: number): void {
    const id = bytesToHex(reply.txId);
    const hash = bytesToHex(reply.resultHash);
    const prior = this.results.get(id);
    if (prior === undefined) {
      this.results.set(id, hash);
      this.executedAt.set(id, now);
    }
    else if (prior !== hash) this.fail(`result agreement: replica ${reply.replica} answered transaction ${id.slice(0, 16)} with another result`);
  }

  /** Client `client` accepted `result` for the transaction `reply` names: it must be what honest replicas executed. */
  accepted(client: number, reply: Reply, result: Uint8Array): void {
    const id = bytesToHex(reply.txId);
    const executed = this.results.get(id);
    if (executed === undefined) this.fail(`client ${client} accepted a result for transaction ${id.slice(0, 16)}, which no honest replica executed`);
    else if (executed !== bytesToHex(sha256(result))) this.fail(`client ${client} accepted a result for transaction ${id.slice(0, 16)} other than the one executed`);
  }

  /** What an honest replica holds from peers and clients (`Replica.held()`) stays within the documented bounds (`Replica.heldBounds()`). */
  held(replica: number, held: Record<string, number>, bounds: Record<string, number>): void {
    for (const [what, bound] of Object.entries(bounds)) {
      if (held[what] > bound) this.fail(`memory bound: replica ${replica} holds ${held[what]} ${what}, above the bound ${bound}`);
    }
  }

  evidence(replica: number, e: Evidence): void {
    if (!this.byzantine.has(e.validator)) this.fail(`false evidence: replica ${replica} accuses honest validator ${e.validator}`);
  }
}
