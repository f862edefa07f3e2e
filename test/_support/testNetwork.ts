import {
  type CommittedBlock,
  decodeDurable,
  type DurableState,
  type Evidence,
  persistOps,
  type Ready,
  recipients,
  Replica,
  type ReplicaConfig,
  type Reply,
  type Signer,
  type SignatureScheme,
  consensusDomain,
  domainSigner,
  wasmHybridSigner,
  wasmHybridVerifier,
} from '../../src/consensus/index.js';
import { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from '../../src/node/index.js';
import { KeyValueStore } from '../../src/sim/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { TEST_CHAIN } from './requests.js';

export interface Envelope {
  from: number;
  to: number;
  bytes: Uint8Array;
}

/** Deterministic validator keys for tests, of `scheme` (default Ed25519). */
export function testSigners(n: number, tag = 'test', scheme: SignatureScheme = 'ed25519'): Signer[] {
  const seed = (text: string) => nodeSha256(new TextEncoder().encode(text));
  return Array.from({ length: n }, (_, i) => (scheme === 'ed25519' ? nodeEd25519Signer(seed(`${tag}/${i}`)) : wasmHybridSigner(seed(`${tag}/${i}`), seed(`${tag}/${i}/mldsa65`))));
}

/**
 * An etcd-raft-style test network: replicas exchange frames through a FIFO queue the test drives
 * with `deliver`; `filter` drops frames, `isolate` cuts a replica off, `crash`/`restart` rebuild a
 * replica from what it persisted.
 */
export class TestNetwork {
  /** The validators' raw signers (what each replica is configured with). */
  readonly keys: Signer[];
  /** The same keys signing under the network's consensus domain: for frames a test forges. */
  readonly signers: Signer[];
  readonly validators: Uint8Array[];
  readonly replicas: (Replica | null)[] = [];
  readonly apps: KeyValueStore[] = [];
  readonly disks: MemoryStorage[] = [];
  readonly commits: CommittedBlock[][] = [];
  readonly evidence: Evidence[] = [];
  readonly replies: Reply[] = [];
  queue: Envelope[] = [];
  now = 0;
  delivered = 0;
  filter: (e: Envelope) => boolean = () => true;
  private isolated = new Set<number>();

  constructor(
    readonly n: number,
    readonly options: Partial<ReplicaConfig> = {},
    /** Names the validators' keys: another tag, another validator set. */
    tag = 'test',
  ) {
    this.keys = testSigners(n, tag, options.signatures);
    this.validators = this.keys.map((s) => s.publicKey);
    const domain = consensusDomain({ chainId: options.chainId ?? TEST_CHAIN, epoch: options.epoch, validators: this.validators, signatures: options.signatures }, nodeSha256);
    this.signers = this.keys.map((k) => domainSigner(k, domain));
    for (let i = 0; i < n; i++) {
      this.disks.push(new MemoryStorage());
      this.commits.push([]);
      this.apps.push(new KeyValueStore());
      this.replicas.push(new Replica(this.config(i)));
    }
  }

  config(i: number): ReplicaConfig {
    return {
      chainId: TEST_CHAIN,
      id: i,
      validators: this.validators,
      signer: this.keys[i],
      verifier: this.options.signatures === 'ed25519+mldsa65' ? wasmHybridVerifier() : nodeEd25519Verifier(),
      hash: nodeSha256,
      application: this.apps[i],
      batchSize: 4,
      batchTimeout: 0,
      checkpointInterval: 4,
      viewChangeTimeout: 1000,
      retransmitInterval: 100,
      // One block in flight unless a test asks for more: most tests here count blocks and frames as one slot makes them.
      pipeline: 1,
      ...this.options,
    };
  }

  replica(i: number): Replica {
    const r = this.replicas[i];
    if (!r) throw new Error(`replica ${i} is crashed`);
    return r;
  }

  /** Applies one Ready: persist first, then queue the messages. */
  apply(from: number, ready: Ready): Ready {
    if (ready.persist) void this.disks[from].write(persistOps(ready.persist));
    this.commits[from].push(...ready.committed);
    this.evidence.push(...ready.evidence);
    this.replies.push(...ready.replies);
    for (const m of ready.messages) for (const to of recipients(m.to, from, this.n)) this.queue.push({ from, to, bytes: m.bytes });
    return ready;
  }

  step(i: number, input: Parameters<Replica['step']>[0]): Ready {
    return this.apply(i, this.replica(i).step(input));
  }

  /** Sends a request to every live replica (as a client broadcasting it). */
  submit(request: Uint8Array): void {
    for (let i = 0; i < this.n; i++) if (this.replicas[i] && !this.isolated.has(i)) this.step(i, { type: 'request', request });
  }

  /** Delivers queued frames (and those they cause) until the queue is empty or `limit` is reached. */
  deliver(limit = 100_000): number {
    let count = 0;
    while (this.queue.length && count < limit) {
      const e = this.queue.shift() as Envelope;
      if (!this.replicas[e.to] || this.isolated.has(e.to) || this.isolated.has(e.from) || !this.filter(e)) continue;
      count++;
      this.step(e.to, { type: 'message', bytes: e.bytes });
    }
    this.delivered += count;
    return count;
  }

  /** Advances time by `ms` in `stepMs` ticks, delivering after each. */
  run(ms: number, stepMs = 10): void {
    for (let t = 0; t < ms; t += stepMs) {
      this.now += stepMs;
      for (let i = 0; i < this.n; i++) if (this.replicas[i]) this.step(i, { type: 'tick', now: this.now });
      this.deliver();
    }
  }

  isolate(i: number): void {
    this.isolated.add(i);
  }
  heal(): void {
    this.isolated.clear();
    this.filter = () => true;
  }

  crash(i: number): void {
    this.replicas[i] = null;
    this.queue = this.queue.filter((e) => e.to !== i);
  }

  restart(i: number): void {
    this.apps[i] = new KeyValueStore();
    this.replicas[i] = Replica.restore(this.config(i), this.durable(i));
  }

  /** What replica `i` has persisted, decoded. */
  durable(i: number): DurableState {
    return decodeDurable(this.disks[i].records());
  }

  heights(): number[] {
    return this.replicas.map((r) => (r ? r.status().height : -1));
  }

  /** Throws if two replicas committed different blocks at one height or a chain link breaks. */
  checkAgreement(): void {
    const byHeight = new Map<number, string>();
    for (const commits of this.commits) {
      for (const c of commits) {
        const hex = Buffer.from(c.hash).toString('hex');
        const prior = byHeight.get(c.height);
        if (prior !== undefined && prior !== hex) throw new Error(`agreement broken at height ${c.height}`);
        byHeight.set(c.height, hex);
      }
    }
  }
}
