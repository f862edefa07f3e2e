import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_P2P_PORT, DEFAULT_RPC_PORT, loadHome } from '../../src/node/index.js';
import { CLI, loopbackPorts, runCli, runToExit, tuneHomes } from '../_support/processCluster.js';
import { spawnProcess } from '../_support/processes.js';

// deploy/ cannot be run here (no container runtime), so this reads its files as text (no YAML
// parser: the flow sequences they use are JSON) and holds them to the CLI and the node as they
// are: every `swarmguard …` command and flag must be one the CLI accepts, the command the
// containers run must start a node on a home deploy/homes.mjs wrote, the ports must be the ones
// that home listens on (the CLI's defaults), and the probes must ask /health for readiness and
// /health/live for liveness.

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(join(root, path), 'utf8');

/** Every `key: [ … ]` on one line (a YAML flow sequence of JSON strings), parsed. */
function flowLists(text: string, key: string): string[][] {
  return [...text.matchAll(new RegExp(`^\\s*(?:- )?${key}:\\s*(\\[.*\\])\\s*$`, 'gm'))].map((m) => JSON.parse(m[1]) as string[]);
}

/** The JSON array of a Dockerfile instruction (exec form), its continuation lines joined. */
function dockerExec(text: string, instruction: string): string[] {
  const joined = text.replace(/\\\n\s*/g, '');
  const line = joined.split('\n').find((l) => l.startsWith(`${instruction} `));
  if (!line) throw new Error(`no ${instruction} in deploy/Dockerfile`);
  return JSON.parse(line.slice(line.indexOf('['))) as string[];
}

/** The URL a health check asks (the `fetch('…')` inside its `node -e` script). */
function healthUrl(check: string[]): URL {
  const match = /fetch\('([^']+)'\)/.exec(check.join(' '));
  if (!match) throw new Error(`no fetch in the health check ${JSON.stringify(check)}`);
  return new URL(match[1]);
}

/** The `httpGet` of a Kubernetes probe: `<probe>:` followed by `httpGet: { path: …, port: … }`. */
function probe(text: string, name: string): { path: string; port: string } {
  const match = new RegExp(`${name}:\\s*\\n\\s*httpGet: \\{ path: (\\S+), port: (\\w+) \\}`).exec(text);
  if (!match) throw new Error(`no ${name} with an httpGet in deploy/k8s/statefulset.yaml`);
  return { path: match[1], port: match[2] };
}

describe('deploy/ uses the CLI and the node as they are', () => {
  let dockerfile: string;
  let compose: string;
  let k8s: string;
  let dir: string;
  beforeAll(async () => {
    [dockerfile, compose, k8s] = await Promise.all(['deploy/Dockerfile', 'deploy/compose.yaml', 'deploy/k8s/statefulset.yaml'].map(read));
    dir = await mkdtemp(join(tmpdir(), 'swarmguard-deploy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What each file has the image run: the entrypoint `swarmguard` with these arguments. */
  const commands = () => {
    expect(dockerExec(dockerfile, 'ENTRYPOINT')).toEqual(['swarmguard']);
    // Compose's `command` and a Kubernetes container's `args` replace CMD and keep the entrypoint.
    expect(compose).not.toMatch(/^\s*entrypoint:/m);
    const validator = k8s.slice(k8s.indexOf('containers:'));
    expect(validator.slice(0, validator.indexOf('args:'))).not.toMatch(/^\s*(?:- )?command:/m);
    return { Dockerfile: dockerExec(dockerfile, 'CMD'), compose: flowLists(compose, 'command'), statefulset: flowLists(validator, 'args') };
  };

  it('names only commands and flags the CLI accepts, in every file and its README', async () => {
    const texts = [dockerfile, compose, k8s, await read('deploy/README.md'), await read('deploy/homes.mjs')].join('\n');
    const { Dockerfile, compose: fromCompose, statefulset } = commands();
    const uses = [Dockerfile, ...fromCompose, ...statefulset].map((args) => `swarmguard ${args.join(' ')}`);
    for (const m of texts.matchAll(/\bswarmguard (node|testnet|tx|bench|sim)\b[^`'"\n|]*/g)) uses.push(m[0]);
    for (const m of texts.matchAll(/\[cli, '(testnet|node|tx)', ([^\]]*)\]/g)) uses.push(`swarmguard ${m[1]} ${m[2].replace(/[',]/g, ' ')}`);
    expect(uses.length).toBeGreaterThanOrEqual(5);
    const usage = new Map<string, string>();
    for (const use of uses) {
      const command = use.split(/\s+/)[1];
      if (!usage.has(command)) {
        const help = await runCli([command, '--help']);
        expect(help.status.code, `swarmguard ${command} --help`).toBe(0);
        usage.set(command, help.lines.join('\n'));
      }
      const text = usage.get(command) as string;
      const action = /^swarmguard \w+ (\w+)/.exec(use)?.[1];
      if (action) expect(text, use).toContain(`swarmguard ${command} ${action}`);
      for (const flag of use.match(/--[a-z][a-z0-9-]*/g) ?? []) expect(text, `${use}: ${flag}`).toMatch(new RegExp(`${flag}(?![\\w-])`));
    }
  });

  it('homes.mjs writes homes the node accepts: one genesis, each validator listening on the ports the image exposes', async () => {
    const hosts = ['validator0', 'validator1', 'validator2', 'validator3'];
    const wrote = await runToExit(process.execPath, [join(root, 'deploy/homes.mjs'), join(dir, 'compose'), hosts.join(',')], 60_000, 'homes.mjs');
    expect(wrote.status.code, wrote.lines.join('\n')).toBe(0);
    const genesis = new Set<string>();
    for (let i = 0; i < hosts.length; i++) {
      const home = await loadHome(join(dir, 'compose', `node${i}`));
      expect(home.id).toBe(i);
      expect(home.config.p2p).toEqual({ host: '0.0.0.0', port: DEFAULT_P2P_PORT });
      expect(home.config.rpc).toEqual({ host: '0.0.0.0', port: DEFAULT_RPC_PORT });
      expect(home.genesis.validators.map((v) => v.p2p)).toEqual(hosts.map((host) => ({ host, port: DEFAULT_P2P_PORT })));
      genesis.add(await readFile(join(dir, 'compose', `node${i}`, 'genesis.json'), 'utf8'));
    }
    expect(genesis.size).toBe(1);
  });

  it('runs a command that starts a node on such a home; its probes answer as the files expect', async () => {
    const all = commands();
    const distinct = [...new Set([all.Dockerfile, ...all.compose, ...all.statefulset].map((args) => JSON.stringify(args)))].map((s) => JSON.parse(s) as string[]);
    expect(distinct.length).toBeGreaterThan(0);
    // A home as homes.mjs writes it, moved to free loopback ports: this machine is shared.
    const wrote = await runToExit(process.execPath, [join(root, 'deploy/homes.mjs'), join(dir, 'run'), 'a,b,c,d'], 60_000, 'homes.mjs');
    expect(wrote.status.code).toBe(0);
    const home = join(dir, 'run', 'node0');
    const [p2p, rpc] = await loopbackPorts(2);
    await tuneHomes([home], (g) => g, (_, config) => ({ ...config, p2p: `127.0.0.1:${p2p}`, rpc: `127.0.0.1:${rpc}` }));
    for (const args of distinct) {
      expect(args).toContain('/data');
      const node = await spawnProcess(process.execPath, [CLI, ...args.map((a) => (a === '/data' ? home : a))], { logPrefix: args.join(' ') });
      await node.waitForLine(/ started: /, 60_000);
      // Alone (its three peers are elsewhere) it is live but not ready: exactly what each probe must tell apart.
      expect((await fetch(`http://127.0.0.1:${rpc}/health/live`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${rpc}/health`)).status).toBe(503);
      expect(await node.terminate(15_000)).toEqual({ code: 0, signal: null });
    }
  });

  it('exposes, publishes and probes the ports the node listens on', () => {
    const expose = /^EXPOSE (.+)$/m.exec(dockerfile)?.[1].split(/\s+/).map(Number);
    expect(expose).toEqual([DEFAULT_P2P_PORT, DEFAULT_RPC_PORT]);
    const checks = [dockerExec(dockerfile, 'HEALTHCHECK'), ...flowLists(compose, 'test')];
    expect(checks).toHaveLength(2);
    for (const check of checks) {
      const url = healthUrl(check);
      expect(Number(url.port)).toBe(DEFAULT_RPC_PORT);
      // Docker's health decides restarts (Swarm replaces unhealthy tasks): liveness.
      expect(url.pathname).toBe('/health/live');
    }
    const published = [...compose.matchAll(/ports: \["127\.0\.0\.1:(\d+):(\d+)"\]/g)];
    expect(published).toHaveLength(4);
    expect(published.map((m) => Number(m[2]))).toEqual([DEFAULT_RPC_PORT, DEFAULT_RPC_PORT, DEFAULT_RPC_PORT, DEFAULT_RPC_PORT]);
    expect(new Set(published.map((m) => m[1])).size).toBe(4);
    expect([...k8s.matchAll(/\{ name: (\w+), containerPort: (\d+) \}/g)].map((m) => [m[1], Number(m[2])])).toEqual([
      ['p2p', DEFAULT_P2P_PORT],
      ['rpc', DEFAULT_RPC_PORT],
    ]);
    expect([...k8s.matchAll(/\{ name: (\w+), port: (\d+), targetPort: (\w+) \}/g)].map((m) => [m[1], Number(m[2]), m[3]])).toEqual([
      ['p2p', DEFAULT_P2P_PORT, 'p2p'],
      ['rpc', DEFAULT_RPC_PORT, 'rpc'],
    ]);
    expect(/prometheus\.io\/port: "(\d+)"/.exec(k8s)?.[1]).toBe(String(DEFAULT_RPC_PORT));
    expect(probe(k8s, 'readinessProbe')).toEqual({ path: '/health', port: 'rpc' });
    expect(probe(k8s, 'livenessProbe')).toEqual({ path: '/health/live', port: 'rpc' });
  });
});
