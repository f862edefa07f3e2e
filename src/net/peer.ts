import { CircuitBreaker, PhiAccrualDetector } from '../resilience/index.js';
import type { Connection } from './connection.js';
import type { TlsConfig } from './options.js';
import { SendQueue } from './queue.js';

/** Milliseconds on the monotonic clock every per-peer policy reads. */
export const now = () => performance.now();

/** Everything a TLS transport knows and holds about one other validator. */
export interface Peer {
  readonly id: number;
  host: string;
  port: number;
  readonly queue: SendQueue;
  readonly detector: PhiAccrualDetector;
  /** Guards dialing; null for the peers that dial this node. */
  readonly breaker: CircuitBreaker | null;
  /** The established connection frames go out on. */
  connection: Connection | null;
  lastHeard: number | null;
  heartbeatDue: boolean;
  flushScheduled: boolean;
  /** What `onPeerChange` listeners were last told. */
  reported: { connected: boolean; suspected: boolean };
  /** Resumes the dial loop waiting for a port. */
  wake: (() => void) | null;
}

/** Validator `id` as seen from validator `config.id`: its queue, failure detector and, if dialed from here, breaker. */
export function createPeer(config: TlsConfig, id: number, host: string, port: number): Peer {
  return {
    id,
    host,
    port,
    queue: new SendQueue(config.maxQueueFrames, config.maxQueueBytes),
    detector: new PhiAccrualDetector({
      threshold: config.phiThreshold,
      firstHeartbeatEstimateMs: config.heartbeatInterval,
      acceptableHeartbeatPauseMs: config.acceptableHeartbeatPause,
      clock: now,
    }),
    // the lower id dials the higher: one connection per pair, no race between two dials
    breaker:
      id > config.id
        ? new CircuitBreaker({
            name: `peer ${id}`,
            decider: { kind: 'consecutive', failures: config.breakerFailures },
            openMs: config.breakerOpenDuration,
            successThreshold: 1,
            clock: now,
          })
        : null,
    connection: null,
    lastHeard: null,
    heartbeatDue: false,
    flushScheduled: false,
    reported: { connected: false, suspected: false },
    wake: null,
  };
}
