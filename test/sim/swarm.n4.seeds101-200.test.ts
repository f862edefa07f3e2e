import { describe, it } from 'vitest';
import { runSeeds } from '../_support/swarm.js';

// Swarm testing, n = 4 with f = 1 Byzantine replica: seeds 101–200, each with its own fault mix.
describe('simulator swarm, seeds 101–200 (n = 4, f Byzantine)', () => {
  it('keeps agreement, chain integrity, validity, state agreement and liveness', () => runSeeds(101, 100), 600_000);
});
