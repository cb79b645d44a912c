import { defineConfig, type Options } from 'tsup';

/**
 * Shared tsup settings for every published workspace package: ESM for Node 20, type declarations,
 * source maps. `entry` names the package's entry points (default: `src/index.ts` as `index`).
 */
export function definePackageBuild(entry: Options['entry'] = { index: 'src/index.ts' }) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
  });
}
