import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The public surface, pinned: every name the package root and each subpath export (values and
// types), so a name added to or dropped from an entry fails here until this list says so.
// The entries export from the folder faces, which stay free to hold internal names.

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

interface Surface {
  /** The entry module under src/. */
  source: string;
  values: string[];
  types: string[];
  /** Refused to browser bundles by the exports map (`browser: null`). */
  nodeOnly?: true;
  /** The module browsers get instead (the `browser` condition), with the same names. */
  browserSource?: string;
}

/** Subpaths that are files a page serves as they are, not modules with an API. */
const FILES: Record<string, string> = { './pool/worker.js': './dist/src/webpool/worker.min.js' };

const API: Record<string, Surface> = {
  swarmguard: {
    source: 'src/index.ts',
    values: [
      'AdaptiveTimeout', 'BrokenCircuitError', 'Bulkhead', 'BulkheadRejectedError', 'CircuitBreaker', 'ConsensusConfigError', 'CorruptStateError',
      'DecodeError', 'FallbackPolicy', 'HashFinalizedError', 'IsolatedCircuitError', 'KeyedRateLimiter', 'MalformedSecretKeyError', 'MalformedTransactionError', 'MerkleTree', 'NotInitializedError',
      'PhiAccrualDetector', 'RateLimitedError', 'RateLimiter', 'Replica', 'ResilienceManager', 'RetryPolicy', 'SwarmguardError', 'TimeoutError',
      'TimeoutPolicy', 'TransactionError', 'TransactionSignatureError', 'TransactionTooLargeError', 'UnsupportedBackendError', 'WrongChainError',
      'blake3', 'blake3Many', 'blake3Pairs', 'bytesToHex', 'createBackend', 'decodeTransaction', 'ed25519', 'features', 'hexToBytes', 'hkdf', 'hmac', 'init',
      'merkleRoot', 'mldsa44', 'mldsa65', 'mldsa87', 'sha256', 'sha256Many', 'sha256Pairs', 'sha512', 'signTransaction', 'simulate', 'transactionId', 'verifyConsistency',
      'verifyInclusion', 'verifyTransactions', 'vrf', 'wrap',
    ],
    types: [
      'Application', 'Backend', 'BackendName', 'BatchItem', 'Blake3Options', 'CircuitBreakerOptions', 'ConsistencyProof', 'Ed25519KeyPair', 'Features',
      'InclusionProof', 'InitOptions', 'Input', 'MerkleHash', 'MerkleOptions', 'MlDsaKeyPair', 'Policy', 'Ready', 'ReplicaConfig', 'RetryOptions', 'SimOptions', 'SimResult', 'Transaction',
    ],
  },
  'swarmguard/hash': {
    source: 'src/entries/hash.ts',
    values: ['BLAKE3_MAX_LENGTH', 'HashFinalizedError', 'blake3', 'blake3Many', 'blake3Pairs', 'features', 'hkdf', 'hmac', 'init', 'sha256', 'sha256Many', 'sha256Pairs', 'sha512'],
    types: [
      'Blake3Api', 'Blake3Function', 'Blake3Hasher', 'Blake3Options', 'CHash', 'CHashState', 'Features', 'HashApi', 'HashPairsOptions', 'HashSizes', 'Hasher',
      'Hmac', 'InitOptions', 'Input', 'Sha2Api', 'Sha2Function', 'Sha2Hasher',
    ],
  },
  'swarmguard/merkle': {
    source: 'src/entries/merkle.ts',
    values: ['MAX_TREE_LEAVES', 'MERKLE_HASHES', 'MerkleTree', 'features', 'init', 'joinSubtreeRoots', 'merkleRoot', 'verifyConsistency', 'verifyInclusion', 'verifyInclusionOfHash'],
    types: ['ConsistencyProof', 'Features', 'InclusionProof', 'InitOptions', 'MerkleHash', 'MerkleOptions', 'MerkleVerifyOptions'],
  },
  'swarmguard/sig': {
    source: 'src/entries/sig.ts',
    values: ['MalformedSecretKeyError', 'ed25519', 'features', 'init', 'mldsa44', 'mldsa65', 'mldsa87', 'vrf'],
    types: [
      'BatchItem', 'Ed25519Api', 'Ed25519KeyPair', 'Features', 'InitOptions', 'MlDsaApi', 'MlDsaBatchItem', 'MlDsaKeyPair', 'MlDsaLengths', 'MlDsaName',
      'MlDsaSignOptions', 'MlDsaVerifyOptions', 'PqApi', 'SigApi', 'VerifyBatchOptions', 'VerifyOptions', 'VrfApi', 'VrfOptions', 'VrfSuite',
    ],
  },
  'swarmguard/resilience': {
    source: 'src/entries/resilience.ts',
    values: [
      'AdaptiveTimeout', 'BrokenCircuitError', 'Bulkhead', 'BulkheadRejectedError', 'COARSE_CLOCK_TICK_MS', 'CircuitBreaker', 'DEFAULT_BREAKER_DECIDER',
      'DEFAULT_BREAKER_OPEN_MS', 'FallbackPolicy', 'IsolatedCircuitError', 'KeyedRateLimiter', 'PhiAccrualDetector', 'QuantileSketch', 'RateLimitedError',
      'RateLimiter', 'ResilienceManager', 'RetryPolicy', 'SlidingQuantiles', 'TimeoutError', 'TimeoutPolicy', 'WrappedPolicy', 'coarseClock', 'fallback',
      'isNeverRetried', 'phiAccrual', 'retry', 'timeout', 'wrap',
    ],
    types: [
      'AcquireOptions', 'AdaptiveTimeoutOptions', 'AdaptiveTimeoutStats', 'BackoffFn', 'BackoffOption', 'BreakerEvent', 'BreakerStats', 'BulkheadEvent',
      'BulkheadOptions', 'BulkheadStats', 'CircuitBreakerJSON', 'CircuitBreakerOptions', 'CircuitState', 'Clock', 'ConsecutiveDeciderOptions',
      'DeciderOptions', 'ExponentialBackoffOptions', 'FallbackEvent', 'FallbackOptions', 'FallbackStats', 'KeyedRateLimiterOptions',
      'KeyedRateLimiterStats', 'LatencyStats', 'Listener', 'ManagerOptions', 'PhiAccrualOptions', 'Policy', 'PolicyTask', 'RateLimiterEvent',
      'RateLimiterOptions', 'RateLimiterStats', 'ResilienceEvent', 'ResilienceStats', 'RetryEvent', 'RetryOptions', 'RetryStats',
      'StatisticalDeciderOptions', 'StatsSource', 'TimedTask', 'TimeoutEvent', 'TimeoutMode', 'TimeoutOptions', 'TimeoutStats', 'Unsubscribe', 'WindowDeciderOptions',
    ],
  },
  'swarmguard/consensus': {
    source: 'src/entries/consensus.ts',
    values: [
      'BlockNotInLogError', 'COMMIT_PROOF_VERSION', 'Client', 'ConsensusConfigError', 'CorruptStateError', 'DecodeError', 'HYBRID_MLDSA_CONTEXT', 'MalformedCommitProofError',
      'Replica', 'SIGNATURE_SCHEMES', 'TxRootMismatchError', 'blockHash', 'buildCommitProof', 'consensusDomain', 'decodeBlock', 'decodeBlockHeader', 'decodeCommitProof',
      'decodeDurable', 'decodeReply', 'defaultTxRoot', 'encodeBlock', 'encodeBlockHeader', 'encodeCommitProof', 'encodeReply', 'hybridPublicKey', 'loadDurable',
      'persistOps', 'recipients', 'schemeFormat', 'validatorSetId', 'verifyCommitCertificates', 'verifyCommitProof', 'wasmEd25519Signer', 'wasmEd25519Verifier',
      'wasmHybridSigner', 'wasmHybridVerifier', 'wasmVerifierFor',
    ],
    types: [
      'Application', 'Block', 'BlockHeader', 'BuildCommitProofOptions', 'CertifiedHeader', 'CheckpointRecord', 'ClientOptions', 'CommitProof', 'CommitProofFailure',
      'CommitProofVerdict', 'CommittedBlock', 'DropReason', 'DurableState', 'EpochStart', 'Evidence', 'HardState', 'HashFunction', 'LogEntry', 'Outbound',
      'PersistBatch', 'Ready', 'RecordOp', 'Refusal', 'ReplicaConfig', 'ReplicaInput', 'Reply', 'SchemeFormat', 'SignatureCheck', 'SignatureScheme', 'Signer', 'StepStats', 'TxRootFunction',
      'ValidatorSet', 'Verifier', 'VerifyCommitProofOptions',
    ],
  },
  'swarmguard/consensus/wire': {
    source: 'src/entries/consensusWire.ts',
    values: [
      'MessageType', 'WIRE_VERSION', 'consensusDomain', 'decideNewView', 'decodeMessage', 'decodeVote', 'domainSigner', 'encodePrePrepare',
      'isCommitCertificate', 'isPreparedCertificate', 'isValidViewChange', 'quorums', 'schemeFormat', 'senderKey', 'signFetch', 'signNewView', 'signTransfer',
      'signViewChange', 'signVote', 'voteFrameBytes',
    ],
    types: ['Message', 'NewView', 'NewViewDecision', 'PrePrepare', 'Quorums', 'SchemeFormat', 'SignatureScheme', 'ViewChange', 'Vote', 'VoteType'],
  },
  'swarmguard/sim': {
    source: 'src/entries/sim.ts',
    values: ['BYZANTINE_FAULTS', 'DISK_FAULTS', 'EPOCH_FAULTS', 'FAULTS', 'KeyValueStore', 'NETWORK_FAULTS', 'describeParameters', 'kvSet', 'simulate'],
    types: ['CommitLogLine', 'EpochOptions', 'EpochReport', 'Fault', 'FaultParameters', 'SimOptions', 'SimResult'],
  },
  'swarmguard/storage': {
    source: 'src/entries/storage.ts',
    values: ['LevelStorage', 'MemoryStorage', 'StorageClosedError', 'StorageLockedError', 'StorageOpenError', 'StorageQueueFullError', 'StorageReadError', 'StorageWriteError'],
    types: ['KeyRange', 'LatencyHistogram', 'LevelDatabase', 'LevelStorageOptions', 'LevelStorageStats', 'MemoryStorageOptions', 'Storage', 'StorageOp'],
  },
  'swarmguard/tx': {
    source: 'src/entries/tx.ts',
    values: [
      'DEFAULT_MAX_PAYLOAD', 'MAX_CHAIN_ID_BYTES', 'MalformedTransactionError', 'TX_CONTEXT', 'TX_VERSION', 'TransactionError', 'TransactionSignatureError',
      'TransactionTooLargeError', 'WrongChainError', 'decodeTransaction', 'signTransaction', 'transactionId', 'transactionIds', 'transactionSigningBytes',
      'verifyTransactions',
    ],
    types: ['DecodeTransactionOptions', 'Transaction', 'TransactionFields', 'TransactionKey'],
  },
  'swarmguard/validators': {
    source: 'src/entries/validators.ts',
    values: [
      'DEFAULT_STAKING_PARAMS', 'OFFENCES', 'StakeSampler', 'ValidatorApplication', 'ValidatorState', 'ValidatorStateMachine', 'auditSupply', 'committeeSize', 'decodeStakingPayload',
      'decodeStakingResult', 'electCommittee', 'epochSeedInput', 'fallbackEpochSeed', 'findForkCulprits', 'invalidTxIndex', 'isStakingPayload', 'NotAForkError', 'pendingRewards', 'primaryOfView', 'proveEpochSeed', 'registrationMessage',
      'resolveStakingParams', 'stakingPayload', 'verifyEpochSeed',
    ],
    types: [
      'Activity', 'CertificateFailure', 'Committee', 'CommitCertificate', 'Delegation', 'ForkCulprit', 'NotAForkReason', 'Offence', 'RedelegationEntry', 'SlashRule', 'StakingOp', 'StakingParams', 'StakingRefusal', 'StakingResult',
      'SupplyAudit', 'UnbondingEntry', 'Validator', 'ValidatorGenesis',
    ],
  },
  'swarmguard/light': {
    source: 'src/entries/light.ts',
    values: [
      'ForkDetectedError', 'HeaderUnavailableError', 'LIE_REASONS', 'LightClient', 'LightClientClosedError', 'TransactionUnverifiedError', 'TrustMismatchError',
      'WebSocketUnavailableError', 'validatorSetFromGenesis',
    ],
    types: [
      'Checkpoint', 'ForkEvidence', 'ForkSide', 'Lie', 'LieReason', 'LightClientOptions', 'SourceFailure', 'SourceStats', 'TrustedHeader', 'TrustedHeaderEvent', 'TxVerdict',
      'VerifyTransactionOptions', 'WebSocketConstructor', 'WebSocketLike',
    ],
  },
  'swarmguard/pool': {
    source: 'src/entries/pool.ts',
    browserSource: 'src/entries/poolBrowser.ts',
    values: ['MAX_POOL_BATCH_BYTES', 'Pool', 'PoolClosedError', 'PoolTaskError', 'PoolWorkerMissingError', 'TaskAbortedError', 'WorkerCrashedError', 'createPool'],
    types: ['MlDsaPoolOptions', 'PoolBuffers', 'PoolOperation', 'PoolOperationName', 'PoolOperationParams', 'PoolOptions', 'RunOptions'],
  },
  'swarmguard/metrics': {
    source: 'src/entries/metrics.ts',
    nodeOnly: true,
    values: ['MetricsUnavailableError', 'registerMetrics', 'resilienceMetrics'],
    types: ['MetricFamily', 'MetricSample', 'MetricSource', 'MetricType', 'ResilienceStatsSource'],
  },
  'swarmguard/node': {
    source: 'src/entries/node.ts',
    nodeOnly: true,
    values: [
      'CorruptSnapshotError', 'CorruptStoreError', 'DEFAULT_CONSENSUS', 'DEFAULT_P2P_PORT', 'DEFAULT_RPC_PORT', 'MAX_SUBMIT_BATCH', 'MemoryNetwork',
      'MemoryTransport', 'NodeConfigError', 'NodeStoppedError', 'SnapshotCodecUnavailableError', 'SnapshotTooLargeError', 'SwarmNode', 'compressSnapshot',
      'createTlsTransport', 'decompressSnapshot', 'genesisJson', 'genesisValidatorSet', 'loadHome', 'networkPublicKey', 'newKeys', 'nodeEd25519Signer', 'nodeEd25519Verifier',
      'nodeMetrics', 'nodeSha256', 'openLevelStorage', 'parseGenesis', 'runNode', 'startRpc', 'writeHome',
    ],
    types: [
      'ConsensusParams', 'Genesis', 'GenesisValidator', 'MemoryDropReason', 'MemoryNetworkOptions', 'MonitoredTransport', 'NodeConfig', 'NodeCounters',
      'NodeHome', 'NodeOptions', 'NodeTransport', 'OpenLevelStorageOptions', 'PeerBreakerState', 'PeerChange', 'PeerStatus', 'RefusalReason',
      'RpcOptions', 'RunningNode', 'StakingGenesis', 'SubmitOutcome', 'TlsDropReason', 'TlsPeer', 'TlsRejectReason', 'TlsTransport', 'TlsTransportOptions',
      'TlsTransportStats', 'Transport', 'TransportStats', 'TxStatus',
    ],
  },
};

const subpathOf = (name: string) => (name === 'swarmguard' ? '.' : `.${name.slice('swarmguard'.length)}`);
const compiled = (source: string, ext: '.js' | '.d.ts') => `./dist/${source.replace(/\.ts$/, ext)}`;

/** Names each entry exports, split by whether a value stands behind them, as the compiler sees them. */
function exportedNames(sources: string[]): Map<string, { values: string[]; types: string[] }> {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}/tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram(
    sources.map((s) => `${root}/${s}`),
    { ...config?.options, noEmit: true },
  );
  const checker = program.getTypeChecker();
  return new Map(
    sources.map((source) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(`${root}/${source}`)!)!;
      const values: string[] = [];
      const types: string[] = [];
      for (const symbol of checker.getExportsOfModule(module)) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
      }
      return [source, { values: values.sort(), types: types.sort() }];
    }),
  );
}

const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name: string; exports: Record<string, string | Record<string, unknown>> };

describe('public API surface', () => {
  it('exports exactly the pinned names from the root and every subpath entry', () => {
    const names = exportedNames(Object.values(API).flatMap((s) => [s.source, ...(s.browserSource ? [s.browserSource] : [])]));
    for (const [name, surface] of Object.entries(API)) {
      expect(names.get(surface.source), name).toEqual({ values: [...surface.values].sort(), types: [...surface.types].sort() });
      if (surface.browserSource) expect(names.get(surface.browserSource), `${name} (browser)`).toEqual(names.get(surface.source));
    }
  });

  it('keeps the root to the everyday names', () => {
    const { values, types } = API.swarmguard;
    // 60 before transactions; their sign/decode/verify/id and the five error classes brought it to 70;
    // hmac, hkdf, HashFinalizedError and the two proof types the root's Merkle verifiers take, to 75;
    // ML-DSA (mldsa44/65/87, its key-pair type and the error its sign throws), to 80.
    expect(values.length + types.length).toBeLessThanOrEqual(80);
    for (const internal of ['signVote', 'encodePrePrepare', 'decideNewView', 'MessageType', 'Prng', 'KeyValueStore', 'createPool', 'timeout', 'Client', 'transactionSigningBytes', 'TX_CONTEXT']) {
      expect(values, internal).not.toContain(internal);
    }
  });

  it('maps every subpath to its compiled entry, types first; Node-only ones refuse the browser, with types of their own', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual([...Object.keys(API).map(subpathOf), ...Object.keys(FILES), './package.json'].sort());
    for (const [subpath, file] of Object.entries(FILES)) expect(pkg.exports[subpath], subpath).toBe(file);
    for (const [name, surface] of Object.entries(API)) {
      const conditions = pkg.exports[subpathOf(name)] as Record<string, unknown>;
      // `browser` comes first there: TypeScript (customConditions ['browser']) takes its face, and
      // bundlers its `default` (null for Node-only entries); Node and other TypeScript settings pass it by.
      const node = { types: compiled(surface.source, '.d.ts'), node: compiled(surface.source, '.js'), default: null };
      const expected = surface.browserSource
        ? { browser: { types: compiled(surface.browserSource, '.d.ts'), default: compiled(surface.browserSource, '.js') }, ...node }
        : surface.nodeOnly
          ? { browser: { types: compiled(surface.source.replace('src/entries/', 'src/entries/nodeOnly/'), '.d.ts'), default: null }, ...node }
          : { types: compiled(surface.source, '.d.ts'), default: compiled(surface.source, '.js') };
      expect(Object.keys(conditions), name).toEqual(Object.keys(expected));
      expect(conditions, name).toEqual(expected);
    }
  });

  it('resolves every subpath through the package name on Node (self-reference, built dist/)', async () => {
    for (const surface of Object.values(API)) expect(existsSync(`${root}/${compiled(surface.source, '.d.ts')}`), surface.source).toBe(true);
    const script = `const out = {};
for (const name of ${JSON.stringify(Object.keys(API))}) out[name] = Object.keys(await import(name)).sort();
let refused;
try { await import('swarmguard/consensus/replica'); } catch (err) { refused = err.code; }
console.log(JSON.stringify({ out, refused }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    const { out, refused } = JSON.parse(stdout) as { out: Record<string, string[]>; refused: string };
    for (const [name, surface] of Object.entries(API)) expect(out[name], name).toEqual([...surface.values].sort());
    expect(refused, 'a module behind a subpath is not reachable').toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
