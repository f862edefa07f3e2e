import type { FastifyInstance, FastifyReply } from 'fastify';
import { bytesToHex, hexToBytes } from '../bytes/index.js';
import { senderKey } from '../consensus/index.js';
import { auditSupply, pendingRewards, type Validator, type ValidatorApplication } from '../validators/index.js';

// Read-only views of the validator state over HTTP: the committee and every validator
// (`GET /v1/validators`), one account's holdings (`GET /v1/staking/:account`). Amounts are
// decimal strings (they pass 2^53); keys are hex; reputation is parts per million. An account's
// `rewards` is what `withdraw` would pay it now, accrued-but-unsettled delegation rewards and
// commission included.

function validatorView(v: Validator): Record<string, unknown> {
  return {
    operator: bytesToHex(v.operator),
    consensusKey: bytesToHex(v.consensusKey),
    commission: v.commission,
    tokens: v.tokens.toString(),
    shares: v.shares.toString(),
    reputation: v.reputation,
    jailed: v.jailed,
    jailedUntil: v.jailedUntil,
    tombstoned: v.tombstoned,
    outstandingRewards: v.outstandingRewards.toString(),
    accruedCommission: v.accruedCommission.toString(),
  };
}

export function stakingRoutes(server: FastifyInstance, staking: ValidatorApplication | null, fail: (reply: FastifyReply, status: number, code: string, message: string) => unknown): void {
  const disabled = (reply: FastifyReply) => fail(reply, 404, 'ERR_STAKING_DISABLED', 'this network has no staking section in its genesis');

  server.get('/v1/validators', async (_req, reply) => {
    if (!staking) return disabled(reply);
    const s = staking.machine.state;
    const c = s.committee;
    const audit = auditSupply(s);
    return {
      height: s.height,
      epoch: s.epoch,
      stateRoot: bytesToHex(staking.stateRoot()),
      committee: {
        epoch: c.epoch,
        setEpoch: c.setEpoch,
        seed: bytesToHex(c.seed),
        members: c.operators.map((o, i) => ({ operator: bytesToHex(o), consensusKey: bytesToHex(c.consensusKeys[i]), stake: c.stakes[i].toString() })),
      },
      validators: s.validators.keys().map((k) => validatorView(s.validators.get(k) as Validator)),
      supply: Object.fromEntries(Object.entries(audit).map(([name, value]) => [name, value.toString()])),
    };
  });

  server.get('/v1/staking/:account', async (req, reply) => {
    if (!staking) return disabled(reply);
    const text = (req.params as { account: string }).account;
    if (!/^[0-9a-fA-F]{64}$/.test(text)) return fail(reply, 400, 'ERR_BAD_REQUEST', 'the account must be 64 hex digits (an Ed25519 public key)');
    const bytes = hexToBytes(text.toLowerCase());
    const account = senderKey(bytes);
    const s = staking.machine.state;
    const delegations = s.delegations.keysWithPrefix(account).map((key) => {
      const v = s.validators.get(key.slice(32)) as Validator;
      const shares = s.delegations.get(key)?.shares ?? 0n;
      return { validator: bytesToHex(v.operator), shares: shares.toString(), tokens: (v.shares === 0n ? 0n : (shares * v.tokens) / v.shares).toString() };
    });
    const unbonding = s.unbonding.keysWithPrefix(account).flatMap((key) =>
      (s.unbonding.get(key) ?? []).map((e) => ({ validator: bytesToHex((s.validators.get(key.slice(32)) as Validator).operator), balance: e.balance.toString(), completionEpoch: e.completionEpoch })),
    );
    const own = s.validators.get(account);
    return {
      account: text.toLowerCase(),
      height: s.height,
      epoch: s.epoch,
      balance: (s.balances.get(account) ?? 0n).toString(),
      rewards: pendingRewards(s, bytes).toString(),
      delegations,
      unbonding,
      validator: own ? validatorView(own) : null,
    };
  });
}
