import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bench/` (where the workspace packages and the SDKs resolve from). */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_ROOT = join(BENCH_DIR, '..');
/** Where the report goes. */
export const REPORT_PATH = join(REPO_ROOT, 'docs/benchmarks.md');
/** The last full run's raw results (for `pnpm bench --render`). */
export const LAST_RUN_PATH = join(BENCH_DIR, 'results/last-run.json');
