import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Shared vitest settings for every workspace package.
 *
 * Workspace packages resolve each other through the `@switchboard/source` export condition, so tests
 * run against `src/` without a build step. Each package writes a JSON report to `.vitest/report.json`,
 * which `scripts/run-tests.mjs` sums into the final `N passed, N failed` line.
 */
export function defineProject(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const conditions = ['@switchboard/source', ...defaultServerConditions];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 20_000,
      reporters: ['default', ['json', { outputFile: '.vitest/report.json' }]],
      ...overrides,
    },
  });
}
