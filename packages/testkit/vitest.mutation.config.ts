import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The vitest project `pnpm kit:mutation` (StrykerJS) runs: the contract suite against the reference
 * memory adapter and nothing else, so the mutation score measures what the contract kit catches.
 * Self-contained (Stryker runs it from a sandbox copy of this package, where `../../` is elsewhere).
 */
const conditions = ['@switchboard/source', ...defaultServerConditions];
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/memory-contract.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
