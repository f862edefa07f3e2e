import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/node/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { type CommitCertificate, findForkCulprits, stakingPayload, ValidatorStateMachine } from '../../src/validators/index.js';
import { testSeed } from '../_support/seed.js';
import { splitBrainFork } from '../_support/splitBrain.js';

// From a fork to slashing, end to end: the pairs `findForkCulprits` names are evidence
// transactions the validator state machine convicts — every Byzantine signer of both sides is
// slashed at the worst severity and tombstoned, and no honest validator is touched.

describe('fork culprits as evidence', () => {
  for (const n of [4, 7]) {
    const seed = testSeed(`fork evidence n=${n}`);
    it(`n = ${n}, seed ${seed}: each culprit's pair tombstones it, once`, () => {
      const fork = splitBrainFork(n, seed);
      const [a, b] = fork.committed.map((side): CommitCertificate => ({ height: side[0].height, digest: side[0].hash, cert: side[0].cert }));
      const culprits = findForkCulprits(fork.set, nodeSha256, a, b);
      const operators = fork.set.validators.map((_, i) => ed25519.generateKeyPair(nodeSha256(new TextEncoder().encode(`operator ${i}`))).publicKey);
      const machine = new ValidatorStateMachine({
        chainId: fork.set.chainId,
        validators: fork.set.validators.map((consensusKey, i) => ({ operator: operators[i], consensusKey, selfBond: 10_000n })),
        params: { epochBlocks: 1_000 },
      });
      machine.endBlock(fork.height);
      let height = fork.height;
      const reporter = new Uint8Array(32).fill(7);
      for (const c of culprits) {
        const evidence = stakingPayload.evidence(0, c.first, c.second);
        expect(machine.execute(reporter, evidence, ++height)).toBeNull();
        expect(machine.execute(reporter, evidence, height)).toBe('evidence-duplicate');
      }
      const key = (bytes: Uint8Array) => String.fromCharCode(...bytes);
      for (let i = 0; i < n; i++) {
        const v = machine.state.validators.get(key(operators[i]));
        if (fork.byzantine.includes(i)) expect(v).toMatchObject({ tokens: 5_000n, jailed: true, tombstoned: true });
        else expect(v).toMatchObject({ tokens: 10_000n, jailed: false, tombstoned: false });
      }
      expect(machine.state.burned).toBe(5_000n * BigInt(fork.byzantine.length));
    });
  }
});
