// `swarmguard/pool` in browsers (the exports map's `browser` condition): the names of the Node
// entry beside it (test/api pins both), on module Web Workers instead of worker threads.
export * from '../webpool/index.js';
