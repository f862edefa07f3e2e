import { describe, expect, it } from 'vitest';
import {
  buildCommitProof,
  COMMIT_PROOF_VERSION,
  type CommitProof,
  decodeCommitProof,
  encodeCommitProof,
  MalformedCommitProofError,
  type ValidatorSet,
  verifyCommitProof,
} from '../../src/consensus/index.js';
import { SwarmguardError } from '../../src/errors/index.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { Rng, testSeed } from '../_support/seed.js';
import { TestNetwork } from '../_support/testNetwork.js';

const net = new TestNetwork(4, { fastPath: false, batchTimeout: 5 });
for (let nonce = 1; nonce <= 4; nonce++) net.submit(request('bob', nonce));
net.deliver();
const committed = net.commits[0][0];
const set: ValidatorSet = { chainId: TEST_CHAIN, validators: net.validators };
const good = buildCommitProof(committed, 2);
const tx = committed.block.txs[2];
const bytes = encodeCommitProof(good);

/** Decodes `input`, returning the proof or the `MalformedCommitProofError` it threw (anything else fails the test). */
function decodeOrRefusal(input: Uint8Array): CommitProof | MalformedCommitProofError {
  try {
    return decodeCommitProof(input);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedCommitProofError);
    expect(err).toBeInstanceOf(SwarmguardError);
    expect((err as MalformedCommitProofError).code).toBe('ERR_COMMIT_PROOF_MALFORMED');
    return err as MalformedCommitProofError;
  }
}

function refusal(input: Uint8Array): string {
  const result = decodeOrRefusal(input);
  expect(result).toBeInstanceOf(MalformedCommitProofError);
  return (result as Error).message;
}

/** One random change to `input`: flipped bits, a byte set, cut, inserted or deleted bytes, a copied range. */
function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  const at = rng.int(input.length);
  switch (rng.int(6)) {
    case 0: {
      const out = input.slice();
      for (let k = 1 + rng.int(3); k > 0; k--) out[rng.int(out.length)] ^= 1 << rng.int(8);
      return out;
    }
    case 1: {
      const out = input.slice();
      out[at] = rng.int(256);
      return out;
    }
    case 2:
      return input.subarray(0, at);
    case 3:
      return Uint8Array.of(...input.subarray(0, at), ...rng.bytes(1 + rng.int(8)), ...input.subarray(at));
    case 4:
      return Uint8Array.of(...input.subarray(0, at), ...input.subarray(at + 1 + rng.int(120)));
    default: {
      const from = rng.int(input.length);
      return Uint8Array.of(...input.subarray(0, at), ...input.subarray(from, from + 1 + rng.int(120)), ...input.subarray(at));
    }
  }
}

describe('commit proof encoding', () => {
  it('round-trips, version byte first, 1 + 77 + 4 + 1 + 32 per path hash + 2 + (4 + 112) per vote bytes', () => {
    expect(bytes[0]).toBe(COMMIT_PROOF_VERSION);
    expect(bytes.length).toBe(1 + 77 + 4 + 1 + 32 * good.inclusionPath.length + 2 + 116 * good.certificate.length);
    const back = decodeCommitProof(bytes);
    expect(back).toEqual(good);
    expect(encodeCommitProof(back)).toEqual(bytes);
    expect(verifyCommitProof(back, tx, set).ok).toBe(true);
  });

  it('refuses malformed bytes with MalformedCommitProofError, saying what broke', () => {
    expect(refusal(new Uint8Array(0))).toBe('commit proof: truncated: need 1 bytes at offset 0 of 0');
    expect(refusal(Uint8Array.of(2, ...bytes.subarray(1)))).toBe('commit proof: unknown version 2');
    expect(refusal(Uint8Array.of(...bytes, 0))).toBe('commit proof: 1 trailing bytes');
    expect(refusal(bytes.subarray(0, bytes.length - 1))).toMatch(/^commit proof: truncated/);
    const header = bytes.slice();
    header[1] = 9;
    expect(refusal(header)).toBe('commit proof: unknown block version');
    const longPath = bytes.slice();
    longPath[1 + 77 + 4] = 65;
    expect(refusal(longPath)).toBe('commit proof: inclusion path of 65 hashes exceeds 64');
    const notVote = bytes.slice();
    notVote[bytes.length - 116 + 4 + 1] = 1; // the last frame's type byte: PRE-PREPARE
    expect(refusal(notVote)).toBe('commit proof: type 1 is not a vote');
    expect((decodeOrRefusal(notVote) as Error).cause).toBeInstanceOf(SwarmguardError);
  });

  it('fuzz: random and mutated bytes decode to a refusal or a proof that never verifies (seeded)', () => {
    const seed = testSeed('commit proof decoder fuzz');
    const rng = new Rng(seed);
    let decoded = 0;
    for (let i = 0; i < 1500; i++) {
      const random = rng.bytes(rng.int(600));
      // Half of them start like a proof, so decoding gets past the version byte.
      if (i % 2 && random.length) random[0] = COMMIT_PROOF_VERSION;
      const result = decodeOrRefusal(random);
      if (!(result instanceof Error)) expect(verifyCommitProof(result, tx, set).ok, `seed ${seed}, random ${i}`).toBe(false);
    }
    for (let i = 0; i < 3000; i++) {
      let input = mutate(rng, bytes);
      if (rng.int(4) === 0) input = mutate(rng, input);
      if (input.length === bytes.length && input.every((b, k) => b === bytes[k])) continue;
      const result = decodeOrRefusal(input);
      if (result instanceof Error) continue;
      decoded++;
      expect(verifyCommitProof(result, tx, set).ok, `seed ${seed}, mutation ${i}`).toBe(false);
    }
    // Flipped bits inside hashes and signatures still decode: the verifier, not the decoder, refuses those.
    expect(decoded).toBeGreaterThan(300);
  });
});
