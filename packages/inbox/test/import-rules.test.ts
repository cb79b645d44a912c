import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** DESIGN.md: `inbox` imports only `@switchboard/core` (tests aside). */
describe('inbox import rules', () => {
  it('src imports no Switchboard package but @switchboard/core outside tests', () => {
    const dir = new URL('../src/', import.meta.url);
    const offending = readdirSync(dir)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .flatMap((name) => {
        const text = readFileSync(new URL(name, dir), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        return [...text.matchAll(/from\s*['"]([^'"]+)['"]/g)]
          .map((m) => m[1]!)
          .filter((s) => !s.startsWith('./') && s !== '@switchboard/core' && s !== 'eventemitter3')
          .map((s) => `${name} imports ${s}`);
      });
    expect(offending).toEqual([]);
  });
});
