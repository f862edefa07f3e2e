import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConsensusConfigError,
  consensusDomain,
  DecodeError,
  decodeMessage,
  domainSigner,
  HYBRID_MLDSA_CONTEXT,
  hybridPublicKey,
  MessageType,
  Replica,
  schemeFormat,
  type SignatureCheck,
  signNewView,
  signViewChange,
  signVote,
  validatorSetId,
  verifyCommitCertificates,
  voteFrameBytes,
  wasmEd25519Signer,
  wasmEd25519Verifier,
  wasmHybridSigner,
  wasmHybridVerifier,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { ed25519, mldsa65, mldsa65OnDemand } from '../../src/sig/index.js';
import { findForkCulprits, NotAForkError } from '../../src/validators/index.js';
import { expectRefusal } from '../_support/refusals.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { Rng, testSeed } from '../_support/seed.js';
import { TestNetwork, testSigners } from '../_support/testNetwork.js';

// 'ed25519+mldsa65': every consensus message signed with Ed25519 and ML-DSA-65, both of which
// must verify; keys and signatures are the pairs, frames carry the scheme's wire version.

const HYBRID = 'ed25519+mldsa65' as const;
const seed = (text: string) => nodeSha256(new TextEncoder().encode(text));
const T = 'type';
const R = 'range';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('wasmHybridSigner', () => {
  it('signs with both halves: Ed25519 ‖ ML-DSA-65 (deterministic, under the scheme context), over one message', () => {
    const signer = wasmHybridSigner(seed('a/ed'), seed('a/ml'));
    const ed = ed25519.generateKeyPair(seed('a/ed'));
    const ml = mldsa65.generateKeyPair(seed('a/ml'));
    expect(signer.scheme).toBe(HYBRID);
    expect(signer.publicKey).toEqual(hybridPublicKey(ed.publicKey, ml.publicKey));
    expect(signer.publicKey.length).toBe(schemeFormat(HYBRID).publicKeyBytes);
    const message = new TextEncoder().encode('a PREPARE under some domain');
    const signature = signer.sign(message);
    expect(signature.length).toBe(64 + 3309);
    expect(signer.sign(message)).toEqual(signature);
    expect(signature.subarray(0, 64)).toEqual(ed25519.sign(message, ed.secretKey));
    expect(mldsa65.verify(signature.subarray(64), message, ml.publicKey, { context: HYBRID_MLDSA_CONTEXT })).toBe(true);
    // The ML-DSA half is bound to the context: without it, it does not verify.
    expect(mldsa65.verify(signature.subarray(64), message, ml.publicKey)).toBe(false);
    expect(new TextDecoder().decode(HYBRID_MLDSA_CONTEXT)).toBe('swarmguard/consensus/ed25519+mldsa65/v1');
  });

  it('the scheme lengths match the ML-DSA-65 parameter set', () => {
    expect(schemeFormat(HYBRID)).toEqual({ scheme: HYBRID, wireVersion: 2, publicKeyBytes: 32 + mldsa65.lengths.publicKey, signatureBytes: 64 + mldsa65.lengths.signature });
    expect(schemeFormat('ed25519')).toEqual({ scheme: 'ed25519', wireVersion: 1, publicKeyBytes: 32, signatureBytes: 64 });
    expect(voteFrameBytes(schemeFormat('ed25519'))).toBe(112);
    expect(voteFrameBytes(schemeFormat(HYBRID))).toBe(3421);
  });

  it('needs both seeds, each 32 bytes, and two different ones', () => {
    expectRefusal(() => wasmHybridSigner(seed('x'), undefined as never), T, 'wasmHybridSigner', 'mldsa65Seed');
    expectRefusal(() => wasmHybridSigner(new Uint8Array(31), seed('y')), R, 'wasmHybridSigner', 'ed25519Seed', 'must be 32 bytes, got 31');
    expectRefusal(() => wasmHybridSigner(seed('x'), new Uint8Array(33)), R, 'wasmHybridSigner', 'mldsa65Seed', 'must be 32 bytes, got 33');
    expectRefusal(() => wasmHybridSigner(seed('x'), seed('x')), R, 'wasmHybridSigner', 'mldsa65Seed', 'must differ from ed25519Seed');
    expectRefusal(() => hybridPublicKey(new Uint8Array(32), new Uint8Array(1312)), R, 'hybridPublicKey', 'mldsa65Key', 'must be 1952 bytes, got 1312');
  });
});

describe('wasmHybridVerifier', () => {
  const signers = [0, 1, 2].map((i) => wasmHybridSigner(seed(`v/${i}/ed`), seed(`v/${i}/ml`)));

  function checks(count: number, rng: Rng): SignatureCheck[] {
    return Array.from({ length: count }, () => {
      const s = signers[rng.int(signers.length)];
      const message = rng.bytes(1 + rng.int(150));
      return { publicKey: s.publicKey, message, signature: s.sign(message) };
    });
  }

  it('accepts a check only when both halves verify, in one ed25519 and one mldsa65 batch per call', () => {
    const rng = new Rng(testSeed('hybrid verifier'));
    const batch = checks(12, rng);
    const flip = (sig: Uint8Array, at: number) => {
      const out = sig.slice();
      out[at] ^= 1;
      return out;
    };
    batch[1] = { ...batch[1], signature: flip(batch[1].signature, 10) }; // Ed25519 half bad, ML-DSA half good
    batch[4] = { ...batch[4], signature: flip(batch[4].signature, 64 + 1000) }; // ML-DSA half bad
    batch[6] = { ...batch[6], signature: batch[7].signature }; // another message's signature
    batch[8] = { ...batch[8], signature: batch[8].signature.subarray(0, 64) }; // the Ed25519 half alone
    batch[9] = { ...batch[9], publicKey: batch[9].publicKey.subarray(0, 32) }; // an Ed25519 key alone
    const edBatch = vi.spyOn(ed25519, 'verifyBatch');
    // The verifier reads ML-DSA-65 on demand (a plain init() in a page does not fetch it).
    const mlBatch = vi.spyOn(mldsa65OnDemand, 'verifyBatch');
    const ok = wasmHybridVerifier().verifyBatch(batch);
    expect(ok).toEqual(batch.map((_, i) => ![1, 4, 6, 8, 9].includes(i)));
    expect(edBatch).toHaveBeenCalledTimes(1);
    expect(mlBatch).toHaveBeenCalledTimes(1);
    expect(edBatch.mock.calls[0][0]).toHaveLength(10);
    expect(wasmHybridVerifier().verifyBatch([])).toEqual([]);
  });

  it('the Ed25519 half of a hybrid signature is a plain Ed25519 signature, and an Ed25519 verifier refuses the pair', () => {
    const [c] = checks(1, new Rng(1));
    expect(wasmEd25519Verifier().verifyBatch([{ publicKey: c.publicKey.subarray(0, 32), message: c.message, signature: c.signature.subarray(0, 64) }])).toEqual([true]);
    expect(wasmEd25519Verifier().verifyBatch([c])).toEqual([false]);
  });
});

describe("a network whose signatures are 'ed25519+mldsa65'", () => {
  it('commits blocks: every frame is of wire version 2, votes 3,421 bytes', () => {
    const net = new TestNetwork(4, { signatures: HYBRID, batchTimeout: 5 });
    const sizes = new Set<number>();
    const versions = new Set<number>();
    const filter = net.filter;
    net.filter = (e) => {
      versions.add(e.bytes[0]);
      if (e.bytes[1] === MessageType.Prepare || e.bytes[1] === MessageType.Commit) sizes.add(e.bytes.length);
      return filter(e);
    };
    for (let s = 1; s <= 8; s++) net.submit(request('hybrid', s));
    net.run(200);
    expect(net.heights()).toEqual([2, 2, 2, 2]);
    net.checkAgreement();
    expect([...versions]).toEqual([2]);
    expect([...sizes]).toEqual([3421]);
    for (const c of net.commits[0]) expect(c.cert.every((v) => v.length === 3421)).toBe(true);
  });

  /** One PREPARE of validator 1 to replica 0, in view 0 at seq 1, its signature passed through `mangle`. */
  function prepareTo0(net: TestNetwork, mangle: (frame: Uint8Array) => Uint8Array) {
    const frame = mangle(signVote(net.signers[1], MessageType.Prepare, 1, 0, 1, new Uint8Array(32).fill(7)));
    return net.replica(0).step({ type: 'message', bytes: frame }).stats;
  }
  const flipAt = (offset: number) => (frame: Uint8Array) => {
    const out = frame.slice();
    out[48 + offset] ^= 0x10;
    return out;
  };

  it('drops and counts a frame whose Ed25519 half is valid and ML-DSA half is not, and the reverse', () => {
    const net = new TestNetwork(4, { signatures: HYBRID });
    expect(prepareTo0(net, (f) => f).dropped.badSignature).toBe(0);
    for (const offset of [5, 63, 64, 64 + 2000, 64 + 3308]) {
      const stats = prepareTo0(net, flipAt(offset));
      expect(stats.dropped.badSignature, `byte ${offset} of the signature`).toBe(1);
      expect(stats.verified).toBe(1);
    }
    expect(net.replica(0).status().totals.dropped.badSignature).toBe(5);
  });

  it('refuses frames of wrong lengths and of the other scheme as malformed, before any verification', () => {
    const net = new TestNetwork(4, { signatures: HYBRID });
    const edSigner = domainSigner(testSigners(4, 'other')[1], new Uint8Array(8));
    const cases: [string, Uint8Array][] = [
      ['one byte short', signVote(net.signers[1], MessageType.Prepare, 1, 0, 1, new Uint8Array(32)).subarray(0, 3420)],
      ['one byte long', Uint8Array.of(...signVote(net.signers[1], MessageType.Prepare, 1, 0, 1, new Uint8Array(32)), 0)],
      ['an Ed25519 vote', signVote(edSigner, MessageType.Prepare, 1, 0, 1, new Uint8Array(32))],
      ['a hybrid vote relabelled version 1', Uint8Array.of(1, ...signVote(net.signers[1], MessageType.Prepare, 1, 0, 1, new Uint8Array(32)).subarray(1))],
    ];
    for (const [name, frame] of cases) {
      const stats = net.replica(0).step({ type: 'message', bytes: frame }).stats;
      expect(stats.dropped.malformed, name).toBe(1);
      expect(stats.verified, name).toBe(0);
    }
    // And the other way round: an Ed25519 network drops a hybrid frame.
    const ed = new TestNetwork(4);
    const stats = ed.replica(0).step({ type: 'message', bytes: signVote(net.signers[1], MessageType.Prepare, 1, 0, 1, new Uint8Array(32)) }).stats;
    expect(stats.dropped.malformed).toBe(1);
  });

  it('never mixes schemes inside a frame: a certificate of another scheme does not decode', () => {
    const hybrid = new TestNetwork(4, { signatures: HYBRID });
    const ed = new TestNetwork(4);
    const edVote = signVote(ed.signers[2], MessageType.Prepare, 2, 0, 1, new Uint8Array(32));
    const viewChange = (signer: (typeof ed.signers)[number], cert: Uint8Array[]) =>
      signViewChange(signer, 1, { newView: 1, committed: { height: 0, hash: new Uint8Array(32), cert: [] }, prepared: cert, latest: null, blocks: [] });
    expect(() => decodeMessage(viewChange(hybrid.signers[1], [edVote]))).toThrow(DecodeError);
    expect(() => decodeMessage(signNewView(hybrid.signers[1], 1, 1, [viewChange(ed.signers[1], [])]))).toThrow(DecodeError);
    expect(decodeMessage(viewChange(ed.signers[1], [edVote])).kind).toBe('viewchange');
  });

  it('refuses keys, signers and verifiers of the other scheme', () => {
    const net = new TestNetwork(4, { signatures: HYBRID });
    const good = net.config(0);
    const edKeys = testSigners(4);
    expectRefusal(() => new Replica({ ...good, validators: edKeys.map((k) => k.publicKey) }), R, 'Replica', 'config.validators[0]', "must be 1984 bytes, got 32: an 'ed25519+mldsa65' consensus key is an Ed25519 public key (32 bytes) and an ML-DSA-65 one (1,952)");
    expectRefusal(() => new Replica({ ...good, signatures: 'ed25519' }), R, 'Replica', 'config.validators[0]', "must be 32 bytes, got 1984: an 'ed25519' consensus key is a raw Ed25519 public key");
    expect(() => new Replica({ ...good, signer: wasmEd25519Signer(seed('e')) })).toThrow(ConsensusConfigError);
    expect(() => new Replica({ ...good, signer: wasmEd25519Signer(seed('e')) })).toThrow("config.signer is an 'ed25519' signer, the network's signatures are 'ed25519+mldsa65'");
    expect(() => new Replica({ ...good, verifier: wasmEd25519Verifier() })).toThrow("config.verifier is an 'ed25519' verifier");
    const edNet = new TestNetwork(4);
    expect(() => new Replica({ ...edNet.config(0), verifier: wasmHybridVerifier() })).toThrow(ConsensusConfigError);
    // Client transactions are Ed25519 on every network: a hybrid transaction verifier is refused.
    expect(() => new Replica({ ...good, txVerifier: wasmHybridVerifier() })).toThrow("config.txVerifier is an 'ed25519+mldsa65' verifier: transactions are Ed25519-signed");
    expect(new Replica({ ...good, txVerifier: wasmEd25519Verifier() }).id).toBe(0);
    expectRefusal(() => new Replica({ ...good, signatures: 'mldsa65' as never }), R, 'Replica', 'config.signatures', "must be one of 'ed25519', 'ed25519+mldsa65'");
  });

  it('names the scheme in the validator set id: the same Ed25519 keys under another scheme are another set', () => {
    const signers = testSigners(4, 'ids', HYBRID);
    const set = { chainId: TEST_CHAIN, validators: signers.map((s) => s.publicKey), signatures: HYBRID };
    const edSet = { chainId: TEST_CHAIN, validators: signers.map((s) => s.publicKey.subarray(0, 32)) };
    expect(validatorSetId(set, nodeSha256)).not.toEqual(validatorSetId(edSet, nodeSha256));
    expect(consensusDomain(set, nodeSha256)).not.toEqual(consensusDomain(edSet, nodeSha256));
    const reordered = { ...set, validators: [signers[1].publicKey, signers[0].publicKey, ...set.validators.slice(2)] };
    expect(validatorSetId(reordered, nodeSha256)).not.toEqual(validatorSetId(set, nodeSha256));
  });
});

describe("certificates under an 'ed25519+mldsa65' set", () => {
  const net = new TestNetwork(4, { signatures: HYBRID });
  const set = { chainId: TEST_CHAIN, validators: net.validators, signatures: HYBRID };
  const header = (seed: number) => {
    const bytes = new Uint8Array(77);
    bytes[0] = 1;
    bytes[1] = 1; // height 1, little-endian
    bytes[77 - 4] = seed; // transaction count: distinct headers, distinct digests
    return bytes;
  };
  const commits = (digest: Uint8Array) => net.signers.map((s, i) => signVote(s, MessageType.Commit, i, 0, 1, digest));

  it('verifyCommitCertificates and findForkCulprits check both halves of every vote', () => {
    const a = header(1);
    const b = header(2);
    const certA = commits(nodeSha256(a)).slice(0, 3);
    const certB = commits(nodeSha256(b)).slice(1, 4);
    expect(verifyCommitCertificates([{ header: a, certificate: certA }], set, { hash: nodeSha256 })).toEqual([null]);
    const broken = certA.map((f, i) => (i === 2 ? Uint8Array.from(f, (x, k) => (k === f.length - 10 ? x ^ 1 : x)) : f));
    expect(verifyCommitCertificates([{ header: a, certificate: broken }], set, { hash: nodeSha256 })).toEqual(['bad-signature']);
    const culprits = findForkCulprits(set, nodeSha256, { height: 1, digest: nodeSha256(a), cert: certA }, { height: 1, digest: nodeSha256(b), cert: certB });
    expect(culprits.map((c) => c.validator)).toEqual([1, 2]);
    expect(culprits[0].publicKey.length).toBe(1984);
    const err = (() => {
      try {
        findForkCulprits(set, nodeSha256, { height: 1, digest: nodeSha256(a), cert: broken }, { height: 1, digest: nodeSha256(b), cert: certB });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NotAForkError);
    expect((err as NotAForkError).failure).toBe('bad-signature');
  });
});
