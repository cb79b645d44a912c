#!/usr/bin/env node
// Checks every publishable package the way a user meets it: from its packed tarball.
//  1. `pnpm pack` each package (workspace:* ranges become versions, publishConfig applies);
//  2. publint (package.json/exports/files) and arethetypeswrong (types per resolution mode, profile
//     esm-only: the packages are ESM and Node >= 20.19 `require()`s them) on each tarball;
//  3. install all tarballs with npm into a scratch project outside the workspace and load every
//     entry point twice: with an ESM `import` and a CommonJS `require`.
// This catches files missing from `files`, workspace-only dependencies and wrong `exports`.
// Run after `pnpm build`. Exits non-zero on the first failing check, after printing all results.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-packages-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);

const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const failures = [];
const check = (label, fn) => {
  try {
    const output = fn();
    console.log(`ok   ${label}`);
    return output;
  } catch (error) {
    const detail = [error.stdout, error.stderr].filter(Boolean).join('\n').trim() || String(error);
    console.log(`FAIL ${label}\n${detail.replace(/^/gm, '     ')}`);
    failures.push(label);
    return undefined;
  }
};

const packed = [];
for (const { dir, manifest } of packages) {
  const before = new Set(readdirSync(tarballs));
  check(`${manifest.name}: pnpm pack`, () =>
    run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', tarballs], dir),
  );
  const tarball = readdirSync(tarballs).find((file) => !before.has(file));
  if (!tarball) continue;
  const path = join(tarballs, tarball);
  packed.push({ manifest, path });
  check(`${manifest.name}: publint`, () => run(bin('publint'), ['run', path, '--strict'], root));
  check(`${manifest.name}: arethetypeswrong (esm-only)`, () =>
    run(bin('attw'), [path, '--profile', 'esm-only', '--format', 'ascii'], root),
  );
}

// A scratch consumer outside the workspace: only the registry and the tarballs.
const consumer = join(scratch, 'consumer');
mkdirSync(consumer);
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
const installed = check('npm install of every tarball into a scratch project', () =>
  // vitest: the optional peer a user of @switchboard/testkit's contract suite installs.
  run('npm', ['install', '--no-audit', '--no-fund', ...packed.map((p) => p.path), 'vitest@^4'], consumer),
);

if (installed !== undefined) {
  for (const { manifest } of packed) {
    const subpaths = Object.keys(manifest.exports ?? { '.': null }).filter((key) => !key.endsWith('.json'));
    for (const subpath of subpaths) {
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`;
      const probe = `if (Object.keys(m).length === 0) throw new Error('${specifier}: no exports');`;
      check(`${specifier}: ESM import`, () =>
        run('node', ['--input-type=module', '-e', `import * as m from '${specifier}'; ${probe}`], consumer),
      );
      check(`${specifier}: CommonJS require`, () =>
        run('node', ['--input-type=commonjs', '-e', `const m = require('${specifier}'); ${probe}`], consumer),
      );
    }
  }
}

rmSync(scratch, { recursive: true, force: true });
console.log(
  failures.length === 0
    ? `packages: ${packed.length} packed and checked, 0 failures`
    : `packages: ${failures.length} check(s) failed: ${failures.join('; ')}`,
);
process.exit(failures.length === 0 ? 0 : 1);
