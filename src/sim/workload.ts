import { Client, type CommittedBlock, type ReplicaInput, type Reply, senderKey } from '../consensus/index.js';
import { ed25519 } from '../sig/index.js';
import { bytesToHex } from '../bytes/index.js';
import { parseTransaction, signTransaction, transactionId } from '../tx/index.js';
import type { InvariantChecker } from './checker.js';
import { kvSet } from '../kv/index.js';
import type { Prng } from './prng.js';

/** Open-loop load: requests per simulated second and payload bytes. */
export interface LoadModel {
  rate: number;
  payloadBytes: number;
}

export type WorkloadEvent =
  /** `from`: the replica that sent it (what an authenticated transport tells the client). */
  | { kind: 'reply'; client: number; reply: Reply; from: number }
  /** A client's turn: sign and send new transactions (`nonce` 0), or resend nonce `nonce` if still unanswered. */
  | { kind: 'client'; client: number; nonce: number }
  | { kind: 'load' };

/** What the workload needs from the simulation. */
export interface WorkloadHost {
  readonly rng: Prng;
  readonly checker: InvariantChecker;
  now(): number;
  schedule(at: number, event: WorkloadEvent): void;
  /** Hands `input` to replica `i` if it is up and the client's link does not lose it. */
  submit(i: number, input: ReplicaInput): void;
  /** A reply's time on the client link, or null if lost. */
  replyLatency(reply: Reply): number | null;
  mix(...values: number[]): void;
}

const TICK_MS = 10;
const CLIENT_RETRY_MS = 400;
const LOAD_CLIENTS = 4096;
/** The chain every simulated network runs. */
export const SIM_CHAIN_ID = 'swarmguard-sim';

/** A closed-loop client's account: its key, the last nonce it signed, and its transactions awaiting f+1 replies. */
interface Account {
  secretKey: Uint8Array;
  nonce: number;
  /** One `Client` per transaction in flight, by nonce (a `Client` holds one outstanding transaction), and when it was first sent. */
  inFlight: Map<number, { client: Client; sentAt: number }>;
}

/** A closed-loop transaction: its id (hex), when it was first sent and when its client accepted a result (null: not yet). */
export interface RequestRecord {
  id: string;
  sentAt: number;
  acceptedAt: number | null;
}

/**
 * The simulated users: closed-loop clients (`inFlight` transactions outstanding each, consecutive
 * nonces, each resent until f+1 matching replies) or an open-loop load at a fixed rate, whose
 * submit-to-commit latencies it records. Every request is registered with the checker, which
 * proves validity against it. Pipelined clients are fewer (`clients / inFlight`, rounded up), so
 * the load, and the signatures a run costs, stay about the same.
 */
export class Workload {
  readonly latencies: number[] = [];
  private readonly accounts: Account[] = [];
  /** Client index by `senderKey`, to route replies. */
  private readonly bySender = new Map<string, number>();
  private readonly submittedAt = new Map<string, number>();
  private readonly loadKeys: { secretKey: Uint8Array; publicKey: Uint8Array }[] = [];
  private loadCounter = 0;
  /** Once stopped, clients only resend what they have in flight. */
  private stopped = false;
  /** Every closed-loop transaction, by `client:nonce`. */
  readonly requests = new Map<string, RequestRecord>();

  constructor(
    private readonly host: WorkloadHost,
    private readonly n: number,
    private readonly clientCount: number,
    private readonly load: LoadModel | undefined,
    private readonly inFlight = 1,
    /** `partial-send`: half the sends leave one replica out. */
    private readonly partialSend = false,
  ) {
    if (load) for (let i = 0; i < LOAD_CLIENTS; i++) this.loadKeys.push(ed25519.generateKeyPair(host.rng.bytes(32)));
  }

  start(): void {
    if (this.load) {
      this.host.schedule(0, { kind: 'load' });
      return;
    }
    for (let c = 0; c < Math.ceil(this.clientCount / this.inFlight); c++) {
      const secretKey = this.host.rng.bytes(32);
      this.bySender.set(senderKey(ed25519.getPublicKey(secretKey)), c);
      this.accounts.push({ secretKey, nonce: 0, inFlight: new Map() });
      this.host.schedule(this.host.rng.int(50), { kind: 'client', client: c, nonce: 0 });
    }
  }

  handle(e: WorkloadEvent): void {
    switch (e.kind) {
      case 'client':
        return this.clientTurn(e.client, e.nonce);
      case 'reply': {
        const inFlight = this.accounts[e.client].inFlight;
        const c = inFlight.get(e.reply.nonce);
        const result = c?.client.onReply(e.reply, e.from);
        if (result !== undefined) {
          inFlight.delete(e.reply.nonce);
          (this.requests.get(`${e.client}:${e.reply.nonce}`) as RequestRecord).acceptedAt = this.host.now();
          this.host.checker.accepted(e.client, e.reply, result);
          this.host.mix(e.reply.nonce, e.client);
          this.host.schedule(this.host.now() + 1, { kind: 'client', client: e.client, nonce: 0 });
        }
        return;
      }
      case 'load':
        return this.loadTurn();
    }
  }

  /** No new transactions from now on: what is in flight is still resent until answered. */
  stop(): void {
    this.stopped = true;
  }

  /** Whether every closed-loop transaction sent was executed (`executedAt`: by id, see the checker). */
  executed(executedAt: ReadonlyMap<string, number>): boolean {
    for (const r of this.requests.values()) if (!executedAt.has(r.id)) return false;
    return true;
  }

  /** A replica's reply leaves it: route it to its client over the client link. */
  route(reply: Reply, from: number): void {
    if (this.load) return;
    const index = this.bySender.get(senderKey(reply.sender));
    if (index === undefined) return;
    const latency = this.host.replyLatency(reply);
    if (latency !== null) this.host.schedule(this.host.now() + latency, { kind: 'reply', client: index, reply, from });
  }

  /** The first commit of a height anywhere: records the latency of the load's requests in it. */
  committed(c: CommittedBlock): void {
    if (!this.load) return;
    for (const bytes of c.block.txs) {
      const tx = parseTransaction(bytes, 2 ** 32);
      const key = `${senderKey(tx.sender)}:${tx.nonce}`;
      const at = this.submittedAt.get(key);
      if (at !== undefined) {
        this.latencies.push(this.host.now() - at);
        this.submittedAt.delete(key);
      }
    }
  }

  /** Resends transaction `retryNonce` if still unanswered, or (`retryNonce` 0) signs new ones up to `inFlight` outstanding. */
  private clientTurn(index: number, retryNonce: number): void {
    const a = this.accounts[index];
    if (retryNonce !== 0) {
      const c = a.inFlight.get(retryNonce);
      if (c) this.send(index, c.client);
      return;
    }
    while (!this.stopped && a.inFlight.size < this.inFlight) {
      const c = new Client({ chainId: SIM_CHAIN_ID, secretKey: a.secretKey, replicas: this.n, lastNonce: a.nonce });
      const value = this.host.rng.int(1000);
      const { tx } = c.request(kvSet(`c${index}-k${value % 4}`, `v${value}`));
      a.nonce = tx.nonce;
      a.inFlight.set(tx.nonce, { client: c, sentAt: this.host.now() });
      this.requests.set(`${index}:${tx.nonce}`, { id: bytesToHex(transactionId(tx.bytes)), sentAt: this.host.now(), acceptedAt: null });
      this.host.checker.submit(tx.bytes);
      this.send(index, c);
    }
  }

  /** Sends a client's outstanding transaction to every replica and schedules its resend. */
  private send(index: number, c: Client): void {
    const { tx } = c.pending() as NonNullable<ReturnType<Client['pending']>>;
    // Transactions share the links' loss; modelled as arriving now for simplicity of the client loop.
    const skip = this.partialSend && this.host.rng.chance(0.5) ? this.host.rng.int(this.n) : -1;
    for (let i = 0; i < this.n; i++) if (i !== skip) this.host.submit(i, { type: 'request', request: tx.bytes });
    this.host.schedule(this.host.now() + CLIENT_RETRY_MS, { kind: 'client', client: index, nonce: tx.nonce });
  }

  private loadTurn(): void {
    if (this.stopped) return;
    const load = this.load as LoadModel;
    const now = this.host.now();
    const perTick = Math.max(1, Math.round((load.rate * TICK_MS) / 1000));
    const batch: Uint8Array[] = [];
    for (let k = 0; k < perTick; k++) {
      // A fixed set of accounts with rising nonces keeps the account table small.
      const id = this.loadCounter++;
      const key = this.loadKeys[id % LOAD_CLIENTS];
      const nonce = Math.floor(id / LOAD_CLIENTS) + 1;
      const tx = signTransaction({ chainId: SIM_CHAIN_ID, nonce, payload: this.host.rng.bytes(load.payloadBytes) }, key);
      batch.push(tx.bytes);
      this.host.checker.submit(tx.bytes);
      this.submittedAt.set(`${senderKey(key.publicKey)}:${nonce}`, now);
    }
    for (let i = 0; i < this.n; i++) this.host.submit(i, { type: 'requests', requests: batch });
    this.host.schedule(now + TICK_MS, { kind: 'load' });
  }
}
