// The key-value application: the replicated state machine the simulator attacks and a node runs
// by default. It sits above consensus (it implements its `Application`) and below sim/ and node/.
export { KeyValueStore, kvSet } from './keyValueStore.js';
