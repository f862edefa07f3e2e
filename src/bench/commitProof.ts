import {
  blockHash,
  buildCommitProof,
  type CommitProof,
  consensusDomain,
  domainSigner,
  encodeCommitProof,
  MessageType,
  quorums,
  type SignatureScheme,
  type Signer,
  signVote,
  type ValidatorSet,
  verifyCommitProof,
  wasmEd25519Signer,
  wasmHybridSigner,
} from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { merkleRoot } from '../merkle/index.js';
import { signTransaction } from '../tx/index.js';
import { median } from './harness.js';

const CHAIN = 'bench-chain';
const ROUNDS = 7;
const ROUND_MS = 200;
const QUICK_ROUNDS = 2;
const QUICK_ROUND_MS = 50;
/** Proofs of different transactions, verified in turn (their paths differ). */
const PROOFS = 16;

/**
 * `verifyCommitProof` per second for a block of `txs` signed transactions committed by `n`
 * validators with real keys of `signatures` (default Ed25519): all n PREPAREs (`fastPath`) or
 * 2f+1 COMMITs. The median of ROUNDS timed rounds (`quick`: two short ones); `bytes` is the size
 * of one encoded proof.
 */
export function commitProofRate(n: number, txs: number, fastPath: boolean, quick = false, signatures: SignatureScheme = 'ed25519'): { proofsPerSec: number; bytes: number } {
  const rounds = quick ? QUICK_ROUNDS : ROUNDS;
  const roundMs = quick ? QUICK_ROUND_MS : ROUND_MS;
  const { set, proofs, leaves } = fixture(n, txs, fastPath, signatures);
  let next = 0;
  const verifyOne = () => {
    const proof = proofs[next++ % proofs.length];
    if (!verifyCommitProof(proof, leaves[proof.index], set).ok) throw new Error('commitProofRate: a proof of the fixture did not verify');
  };
  const warmUntil = performance.now() + roundMs;
  while (performance.now() < warmUntil) verifyOne();
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (let k = 0; k < 16; k++) verifyOne();
      count += 16;
      elapsed = performance.now() - start;
    } while (elapsed < roundMs);
    rates.push((count * 1000) / elapsed);
  }
  return { proofsPerSec: median(rates), bytes: encodeCommitProof(proofs[0]).length };
}

/** A committed block of `txs` transactions at height 1 with its certificate, and proofs of PROOFS of its transactions. */
function fixture(n: number, txs: number, fastPath: boolean, signatures: SignatureScheme): { set: ValidatorSet; proofs: CommitProof[]; leaves: Uint8Array[] } {
  const keys: Signer[] = Array.from({ length: n }, (_, i) =>
    signatures === 'ed25519' ? wasmEd25519Signer(sha256(`bench/validator/${i}`)) : wasmHybridSigner(sha256(`bench/validator/${i}`), sha256(`bench/validator/${i}/mldsa65`)),
  );
  const set: ValidatorSet = { chainId: CHAIN, validators: keys.map((k) => k.publicKey), ...(signatures === 'ed25519' ? {} : { signatures }) };
  const domain = consensusDomain(set, sha256);
  const client = sha256('bench/client');
  const leaves = Array.from({ length: txs }, (_, i) => signTransaction({ chainId: CHAIN, nonce: i + 1, payload: sha256(`payload ${i}`) }, client).bytes);
  const block = { height: 1, parent: new Uint8Array(32), txRoot: merkleRoot(leaves), txs: leaves };
  const digest = blockHash(block, sha256);
  const type = fastPath ? MessageType.Prepare : MessageType.Commit;
  const voters = fastPath ? n : quorums(n).quorum;
  const cert = keys.slice(0, voters).map((k, i) => signVote(domainSigner(k, domain), type, i, 0, 1, digest));
  const committed = { height: 1, hash: digest, view: 0, block, cert, via: fastPath ? ('fast' as const) : ('slow' as const) };
  const count = Math.min(PROOFS, txs);
  const proofs = Array.from({ length: count }, (_, k) => buildCommitProof(committed, Math.floor((k * txs) / count)));
  return { set, proofs, leaves };
}
