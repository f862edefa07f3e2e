// One vocabulary for bad arguments, used by every public function (see errors.ts for the rule).
export {
  describe,
  type Input,
  isBytes,
  isDetached,
  optionKeys,
  requireArray,
  requireBoolean,
  requireByteLength,
  requireBytes,
  requireBytesList,
  requireFunction,
  requireInput,
  requireInputs,
  requireInteger,
  requireNumber,
  requireObject,
  requireOneOf,
  requireOptions,
  requireSignal,
  requireString,
} from './arguments.js';
export { ArgumentRangeError, ArgumentTypeError } from './errors.js';
