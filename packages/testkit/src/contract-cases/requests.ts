import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SwitchboardError, SwitchboardErrorClass } from '@switchboard/core';
import type { ContractCaseContext } from '../contract-case.js';
import type { FaultKit } from '../faults/index.js';
import { expectRejection, settle } from './contract-assert.js';

/** The case's fault kit; cases that call this declare `withFaults`, so it is always there. */
export function faultsOf(context: ContractCaseContext): FaultKit {
  assert.ok(context.faults, 'this case needs `faults` from setup()');
  return context.faults;
}

/**
 * Expects `call` to reject with `errorClass` before any request reaches the backend: the requests the
 * fault kit counts must not change.
 */
export async function expectRejectedLocally<E extends SwitchboardError>(
  faults: FaultKit,
  call: () => Promise<unknown>,
  errorClass: SwitchboardErrorClass & { prototype: E },
  what: string,
): Promise<E> {
  const before = faults.requestCount;
  const error = await expectRejection(call, errorClass, what);
  const sent = faults.requestCount - before;
  assert.equal(
    sent,
    0,
    `${what}: rejected as expected, but only after sending ${sent} request(s); expected none`,
  );
  return error;
}

/** How a call ended, and how many requests it sent. */
export type BudgetedOutcome<T> = ({ value: T } | { error: unknown }) & { requests: number };

/**
 * Runs `call` while watching the fault kit's request count, and fails the case as soon as more than
 * `budget` requests were sent (an adapter retrying without end never settles on its own) or when the
 * call settled after sending more.
 */
export async function withinRequestBudget<T>(
  faults: FaultKit,
  budget: number,
  what: string,
  call: () => Promise<T>,
): Promise<BudgetedOutcome<T>> {
  const before = faults.requestCount;
  let outcome: { value: T } | { error: unknown } | undefined;
  const settled = settle(call()).then((result) => {
    outcome = result;
  });
  while (outcome === undefined) {
    const sent = faults.requestCount - before;
    assert.ok(
      sent <= budget,
      `${what}: sent ${sent} requests and is still going; expected it to give up within ${budget}`,
    );
    await Promise.race([settled, sleep(10)]);
  }
  const requests = faults.requestCount - before;
  assert.ok(requests <= budget, `${what}: sent ${requests} requests; expected at most ${budget}`);
  return { ...outcome, requests };
}
