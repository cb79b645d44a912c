// @ts-check
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Mutation testing of core against the contract kit (`pnpm kit:mutation:core`): StrykerJS mutates
 * core's `messenger.ts` and `validation.ts` and runs only the contract suite over the reference memory
 * adapter (vitest.mutation-core.config.ts) against each mutant. A survivor is a messenger/validation
 * bug that every adapter's contract run would let through. StrykerJS runs from packages/core (its
 * project root: the sandbox is a copy of core, which the vitest config aliases `@switchboard/core`
 * to); the reports and the incremental file land in packages/testkit/reports/ next to the adapter's.
 * Subsets: `pnpm kit:mutation:core --mutate 'src/validation.ts'` or `'src/messenger.ts:100-200'`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: here('./vitest.mutation-core.config.ts'), related: false },
  mutate: ['src/messenger.ts', 'src/validation.ts'],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: here('./reports/mutation-core/mutation.json') },
  htmlReporter: { fileName: here('./reports/mutation-core/mutation.html') },
  incrementalFile: here('./reports/stryker-incremental-core.json'),
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
