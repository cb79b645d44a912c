#!/usr/bin/env node
// Runs every workspace package's tests through turbo, then prints one closing line with the totals
// over all packages: `N passed, N failed` (plus `, N skipped` when any test was skipped).
// Each package's vitest writes `.vitest/report.json` (see vitest.shared.ts); this script sums them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspaces = ['packages', 'examples', 'bench'];
const { readdirSync } = await import('node:fs');
const packageDirs = workspaces.flatMap((w) => {
  const dir = join(root, w);
  if (!existsSync(dir)) return [];
  if (existsSync(join(dir, 'package.json'))) return [dir];
  return readdirSync(dir).map((name) => join(dir, name));
});
const reports = packageDirs.map((dir) => join(dir, '.vitest', 'report.json'));
// Suites that need a service (redis-server, …) write why they were skipped here (a JSON string array).
const skipReasonFiles = packageDirs.map((dir) => join(dir, '.vitest', 'skip-reasons.json'));
for (const file of [...reports, ...skipReasonFiles]) rmSync(file, { force: true });

const turbo = spawnSync(
  join(root, 'node_modules', '.bin', 'turbo'),
  ['run', 'test', '--continue', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
// Suites that need a service this machine lacks skip one test titled `[needs <service>] <install hint>`.
const hints = new Set();
for (const report of reports) {
  if (!existsSync(report)) {
    if (existsSync(join(dirname(dirname(report)), 'vitest.config.ts'))) missing += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  for (const file of json.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      const need = /^\[needs ([^\]]+)\]\s*(.*)$/.exec(test.title ?? '');
      if (need && test.status !== 'passed' && test.status !== 'failed') hints.add(`${need[1]}: ${need[2]}`);
    }
  }
}
// A package whose vitest crashed before writing a report counts as one failure.
failed += missing;
const status = turbo.status ?? 1;
if (status !== 0 && failed === 0) failed = 1;
// Both ways a suite says why it did not run end up in the summary line (only when something was skipped
// for want of a service; CI installs every service, so its line stays plain).
for (const file of skipReasonFiles.filter((f) => existsSync(f))) {
  for (const reason of JSON.parse(readFileSync(file, 'utf8'))) hints.add(reason);
}
const needs = hints.size ? ` (not run here, ${[...hints].join('; ')})` : '';
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${needs}`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
