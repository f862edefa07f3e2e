// A pool worker that fails on purpose, served as /crashing-worker.js?crash=throw|close for the
// crash tests: the worker given the shard holding CRASH_LEAF dies (an uncaught error, or
// self.close()) before the package's worker sees that message. Everything else is the package's
// own worker script (swarmguard/pool/worker.js).
import 'swarmguard/pool/worker.js'; // kept by bundlers: the package lists it in `sideEffects`
import { crashOnShard } from './crashOnShard.js';

crashOnShard();
