// @ts-check
/**
 * Mutation testing of the contract kit (`pnpm kit:mutation`): StrykerJS mutates the reference memory
 * adapter and runs only the contract suite against each mutant (vitest.mutation.config.ts). A mutant
 * the suite does not kill is a bug the kit lets through. Slow (minutes): not part of CI.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: [
    'src/memory/memory-adapter.ts',
    'src/memory/map-memory.ts',
    'src/memory/map-memory-error.ts',
    'src/memory/memory-event-poller.ts',
    'src/memory/memory-reply.ts',
  ],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // `pnpm kit:mutation --incremental` reuses this file's results (README: Mutation testing).
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
