import { describe, expect, it } from 'vitest';
import { contractCase } from './contract-cases/index.js';
import { realtimeEventCases } from './contract-cases/realtime-event-cases.js';
import { runContractCase } from './run-contract-case.js';
import { realtimeEventBrokenVariants } from './self-test/broken-realtime-event-adapters.js';
import { memoryContractSetup } from './self-test/memory-contract-setup.js';

describe('the realtime-events cases catch broken adapters', () => {
  it.each(realtimeEventBrokenVariants)('$name — caught by $caughtBy', async (variant) => {
    const testCase = contractCase(variant.caughtBy);
    const broken = await runContractCase(testCase, {
      name: variant.name,
      setup: memoryContractSetup(variant.factory),
      ...variant.options,
    });
    expect(broken.status).toBe('failed');
    expect(broken.status === 'failed' && (broken.error as Error).message).toMatch(variant.failure);
    // The same case passes against the healthy reference adapter: the failure is the variant's bug.
    expect(
      await runContractCase(testCase, { name: 'memory', setup: memoryContractSetup(), ...variant.options }),
    ).toEqual({ status: 'passed' });
  });

  it('has a broken variant for every case of the family', () => {
    const caught = new Set(realtimeEventBrokenVariants.map((variant) => variant.caughtBy));
    expect(realtimeEventCases.filter((testCase) => !caught.has(testCase.id)).map((c) => c.id)).toEqual([]);
  });
});
