import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = import.meta.dirname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map(
    (match) => match[1]!,
  );
const files = sources(src).map((file) => ({ path: relative(src, file), imports: importsOf(file) }));

/** The provider half of the reference pair: an independent model, like an emulator. */
const BACKEND = /^memory\/(memory-(backend|store|routes|sessions|event-log|wire|profile|api-error))\.ts$/;

describe('import boundaries', () => {
  it('only the describe modules import vitest (so the memory pair and runContractCase work without it)', () => {
    const importers = files.filter((file) => file.imports.includes('vitest')).map((file) => file.path);
    // The StateStore conformance suite is a describe module of its own subpath (./state-store).
    expect(importers.sort()).toEqual([
      'describe-adapter-contract.ts',
      'state-store/describe-state-store-conformance.ts',
    ]);
  });

  it('the fault kit imports no test runner and nothing outside ./faults', () => {
    for (const file of files.filter((f) => f.path.startsWith('faults/'))) {
      expect(
        file.imports.filter((i) => i === 'vitest' || i.startsWith('..') || i.startsWith('@switchboard/')),
      ).toEqual([]);
    }
  });

  it('the memory backend imports neither @switchboard/core nor the adapter half', () => {
    const backend = files.filter((file) => BACKEND.test(file.path));
    expect(backend.length).toBe(8);
    // Siblings must be backend files too; `../faults` and `../contract-types` (the peer's type) are fine.
    const allowed = (specifier: string) =>
      !specifier.startsWith('@switchboard/') &&
      (!specifier.startsWith('./') || BACKEND.test(`memory/${specifier.slice(2).replace(/\.js$/, '.ts')}`));
    for (const file of backend)
      expect(
        file.imports.filter((i) => !allowed(i)),
        file.path,
      ).toEqual([]);
  });
});
