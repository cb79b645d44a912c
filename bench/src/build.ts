/**
 * The footprint benchmark measures the BUILT packages (what `npm install` would give an app), so it
 * builds the ones whose `dist/` is missing or older than their sources, through turbo
 * (`turbo run build --only --filter=<package>`).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/** Newest modification time (ms) of the non-test `.ts` files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether `packages/<dir>/dist/index.js` exists and is newer than every source file. */
export function isBuilt(packageDir: string): boolean {
  const entry = join(REPO_ROOT, packageDir, 'dist/index.js');
  if (!existsSync(entry)) return false;
  return statSync(entry).mtimeMs >= newestSource(join(REPO_ROOT, packageDir, 'src'));
}

/**
 * Builds the packages (by name, with their directories) that are not built or are stale.
 * Returns the names it built. Throws when the build fails.
 */
export function ensureBuilt(
  packages: Array<{ name: string; dir: string }>,
  log: (line: string) => void,
): string[] {
  const stale = packages.filter((pkg) => !isBuilt(pkg.dir));
  if (stale.length === 0) return [];
  const names = stale.map((pkg) => pkg.name);
  log(`  building ${names.join(', ')} (dist missing or older than src): turbo run build --only`);
  const turbo = join(REPO_ROOT, 'node_modules/.bin/turbo');
  const result = spawnSync(
    turbo,
    // `--only`: just these packages' builds (their dts resolves workspace imports to src through
    // tsconfig paths), not the builds of their dev dependencies such as the emulators.
    ['run', 'build', '--only', '--output-logs=errors-only', ...names.map((name) => `--filter=${name}`)],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 },
  );
  if (result.status !== 0)
    throw new Error(
      `turbo run build failed (${result.status}): ${(result.stdout + result.stderr).slice(-2000)}`,
    );
  return names;
}
