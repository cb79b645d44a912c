/**
 * Helpers shared by the Aurora unit tests (nock-faked HTTP).
 */
import type { SwitchboardError } from '@switchboard/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** Resolves with what `promise` rejects with; throws when it resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await promise;
  } catch (error) {
    return error as SwitchboardError;
  }
  throw new Error('expected a rejection');
}

/**
 * For the calling test file: no real connection while it runs (a request nock does not answer
 * fails), and every interceptor is dropped after each test.
 */
export function useOfflineNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}
