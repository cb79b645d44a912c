/**
 * Installed size (bytes of the files `npm install` would put on disk) and bundled size (esbuild:
 * minified, tree-shaken, platform node) of a package and its runtime dependencies.
 * @module
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BENCH_DIR, REPO_ROOT } from '../paths.js';

/** Total size of the files under `dir` in bytes (apparent sizes, not disk blocks; skips nested node_modules). */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Finds `name` the way Node does: `node_modules/<name>` in `from` and each of its ancestors. */
function resolvePackageDir(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  files?: string[];
}

const isWorkspacePackage = (dir: string) => dir.startsWith(join(REPO_ROOT, 'packages'));

/**
 * Bytes a package contributes once installed: a workspace package counts what it publishes
 * (`files` in its package.json, i.e. `dist/`, plus package.json); a dependency counts its whole directory.
 */
export function ownBytes(dir: string): number {
  if (!isWorkspacePackage(dir)) return directoryBytes(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  let total = statSync(join(dir, 'package.json')).size;
  for (const entry of manifest.files ?? ['dist']) {
    const path = join(dir, entry);
    if (!existsSync(path)) continue;
    total += statSync(path).isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

/** The package directories (realpaths) of `name` and its runtime dependencies, transitively. */
export function dependencyClosure(name: string, from = BENCH_DIR): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (pkg: string, base: string) => {
    const dir = resolvePackageDir(pkg, base);
    if (!dir) throw new Error(`cannot resolve ${pkg} from ${base}`);
    if (found.has(dir)) return;
    found.set(dir, pkg);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    for (const dep of Object.keys({ ...manifest.dependencies })) visit(dep, dir);
    for (const dep of Object.keys({ ...manifest.optionalDependencies })) {
      if (resolvePackageDir(dep, dir)) visit(dep, dir);
    }
  };
  visit(name, from);
  return found;
}

/** Installed size of the packages in `closure` that are not in `exclude` (shared ones), in bytes. */
export function closureBytes(closure: Map<string, string>, exclude = new Map<string, string>()): number {
  let total = 0;
  for (const dir of closure.keys()) if (!exclude.has(dir)) total += ownBytes(dir);
  return total;
}

/** A bundle's size and what it is made of. */
export interface BundleSize {
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output per package (`zod`, `axios`, `packages/core` …), largest first. */
  composition: Array<{ name: string; bytes: number }>;
}

/** The package an esbuild input path belongs to. */
function packageOf(input: string): string {
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match) return match[1]!;
  const workspace = /packages\/([^/]+)/.exec(input);
  return workspace ? `@switchboard/${workspace[1]}` : input;
}

/** Bundle size of a tiny ESM entry (minified, tree-shaken, platform node), raw and gzipped, in bytes. */
export async function bundleBytes(entry: string, resolveDir = BENCH_DIR): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: 'js', sourcefile: 'bench-entry.js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const code = result.outputFiles[0]!.contents;
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs))
    for (const [input, info] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
    }
  const composition = [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  return { bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, composition };
}
