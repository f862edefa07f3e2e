// Entry of both WASM builds (scalar and simd). Every kernel works on flat linear memory:
// the host writes inputs at addresses it chose above `scratchBase()`, calls one exported
// batch function, and reads the outputs back. No kernel allocates.
export { scratchBase } from "./scratch";
