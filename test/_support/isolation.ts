import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { expect } from 'vitest';

// Test files run in parallel and their transports bind free loopback ports; a transport still
// reconnecting to a port its cluster just freed can reach another cluster's node that got the
// port. With one chain id and one set of keys everywhere, mutual TLS let it in and the node took
// the other cluster's blocks (seen in CI: a node meant to state-sync held another cluster's
// block 1). So each file signs under its own chain id and each cluster has its own network keys.

function testFile(): string {
  return basename(expect.getState().testPath ?? 'unknown');
}

/** The chain id of this test file's clusters. */
export function isolatedChainId(prefix: string): string {
  return `${prefix}-${testFile().replace(/[^A-Za-z0-9]/g, '-')}`;
}

/** A 32-byte seed for `tag` and validator `i`, distinct per test file (and per `scope` within it). */
export function isolatedSeed(tag: string, i: number, scope = ''): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`${testFile()}#${scope}/${tag}/${i}`).digest());
}
