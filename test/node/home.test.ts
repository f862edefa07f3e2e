import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { DEFAULT_CONSENSUS, type Genesis, genesisJson, loadHome, newKeys, NodeConfigError, parseGenesis, writeHome } from '../../src/node/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'swarmguard-home-'));
  dirs.push(d);
  return d;
}

function genesisOf(keys: ReturnType<typeof newKeys>[]): Genesis {
  return {
    chainId: 'home-test',
    genesisTime: '2026-12-05T00:00:00.000Z',
    validators: keys.map((k, i) => ({ name: `n${i}`, consensusKey: k.consensusKey, networkKey: k.networkKey, p2p: { host: '127.0.0.1', port: 30000 + i } })),
    consensus: { ...DEFAULT_CONSENSUS, batchSize: 100 },
  };
}

describe('genesis', () => {
  const keys = [newKeys(), newKeys(), newKeys(), newKeys()];
  const json = genesisJson(genesisOf(keys));

  it('round-trips through its JSON form', () => {
    const g = parseGenesis(JSON.parse(JSON.stringify(json)));
    expect(g.validators.map((v) => bytesToHex(v.consensusKey))).toEqual(keys.map((k) => bytesToHex(k.consensusKey)));
    expect(g.consensus.batchSize).toBe(100);
    expect(g.validators[2].p2p).toEqual({ host: '127.0.0.1', port: 30002 });
  });

  it('refuses what a network cannot run on, naming the field', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...json, validators: (json.validators as unknown[]).slice(0, 3) }, /at least 4 validators/],
      [{ ...json, chainId: '' }, /genesis\.chainId/],
      [{ ...json, validators: [...(json.validators as object[]).slice(0, 3), { ...(json.validators as object[])[0], name: 'x' }] }, /share a consensusKey/],
      [{ ...json, validators: (json.validators as Record<string, unknown>[]).map((v, i) => (i === 1 ? { ...v, networkKey: 'zz' } : v)) }, /validators\[1\]\.networkKey must be 64 hex digits/],
      [{ ...json, validators: (json.validators as Record<string, unknown>[]).map((v, i) => (i === 3 ? { ...v, p2p: 'localhost' } : v)) }, /validators\[3\]\.p2p must be host:port/],
      [{ ...json, consensus: { batchSize: 10, turbo: 1 } }, /genesis\.consensus\.turbo is not a known setting/],
      // Deeper than the watermark window (2 × checkpointInterval) or than 64.
      [{ ...json, consensus: { checkpointInterval: 4, pipeline: 9 } }, /genesis\.consensus\.pipeline must be at most 8 \(64 and 2 × checkpointInterval\), got 9/],
      [{ ...json, consensus: { pipeline: 65 } }, /genesis\.consensus\.pipeline must be at most 64/],
    ];
    for (const [value, message] of bad) {
      const err = (() => {
        try {
          parseGenesis(value);
        } catch (e) {
          return e as NodeConfigError;
        }
        throw new Error(`accepted ${JSON.stringify(value).slice(0, 80)}`);
      })();
      expect(err).toBeInstanceOf(NodeConfigError);
      expect(err.code).toBe('ERR_NODE_CONFIG');
      expect(err.message).toMatch(message);
    }
    expect(() => parseGenesis({ ...json, consensus: { batchSize: 1.5 } })).toThrow(RangeError);
    expect(() => parseGenesis({ ...json, consensus: { pipeline: 0 } })).toThrow(RangeError);
    expect(parseGenesis({ ...json, consensus: { pipeline: 3 } }).consensus.pipeline).toBe(3);
    expect(() => parseGenesis('x')).toThrow(TypeError);
  });
});

describe('a node home', () => {
  it('is written with secret keys (mode 0600) and loads back as the validator genesis names', async () => {
    const keys = [newKeys(), newKeys(), newKeys(), newKeys()];
    const genesis = genesisOf(keys);
    const dir = await tempDir();
    await writeHome(dir, { config: { moniker: 'n2', p2p: { host: '127.0.0.1', port: 30002 }, rpc: { host: '127.0.0.1', port: 31002 }, peers: { 1: { host: '127.0.0.1', port: 40001 } }, poolThreads: 0 }, consensusSeed: keys[2].consensusSeed, networkSeed: keys[2].networkSeed, genesis });
    expect((await stat(join(dir, 'keys', 'consensus.key'))).mode & 0o777).toBe(0o600);
    const home = await loadHome(dir);
    expect(home.id).toBe(2);
    expect(home.config.peers[1]).toEqual({ host: '127.0.0.1', port: 40001 });
    expect(home.config.rpc.port).toBe(31002);
    await expect(writeHome(dir, { config: home.config, consensusSeed: keys[2].consensusSeed, networkSeed: keys[2].networkSeed })).rejects.toThrow(/refusing to overwrite a key/);
  });

  it('refuses keys that are not a validator of its genesis, and a missing or broken file, with the path', async () => {
    const keys = [newKeys(), newKeys(), newKeys(), newKeys()];
    const stranger = newKeys();
    const dir = await tempDir();
    const config = { moniker: 'x', p2p: { host: '127.0.0.1', port: 1 }, rpc: { host: '127.0.0.1', port: 2 }, peers: {}, poolThreads: 1 };
    await writeHome(dir, { config, consensusSeed: stranger.consensusSeed, networkSeed: stranger.networkSeed, genesis: genesisOf(keys) });
    await expect(loadHome(dir)).rejects.toThrow(/is not a validator of genesis home-test/);
    const wrongNet = await tempDir();
    await writeHome(wrongNet, { config, consensusSeed: keys[0].consensusSeed, networkSeed: stranger.networkSeed, genesis: genesisOf(keys) });
    await expect(loadHome(wrongNet)).rejects.toThrow(/network key is not the one genesis lists for validator 0/);
    await writeFile(join(wrongNet, 'config.json'), '{ nope');
    await expect(loadHome(wrongNet)).rejects.toThrow(/config\.json is not valid JSON/);
    const empty = await tempDir();
    await expect(loadHome(empty)).rejects.toBeInstanceOf(NodeConfigError);
    expect(JSON.parse(await readFile(join(dir, 'genesis.json'), 'utf8')).chainId).toBe('home-test');
  });
});
