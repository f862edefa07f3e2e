import Fastify, { type FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { stakingRoutes } from '../../src/node/stakingRpc.js';
import { stakingPayload, ValidatorApplication } from '../../src/validators/index.js';
import { genesis, keyOf } from '../_support/validators.js';

// The staking RPC's account view reports what `withdraw` would pay: rewards are distributed
// lazily, so an account's earnings sit accrued on its delegations (and its validator's commission),
// not in its `rewards` entry.

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

describe('staking RPC', () => {
  it('reports the rewards of an account with what its delegations accrued and not yet settled', async () => {
    const { genesis: g, parties } = genesis(4, 2, { epochBlocks: 8 });
    const app = new ValidatorApplication(g);
    const m = app.machine;
    const [v0, , , , alice] = parties;
    expect(m.execute(alice.account.publicKey, stakingPayload.delegate(v0.account.publicKey, 1_000n), 1)).toBeNull();
    m.endBlock(8);
    const server = Fastify();
    stakingRoutes(server, app, fail);
    const get = async (url: string) => (await server.inject({ method: 'GET', url })).json();
    try {
      expect(m.state.rewards.get(keyOf(alice.account.publicKey))).toBeUndefined();
      // As in test/validators/epoch.test.ts: alice's half of v0's 279,000 for delegators.
      expect(await get(`/v1/staking/${bytesToHex(alice.account.publicKey)}`)).toMatchObject({ balance: '9000', rewards: '139500' });
      // v0's operator: its commission and its self-delegation's half, both still in v0's pool.
      expect(await get(`/v1/staking/${bytesToHex(v0.account.publicKey)}`)).toMatchObject({
        rewards: String(31_000 + 139_500),
        validator: { outstandingRewards: '310000', accruedCommission: '31000' },
      });
      const set = await get('/v1/validators');
      expect(set.supply.outstanding).toBe('1000000');
      expect(set.supply.held).toBe(set.supply.expected);
      expect(m.execute(alice.account.publicKey, stakingPayload.withdraw(), 9)).toBeNull();
      expect(await get(`/v1/staking/${bytesToHex(alice.account.publicKey)}`)).toMatchObject({ balance: String(9_000 + 139_500), rewards: '0' });
    } finally {
      await server.close();
    }
  });
});
