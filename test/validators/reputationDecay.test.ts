import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { halfLifeFactor } from '../../src/validators/params.js';
import { Chain, genesis } from '../_support/validators.js';

// Decay outside the committee is rep · 2^(−1/h) as ⌊rep · factor / 2^32⌋. It is computed in
// doubles while that is exact (rep < 2^21) and in bigints above; both must give the bigint result.

describe('reputation decay', () => {
  it('gives ⌊rep · factor / 2^32⌋ exactly, for reputations in range and for any u32 a snapshot may carry', () => {
    const factor = halfLifeFactor(8);
    // 4,290,250,753 · factor is one where doubles would round the wrong way.
    for (const reputation of [999_999, 2 ** 21 - 1, 2 ** 21, 4_290_250_753]) {
      const { genesis: g } = genesis(5, 0, { epochBlocks: 4 });
      const chain = new Chain(g);
      chain.endEpoch();
      const s = chain.machine.state;
      const members = new Set(s.committee.operators.map(bytesToHex));
      const outsider = [...s.validators.values()].find((v) => !members.has(bytesToHex(v.operator)));
      if (!outsider) throw new Error('every validator is in the committee');
      outsider.reputation = reputation;
      chain.endEpoch();
      expect(outsider.reputation).toBe(Number((BigInt(reputation) * factor) >> 32n));
    }
  });
});
