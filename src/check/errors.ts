/**
 * The two argument errors every public function throws, as Node's own APIs do: a value of the
 * wrong type is a `TypeError` with code `ERR_INVALID_ARG_TYPE`; a value of the right type that
 * is not allowed (out of range, fractional, NaN, wrong length, unknown name) is a `RangeError`
 * with code `ERR_OUT_OF_RANGE`. They extend the built-ins so `instanceof TypeError` keeps
 * working, and the message always starts with the function and the argument:
 * `blake3: options.key must be 32 bytes, got 31`.
 */
export class ArgumentTypeError extends TypeError {
  readonly code = 'ERR_INVALID_ARG_TYPE';
  /** The function (or constructor) that refused the argument, e.g. `ed25519.verifyBatch`. */
  readonly where: string;
  /** The argument's path, e.g. `items[3].signature`. */
  readonly argument: string;
  constructor(where: string, argument: string, requirement: string) {
    super(`${where}: ${argument} ${requirement}`);
    this.name = 'ArgumentTypeError';
    this.where = where;
    this.argument = argument;
  }
}

export class ArgumentRangeError extends RangeError {
  readonly code = 'ERR_OUT_OF_RANGE';
  readonly where: string;
  readonly argument: string;
  constructor(where: string, argument: string, requirement: string) {
    super(`${where}: ${argument} ${requirement}`);
    this.name = 'ArgumentRangeError';
    this.where = where;
    this.argument = argument;
  }
}
