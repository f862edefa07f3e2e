// The backend behind the package-level functions (`init`, `features`) and independent
// instances of either build (`createBackend`). Not in wasm/: a backend is the hashing and
// signature APIs bound to an instance, so this folder sits above hash/ and sig/.
export { type Backend, createBackend } from './createBackend.js';
export { type Features, features, init, type InitOptions } from './init.js';
