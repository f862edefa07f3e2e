// Frames between validators: the `Transport` interface the node's sockets and the simulator's
// packet simulator implement (interface only here; the socket transport lives with the node).
export type { Transport, Unsubscribe } from './transport.js';
