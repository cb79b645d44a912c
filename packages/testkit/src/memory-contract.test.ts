import type { RunnerTask, RunnerTestSuite } from 'vitest';
import { expect, it } from 'vitest';
import { contractCases } from './contract-cases/index.js';
import { describeAdapterContract } from './describe-adapter-contract.js';
import { memoryContractSetup } from './self-test/memory-contract-setup.js';

const name = 'memory (reference)';
describeAdapterContract({ name, setup: memoryContractSetup() });

const leaves = (task: RunnerTask): RunnerTask[] =>
  task.type === 'suite' ? (task as RunnerTestSuite).tasks.flatMap(leaves) : [task];

it('lists every case: the skipped ones as skipped, with their reason in the title', ({ task }) => {
  const suite = task.file.tasks.find((candidate) => candidate.name === `${name} adapter contract`)!;
  const tests = leaves(suite);
  expect(tests.map((test) => test.name.split(' — ')[0])).toEqual(
    contractCases.map((testCase) => testCase.id),
  );
  const skipped = tests.filter((test) => test.mode === 'skip').map((test) => test.name);
  // The reference adapter declares every capability, so only the "undeclared ⇒ refused" cases skip,
  // plus the 5 group cases whose capabilities it does not declare (group-cases.ts); its setup gives
  // every observer, so nothing is "not checked".
  expect(skipped).toHaveLength(20);
  expect(skipped.filter((title) => title.includes('NOT CHECKED'))).toEqual([]);
  expect(skipped).toContain(
    "manifest-rejects-edit-message — skipped: capability 'editMessage' is declared (its working case runs instead)",
  );
});
