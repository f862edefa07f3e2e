/** Counters of the node's own edges, beside the replica's step stats. */
export interface NodeCounters {
  framesIn: number;
  storageWrites: number;
  storageWriteSecondsTotal: number;
  storageWriteSecondsLast: number;
  verifyBatches: number;
  verifyBatchItems: number;
  blocksCommitted: number;
  txsCommitted: number;
  evidence: number;
  lastCommitAt: number;
  blockIntervalSeconds: number;
}

export function newCounters(): NodeCounters {
  return {
    framesIn: 0,
    storageWrites: 0,
    storageWriteSecondsTotal: 0,
    storageWriteSecondsLast: 0,
    verifyBatches: 0,
    verifyBatchItems: 0,
    blocksCommitted: 0,
    txsCommitted: 0,
    evidence: 0,
    lastCommitAt: 0,
    blockIntervalSeconds: 0,
  };
}
