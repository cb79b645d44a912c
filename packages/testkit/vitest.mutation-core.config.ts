import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The vitest project `pnpm kit:mutation:core` (stryker.core.config.mjs) runs: the contract suite
 * against the reference memory adapter, with `@switchboard/core` (and `@switchboard/core/http`, so
 * there is one copy of the error classes) taken from the working directory, which is StrykerJS's
 * sandbox copy of packages/core holding the mutant. Run by hand from packages/core it tests the real
 * core: `cd packages/core && npx vitest run --config ../testkit/vitest.mutation-core.config.ts`.
 */
const core = process.cwd();
if (!existsSync(join(core, 'src', 'messenger.ts'))) {
  throw new Error(`vitest.mutation-core.config.ts must run from (a copy of) packages/core, not ${core}.`);
}
const conditions = ['@switchboard/source', ...defaultServerConditions];
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    conditions,
    alias: [
      { find: /^@switchboard\/core$/, replacement: join(core, 'src', 'index.ts') },
      { find: /^@switchboard\/core\/http$/, replacement: join(core, 'src', 'http', 'index.ts') },
    ],
  },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/memory-contract.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
