import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { hybridPublicKey } from '../../src/consensus/index.js';
import { validatorSetFromGenesis } from '../../src/light/index.js';
import { consensusKeys, DEFAULT_CONSENSUS, type Genesis, genesisJson, genesisValidatorSet, loadHome, newKeys, NodeConfigError, parseGenesis, writeHome } from '../../src/node/index.js';
import { expectRefusal } from '../_support/refusals.js';

// The consensus signature scheme is a genesis parameter: every validator of a network signs under
// it, an 'ed25519+mldsa65' genesis lists each validator's ML-DSA-65 key, and a genesis that mixes
// the two is refused when it is read — by the node and by the light client alike.

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const keys = [0, 1, 2, 3].map(() => newKeys({ mldsa65: true }));

function hybridGenesis(): Genesis {
  return {
    chainId: 'hybrid-genesis',
    genesisTime: '2026-12-05T00:00:00.000Z',
    signatures: 'ed25519+mldsa65',
    validators: keys.map((k, i) => ({ name: `n${i}`, consensusKey: k.consensusKey, mldsa65Key: k.mldsa65Key, networkKey: k.networkKey, p2p: { host: '127.0.0.1', port: 30000 + i } })),
    consensus: { ...DEFAULT_CONSENSUS },
  };
}

type Json = Record<string, unknown>;
const json = genesisJson(hybridGenesis()) as Json & { validators: Json[] };

function refusal(value: unknown): NodeConfigError {
  try {
    parseGenesis(value);
  } catch (err) {
    expect(err).toBeInstanceOf(NodeConfigError);
    expect((err as NodeConfigError).code).toBe('ERR_NODE_CONFIG');
    return err as NodeConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(value).slice(0, 120)}`);
}

describe("genesis with signatures 'ed25519+mldsa65'", () => {
  it('round-trips through JSON: the scheme, and each validator key as Ed25519 ‖ ML-DSA-65', () => {
    expect(json.signatures).toBe('ed25519+mldsa65');
    expect((json.validators[0].mldsa65Key as string).length).toBe(3904);
    const g = parseGenesis(JSON.parse(JSON.stringify(json)));
    expect(g.signatures).toBe('ed25519+mldsa65');
    expect(consensusKeys(g).map(bytesToHex)).toEqual(keys.map((k) => bytesToHex(hybridPublicKey(k.consensusKey, k.mldsa65Key as Uint8Array))));
    expect(genesisValidatorSet(g)).toEqual({ chainId: 'hybrid-genesis', validators: consensusKeys(g), signatures: 'ed25519+mldsa65' });
    expect(validatorSetFromGenesis(JSON.parse(JSON.stringify(json)))).toEqual(genesisValidatorSet(g));
  });

  it('an Ed25519 genesis is written and read as before: no scheme, no ML-DSA keys', () => {
    const { signatures: _, ...rest } = hybridGenesis();
    const ed = genesisJson({ ...rest, validators: rest.validators.map(({ mldsa65Key: __, ...v }) => v) });
    expect(Object.keys(ed)).toEqual(['chainId', 'genesisTime', 'validators', 'consensus']);
    expect(Object.keys((ed.validators as Json[])[0])).toEqual(['name', 'consensusKey', 'networkKey', 'p2p']);
    expect(parseGenesis(ed).signatures).toBeUndefined();
    expect(genesisValidatorSet(parseGenesis(ed))).toEqual({ chainId: 'hybrid-genesis', validators: keys.map((k) => k.consensusKey) });
  });

  it('refuses a genesis that mixes schemes, misses or malforms a key, or names an unknown scheme, naming the field', () => {
    const without = (i: number) => json.validators.map((v, j) => (j === i ? { ...v, mldsa65Key: undefined } : v));
    const cases: [unknown, RegExp][] = [
      [{ ...json, validators: without(2) }, /genesis\.validators\[2\]\.mldsa65Key is missing: genesis\.signatures is 'ed25519\+mldsa65'/],
      [{ ...json, signatures: undefined }, /genesis\.validators\[0\]\.mldsa65Key is set, but genesis\.signatures is 'ed25519': every validator of a network signs under the same scheme/],
      [{ ...json, signatures: 'ed25519', validators: json.validators.map((v, j) => (j === 0 ? v : { ...v, mldsa65Key: undefined })) }, /genesis\.validators\[0\]\.mldsa65Key is set/],
      [{ ...json, signatures: 'mldsa65' }, /genesis\.signatures must be one of 'ed25519', 'ed25519\+mldsa65', got "mldsa65"/],
      [{ ...json, validators: json.validators.map((v, j) => (j === 1 ? { ...v, mldsa65Key: (v.mldsa65Key as string).slice(2) } : v)) }, /genesis\.validators\[1\]\.mldsa65Key must be 3,904 hex digits \(an ML-DSA-65 public key\)/],
      [{ ...json, validators: json.validators.map((v, j) => (j === 3 ? { ...v, mldsa65Key: json.validators[0].mldsa65Key } : v)) }, /two validators share a mldsa65Key/],
      [{ ...json, staking: { accounts: [], validators: [] } }, /genesis\.staking needs genesis\.signatures 'ed25519'/],
    ];
    for (const [value, message] of cases) expect(refusal(value).message).toMatch(message);
  });

  it('the light client refuses the same mixes with typed errors naming the field', () => {
    const where = 'validatorSetFromGenesis';
    const { signatures: _, ...ed } = json;
    expectRefusal(() => validatorSetFromGenesis(ed), 'range', where, 'genesis.validators[0].mldsa65Key', "is set, but genesis.signatures is 'ed25519'");
    expectRefusal(() => validatorSetFromGenesis({ ...json, validators: [{ ...json.validators[0], mldsa65Key: undefined }] }), 'type', where, 'genesis.validators[0].mldsa65Key');
    expectRefusal(() => validatorSetFromGenesis({ ...json, validators: [{ ...json.validators[0], mldsa65Key: 'ab' }] }), 'range', where, 'genesis.validators[0].mldsa65Key', 'must be 3904 hex digits');
    expectRefusal(() => validatorSetFromGenesis({ ...json, signatures: 'rsa' }), 'range', where, 'genesis.signatures', "must be one of 'ed25519', 'ed25519+mldsa65'");
  });
});

describe("a home of an 'ed25519+mldsa65' network", () => {
  const config = { moniker: 'n1', p2p: { host: '127.0.0.1', port: 30001 }, rpc: { host: '127.0.0.1', port: 31001 }, peers: {}, poolThreads: 0 };

  it('keeps the ML-DSA-65 seed in keys/consensus-mldsa65.key (mode 0600) and loads it back, checked against genesis', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swarmguard-hybrid-home-'));
    dirs.push(dir);
    await writeHome(dir, { config, consensusSeed: keys[1].consensusSeed, mldsa65Seed: keys[1].mldsa65Seed, networkSeed: keys[1].networkSeed, genesis: hybridGenesis() });
    const file = join(dir, 'keys', 'consensus-mldsa65.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const home = await loadHome(dir);
    expect(home.id).toBe(1);
    expect(home.mldsa65Seed).toEqual(keys[1].mldsa65Seed);
    await writeFile(file, `${bytesToHex(keys[2].mldsa65Seed as Uint8Array)}\n`);
    await expect(loadHome(dir)).rejects.toThrow(/the ML-DSA-65 key of .*consensus-mldsa65\.key is not the one genesis lists for validator 1/);
    await rm(file);
    const missing = await loadHome(dir).then(() => null, (err: unknown) => err);
    expect(missing).toBeInstanceOf(NodeConfigError);
    expect((missing as Error).message).toMatch(/signs with 'ed25519\+mldsa65', so this validator needs its ML-DSA-65 seed: cannot read the key/);
    expect(JSON.parse(await readFile(join(dir, 'genesis.json'), 'utf8')).signatures).toBe('ed25519+mldsa65');
  });
});
