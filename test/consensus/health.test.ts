import { describe, expect, it } from 'vitest';
import { HealthMonitor } from '../../src/consensus/index.js';
import { TestNetwork } from '../_support/testNetwork.js';

describe('HealthMonitor', () => {
  it('never waits when the fast path is disabled', () => {
    const h = new HealthMonitor(false, 1, 20);
    for (let i = 0; i < 10; i++) h.observe(true, 1);
    expect(h.fastWindow()).toBe(0);
  });

  it('waits a few times the observed lag on a healthy network, within bounds', () => {
    const h = new HealthMonitor(true, 1, 20);
    for (let i = 0; i < 40; i++) h.observe(true, 4);
    const w = h.fastWindow();
    expect(w).toBeGreaterThan(4);
    expect(w).toBeLessThanOrEqual(20);
  });

  it('stops waiting when all n PREPAREs rarely arrive or Byzantine behaviour is seen, but probes', () => {
    const lossy = new HealthMonitor(true, 1, 20);
    lossy.observe(true, 1);
    for (let i = 0; i < 20; i++) lossy.observe(false, 0);
    expect(lossy.fastWindow()).toBe(0);
    for (let i = 0; i < 11; i++) lossy.observe(false, 0);
    expect(lossy.fastWindow()).toBeGreaterThan(0); // the 32nd slot probes
    const suspicious = new HealthMonitor(true, 1, 20);
    suspicious.observe(true, 1);
    suspicious.suspect();
    suspicious.suspect();
    expect(suspicious.fastWindow()).toBe(0);
  });

  it('does not wait while the host suspects a peer down, and waits again once none is', () => {
    const h = new HealthMonitor(true, 1, 20);
    for (let i = 0; i < 40; i++) h.observe(true, 4);
    h.peersDown(1);
    expect(h.fastWindow()).toBe(0);
    expect(h.snapshot().peersDown).toBe(1);
    h.peersDown(0);
    expect(h.fastWindow()).toBeGreaterThan(4);
  });

  it('takes the suspected peers as a replica input, checked, never counting itself', () => {
    const net = new TestNetwork(4);
    const r = net.replica(0);
    r.step({ type: 'peers', suspected: [2, 0, 2] });
    expect(r.status().health.peersDown).toBe(1);
    r.step({ type: 'peers', suspected: [] });
    expect(r.status().health.peersDown).toBe(0);
    expect(() => r.step({ type: 'peers', suspected: [4] })).toThrow(RangeError);
    expect(() => r.step({ type: 'peers', suspected: 'x' as never })).toThrow(/Replica.step: input.suspected must be an array/);
  });
});
