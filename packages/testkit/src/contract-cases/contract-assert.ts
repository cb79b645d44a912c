import assert from 'node:assert/strict';
import type { SwitchboardError, SwitchboardErrorClass } from '@switchboard/core';

/** A thrown value in one line, for failure messages: class, code and message (truncated). */
export function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `${typeof error} ${String(error).slice(0, 200)}`;
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message.slice(0, 300)}`;
}

/**
 * Awaits `call` and returns the error it rejected with, failing the case when it resolved or rejected
 * with anything but an instance of `errorClass` (checked with `isInstance`, across package copies).
 */
export async function expectRejection<E extends SwitchboardError>(
  call: () => Promise<unknown>,
  errorClass: SwitchboardErrorClass & { prototype: E },
  what: string,
): Promise<E> {
  try {
    await call();
  } catch (error) {
    if (errorClass.isInstance(error)) return error as E;
    assert.fail(`${what}: expected ${errorClass.name}, got ${describeThrown(error)}`);
  }
  assert.fail(`${what}: expected ${errorClass.name}, but it resolved`);
}

/** Settles `promise` into `{ error }` (rejected) or `{ value }` (resolved), without throwing. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}
