// Table-driven checks of argument errors: each row names a call, the class it must throw
// (`type` → ArgumentTypeError, `range` → ArgumentRangeError) and the function and argument the
// error must name.
import { expect } from 'vitest';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';

export type Kind = 'type' | 'range';

/** [label, call, kind, where, argument, and optionally text the message must contain]. */
export type Refusal = [label: string, call: () => unknown, kind: Kind, where: string, argument: string, says?: string];

/** A view of a detached buffer (its memory was transferred away). */
export function detached(length = 32): Uint8Array {
  const view = new Uint8Array(length);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

/** A sparse array of `length` holes. */
export function holes(length: number): never {
  return new Array(length) as never;
}

function check(caught: unknown, kind: Kind, where: string, argument: string, says: string | undefined, label: string): ArgumentTypeError | ArgumentRangeError {
  const cls = kind === 'type' ? ArgumentTypeError : ArgumentRangeError;
  expect(caught, `${label}: ${String(caught)}`).toBeInstanceOf(cls);
  expect(caught, label).toBeInstanceOf(kind === 'type' ? TypeError : RangeError);
  const err = caught as ArgumentTypeError | ArgumentRangeError;
  expect(err.code, label).toBe(kind === 'type' ? 'ERR_INVALID_ARG_TYPE' : 'ERR_OUT_OF_RANGE');
  expect([err.where, err.argument], label).toEqual([where, argument]);
  expect(err.message.startsWith(`${where}: ${argument} `), `${label}: ${err.message}`).toBe(true);
  if (says !== undefined) expect(err.message, label).toContain(says);
  return err;
}

/** Runs `call` and checks that it throws the argument error described; returns the error. */
export function expectRefusal(call: () => unknown, kind: Kind, where: string, argument: string, says?: string, label = `${where} ${argument}`): ArgumentTypeError | ArgumentRangeError {
  let caught: unknown;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  return check(caught, kind, where, argument, says, label);
}

/** The same for a call that returns a promise, which must reject (not throw synchronously). */
export async function expectRejection(call: () => Promise<unknown>, kind: Kind, where: string, argument: string, says?: string, label = `${where} ${argument}`): Promise<ArgumentTypeError | ArgumentRangeError> {
  let caught: unknown;
  await call().catch((err: unknown) => {
    caught = err;
  });
  return check(caught, kind, where, argument, says, label);
}

/** Runs `call` and checks the class and code of the argument error and its whole message (or a pattern). */
export function expectMessage(call: () => unknown, kind: Kind, message: string | RegExp): void {
  let caught: unknown;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  const err = check(caught, kind, (caught as ArgumentTypeError)?.where, (caught as ArgumentTypeError)?.argument, undefined, String(message));
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
}

/** Checks every row of a table. */
export function expectRefusals(rows: Refusal[]): void {
  for (const [label, call, kind, where, argument, says] of rows) expectRefusal(call, kind, where, argument, says, label);
}

/** What `call` threw or rejected with, or undefined when it completed. */
export async function caught(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  return undefined;
}
