import { describe, expect, it } from 'vitest';
import { contractCase } from './contract-cases/index.js';
import { runContractCase } from './run-contract-case.js';
import {
  fieldBrokenVariants,
  pathSecretBrokenVariants,
  streamBrokenVariants,
  writeBrokenVariants,
} from './self-test/broken-field-adapters.js';
import { lifecycleBrokenVariants, readMarkerBrokenVariants } from './self-test/broken-lifecycle-adapters.js';
import {
  type BrokenVariant,
  brokenVariants,
  moreBrokenVariants,
  v2BrokenVariants,
} from './self-test/broken-memory-adapters.js';
import { memoryContractSetup } from './self-test/memory-contract-setup.js';

async function expectCaught(variant: BrokenVariant) {
  const testCase = contractCase(variant.caughtBy);
  const broken = await runContractCase(testCase, {
    name: variant.name,
    setup: memoryContractSetup(variant.factory),
    ...variant.options,
  });
  await variant.release?.();
  expect(broken.status).toBe('failed');
  expect(broken.status === 'failed' && (broken.error as Error).message).toMatch(variant.failure);
  // The same case passes against the healthy reference adapter: the failure is the variant's bug.
  expect(
    await runContractCase(testCase, {
      name: 'memory',
      setup: memoryContractSetup(variant.healthy),
      ...variant.options,
    }),
  ).toEqual({ status: 'passed' });
}

describe('the contract suite catches broken adapters', () => {
  it.each(brokenVariants)('$name — caught by $caughtBy', expectCaught);
});

describe('more broken adapters', () => {
  it.each(moreBrokenVariants)('$name — caught by $caughtBy', expectCaught);
});

describe('contract kit v2: the bug classes of issue 11', () => {
  it.each(v2BrokenVariants)('$name — caught by $caughtBy', expectCaught);
});

describe('contract kit v2: optional fields, idempotent writes, streams, path secrets', () => {
  it.each([
    ...fieldBrokenVariants,
    ...writeBrokenVariants,
    ...streamBrokenVariants,
    ...pathSecretBrokenVariants,
  ])('$name — caught by $caughtBy', expectCaught);
});

describe('lifecycle: the caller signal, realtime after an outage', () => {
  it.each(lifecycleBrokenVariants)('$name — caught by $caughtBy', expectCaught);
});

describe('read markers: markRead up to a message', () => {
  it.each(readMarkerBrokenVariants)('$name — caught by $caughtBy', expectCaught);
});
