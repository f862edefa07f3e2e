import { describe, it } from 'vitest';
import { runSeeds } from '../_support/swarm.js';

// Larger committees: n = 7 (f = 2 Byzantine) on a few seeds.
describe('simulator swarm, n = 7 with 2 Byzantine replicas', () => {
  it('keeps every invariant on seeds 1–4', () => runSeeds(1, 4, 7), 600_000);
});
