import { blockHash, buildCommitProof, decodeCommitProof, encodeCommitProof, type ValidatorSet, verifyCommitProof, wasmEd25519Signer } from 'swarmguard/consensus';
import { consensusDomain, domainSigner, MessageType, quorums, signVote } from 'swarmguard/consensus/wire';
import { init, sha256 } from 'swarmguard/hash';
import { merkleRoot } from 'swarmguard/merkle';
import { signTransaction } from 'swarmguard/tx';

// What the light client does on its own with a transaction's commit proof once a source sent
// it (src/light/transactions.ts): decode it, verify it under the trusted set (every signature in
// one batch, the inclusion path), and compare its header's hash with the trusted header's. Run
// in Node and, bundled, in Chromium by lightProof.ts; imports the package by name either way.

export interface ProofRow {
  proof: string;
  /** Median milliseconds per proof, and the proof's size in bytes. */
  ms: number;
  bytes: number;
}

const ROUNDS = 7;
const ROUND_MS = 200;

function fixture(n: number, txs: number, fastPath: boolean) {
  const keys = Array.from({ length: n }, (_, i) => wasmEd25519Signer(sha256(`light-bench/validator/${i}`)));
  const set: ValidatorSet = { chainId: 'light-bench', validators: keys.map((k) => k.publicKey) };
  const domain = consensusDomain(set, sha256);
  const leaves = Array.from({ length: txs }, (_, i) => signTransaction({ chainId: set.chainId, nonce: i + 1, payload: sha256(`payload ${i}`) }, sha256('light-bench/client')).bytes);
  const block = { height: 7, parent: new Uint8Array(32), txRoot: merkleRoot(leaves), txs: leaves };
  const digest = blockHash(block, sha256);
  const voters = fastPath ? n : quorums(n).quorum;
  const type = fastPath ? MessageType.Prepare : MessageType.Commit;
  const cert = keys.slice(0, voters).map((k, i) => signVote(domainSigner(k, domain), type, i, 0, 7, digest));
  const index = txs >> 1;
  const bytes = encodeCommitProof(buildCommitProof({ height: 7, hash: digest, view: 0, block, cert, via: fastPath ? 'fast' : 'slow' }, index));
  return { set, bytes, tx: leaves[index], trusted: digest };
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function check(bytes: Uint8Array, tx: Uint8Array, set: ValidatorSet, trusted: Uint8Array): void {
  const proof = decodeCommitProof(bytes);
  if (!verifyCommitProof(proof, tx, set).ok || !same(sha256(proof.header), trusted)) throw new Error('lightProof: the fixture proof did not verify');
}

/** Per-proof time for 4 validators, fast path (4 PREPAREs) and slow path (3 COMMITs), in a block of 1 and of 1,024 transactions. */
export async function measure(): Promise<ProofRow[]> {
  await init();
  const rows: ProofRow[] = [];
  for (const [fastPath, txs] of [[true, 1], [false, 1], [true, 1024], [false, 1024]] as const) {
    const { set, bytes, tx, trusted } = fixture(4, txs, fastPath);
    const warm = performance.now() + ROUND_MS;
    while (performance.now() < warm) check(bytes, tx, set, trusted);
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let count = 0;
      const start = performance.now();
      while (performance.now() - start < ROUND_MS) {
        check(bytes, tx, set, trusted);
        count++;
      }
      times.push((performance.now() - start) / count);
    }
    times.sort((a, b) => a - b);
    rows.push({ proof: `${fastPath ? '4 PREPAREs' : '3 COMMITs'}, block of ${txs} tx`, ms: times[ROUNDS >> 1], bytes: bytes.length });
  }
  return rows;
}
