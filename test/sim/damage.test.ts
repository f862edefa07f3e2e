import { describe, expect, it } from 'vitest';
import { DamageBudget } from '../../src/sim/damage.js';

describe('DamageBudget', () => {
  it('lets a crash corrupt a replica only while fewer than f other honest replicas are damaged, until each is back at its height', () => {
    const budget = new DamageBudget(1);
    budget.reached(1, 5, true);
    budget.reached(3, 5, true);
    expect(budget.mayCorrupt(1)).toBe(true);
    budget.crashed(1, true);
    // Replica 1 is damaged (down, or back below height 5): another one may not be corrupted, 1 itself may.
    expect(budget.mayCorrupt(3)).toBe(false);
    expect(budget.mayCorrupt(1)).toBe(true);
    budget.reached(1, 3, false);
    expect(budget.mayCorrupt(3)).toBe(false);
    budget.reached(1, 5, true);
    expect(budget.mayCorrupt(3)).toBe(true);
    // A crash that corrupted nothing does not count.
    budget.crashed(3, false);
    expect(budget.mayCorrupt(1)).toBe(true);
  });
});
