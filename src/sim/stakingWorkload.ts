import { bytesToHex } from '../bytes/index.js';
import { Client, type CommittedBlock, type Evidence, type ReplicaInput, type Reply, senderKey } from '../consensus/index.js';
import { transactionId } from '../tx/index.js';
import { decodeStakingResult, registrationMessage, stakingPayload, worthRecording } from '../validators/index.js';
import type { InvariantChecker } from './checker.js';
import type { CandidateKeys } from './epochChain.js';
import type { Prng } from './prng.js';
import { type RequestRecord, SIM_CHAIN_ID } from './workload.js';

export type StakingEvent =
  | { kind: 'stake'; action: StakingAction }
  | { kind: 'stake-resend'; account: number; nonce: number }
  /** `from`: the host that sent it (what an authenticated channel tells the client). */
  | { kind: 'stake-reply'; account: number; reply: Reply; from: number };

/** A staking transaction the workload decided on beforehand: which account sends it is decided when it is due. */
type StakingAction = { op: 'register'; host: number } | { op: 'delegate'; delegator: number } | { op: 'unbond' };

/** What the staking workload needs from the simulation. */
export interface StakingHost {
  readonly rng: Prng;
  readonly checker: InvariantChecker;
  now(): number;
  schedule(at: number, event: StakingEvent): void;
  /** Hands `input` to every host whose client link does not lose it. */
  submitAll(input: ReplicaInput): void;
  /** A reply's time on the client link, or null if lost. */
  replyLatency(reply: Reply): number | null;
  /** Hosts that may unbond now: honest members of the newest set. */
  unbondable(): number[];
}

/** One account: its own `Client` (one transaction outstanding), what it has yet to send, and its transactions' labels by nonce. */
interface Account {
  secretKey: Uint8Array;
  client: Client;
  queue: { label: string; payload: Uint8Array }[];
  labels: Map<number, string>;
}

/** Applied and refused staking transactions (by reason), per operation. */
export type StakingTally = Record<string, { applied: number; refused: Record<string, number> }>;

const RETRY_MS = 400;

/**
 * The stakers of an epoch run, seeded: the waiting candidates register early, delegators delegate
 * to random validators throughout, some honest members of the current committee unbond their whole
 * self-bond (so they leave the next committee), every honest host reports the equivocation its
 * replicas saw as an evidence transaction from its operator account (once per set and offender),
 * so equivocators are slashed and jailed, and each epoch's designated prover sends the next seed's
 * VRF proof. Accounts are hosts' operators, then the delegators.
 * Every transaction is resent until f+1 hosts answered it alike, and its result is tallied.
 */
export class StakingWorkload {
  readonly tally: StakingTally = {};
  /** Every staking transaction sent, by `s<account>:<nonce>` (the liveness check waits for them too). */
  readonly requests = new Map<string, RequestRecord>();
  private readonly accounts: Account[] = [];
  private readonly byKey = new Map<string, number>();
  /** Each host's self-bond: what it unbonds to leave. */
  private readonly selfBonds: bigint[];
  private readonly unbonded = new Set<number>();
  private readonly reported = new Set<string>();
  private stopped = false;

  constructor(
    private readonly host: StakingHost,
    private readonly keys: CandidateKeys[],
    delegators: { secretKey: Uint8Array; publicKey: Uint8Array }[],
    genesisSelfBonds: bigint[],
    private readonly committee: number,
    private readonly unbonds: number,
  ) {
    const secrets = [...keys.map((k) => k.operator), ...delegators];
    for (const { secretKey, publicKey } of secrets) {
      this.byKey.set(senderKey(publicKey), this.accounts.length);
      this.accounts.push({ secretKey, client: new Client({ chainId: SIM_CHAIN_ID, secretKey, replicas: keys.length }), queue: [], labels: new Map() });
    }
    this.selfBonds = keys.map((_, i) => genesisSelfBonds[i] ?? 0n);
  }

  /** Schedules the registrations, delegations and unbonds of a run of `durationMs`. */
  start(durationMs: number): void {
    const rng = this.host.rng;
    for (let h = this.committee; h < this.keys.length; h++) this.host.schedule(rng.int(200), { kind: 'stake', action: { op: 'register', host: h } });
    const delegators = this.accounts.length - this.keys.length;
    for (let t = 300; t < durationMs * 0.8; t += 200 + rng.int(400)) this.host.schedule(t, { kind: 'stake', action: { op: 'delegate', delegator: rng.int(delegators) } });
    for (let k = 0; k < this.unbonds; k++) this.host.schedule(durationMs * 0.2 + rng.int(Math.ceil(durationMs * 0.5)), { kind: 'stake', action: { op: 'unbond' } });
  }

  /** No new transactions from now on: what is in flight is still resent until answered. */
  stop(): void {
    this.stopped = true;
  }

  handle(e: StakingEvent): void {
    switch (e.kind) {
      case 'stake':
        return this.act(e.action);
      case 'stake-resend': {
        const pending = this.accounts[e.account].client.pending();
        if (pending?.tx.nonce === e.nonce) this.send(e.account);
        return;
      }
      case 'stake-reply':
        return this.answered(e.account, e.reply, e.from);
    }
  }

  /** Host `host` (honest) saw `e` among set `epoch`'s members: its operator sends the evidence, once per set and offender. */
  report(host: number, epoch: number, e: Evidence): void {
    const key = `${host}:${epoch}:${e.validator}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.enqueue(host, 'evidence', stakingPayload.evidence(epoch, e.first, e.second));
  }

  /**
   * Host `host` (honest), member `index` of a set of `n`, committed `c`: when the height is its
   * turn, its operator records the commit certificate (the performance the epoch end measures).
   */
  record(host: number, index: number, n: number, c: CommittedBlock): void {
    if (c.height % n !== index || c.cert.length === 0 || !worthRecording(c.block.txs, SIM_CHAIN_ID)) return;
    this.enqueue(host, 'record-commit', stakingPayload.recordCommit(c.height, c.cert));
  }

  /** Host `host`'s operator sends the VRF proof of the seed that follows epoch `epoch` (its host is that seed's designated prover). */
  proveSeed(host: number, epoch: number, proof: Uint8Array): void {
    this.enqueue(host, 'epoch-seed', stakingPayload.epochSeed(epoch, proof));
  }

  /** A host's reply leaves it: to the account that sent the transaction, over the client link. */
  route(reply: Reply, from: number): void {
    const account = this.byKey.get(senderKey(reply.sender));
    if (account === undefined) return;
    const latency = this.host.replyLatency(reply);
    if (latency !== null) this.host.schedule(this.host.now() + latency, { kind: 'stake-reply', account, reply, from });
  }

  /** Whether every staking transaction sent was executed (`executedAt`: by id). */
  executed(executedAt: ReadonlyMap<string, number>): boolean {
    for (const r of this.requests.values()) if (!executedAt.has(r.id)) return false;
    return true;
  }

  private act(action: StakingAction): void {
    const rng = this.host.rng;
    if (action.op === 'register') {
      const { signer, operator } = this.keys[action.host];
      const selfBond = BigInt(50_000 + rng.int(150_000));
      this.selfBonds[action.host] = selfBond;
      const proof = signer.sign(registrationMessage(SIM_CHAIN_ID, operator.publicKey));
      return this.enqueue(action.host, 'register', stakingPayload.register(signer.publicKey, rng.int(2000), selfBond, proof));
    }
    if (action.op === 'delegate') {
      const target = this.keys[rng.int(this.keys.length)].operator.publicKey;
      return this.enqueue(this.keys.length + action.delegator, 'delegate', stakingPayload.delegate(target, 10_000 + rng.int(50_000)));
    }
    const candidates = this.host.unbondable().filter((h) => !this.unbonded.has(h) && this.selfBonds[h] > 0n);
    if (candidates.length === 0) return;
    const h = rng.pick(candidates);
    this.unbonded.add(h);
    this.enqueue(h, 'unbond', stakingPayload.unbond(this.keys[h].operator.publicKey, this.selfBonds[h]));
  }

  private enqueue(account: number, label: string, payload: Uint8Array): void {
    if (this.stopped) return;
    this.accounts[account].queue.push({ label, payload });
    this.next(account);
  }

  /** Signs and sends the account's next transaction once its last one was answered. */
  private next(account: number): void {
    const a = this.accounts[account];
    if (this.stopped || a.client.pending() || a.queue.length === 0) return;
    const { label, payload } = a.queue.shift() as Account['queue'][number];
    const { tx } = a.client.request(payload);
    a.labels.set(tx.nonce, label);
    this.requests.set(`s${account}:${tx.nonce}`, { id: bytesToHex(transactionId(tx.bytes)), sentAt: this.host.now(), acceptedAt: null });
    this.host.checker.submit(tx.bytes);
    this.send(account);
  }

  private send(account: number): void {
    const { tx } = this.accounts[account].client.pending() as NonNullable<ReturnType<Client['pending']>>;
    this.host.submitAll({ type: 'request', request: tx.bytes });
    this.host.schedule(this.host.now() + RETRY_MS, { kind: 'stake-resend', account, nonce: tx.nonce });
  }

  private answered(account: number, reply: Reply, from: number): void {
    const a = this.accounts[account];
    const result = a.client.onReply(reply, from);
    if (result === undefined) return;
    const label = a.labels.get(reply.nonce) as string;
    a.labels.delete(reply.nonce);
    (this.requests.get(`s${account}:${reply.nonce}`) as RequestRecord).acceptedAt = this.host.now();
    this.host.checker.accepted(account, reply, result);
    const outcome = decodeStakingResult(result);
    const t = (this.tally[label] ??= { applied: 0, refused: {} });
    if (outcome.ok) t.applied++;
    else t.refused[outcome.reason] = (t.refused[outcome.reason] ?? 0) + 1;
    this.next(account);
  }
}
