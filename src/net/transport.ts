/** Ends a subscription. */
export type Unsubscribe = () => void;

/**
 * Frames between the validators of one network, each validator addressed by its id (its index
 * in the validator set). The node plugs in a socket transport (mutual TLS, certificates pinned to
 * the validators' keys); the simulator plugs in its packet simulator. What every implementation
 * promises, and no more:
 *
 * - **Unreliable, unordered delivery.** A frame arrives once, several times, late, out of order
 *   or never; `send` and `broadcast` return at once and report nothing (no acknowledgement, no
 *   error for a peer that is down). The protocol above retransmits what matters.
 * - **Whole frames.** A frame arrives with the bytes that were sent, or not at all: never cut,
 *   merged or altered in transit. The receiver still checks what the bytes claim (signatures).
 * - **Authenticated sender.** The `from` handed to `onFrame` is the validator that sent the
 *   frame: the transport authenticated its key. A frame that does not pass is never delivered.
 * - Frames to oneself or to an id outside the validator set are dropped. The sender must not
 *   change a frame's bytes after handing it over; handlers must not change what they receive.
 * - After `close()` nothing more is delivered and sending does nothing.
 */
export interface Transport {
  /** Sends `frame` to validator `to`. */
  send(to: number, frame: Uint8Array): void;
  /** Sends `frame` to every other validator. */
  broadcast(frame: Uint8Array): void;
  /** Calls `handler` for every frame received, with the authenticated sender's id. */
  onFrame(handler: (from: number, frame: Uint8Array) => void): Unsubscribe;
  /** Stops sending and receiving and releases the connections. */
  close(): Promise<void>;
}
