import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockHash,
  ConsensusConfigError,
  consensusDomain,
  defaultTxRoot,
  domainSigner,
  type DropReason,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  type Ready,
  Replica,
  type ReplicaConfig,
  signNewView,
  signTransfer,
  signViewChange,
  signVote,
  WIRE_VERSION,
} from '../../src/consensus/index.js';
import { nodeEd25519Verifier, nodeSha256 } from '../../src/node/index.js';
import { expectRefusal } from '../_support/refusals.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork, testSigners } from '../_support/testNetwork.js';

// Check before you spend (docs/consensus.md, "Frame bounds"): a frame a peer can make cheaply is
// dropped and counted before it costs a decode, a signature check or heap it does not pay for.

const MiB = 2 ** 20;
const N = 4;
const TARGET = 1;
const txRoot = defaultTxRoot();
/** Worst-case signature checks of one frame at n validators, B blocks per TRANSFER (docs/consensus.md). */
const viewChangeBound = (n: number) => 2 * n + 2;
const newViewBound = (n: number) => 2 * n * n + 2 * n + 1;
const transferBound = (n: number, blocks: number) => 1 + 2 * n + blocks * n + newViewBound(n);
/**
 * Heap one dropped frame's step may grow by. `global.gc` is not exposed under vitest, so heapUsed
 * also holds the step's garbage not yet collected: the bound is generous (the largest seen is
 * under 0.5 MiB, for the largest valid TRANSFER at n = 4), and far below what such frames cost
 * before (a 15 MiB frame of empty items took 399 MiB).
 */
const HEAP_BOUND = 4 * MiB;

function le(value: number, bytes: number): number[] {
  return Array.from({ length: bytes }, (_, i) => Math.floor(value / 2 ** (8 * i)) % 256);
}

/** A frame written by hand: header, then the parts as they are. */
function rawFrame(type: number, sender: number, ...parts: (number[] | Uint8Array)[]): Uint8Array {
  const out = new Uint8Array(4 + parts.reduce((sum, p) => sum + p.length, 0));
  out.set([WIRE_VERSION, type, ...le(sender, 2)]);
  let at = 4;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A network of 4 whose replica 1 counts the signatures its verifier is asked to check. */
function target(options: Partial<ReplicaConfig> = {}) {
  const net = new TestNetwork(N, options);
  const config = net.config(TARGET);
  const inner = config.verifier;
  const counted = { calls: 0, checks: 0 };
  const replica = new Replica({
    ...config,
    verifier: {
      verifyBatch: (checks) => {
        counted.calls++;
        counted.checks += checks.length;
        return inner.verifyBatch(checks);
      },
    },
  });
  net.replicas[TARGET] = replica;
  return { net, replica, counted, s: net.signers, genesis: replica.genesisHash() };
}

/** One step with `frame`, and the heap it grew by. */
function measured(replica: Replica, frame: Uint8Array): { ready: Ready; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().heapUsed;
  const ready = replica.step({ type: 'message', bytes: frame });
  return { ready, heap: process.memoryUsage().heapUsed - before };
}

function emptyBlock(height: number, parent: Uint8Array, txs: Uint8Array[] = []): Block {
  return { height, parent, txRoot: txRoot(txs), txs };
}

type Net = ReturnType<typeof target>;
const votes = (t: Net, type: 2 | 3 | 4, view: number, seq: number, digest: Uint8Array, from = [0, 1, 2, 3]) => from.map((i) => signVote(t.s[i], type, i, view, seq, digest));

/**
 * A VIEW-CHANGE of validator `i` for view 2 carrying all a structurally valid one may: a fast-path
 * commit certificate (n PREPAREs) for height 1, a prepared certificate of n PREPAREs for height 2,
 * its latest vote and the block.
 */
function fullViewChange(t: Net, i: number): Uint8Array {
  const b1 = emptyBlock(1, t.genesis);
  const h1 = blockHash(b1, nodeSha256);
  const b2 = emptyBlock(2, h1);
  const d2 = blockHash(b2, nodeSha256);
  return signViewChange(t.s[i], i, {
    newView: 2,
    committed: { height: 1, hash: h1, cert: votes(t, MessageType.Prepare, 0, 1, h1) },
    prepared: votes(t, MessageType.Prepare, 1, 2, d2),
    latest: signVote(t.s[i], MessageType.Prepare, i, 1, 2, d2),
    blocks: [encodeBlock(b2)],
  });
}

/** The simplest valid VIEW-CHANGE of validator `i` for view 2: nothing committed, nothing voted. */
function bareViewChange(t: Net, i: number): Uint8Array {
  return signViewChange(t.s[i], i, { newView: 2, committed: { height: 0, hash: t.genesis, cert: [] }, prepared: [], latest: null, blocks: [] });
}

function badSignature(frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  out[out.length - 1] ^= 1;
  return out;
}

/** A TRANSFER as serve builds it, with `blocks` blocks from height 1 each under n PREPAREs, a checkpoint at 4 and the largest NEW-VIEW. */
function fullTransfer(t: Net, blocks: number, breakBlockCert = false): Uint8Array {
  const chain: Block[] = [];
  let parent = t.genesis;
  for (let h = 1; h <= blocks; h++) {
    const b = emptyBlock(h, parent);
    chain.push(b);
    parent = blockHash(b, nodeSha256);
  }
  const cpHash = blockHash(chain[3], nodeSha256);
  const cpDigest = nodeSha256(new Uint8Array([1, 2, 3]));
  return signTransfer(t.s[2], 2, {
    checkpoint: { seq: 4, blockHash: cpHash, snapshot: new Uint8Array(8), cert: votes(t, MessageType.Checkpoint, 0, 4, cpDigest), blockCert: votes(t, MessageType.Prepare, 0, 4, cpHash) },
    blocks: chain.map((b, k) => ({
      block: encodeBlock(b),
      cert: votes(t, MessageType.Prepare, 0, b.height, breakBlockCert && k === blocks - 1 ? cpDigest : blockHash(b, nodeSha256)),
    })),
    newView: signNewView(t.s[2], 2, 2, [0, 1, 2, 3].map((i) => fullViewChange(t, i))),
  });
}

interface Attack {
  name: string;
  frame: (t: Net) => Uint8Array;
  options?: Partial<ReplicaConfig>;
  drop: DropReason;
  /** Signatures the replica may check for it (0: dropped before the batch). */
  verified: number;
}

const vote = (t: Net, sender = 2) => signVote(t.s[sender], MessageType.Prepare, sender, 0, 1, new Uint8Array(32));
const ATTACKS: Attack[] = [
  // Length, then header: nothing is decoded.
  { name: 'a frame one byte over maxFrameBytes (16 MiB)', frame: () => rawFrame(MessageType.NewView, 2, new Uint8Array(16 * MiB - 3)), drop: 'oversize', verified: 0 },
  { name: 'a frame over a configured maxFrameBytes of 4 KiB', frame: () => rawFrame(MessageType.Prepare, 2, new Uint8Array(4093)), options: { maxFrameBytes: 4096 }, drop: 'oversize', verified: 0 },
  { name: 'a non-validator id declaring a 100 MiB block in a TRANSFER', frame: () => rawFrame(MessageType.Transfer, 9, [0], le(1, 2), le(100 * MiB, 4)), drop: 'unknownSender', verified: 0 },
  { name: "the replica's own id", frame: (t) => vote(t, TARGET), drop: 'unknownSender', verified: 0 },
  { name: 'a validator declaring a 100 MiB block in a TRANSFER', frame: () => rawFrame(MessageType.Transfer, 2, [0], le(1, 2), le(100 * MiB, 4), new Uint8Array(64)), drop: 'malformed', verified: 0 },
  { name: 'an unknown wire version', frame: (t) => Uint8Array.of(WIRE_VERSION + 1, ...vote(t).subarray(1)), drop: 'malformed', verified: 0 },
  { name: 'an unknown message type', frame: () => rawFrame(9, 2, new Uint8Array(200)), drop: 'malformed', verified: 0 },
  { name: 'a vote one byte longer than a vote', frame: (t) => Uint8Array.of(...vote(t), 0), drop: 'malformed', verified: 0 },
  { name: 'a FETCH one byte short', frame: () => rawFrame(MessageType.Fetch, 2, new Uint8Array(75)), drop: 'malformed', verified: 0 },
  // Decoding within limits sized from n, the batch size and maxTransferBlocks.
  {
    name: 'a VIEW-CHANGE with 1,024 certificate votes and 1,024 prepared votes at n = 4 (2,049 verifications before)',
    frame: (t) => {
      const v = vote(t, 0);
      return signViewChange(t.s[2], 2, { newView: 1, committed: { height: 1, hash: new Uint8Array(32), cert: new Array(1024).fill(v) }, prepared: new Array(1024).fill(v), latest: null, blocks: [] });
    },
    drop: 'malformed',
    verified: 0,
  },
  {
    name: 'a NEW-VIEW of 1,024 view changes of 60 + 60 votes each, 14 MiB (123,905 verifications before)',
    frame: (t) => {
      const v = vote(t, 0);
      const vc = signViewChange(t.s[2], 2, { newView: 2, committed: { height: 1, hash: new Uint8Array(32), cert: new Array(60).fill(v) }, prepared: new Array(60).fill(v), latest: null, blocks: [] });
      return signNewView(t.s[2], 2, 2, new Array(1024).fill(vc));
    },
    drop: 'malformed',
    verified: 0,
  },
  { name: 'a VIEW-CHANGE whose certificate declares 4 votes it does not carry', frame: () => rawFrame(MessageType.ViewChange, 2, le(1, 4), le(1, 8), new Uint8Array(32), le(4, 2), new Uint8Array(64)), drop: 'malformed', verified: 0 },
  {
    name: 'a TRANSFER declaring 65,535 blocks in 64 bytes (maxTransferBlocks 65,535)',
    frame: () => rawFrame(MessageType.Transfer, 2, [0], le(65535, 2), new Uint8Array(64)),
    options: { maxTransferBlocks: 65535 },
    drop: 'malformed',
    verified: 0,
  },
  {
    name: 'a PRE-PREPARE whose block holds 65,535 empty transactions (one object per 4 bytes before)',
    frame: (t) => {
      const header = encodeBlock(emptyBlock(1, t.genesis)).subarray(0, 73);
      const block = Uint8Array.from([...header, ...le(65535, 4), ...new Uint8Array(65535 * 4)]);
      return encodePrePrepare(0, signVote(t.s[0], MessageType.Prepare, 0, 0, 1, new Uint8Array(32)), block);
    },
    drop: 'malformed',
    verified: 0,
  },
  {
    name: 'a 15 MiB PRE-PREPARE of 3.9 million empty transactions (399 MiB of heap before)',
    frame: (t) => {
      const count = Math.floor((15 * MiB) / 4);
      const block = new Uint8Array(77 + 4 * count);
      block.set(encodeBlock(emptyBlock(1, t.genesis)).subarray(0, 73));
      block.set(le(count, 4), 73);
      return encodePrePrepare(0, signVote(t.s[0], MessageType.Prepare, 0, 0, 1, new Uint8Array(32)), block);
    },
    drop: 'malformed',
    verified: 0,
  },
  {
    name: 'a PRE-PREPARE with batchSize + 1 transactions',
    frame: (t) => {
      const block = emptyBlock(1, t.genesis, [1, 2, 3, 4, 5].map((k) => request('zed', k)));
      return encodePrePrepare(0, signVote(t.s[0], MessageType.Prepare, 0, 0, 1, blockHash(block, nodeSha256)), encodeBlock(block));
    },
    drop: 'malformed',
    verified: 0,
  },
  {
    name: 'a TRANSFER of maxTransferBlocks + 1 blocks',
    frame: (t) => signTransfer(t.s[2], 2, { checkpoint: null, blocks: new Array(17).fill({ block: encodeBlock(emptyBlock(1, t.genesis)), cert: [] }), newView: null }),
    drop: 'malformed',
    verified: 0,
  },
  {
    name: 'a TRANSFER whose block holds batchSize + 1 transactions',
    frame: (t) => signTransfer(t.s[2], 2, { checkpoint: null, blocks: [{ block: encodeBlock(emptyBlock(1, t.genesis, [1, 2, 3, 4, 5].map((k) => request('zed', k)))), cert: [] }], newView: null }),
    drop: 'malformed',
    verified: 0,
  },
  // Structure, before any signature.
  { name: 'a PRE-PREPARE carrying another validator’s vote', frame: (t) => encodePrePrepare(0, signVote(t.s[3], MessageType.Prepare, 3, 0, 1, new Uint8Array(32)), encodeBlock(emptyBlock(1, t.genesis))), drop: 'invalid', verified: 0 },
  { name: 'a PRE-PREPARE from a backup', frame: (t) => encodePrePrepare(2, signVote(t.s[2], MessageType.Prepare, 2, 0, 1, new Uint8Array(32)), encodeBlock(emptyBlock(1, t.genesis))), drop: 'invalid', verified: 0 },
  {
    name: 'a VIEW-CHANGE whose commit certificate repeats one vote n times',
    frame: (t) => {
      const h = nodeSha256(new Uint8Array(1));
      const c = signVote(t.s[0], MessageType.Commit, 0, 0, 1, h);
      return signViewChange(t.s[2], 2, { newView: 1, committed: { height: 1, hash: h, cert: [c, c, c, c] }, prepared: [], latest: null, blocks: [] });
    },
    drop: 'invalid',
    verified: 0,
  },
  {
    name: 'a VIEW-CHANGE whose commit certificate mixes digests',
    frame: (t) => {
      const h = nodeSha256(new Uint8Array(1));
      const cert = [0, 1, 2].map((i) => signVote(t.s[i], MessageType.Commit, i, 0, 1, i === 2 ? new Uint8Array(32) : h));
      return signViewChange(t.s[2], 2, { newView: 1, committed: { height: 1, hash: h, cert }, prepared: [], latest: null, blocks: [] });
    },
    drop: 'invalid',
    verified: 0,
  },
  { name: 'a NEW-VIEW from a validator not the primary of its view', frame: (t) => signNewView(t.s[3], 3, 2, [0, 2, 3].map((i) => bareViewChange(t, i))), drop: 'invalid', verified: 0 },
  { name: 'a NEW-VIEW with 2f view changes', frame: (t) => signNewView(t.s[2], 2, 2, [0, 3].map((i) => bareViewChange(t, i))), drop: 'invalid', verified: 0 },
  { name: 'a NEW-VIEW repeating one sender’s view change', frame: (t) => signNewView(t.s[2], 2, 2, [3, 3, 3, 3].map((i) => bareViewChange(t, i))), drop: 'invalid', verified: 0 },
  {
    name: 'a NEW-VIEW with an invalid view change (a prepared certificate without its block)',
    frame: (t) => {
      const fake = signViewChange(t.s[3], 3, { newView: 2, committed: { height: 0, hash: t.genesis, cert: [] }, prepared: votes(t, MessageType.Prepare, 1, 1, new Uint8Array(32), [0, 1, 3]), latest: null, blocks: [] });
      return signNewView(t.s[2], 2, 2, [bareViewChange(t, 0), bareViewChange(t, 2), fake]);
    },
    drop: 'invalid',
    verified: 0,
  },
  {
    name: 'a TRANSFER whose block certificate is for another block',
    frame: (t) => {
      const b = emptyBlock(1, t.genesis);
      return signTransfer(t.s[2], 2, { checkpoint: null, blocks: [{ block: encodeBlock(b), cert: votes(t, MessageType.Commit, 0, 1, new Uint8Array(32), [0, 1, 2]) }], newView: null });
    },
    drop: 'invalid',
    verified: 0,
  },
  {
    name: 'a TRANSFER whose block certificate is 2f+1 PREPAREs (a fast-path certificate needs n)',
    frame: (t) => {
      const b = emptyBlock(1, t.genesis);
      return signTransfer(t.s[2], 2, { checkpoint: null, blocks: [{ block: encodeBlock(b), cert: votes(t, MessageType.Prepare, 0, 1, blockHash(b, nodeSha256), [0, 1, 2]) }], newView: null });
    },
    drop: 'invalid',
    verified: 0,
  },
  { name: 'a TRANSFER whose last block’s certificate is not for it', frame: (t) => fullTransfer(t, 16, true), drop: 'invalid', verified: 0 },
  {
    name: 'a TRANSFER whose checkpoint certificate mixes digests',
    frame: (t) => {
      const cert = [0, 1, 2].map((i) => signVote(t.s[i], MessageType.Checkpoint, i, 0, 4, new Uint8Array(32).fill(i)));
      return signTransfer(t.s[2], 2, { checkpoint: { seq: 4, blockHash: new Uint8Array(32), snapshot: new Uint8Array(0), cert, blockCert: [] }, blocks: [], newView: null });
    },
    drop: 'invalid',
    verified: 0,
  },
  // Structurally valid frames as large as n allows, with a bad signature: the bound is reached, not passed.
  { name: `the largest valid VIEW-CHANGE, badly signed (${viewChangeBound(N)} = 2n + 2 checks)`, frame: (t) => badSignature(fullViewChange(t, 3)), drop: 'badSignature', verified: viewChangeBound(N) },
  {
    name: `the largest valid NEW-VIEW, badly signed (${newViewBound(N)} = 2n² + 2n + 1 checks)`,
    frame: (t) => badSignature(signNewView(t.s[2], 2, 2, [0, 1, 2, 3].map((i) => fullViewChange(t, i)))),
    drop: 'badSignature',
    verified: newViewBound(N),
  },
  { name: `the largest valid TRANSFER, badly signed (${transferBound(N, 16)} = 1 + 2n + Bn + 2n² + 2n + 1 checks)`, frame: (t) => badSignature(fullTransfer(t, 16)), drop: 'badSignature', verified: transferBound(N, 16) },
];

describe('frame bounds: a cheap frame costs no more than n allows', () => {
  for (const a of ATTACKS) {
    it(`${a.name}: dropped as ${a.drop}, ${a.verified} signatures checked at most`, () => {
      const t = target(a.options);
      const frame = a.frame(t);
      let step: { ready: Ready; heap: number } | undefined;
      expect(() => (step = measured(t.replica, frame))).not.toThrow();
      const { ready, heap } = step as { ready: Ready; heap: number };
      const dropped = Object.entries(ready.stats.dropped).filter(([, count]) => count > 0);
      expect(dropped).toEqual([[a.drop, 1]]);
      expect(t.counted.checks).toBeLessThanOrEqual(a.verified);
      expect(ready.stats.verified).toBe(t.counted.checks);
      expect(heap).toBeLessThan(HEAP_BOUND);
      expect(t.replica.status().view).toBe(0);
    });
  }

  it('keeps one verifyBatch per step: the frames that pass go in it, the others cost nothing', () => {
    const t = target();
    const good = signVote(t.s[2], MessageType.Prepare, 2, 0, 1, nodeSha256(new Uint8Array(1)));
    const ready = t.replica.step({ type: 'messages', messages: [ATTACKS[0].frame(t), good, ATTACKS[9].frame(t), rawFrame(MessageType.Commit, 7, new Uint8Array(108)), badSignature(good)] });
    expect([t.counted.calls, t.counted.checks]).toEqual([1, 2]);
    expect([ready.stats.dropped.oversize, ready.stats.dropped.malformed, ready.stats.dropped.unknownSender, ready.stats.dropped.badSignature]).toEqual([1, 1, 1, 1]);
    expect(ready.stats.received).toBe(5);
  });

  it('a structurally valid frame from a validator still reaches its phase (the largest NEW-VIEW installs its view)', () => {
    const t = target();
    const ready = t.replica.step({ type: 'message', bytes: signNewView(t.s[2], 2, 2, [0, 1, 2, 3].map((i) => fullViewChange(t, i))) });
    expect(ready.stats.verified).toBe(newViewBound(N));
    expect(t.replica.status().view).toBe(2);
    expect(t.replica.status().inViewChange).toBe(false);
  });
});

describe('the health monitor counts only what valid signatures prove', () => {
  it('badly signed frames under a validator’s id leave the fast path on; a proven equivocation does not', () => {
    const t = target();
    for (let k = 0; k < 50; k++) t.replica.step({ type: 'message', bytes: badSignature(signVote(t.s[0], MessageType.Prepare, 0, 0, 1, nodeSha256(Uint8Array.of(k)))) });
    expect(t.replica.status().totals.dropped.badSignature).toBe(50);
    expect(t.replica.status().health.byzantine).toBe(0);
    t.replica.step({ type: 'message', bytes: signVote(t.s[2], MessageType.Prepare, 2, 0, 1, nodeSha256(Uint8Array.of(1))) });
    const second = t.replica.step({ type: 'message', bytes: signVote(t.s[2], MessageType.Prepare, 2, 0, 1, nodeSha256(Uint8Array.of(2))) });
    expect(second.evidence.length).toBe(1);
    expect(t.replica.status().health.byzantine).toBe(1);
  });
});

describe('validator set size and frame settings', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => nodeSha256(Uint8Array.from(le(i, 4))));

  it('refuses more than 1,024 validators with ConsensusConfigError naming the limit', () => {
    const signer = testSigners(1)[0];
    const validators = [signer.publicKey, ...keys(1024)];
    const config = { ...new TestNetwork(N).config(0), validators, signer };
    let caught: unknown;
    try {
      new Replica(config);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConsensusConfigError);
    expect((caught as ConsensusConfigError).code).toBe('ERR_CONSENSUS_CONFIG');
    expect((caught as Error).message).toBe('at most 1024 validators, got 1025');
  });

  it('at n = 1,024 a vote from validator 1,023 (a two-byte sender id) is checked and stored', () => {
    const signers = testSigners(1024);
    const validators = signers.map((x) => x.publicKey);
    const net = new TestNetwork(N);
    const replica = new Replica({ ...net.config(0), validators, signer: signers[0] });
    const domain = consensusDomain({ chainId: TEST_CHAIN, validators }, nodeSha256);
    const frame = signVote(domainSigner(signers[1023], domain), MessageType.Prepare, 1023, 0, 1, new Uint8Array(32));
    const ready = replica.step({ type: 'message', bytes: frame });
    expect(ready.stats.verified).toBe(1);
    expect(Object.values(ready.stats.dropped).every((count) => count === 0)).toBe(true);
    expect(replica.step({ type: 'message', bytes: frame }).stats.dropped.duplicate).toBe(1);
  });

  it('checks maxFrameBytes and maxTransferBlocks like every other setting', () => {
    const base = new TestNetwork(N).config(0);
    const make = (extra: Partial<ReplicaConfig>) => () => new Replica({ ...base, ...extra, verifier: nodeEd25519Verifier() });
    expectRefusal(make({ maxFrameBytes: 1023 }), 'range', 'Replica', 'config.maxFrameBytes', 'in [1024, 4294967296], got 1023');
    expectRefusal(make({ maxFrameBytes: 4096.5 }), 'range', 'Replica', 'config.maxFrameBytes');
    expectRefusal(make({ maxFrameBytes: '4096' as never }), 'type', 'Replica', 'config.maxFrameBytes');
    expectRefusal(make({ maxTransferBlocks: 0 }), 'range', 'Replica', 'config.maxTransferBlocks', 'in [1, 65535], got 0');
    expectRefusal(make({ maxTransferBlocks: '16' as never }), 'type', 'Replica', 'config.maxTransferBlocks');
    expect(() => make({ maxFrameBytes: 1024, maxTransferBlocks: 1 })()).not.toThrow();
  });
});
