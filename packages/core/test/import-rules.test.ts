import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of DESIGN.md, checked over the source tree:
 * core imports no adapter/emulator/testkit and its model part has no HTTP code; adapters import
 * only core (tests aside); emulators never import adapters or core; examples use entry points only.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const adapters = ['bluesky', 'chats-api', 'brevo', 'aurora'];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  // Comments may show example imports; only code counts.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const isTest = (file: string) => /\.test\.ts$/.test(file) || /\/(test|test-support)\//.test(file);

function violations(dir: string, allowed: (specifier: string, file: string) => boolean): string[] {
  return sourceFiles(join(root, dir)).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => !allowed(specifier, file))
      .map((specifier) => `${relative(root, file)} imports ${specifier}`),
  );
}

describe('import rules', () => {
  it('core imports no other Switchboard package', () => {
    expect(violations('packages/core/src', (s) => !s.startsWith('@switchboard/'))).toEqual([]);
  });

  it("core's model, spec and errors have no HTTP code (only src/http does)", () => {
    expect(
      violations(
        'packages/core/src',
        (s, file) => file.includes('/src/http/') || isTest(file) || !/^(axios|node:https?|p-retry)$/.test(s),
      ),
    ).toEqual([]);
  });

  it('adapters import only @switchboard/core outside their tests', () => {
    for (const adapter of adapters) {
      expect(
        violations(
          `packages/${adapter}/src`,
          (s, file) =>
            isTest(file) || !s.startsWith('@switchboard/') || /^@switchboard\/core(\/http)?$/.test(s),
        ),
      ).toEqual([]);
    }
  });

  it('redis imports only @switchboard/core outside its tests', () => {
    expect(
      violations(
        'packages/redis/src',
        (s, file) => isTest(file) || !s.startsWith('@switchboard/') || s === '@switchboard/core',
      ),
    ).toEqual([]);
  });

  it('emulators never import adapters or core', () => {
    expect(
      violations(
        'packages/emulators/src',
        (s) => !s.startsWith('@switchboard/') || s === '@switchboard/testkit/faults',
      ),
    ).toEqual([]);
  });

  it('examples and the benchmarks import package entry points, never src/ paths', () => {
    for (const dir of ['examples', 'bench']) {
      expect(violations(dir, (s) => !/(^|\/)packages\/|\/src\//.test(s) || s.startsWith('.'))).toEqual([]);
    }
  });
});
